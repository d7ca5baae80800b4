import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Evidence, Report
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(client, world):
    client.force_login(world.clerk)
    url = reverse("reports:form", kwargs={"code": "P1.X1", "period": dt.date(2026, 5, 1)})
    client.post(url, {"version": "0", "ky_so-numerator": "1", "ky_so-denominator": "2", "save": "1"})
    return Report.objects.get()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(client, report, indicator, name, content):
    return client.post(reverse("reports:evidence-upload", kwargs={"pk": report.pk}),
                       {"indicator": indicator.pk, "file": SimpleUploadedFile(name, content)}, follow=True)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("bien-ban.pdf", PDF, "application/pdf"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png"),
    ("bao-cao.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_real_documents_are_attached_and_served_only_in_scope(client, world, draft, name, content, kind):
    response = _upload(client, draft, world.signed, name, content)
    assert "Đã đính kèm tệp." in response.content.decode()
    evidence = Evidence.objects.get()
    assert evidence.content_type == kind and evidence.original_name == name
    assert name in client.get(reverse("reports:form", kwargs={"code": "P1.X1", "period": draft.period})
                              ).content.decode()
    url = reverse("reports:evidence", kwargs={"pk": evidence.pk})
    client.force_login(MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user)
    assert client.get(url).status_code == 404
    client.force_login(world.reviewer)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert download["Content-Type"] == kind and download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "content"), [
    ("virus.pdf", b"MZ\x90\x00 this is a program"),
    ("ghi-chu.pdf", b"chi la van ban thuong"),
    ("nen.zip", b"PK\x03\x04" + b"\0" * 40),
])
def test_other_files_are_refused_by_content_and_nothing_is_kept(client, world, draft, media, name, content):
    response = _upload(client, draft, world.signed, name, content)
    assert f"“{name}” không phải là tệp PDF" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_file_over_the_limit_is_refused(client, world, draft, settings):
    settings.PORTAL_EVIDENCE_MAX_BYTES = 1024
    response = _upload(client, draft, world.signed, "lon.pdf", PDF + b"0" * 2048)
    assert "tối đa" in response.content.decode()
    assert not Evidence.objects.exists()
