import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.apis import MonthField, MonthFilter, MonthInputField, PortalReadOnlyViewSet
from core.formatting import parse_count
from reports.models import Report, ReportDecision, ReportValue
from reports.selectors import reports_visible_to
from reports.services import (
    ValueInput,
    report_approve,
    report_open,
    report_reopen,
    report_return,
    report_submit,
    report_values_save,
    submission_changes,
)
from targets.models import Indicator
from units.access import units_visible_to


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "example": "1.234"}],
                      "nullable": True})
class CountField(serializers.Field):
    """A whole number ≥ 0, given as a number or as a clerk writes it ("1.234")."""

    def to_internal_value(self, data):
        try:
            return parse_count(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def to_representation(self, value):
        return value


class ReportFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label="Đơn vị (mã định danh)")
    period = MonthFilter(field_name="period", label="Tháng (2026-05)")

    class Meta:
        model = Report
        fields = ["status"]


class ValueOutputSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportValue
        fields = ["indicator", "numerator", "denominator", "done", "note"]


class DecisionOutputSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default=None, allow_null=True)

    class Meta:
        model = ReportDecision
        fields = ["action", "reason", "value_reasons", "by", "at"]


class ReportOutputSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = MonthField()
    values = ValueOutputSerializer(many=True, read_only=True)
    decisions = DecisionOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = ["id", "unit", "period", "status", "version", "due_on", "submitted_at", "approved_at",
                  "values", "decisions"]


class ReportOpenSerializer(serializers.Serializer):
    unit = serializers.CharField()
    period = MonthInputField()


class ValueInputSerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    numerator = CountField(required=False, allow_null=True)
    denominator = CountField(required=False, allow_null=True)
    done = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ValuesSaveSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    values = ValueInputSerializer(many=True)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    value_reasons = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


# submission_changes(): indicator id → field → [before, now]; empty when there were fewer than two submissions.
CHANGES_SCHEMA = {
    "type": "object",
    "description": "Mã số (id) chỉ tiêu → trường đã đổi → [giá trị lần nộp trước, giá trị lần nộp sau].",
    "additionalProperties": {
        "type": "object",
        "properties": {
            field: {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": kind, "nullable": True}}
            for field, kind in [("numerator", "integer"), ("denominator", "integer"), ("done", "boolean"),
                                ("note", "string")]
        },
        "additionalProperties": False,
    },
    "example": {"12": {"numerator": [80, 95]}},
}


class ReportViewSet(PortalReadOnlyViewSet):
    """Monthly reports in the user's scope; the writes call the same services as the web form."""

    serializer_class = ReportOutputSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return reports_visible_to(user=self.request.user).prefetch_related(
            "values__indicator", "decisions__by").order_by("-period", "unit__code")

    def _report(self):
        return get_object_or_404(reports_visible_to(user=self.request.user), pk=self.kwargs["pk"])

    def _answer(self, report, code=status.HTTP_200_OK):
        report = self.get_queryset().get(pk=report.pk)
        return Response(ReportOutputSerializer(report).data, status=code)

    @extend_schema(request=ReportOpenSerializer, responses=ReportOutputSerializer)
    def create(self, request):
        data = ReportOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = get_object_or_404(units_visible_to(user=request.user), code=data.validated_data["unit"])
        report = report_open(unit=unit, period=data.validated_data["period"], by=request.user)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=ValuesSaveSerializer, responses=ReportOutputSerializer)
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        report = self._report()
        data = ValuesSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = [ValueInput(indicator_id=item["indicator"].pk, numerator=item.get("numerator"),
                             denominator=item.get("denominator"), done=item.get("done"), note=item.get("note", ""))
                  for item in data.validated_data["values"]]
        report = report_values_save(report=report, by=request.user, values=values,
                                    version=data.validated_data["version"])
        return self._answer(report)

    @extend_schema(request=VersionSerializer, responses=ReportOutputSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(report_submit(report=self._report(), by=request.user,
                                          version=data.validated_data["version"]))

    @extend_schema(request=ReturnSerializer, responses=ReportOutputSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(report_return(report=self._report(), by=request.user, **data.validated_data))

    @extend_schema(request=None, responses=ReportOutputSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(report_approve(report=self._report(), by=request.user))

    @extend_schema(request=ReasonSerializer, responses=ReportOutputSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(report_reopen(report=self._report(), by=request.user, **data.validated_data))

    @extend_schema(responses={200: CHANGES_SCHEMA})
    @action(detail=True, methods=["get"])
    def changes(self, request, pk=None, format=None):  # `format`: the router also serves changes.json
        """What changed between the last two submissions, by indicator id."""
        return Response(submission_changes(report=self._report()))
