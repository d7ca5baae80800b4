import django_filters
from rest_framework import serializers

from core.apis import PortalReadOnlyViewSet
from units.access import units_visible_to
from units.models import Unit, UnitKind
from units.selectors import unit_annotate_parent_code


class UnitFilter(django_filters.FilterSet):
    within = django_filters.CharFilter(method="filter_within", label="Trong cây của đơn vị (mã định danh)")
    parent = django_filters.CharFilter(method="filter_parent", label="Đơn vị cấp trên trực tiếp (mã định danh)")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    q = django_filters.CharFilter(method="filter_q", label="Tìm theo mã hoặc tên")

    class Meta:
        model = Unit
        fields = ["kind"]

    def _unit(self, queryset, code):
        # Looked up in the whole visible set, not in what earlier filters have already narrowed.
        return self.queryset.filter(code=code).first()

    def filter_within(self, queryset, name, value):
        unit = self._unit(queryset, value)
        return queryset.filter(path__startswith=unit.path) if unit else queryset.none()

    def filter_parent(self, queryset, name, value):
        unit = self._unit(queryset, value)
        if unit is None:
            return queryset.none()
        return queryset.filter(path__startswith=unit.path, depth=unit.depth + 1)

    def filter_q(self, queryset, name, value):
        return queryset.filter(code__icontains=value) | queryset.filter(name__icontains=value)


class UnitOutputSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_code", allow_null=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "depth", "parent", "opened_on", "closed_on"]


class UnitViewSet(PortalReadOnlyViewSet):
    """Party units; `within` gives a subtree, `parent` the children of one unit."""

    serializer_class = UnitOutputSerializer
    filterset_class = UnitFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Z.]+"
    lookup_is_integer = False

    def get_queryset(self):
        return unit_annotate_parent_code(units_visible_to(user=self.request.user)).order_by("path")
