from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin, conflict_mark_resolved
from core.resources import TextExportMixin
from targets.models import Indicator, IndicatorGroup, Target
from targets.resources import IndicatorResource, TargetResource


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(AuditedAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(TextExportMixin, AuditedAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["code", "name", "group", "measure", "flow", "rollup", "is_active"]
    list_filter = ["group", "measure", "flow", "rollup", "is_active"]
    search_fields = ["code", "name", "description"]
    list_select_related = ["group"]


@admin.register(Target)
class TargetAdmin(TextExportMixin, AuditedAdmin):
    resource_classes = [TargetResource]
    list_display = ["position", "indicator", "value_label", "due_label", "plan_label", "conflict_status"]
    list_display_links = ["position", "indicator"]
    list_filter = ["conflict_status", "plan", "comparator", "due_kind", "indicator__group"]
    search_fields = ["clause", "ref", "indicator__name", "indicator__code"]
    autocomplete_fields = ["indicator", "applies_to_units"]
    list_select_related = ["plan__issuer", "indicator"]
    actions = [conflict_mark_resolved]

    @admin.display(description=_("target"))
    def value_label(self, obj):
        return obj.value_label

    @admin.display(description=_("plan"), ordering="plan")
    def plan_label(self, obj):
        return obj.plan.short_label

    @admin.display(description=_("due"))
    def due_label(self, obj):
        return obj.due_label
