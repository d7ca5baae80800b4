from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin, conflict_mark_resolved
from core.resources import TextExportMixin
from targets.models import Indicator, IndicatorGroup, Target
from targets.resources import IndicatorResource, TargetResource
from targets.services import target_conflict_resolve


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
    list_display = ["position", "indicator", "value_label", "due_label", "plan_label", "counts", "judged",
                    "conflict_status", "superseded_by"]
    list_display_links = ["position", "indicator"]
    list_filter = ["conflict_status", "plan", "counts", "judged", "reporters", "comparator", "due_kind",
                   "indicator__group"]
    search_fields = ["clause", "ref", "series", "indicator__name", "indicator__code"]
    autocomplete_fields = ["indicator", "scope_unit", "responsible_unit", "applies_to_units", "superseded_by"]
    list_select_related = ["plan__issuer", "indicator", "superseded_by"]
    fieldsets = [
        (None, {"fields": ["plan", "position", "indicator", "comparator", "value", "value_max", "due_kind", "due_on",
                           "series", "clause", "ref"]}),
        (_("Scope"), {"fields": ["scope_unit", "counts", "applies_to_kinds", "applies_to_units", "judged",
                                 "reporters", "responsible_unit"]}),
        (_("Conflict"), {"fields": ["conflict", "conflict_status", "superseded_by"]}),
    ]
    actions = [conflict_mark_resolved, "resolve_in_favour"]

    @admin.action(description=_("Resolve the conflict: the selected target holds, its rivals give way"))
    def resolve_in_favour(self, request, queryset):
        for target in queryset:
            try:
                rivals = target_conflict_resolve(holds=target, by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            self.message_user(request, _("Target %(n)s holds; %(count)s target(s) give way to it.") % {
                "n": target.position, "count": len(rivals)}, messages.SUCCESS)

    @admin.display(description=_("target"))
    def value_label(self, obj):
        return obj.value_label

    @admin.display(description=_("plan"), ordering="plan")
    def plan_label(self, obj):
        return obj.plan.short_label

    @admin.display(description=_("due"))
    def due_label(self, obj):
        return obj.due_label
