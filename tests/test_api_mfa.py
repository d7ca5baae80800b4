"""Every API route in the URLconf refuses a session that lacks the second step it needs; none can opt out."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from core.permissions import MFA_REQUIRED_MESSAGE
from tests.factories import MembershipFactory
from units.models import Membership

pytestmark = pytest.mark.django_db

# A value that every path parameter of the API accepts (ids, unit codes, plan keys, indicator codes).
SAMPLE = {"code": "X1", "path": "1/"}
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _routes(patterns=None, prefix: str = ""):
    """(path, view) for every URL pattern, with its parameters filled in."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = pattern.pattern.regex.pattern.lstrip("^").replace("\\Z", "").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + regex)
        elif isinstance(pattern, URLPattern) and "format" not in pattern.pattern.regex.groupindex:
            # (The ".json" variants of each route reach the same view as the route itself.)
            path = GROUP.sub(lambda m: SAMPLE.get(m["name"], "1"), prefix + regex)
            yield "/" + path.replace("\\.", ".").replace("/?", "/"), pattern.callback


def _api_routes():
    routes = []
    for path, view in _routes():
        if not path.startswith("/api/"):
            continue
        actions = getattr(view, "actions", None)
        methods = list(actions) if actions else [m for m in view.cls.http_method_names if m not in ("options", "head")]
        routes += [(method, path) for method in methods if hasattr(view.cls, method) or actions]
    return routes


API_ROUTES = _api_routes()


def test_the_walk_covers_every_api_endpoint():
    paths = {path for _method, path in API_ROUTES}
    # The router's list and detail routes of each registered viewset, the report actions, the schema and docs.
    for expected in ["/api/v1/reports/", "/api/v1/reports/1/approve/", "/api/v1/reports/1/changes/",
                     "/api/v1/units/X1/", "/api/v1/compliance/", "/api/schema/", "/api/docs/"]:
        assert expected in paths
    assert ("post", "/api/v1/reports/1/values/") in API_ROUTES
    for _method, path in API_ROUTES:
        assert resolve(path)  # each filled-in path reaches a view, so each request below tests that view


@pytest.fixture
def reviewer(settings, root):
    settings.PORTAL_MFA_REQUIRED_ROLES = ["reviewer", "admin"]
    # Staff too, so the schema pages (staff only) are refused for MFA and not for being staff.
    user = MembershipFactory(role=Membership.Role.REVIEWER).user
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize(("method", "path"), API_ROUTES, ids=[f"{m.upper()} {p}" for m, p in API_ROUTES])
def test_a_session_without_the_required_second_step_is_refused_everywhere(client, reviewer, method, path):
    client.force_login(reviewer)
    # The docs page is HTML only; everything else answers JSON.
    accept = "text/html" if path == "/api/docs/" else "application/json"
    response = getattr(client, method)(path, content_type="application/json", HTTP_ACCEPT=accept)
    assert response.status_code == 403
    if accept == "application/json":
        assert response.json()["detail"] == str(MFA_REQUIRED_MESSAGE)

    # The same session once an authenticator is set up gets past the check (to a real answer or a 404).
    TOTP.activate(reviewer, generate_totp_secret())
    response = getattr(client, method)(path, content_type="application/json", HTTP_ACCEPT=accept)
    assert response.status_code != 403


def test_a_viewset_that_declares_its_own_permissions_still_checks_mfa():
    from rest_framework.permissions import IsAuthenticated

    from core.apis import PortalReadOnlyViewSet
    from core.permissions import MfaSatisfied

    view = type("OwnPermissions", (PortalReadOnlyViewSet,), {"permission_classes": [IsAuthenticated]})()
    kinds = [type(permission) for permission in view.get_permissions()]
    assert kinds == [IsAuthenticated, MfaSatisfied]
