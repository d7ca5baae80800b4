import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from compliance.models import ComplianceResult, ReportingResult
from compliance.selectors import reporting_visible_to, results_visible_to
from core.apis import PortalReadOnlyViewSet, month_parameter
from core.periods import month_parse


def _period(request):
    try:
        return month_parse(request.query_params.get("period", ""))
    except ValueError as exc:
        raise ValidationError({"period": [str(exc) or _("Give the month as 2026-05.")]}) from exc


class ResultFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label="Đơn vị (mã định danh)")
    indicator = django_filters.CharFilter(field_name="indicator__code", label="Chỉ tiêu (mã)")

    class Meta:
        model = ComplianceResult
        fields = ["status", "sub_status"]


class ResultOutputSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ComplianceResult
        fields = ["unit", "indicator", "target", "numerator", "denominator", "done", "value", "provisional_value",
                  "path_value", "status", "reason", "sub_numerator", "sub_denominator", "sub_expected",
                  "sub_reporting", "sub_meeting", "sub_value", "sub_status", "sub_reason"]


PERIOD = extend_schema(parameters=[month_parameter(description="Tháng (2026-05), bắt buộc", required=True)])


@extend_schema_view(list=PERIOD, retrieve=PERIOD)
class ComplianceViewSet(PortalReadOnlyViewSet):
    """Computed statuses with their reasons, for the units in the user's scope; `period=2026-05` is required."""

    serializer_class = ResultOutputSerializer
    filterset_class = ResultFilter

    def get_queryset(self):
        if self.swagger_fake():
            return ComplianceResult.objects.none()
        return results_visible_to(user=self.request.user, period=_period(self.request)).order_by(
            "unit__path", "indicator__code")


class ReportingFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label="Đơn vị (mã định danh)")

    class Meta:
        model = ReportingResult
        fields = ["own"]


class ReportingOutputSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportingResult
        fields = ["unit", "own", "due_on", "expected", "on_time", "late", "missing"]


@extend_schema_view(list=PERIOD, retrieve=PERIOD)
class ReportingViewSet(PortalReadOnlyViewSet):
    """Reporting rate and timeliness per unit and subtree for a month (`period=2026-05`)."""

    serializer_class = ReportingOutputSerializer
    filterset_class = ReportingFilter

    def get_queryset(self):
        if self.swagger_fake():
            return ReportingResult.objects.none()
        return reporting_visible_to(user=self.request.user, period=_period(self.request)).order_by("unit__path")
