from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin, conflict_mark_resolved
from plans.models import Plan, PlanTask


class PlanTaskInline(admin.TabularInline):
    model = PlanTask
    extra = 0
    fields = ["number", "title", "lead_unit", "due_kind", "due_on", "due_text", "status", "conflict_status"]
    raw_id_fields = ["lead_unit"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["number", "title", "issuer", "issued_on", "year_start", "year_end", "parent"]
    list_filter = ["kind", "year_start"]
    search_fields = ["key", "number", "title"]
    autocomplete_fields = ["issuer"]
    raw_id_fields = ["parent"]
    list_select_related = ["issuer", "parent"]
    inlines = [PlanTaskInline]


@admin.register(PlanTask)
class PlanTaskAdmin(AuditedAdmin):
    actions = [conflict_mark_resolved]
    list_display = ["number", "short_title", "lead_text", "due_label", "plan_label", "status", "conflict_status"]
    list_display_links = ["number", "short_title"]
    list_filter = ["plan", "status", "conflict_status", "due_kind"]
    search_fields = ["title", "lead_text", "cooperating_text", "expected_output"]
    autocomplete_fields = ["lead_unit", "cooperating_units", "accepting_unit"]
    list_select_related = ["plan__issuer"]

    @admin.display(description=_("plan"), ordering="plan")
    def plan_label(self, obj):
        return obj.plan.short_label

    @admin.display(description=_("task"))
    def short_title(self, obj):
        return obj.title[:100]

    @admin.display(description=_("due"))
    def due_label(self, obj):
        return obj.due_label
