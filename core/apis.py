"""What every API endpoint shares: the MFA check that cannot be left out, ids and filters that answer 400/404."""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from core.periods import month_parse
from core.permissions import MfaEnforcedMixin

# Database integers are 64-bit: a longer id cannot exist, and SQLite raises on it rather than finding nothing.
_INTEGER_ID = re.compile(r"[0-9]{1,18}")
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class PortalReadOnlyViewSet(MfaEnforcedMixin, viewsets.ReadOnlyModelViewSet):
    """The base of every API viewset: MFA always checked, a malformed integer id answered like a missing one."""

    # Set to False on viewsets looked up by a code or a key rather than a numeric id.
    lookup_is_integer = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and permissions first: 403 before 404
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if lookup is not None and self.lookup_is_integer and not _INTEGER_ID.fullmatch(lookup):
            raise NotFound()

    def swagger_fake(self) -> bool:
        """True while drf-spectacular inspects the view to write the schema, without a real request."""
        return getattr(self, "swagger_fake_view", False)


class YearField(forms.IntegerField):
    default_error_messages = {"invalid": _("Give the year as a number, e.g. 2026.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
        # Django's own range messages read poorly in Vietnamese; one sentence says both bounds.
        self.error_messages["min_value"] = self.error_messages["max_value"] = _(
            "Give a year between 2000 and 2100.")


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class MonthFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return month_parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class MonthFilter(django_filters.Filter):
    """A month written as 2026-05 or as clerks write it (09/2026, tháng 9/2026: `core.periods.period_parse`);
    anything else is a 400 with the reason, not an empty list."""

    field_class = MonthFormField


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-05"})
class MonthField(serializers.DateField):
    """A month as the API writes it: "2026-05"."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


def month_parameter(*, description: str, required: bool):
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.QUERY, required=required,
                            description=description, pattern=MONTH_PATTERN)


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-05"})
class MonthInputField(serializers.CharField):
    """A month given as 2026-05 (or 05/2026), read into its first day; a wrong one is refused with the reason."""

    def to_internal_value(self, data):
        try:
            return month_parse(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class ApiNotFound(MfaEnforcedMixin, APIView):
    """Any other path under the API: the JSON 404 of a missing object, rather than the site's HTML page."""

    def _missing(self, request, *args, **kwargs):
        raise NotFound()

    get = post = put = patch = delete = _missing
