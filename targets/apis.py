import datetime as dt

import django_filters
from django.utils import timezone
from rest_framework import serializers

from core.apis import PortalReadOnlyViewSet, YearFilter
from core.periods import month_parse
from targets.binding import targets_for_unit
from targets.models import Indicator, Target
from targets.selectors import indicator_list, target_list
from units.access import units_visible_to


class IndicatorOutputSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code", "name", "group", "group_name", "measure", "flow", "rollup",
            "unit_threshold", "numerator_label", "denominator_label", "description", "is_active",
        ]


class IndicatorFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="group__code", label="Nhóm chỉ tiêu (mã)")

    class Meta:
        model = Indicator
        fields = ["measure", "is_active"]


class IndicatorViewSet(PortalReadOnlyViewSet):
    serializer_class = IndicatorOutputSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    lookup_is_integer = False

    def get_queryset(self):
        return indicator_list()


class TargetFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__key", label="Kế hoạch (khóa)")
    indicator = django_filters.CharFilter(field_name="indicator__code", label="Chỉ tiêu (mã)")
    unit = django_filters.CharFilter(method="filter_unit", label="Các mục tiêu áp dụng cho đơn vị (mã định danh)")
    month = django_filters.CharFilter(method="filter_month", label="Tháng áp dụng cho bộ lọc đơn vị (YYYY-MM)")
    year = YearFilter(field_name="due_on__year", label="Năm đến hạn")

    class Meta:
        model = Target
        fields = ["comparator", "due_kind", "conflict_status"]

    def filter_unit(self, queryset, name, value):
        unit = units_visible_to(user=self.request.user).filter(code=value).first()
        if unit is None:
            return queryset.none()
        period = self._month()
        return queryset.filter(pk__in=[target.pk for target in targets_for_unit(unit=unit, period=period,
                                                                                 queryset=queryset)])

    def filter_month(self, queryset, name, value):
        return queryset  # read by filter_unit: a plan binds only within its lifetime

    def _month(self) -> dt.date:
        """The month the unit filter asks about: the one given, or the current month."""
        value = self.data.get("month")
        if not value:
            return timezone.localdate().replace(day=1)
        try:
            return month_parse(value)
        except ValueError as exc:
            raise serializers.ValidationError({"month": [str(exc)]}) from exc


class TargetOutputSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="key", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applies_to_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    scope_unit = serializers.SerializerMethodField(help_text="Mã đơn vị phạm vi (đơn vị có số liệu được đo); "
                                                   "mặc định là đơn vị ban hành kế hoạch.")
    responsible_unit = serializers.SerializerMethodField(help_text="Mã đơn vị chịu trách nhiệm; mặc định là đơn vị "
                                                         "ban hành kế hoạch.")
    value_label = serializers.CharField(read_only=True)
    due_label = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = [
            "id", "plan", "position", "indicator", "comparator", "value", "value_max", "value_label",
            "due_kind", "due_on", "due_label", "scope_unit", "counts", "applies_to_units", "applies_to_kinds",
            "judged", "reporters", "responsible_unit", "series", "superseded_by", "clause", "ref",
            "conflict", "conflict_status",
        ]

    def get_scope_unit(self, target: Target) -> str:
        return target.scope.code

    def get_responsible_unit(self, target: Target) -> str:
        return target.responsible.code


class TargetViewSet(PortalReadOnlyViewSet):
    serializer_class = TargetOutputSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        return target_list(user=self.request.user)
