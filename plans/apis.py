import django_filters
from rest_framework import serializers

from core.apis import PortalReadOnlyViewSet, YearFilter
from plans.models import Plan, PlanTask
from plans.selectors import plan_list, plan_task_list


class PlanFilter(django_filters.FilterSet):
    issuer = django_filters.CharFilter(field_name="issuer__code", label="Đơn vị ban hành (mã định danh)")
    parent = django_filters.CharFilter(field_name="parent__key", label="Kế hoạch cấp trên (khóa)")
    year = YearFilter(method="filter_year", label="Có hiệu lực trong năm")

    class Meta:
        model = Plan
        fields = ["kind"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(year_start__lte=value, year_end__gte=value)


class PlanOutputSerializer(serializers.ModelSerializer):
    issuer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    is_named_only = serializers.BooleanField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "key", "number", "kind", "title", "issuer", "issued_on", "year_start", "year_end",
            "parent", "report_due_day", "notes", "is_named_only",
        ]


class PlanViewSet(PortalReadOnlyViewSet):
    serializer_class = PlanOutputSerializer
    filterset_class = PlanFilter
    lookup_field = "key"
    lookup_is_integer = False

    def get_queryset(self):
        return plan_list(user=self.request.user)


class PlanTaskFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__key", label="Kế hoạch (khóa)")
    lead_unit = django_filters.CharFilter(field_name="lead_unit__code", label="Đơn vị chủ trì (mã định danh)")

    class Meta:
        model = PlanTask
        fields = ["status", "due_kind", "conflict_status"]


class PlanTaskOutputSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="key", read_only=True)
    lead_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cooperating_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    due_label = serializers.CharField(read_only=True)

    class Meta:
        model = PlanTask
        fields = [
            "id", "plan", "number", "group", "title", "lead_unit", "lead_text", "cooperating_units",
            "cooperating_text", "due_kind", "due_on", "due_text", "due_label", "expected_output", "status",
            "conflict", "conflict_status",
        ]


class PlanTaskViewSet(PortalReadOnlyViewSet):
    serializer_class = PlanTaskOutputSerializer
    filterset_class = PlanTaskFilter

    def get_queryset(self):
        return plan_task_list(user=self.request.user)
