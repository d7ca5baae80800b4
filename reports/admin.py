from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdminMixin
from core.templatetags.portal import person
from reports.history import decision_words, indicator_names
from reports.models import Evidence, Report, ReportDecision, ReportSubmission, ReportValue
from reports.services import reports_approve

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
    fields = ["at", "action", "by_name", "reason", "reasons_by_indicator"]
    readonly_fields = fields

    @admin.display(description=_("by"))
    def by_name(self, obj):
        return person(obj.by)

    @admin.display(description=_("reasons per indicator"))
    def reasons_by_indicator(self, obj):
        words = decision_words(obj, names=indicator_names())
        return "; ".join(f"{name}: {text}" for name, text in words.value_reasons) or "—"


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
        # The same bulk approval as the review queue's: each report through report_approve, one refusal
        # leaving the others approved.
        ids = list(queryset.order_by("unit__code", "period").values_list("pk", flat=True))
        result = reports_approve(report_ids=ids, by=request.user, visible=queryset)
        for refusal in result.refused:
            self.message_user(request, f"{refusal.report}: {refusal.message}", messages.ERROR)
        approved = len(result.approved)
        if approved:
            self.message_user(request, ngettext("%(count)s report was approved.", "%(count)s reports were approved.",
                                                approved) % {"count": approved}, messages.SUCCESS)
