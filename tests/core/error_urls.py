"""The portal's URLs plus three views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler429  # noqa: F401 (allauth reads handler429)
from config.urls import urlpatterns as portal_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("a forged header")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("the database went away")


urlpatterns = [
    path("fails/400/", bad_request),
    path("fails/403/", forbidden),
    path("fails/500/", broken),
    *portal_urlpatterns,
]
