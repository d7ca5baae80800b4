"""The API docs: served from the project (no CDN), open to every signed-in user, described in Vietnamese."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_signed_in_clerk_reads_the_docs_from_the_project_itself(client, plain_user):
    client.force_login(plain_user)  # neither staff nor reviewer: a clerk
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources)  # nothing from a CDN
    for source in sources:
        assert Client().get(source).status_code == 200 if source.startswith("/static/") else True
    assert client.get("/api/docs/?script=").status_code == 200
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["info"]["title"] == "Cổng theo dõi chuyển đổi số - API"
    assert "thông báo của chính mình" in schema["info"]["description"]
    assert "/api/v1/notifications/" in schema["paths"] and "/api/v1/notifications/read/" in schema["paths"]


def test_someone_signed_out_is_sent_to_the_login_page(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/api/docs/")
