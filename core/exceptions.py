"""One error vocabulary for the portal, mapped once to DRF responses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A business rule refused the request; `message` is shown to the user as is."""

    def __init__(self, message: str, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        # The same answer for "missing" and "not yours", without naming what was looked for.
        exc = drf_exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ApplicationError):
        exc = drf_exceptions.ValidationError({"detail": exc.message, **exc.extra})
    return exception_handler(exc, context)
