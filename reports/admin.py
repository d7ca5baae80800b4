from django.contrib import admin

from core.admin import AuditedAdmin
from reports.models import Report, ReportValue


class ReportValueInline(admin.TabularInline):
    model = ReportValue
    extra = 0
    fields = ["indicator", "numerator", "denominator", "done", "note"]
    raw_id_fields = ["indicator"]


@admin.register(Report)
class ReportAdmin(AuditedAdmin):
    list_display = ["unit", "period", "status", "submitted_at", "approved_at"]
    list_filter = ["status", "period"]
    search_fields = ["unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    date_hierarchy = "period"
    inlines = [ReportValueInline]
