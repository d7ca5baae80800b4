from django.contrib import admin

from compliance.models import ComplianceRun, Reminder


@admin.register(ComplianceRun)
class ComplianceRunAdmin(admin.ModelAdmin):
    list_display = ["period", "state", "is_current", "results", "as_of", "started_at", "finished_at"]
    list_filter = ["state", "is_current"]
    readonly_fields = [f.name for f in ComplianceRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "kind", "sent_at"]
    list_filter = ["kind", "period"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
