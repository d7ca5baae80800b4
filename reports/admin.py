from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdminMixin
from core.exceptions import ApplicationError
from core.templatetags.portal import person
from reports.models import Evidence, Report, ReportDecision, ReportSubmission, ReportValue
from reports.services import report_approve

# Reports move only through the workflow (save, submit, return, approve, reopen): each step checks who may take
# it, writes a decision, raises the version and recomputes the month. An edit here would skip all of that, so the
# admin shows reports read-only and its one action calls the service.


class ReportValueInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportValue
    extra = 0
    fields = ["indicator", "numerator", "denominator", "done", "note"]
    readonly_fields = fields


class ReportSubmissionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportSubmission
    extra = 0
    fields = ["number", "submitted_at", "submitted_by_name", "is_late"]
    readonly_fields = fields

    @admin.display(description=_("submitted by"))
    def submitted_by_name(self, obj):
        return person(obj.submitted_by)


class ReportDecisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportDecision
    extra = 0
    fields = ["at", "action", "by_name", "reason", "value_reasons"]
    readonly_fields = fields

    @admin.display(description=_("by"))
    def by_name(self, obj):
        return person(obj.by)


class EvidenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    # Not the file field: its link would point into the media folder; the portal serves evidence itself.
    fields = ["indicator", "download", "content_type", "size", "uploaded_by_name", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file name"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("reports:evidence", args=[obj.pk]), obj.original_name)

    @admin.display(description=_("uploaded by"))
    def uploaded_by_name(self, obj):
        return person(obj.uploaded_by)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "period", "status", "version", "submitted_at", "approved_at"]
    list_filter = ["status", "period"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]
    date_hierarchy = "period"
    inlines = [ReportValueInline, ReportSubmissionInline, ReportDecisionInline, EvidenceInline]
    actions = ["approve_selected"]

    @admin.action(description=_("Approve the selected reports"))
    def approve_selected(self, request, queryset):
        approved = 0
        for report in queryset.select_related("unit").order_by("unit__code", "period"):
            try:
                report_approve(report=report, by=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{report}: {exc.message}", messages.ERROR)
            except ValidationError as exc:
                self.message_user(request, f"{report}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                approved += 1
        if approved:
            self.message_user(request, ngettext("%(count)s report was approved.", "%(count)s reports were approved.",
                                                approved) % {"count": approved}, messages.SUCCESS)
