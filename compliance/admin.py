from django.contrib import admin

from compliance.models import ComplianceRun, ExpectedReporter, Reminder
from core.admin import ReadOnlyAdminMixin


@admin.register(ComplianceRun)
class ComplianceRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "state", "is_current", "results", "as_of", "started_at", "finished_at"]
    list_filter = ["state", "is_current"]
    readonly_fields = [f.name for f in ComplianceRun._meta.fields]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "period", "kind", "sent_at"]
    list_filter = ["kind", "period"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]


@admin.register(ExpectedReporter)
class ExpectedReporterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was expected to report for a month that is over: recorded by the computation, never edited by hand."""

    list_display = ["period", "unit", "due_on"]
    list_filter = ["period"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]
