import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from core.files import KIND_BY_CONTENT_TYPE
from core.formatting import percent_label
from core.models import AuditEvent
from core.periods import month_parse
from core.services import LAST_USER_COOKIE, last_user_marker_read, pending_form_stash, pending_form_take
from reports.forms import ReasonForm, ReportForm, ReturnForm
from reports.history import change_list, decision_words, field_changes, indicator_names
from reports.imports import (
    ImportRefused,
    bulk_import,
    bulk_template,
    import_refusal_messages,
    unit_import,
    unit_template,
)
from reports.models import Evidence, Report
from reports.selectors import (
    clerk_months,
    report_authors,
    report_form_context,
    report_indicators,
    report_review_sheet,
    reports_visible_to,
    review_queue,
)
from reports.services import (
    EDITABLE,
    evidence_attach,
    report_approve,
    report_period_check,
    report_reopen,
    report_return,
    report_save,
    reports_approve,
    submission_changes,
)
from units.access import review_roots, units_enterable_by, units_visible_to, user_can_review


@login_required
def my_reports(request):
    return render(request, "reports/mine.html", {
        "rows": clerk_months(user=request.user, today=timezone.localdate()),
        "queue_size": review_queue(user=request.user).count(),
    })


def report_form(request, code: str, period: dt.date):
    if not request.user.is_authenticated:
        return _login_keeping_figures(request)
    unit = get_object_or_404(units_enterable_by(user=request.user), code=code)
    refused = _month_refused(request, unit=unit, period=period)
    if refused:
        return refused
    report = Report.objects.filter(unit=unit, period=period).first()
    rows = report_form_context(unit=unit, period=period, report=report)
    editable = report is None or report.status in EDITABLE
    initial = {"version": report.version if report else 0}

    if request.method == "POST" and editable:
        form = ReportForm(request.POST, request.FILES, rows=rows, initial=initial)
        if _form_saved(request, form=form, unit=unit, period=period):
            return redirect("reports:form", code=unit.code, period=period)
        # Whatever the failed attempt created was rolled back; the typed figures stay in the bound form.
        report = Report.objects.filter(unit=unit, period=period).first()
    else:
        form = ReportForm(rows=rows, initial=initial)
        restored = pending_form_take(token=request.GET.get("restore", ""), path=request.path, user=request.user)
        if restored and editable:
            data = QueryDict(mutable=True)
            for key, values in restored.items():
                data.setlist(key, values)
            form = ReportForm(data, rows=rows, initial=initial)
            messages.warning(request, _("Your session had expired. The figures you typed were kept and are shown "
                                        "below: check them and save."))
    decisions = list(report.decisions.select_related("by")) if report else []
    evidence = {}
    for item in (report.evidence.all() if report else []):
        evidence.setdefault(item.indicator_id, []).append(item)
    for row in rows:
        row["evidence"] = evidence.get(row["indicator"].pk, [])
    return render(request, "reports/form.html", {
        "unit": unit, "period": period, "report": report, "form": form, "editable": editable,
        "error_summary": form.error_summary() if form.is_bound else [],
        "entered": form.entered_count(), "total": len(rows),
        "previous_period": rows[0]["previous_period"] if rows else None,
        "groups": _grouped(form, rows), "last_return": next(
            (d for d in reversed(decisions) if d.action != "approve"), None),
    })


def _form_saved(request, *, form: ReportForm, unit, period: dt.date) -> bool:
    """Save (and submit if asked) what the form holds, with the files chosen beside the figures; the errors go
    onto the form, and the page answers with a summary of them at its top."""
    submit = "submit" in request.POST
    if form.is_valid():
        try:
            report_save(unit=unit, period=period, by=request.user, values=form.value_inputs(),
                        version=form.cleaned_data["version"], submit=submit, evidence=form.evidence_inputs())
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The report was submitted.") if submit else _("The draft was saved."))
            return True
    if request.FILES:
        # A browser never keeps a chosen file across a page load: say so rather than let it vanish unnoticed.
        form.add_error(None, _("The files you chose were not attached, as nothing was saved: choose them again."))
    return False


def _login_keeping_figures(request):
    """To the login page; figures posted by a user whose session just ran out wait there for them."""
    if request.method != "POST":
        return redirect_to_login(request.get_full_path())
    # Only a browser where someone was logged in recently carries a valid marker; it names whom the figures
    # belong to, so an anonymous post is never kept and never shown to anybody else.
    user_id = last_user_marker_read(value=request.COOKIES.get(LAST_USER_COOKIE))
    token = None
    if user_id is not None:
        token = pending_form_stash(path=request.path, data=request.POST, user_id=user_id,
                                   size=int(request.META.get("CONTENT_LENGTH") or 0))
    return redirect_to_login(f"{request.path}?restore={token}" if token else request.path)


def _month_refused(request, *, unit, period: dt.date, back: str = "reports:mine"):
    """A month with no report possible (not begun, or outside every plan): back to the list, saying why."""
    try:
        report_period_check(unit=unit, period=period)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return None


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _grouped(form: ReportForm, rows: list[dict]) -> list[tuple]:
    groups: dict = {}
    for row in rows:
        code = row["indicator"].code
        fields = {name.split("-", 1)[1]: form[name] for name in form.fields if name.startswith(f"{code}-")}
        percent = ""
        if "numerator" in fields:
            # Computed on the server too, so the form is complete without JavaScript.
            percent = percent_label(fields["numerator"].value(), fields["denominator"].value())
        counts = [fields[name] for name in ("numerator", "denominator") if name in fields]
        groups.setdefault(row["indicator"].group, []).append(
            {**row, "fields": {**fields, "counts": counts}, "percent": percent})
    return list(groups.items())


@login_required
def report_detail(request, pk: int):
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    can_review = user_can_review(user=request.user, unit=report.unit)
    # The service refuses it too; the page says why before the reviewer tries.
    authored = (can_review and report.status == Report.Status.SUBMITTED
                and request.user.pk in report_authors(report=report))
    sheet = report_review_sheet(report=report, changes=submission_changes(report=report))
    return_form = ReturnForm(indicators=[row.indicator for row in sheet.rows]) if can_review else None
    names = indicator_names()
    return render(request, "reports/detail.html", {
        "report": report,
        "sheet": sheet,
        "rows": [{"row": row, "changes": field_changes(row.changes),
                  "reason_field": return_form[f"reason-{row.indicator.code}"] if return_form else None}
                 for row in sheet.rows],
        "decisions": [{"decision": d, "words": decision_words(d, names=names)}
                      for d in report.decisions.select_related("by")],
        "submissions": report.submissions.select_related("submitted_by"),
        "history": [{"event": event, "changes": change_list(event.changes or {}, names=names)}
                    for event in AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk))
                    .select_related("actor").order_by("at", "id")],
        "can_review": can_review,
        "authored": authored,
        "return_form": return_form,
        "reopen_form": ReasonForm() if can_review else None,
    })


@require_POST
@login_required
def report_decide(request, pk: int):
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            report_approve(report=report, by=request.user)
            messages.success(request, _("The report was approved."))
        elif action == "return":
            # The reason is checked by the service, so that the API and the page refuse the same way.
            form = ReturnForm(request.POST, indicators=report_indicators(report=report))
            value_reasons = form.value_reasons() if form.is_valid() else {}
            report_return(report=report, by=request.user, reason=request.POST.get("reason", ""),
                          value_reasons=value_reasons)
            messages.success(request, _("The report was returned to the unit."))
        elif action == "reopen":
            report_reopen(report=report, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The report was reopened."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("reports:detail", pk=report.pk)


@login_required
def review_queue_view(request):
    return render(request, "reports/queue.html", {"reports": review_queue(user=request.user)})


@require_POST
@login_required
def review_queue_approve(request):
    """Approve the reports ticked in the queue: first a page that names them and asks to confirm, then each one
    through the same service as the single approval; the queue then says which were approved and which not."""
    ids = [int(raw) for raw in request.POST.getlist("report") if raw.isdigit()][:BULK_APPROVE_MAX]
    if not ids:
        messages.error(request, _("Tick the reports to approve first."))
        return redirect("reports:queue")
    if request.POST.get("confirm") != "yes":
        chosen = review_queue(user=request.user).filter(pk__in=ids)
        return render(request, "reports/queue_confirm.html", {"reports": chosen})
    result = reports_approve(report_ids=ids, by=request.user, visible=reports_visible_to(user=request.user))
    if result.approved:
        messages.success(request, _("Approved %(count)s reports: %(names)s.") % {
            "count": len(result.approved), "names": "; ".join(_report_name(r) for r in result.approved)})
    for refusal in result.refused:
        messages.error(request, _("Not approved: %(report)s. %(reason)s") % {
            "report": _report_name(refusal.report), "reason": refusal.message})
    return redirect("reports:queue")


BULK_APPROVE_MAX = 200


def _report_name(report: Report) -> str:
    if report.unit_id is None:
        return f"#{report.pk}"
    return f"{report.unit.name} – {report.period.month:02d}/{report.period.year}"


@require_POST
@login_required
def evidence_upload(request, pk: int):
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError({"file": _("Choose a file to attach.")})
        evidence_attach(report=report, indicator_id=int(request.POST.get("indicator") or 0), upload=upload,
                        by=request.user)
        messages.success(request, _("The file was attached."))
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("reports:form", code=report.unit.code, period=report.period)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.filter(report__in=reports_visible_to(user=request.user)), pk=pk)
    # Always an attachment, under the detected type and a name of that type: never rendered by the browser.
    kind = KIND_BY_CONTENT_TYPE.get(evidence.content_type)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.download_name,
                            content_type=kind.content_type if kind else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def import_template(request, code: str, period: dt.date):
    unit = get_object_or_404(units_enterable_by(user=request.user), code=code)
    refused = _month_refused(request, unit=unit, period=period)
    if refused:
        return refused
    response = HttpResponse(unit_template(unit=unit, period=period), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-so-lieu-{unit.code.lower()}-{period:%Y-%m}.xlsx"'
    return response


@require_POST
@login_required
def import_upload(request, code: str, period: dt.date):
    unit = get_object_or_404(units_enterable_by(user=request.user), code=code)
    refused = _month_refused(request, unit=unit, period=period)
    if refused:
        return refused
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ImportRefused([_("Choose a file to attach.")])
        unit_import(unit=unit, period=period, upload=upload, by=request.user)
    except ImportRefused as exc:
        return render(request, "reports/import_errors.html", {
            "errors": import_refusal_messages(exc), "back": reverse("reports:form", args=[unit.code, period])},
            status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The figures of the file were put in the draft: check them, then submit."))
    return redirect("reports:form", code=unit.code, period=period)


@login_required
def bulk_import_view(request):
    """For reviewers: the template of a subtree's month, and its upload."""
    visible = units_visible_to(user=request.user)
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            period = month_parse(request.POST.get("month", ""))
            if upload is None:
                raise ImportRefused([_("Choose a file to attach.")])
            count = bulk_import(period=period, upload=upload, by=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
        except ImportRefused as exc:
            return render(request, "reports/import_errors.html", {
                "errors": import_refusal_messages(exc), "back": reverse("reports:bulk-import")}, status=400)
        else:
            messages.success(request, _("%(count)s figures were imported into the units' drafts.") % {"count": count})
        return redirect("reports:bulk-import")
    if request.GET.get("unit") and request.GET.get("month"):
        root = get_object_or_404(visible, code=request.GET["unit"])
        try:
            period = month_parse(request.GET["month"])
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("reports:bulk-import")
        refused = _month_refused(request, unit=root, period=period, back="reports:bulk-import")
        if refused:
            return refused
        response = HttpResponse(bulk_template(user=request.user, root=root, period=period), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="nhap-so-lieu-{root.code.lower()}-{period:%Y-%m}.xlsx"'
        return response
    return render(request, "reports/bulk_import.html", {"units": review_roots(user=request.user)})
