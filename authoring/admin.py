from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from authoring.models import PlanAmendment
from core.admin import ReadOnlyAdminMixin


@admin.register(PlanAmendment)
class PlanAmendmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """An amendment changes only through its services (each save tried and audited, applied as one version); the
    admin only reads it."""

    list_display = ["plan_key", "opened_by_name", "status", "edit_count", "based_on", "opened_at", "updated_at",
                    "closed_at"]
    list_filter = ["status"]
    search_fields = ["plan__key", "plan__number"]
    list_select_related = ["plan"]
    date_hierarchy = "opened_at"
    readonly_fields = [f.name for f in PlanAmendment._meta.fields]

    @admin.display(description=_("plan"), ordering="plan__key")
    def plan_key(self, obj):
        return obj.plan.key

    @admin.display(description=_("pending edits"))
    def edit_count(self, obj):
        return len(obj.edits or [])
