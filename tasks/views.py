from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from core.files import KIND_BY_CONTENT_TYPE
from core.models import AuditEvent
from plans.models import PlanTask
from plans.selectors import plan_list
from tasks.forms import BoardFilterForm, ProgressForm, ReturnForm, SubmitForm
from tasks.models import ProductFile, TaskRecord
from tasks.selectors import (
    BoardFilters,
    accepting_unit_of,
    at_risk_days,
    occurrence_current,
    occurrence_neighbours,
    occurrence_of,
    record_authors,
    record_status,
    task_board,
    tasks_visible_to,
)
from tasks.services import task_accept, task_product_attach, task_progress_record, task_return, task_submit
from tasks.status import COLOUR_RULE, State
from units.access import user_can_enter, user_can_review


def _errors(request, exc) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs)
                       if hasattr(exc, "error_dict") else " ".join(exc.messages))
    else:
        messages.error(request, exc.message)


@login_required
def board(request):
    plans = plan_list(user=request.user).filter(tasks__isnull=False).distinct().order_by("issued_on", "key")
    form = BoardFilterForm(request.GET or None, plans=plans)
    filters = BoardFilters(**form.cleaned_data) if form.is_valid() else BoardFilters()
    return render(request, "tasks/board.html", {
        "form": form, "board": task_board(user=request.user, filters=filters),
        "colour_rule": COLOUR_RULE % {"days": at_risk_days()},
    })


def _task(request, pk: int) -> PlanTask:
    return get_object_or_404(tasks_visible_to(user=request.user).prefetch_related("cooperating_units"), pk=pk)


def _occurrence(task: PlanTask, period: str | None):
    if not period:
        return occurrence_current(task=task, today=timezone.localdate())
    try:
        return occurrence_of(task=task, period=period)
    except ValueError:
        raise Http404 from None


@login_required
def detail(request, pk: int):
    task = _task(request, pk)
    occurrence = _occurrence(task, request.GET.get("period"))
    record = (TaskRecord.objects.filter(task=task, period=occurrence.period)
              .prefetch_related("notes__unit", "notes__by", "files", "submissions__submitted_by", "decisions__by")
              .first())
    today = timezone.localdate()
    acceptor = accepting_unit_of(task)
    state = record.state if record else State.NOT_STARTED
    version = record.version if record else 0
    initial = {"version": version, "period": occurrence.period}
    cooperating = [u for u in task.cooperating_units.all() if user_can_enter(user=request.user, unit=u)]
    can_lead = bool(task.lead_unit and user_can_enter(user=request.user, unit=task.lead_unit))
    return render(request, "tasks/detail.html", {
        "task": task, "occurrence": occurrence, "record": record,
        "neighbours": occurrence_neighbours(task=task, occurrence=occurrence), "state": State(state).label,
        "status": record_status(record=record, occurrence=occurrence, today=today), "acceptor": acceptor,
        "contributions": [(u, task.contributions.get(u.code, "")) for u in task.cooperating_units.all()],
        "can_lead": can_lead, "can_report": can_lead or bool(cooperating),
        "can_accept": user_can_review(user=request.user, unit=acceptor),
        "authored": request.user.pk in record_authors(record=record) if record else False,
        "editable": state in (State.NOT_STARTED, State.IN_PROGRESS, State.RETURNED),
        "progress_form": ProgressForm(initial={**initial, "on": today}),
        "submit_form": SubmitForm(initial={**initial, "link": record.product_link if record else "",
                                           "document_number": record.document_number if record else "",
                                           "document_date": record.document_date if record else None,
                                           "document_summary": record.document_summary if record else ""}),
        "return_form": ReturnForm(),
        "history": AuditEvent.objects.filter(object_type="tasks.taskrecord", object_id=str(record.pk))
        if record else [],
    })


def _back(task: PlanTask, period: str):
    url = reverse("tasks:detail", args=[task.pk])
    return redirect(f"{url}?period={period}" if period else url)


@require_POST
@login_required
def progress(request, pk: int):
    task = _task(request, pk)
    form = ProgressForm(request.POST)
    period = request.POST.get("period", "")
    if not form.is_valid():
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
        return _back(task, period)
    data = form.cleaned_data
    try:
        task_progress_record(task=task, by=request.user, on=data["on"], text=data["text"],
                             obstacles=data["obstacles"], proposals=data["proposals"], period=data["period"],
                             version=data["version"])
        messages.success(request, _("The progress was recorded."))
    except (ValidationError, ApplicationError) as exc:
        _errors(request, exc)
    return _back(task, period)


@require_POST
@login_required
def product(request, pk: int):
    task = _task(request, pk)
    period = request.POST.get("period", "")
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": _("Choose a file to attach.")})
        task_product_attach(task=task, by=request.user, upload=upload, period=period)
        messages.success(request, _("The file was attached."))
    except (ValidationError, ApplicationError) as exc:
        _errors(request, exc)
    return _back(task, period)


@require_POST
@login_required
def submit(request, pk: int):
    task = _task(request, pk)
    form = SubmitForm(request.POST)
    period = request.POST.get("period", "")
    if not form.is_valid():
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
        return _back(task, period)
    try:
        task_submit(task=task, by=request.user, product=form.product(), period=form.cleaned_data["period"],
                    version=form.cleaned_data["version"])
        messages.success(request, _("The product was submitted to %(unit)s.") % {"unit": accepting_unit_of(task)})
    except (ValidationError, ApplicationError) as exc:
        _errors(request, exc)
    return _back(task, period)


@require_POST
@login_required
def decide(request, pk: int):
    task = _task(request, pk)
    period = request.POST.get("period", "")
    try:
        if request.POST.get("action") == "accept":
            task_accept(task=task, by=request.user, period=period)
            messages.success(request, _("The product was accepted."))
        elif request.POST.get("action") == "return":
            task_return(task=task, by=request.user, reason=request.POST.get("reason", ""), period=period)
            messages.success(request, _("The product was returned to the lead unit."))
        else:
            raise Http404
    except (ValidationError, ApplicationError) as exc:
        _errors(request, exc)
    return _back(task, period)


@login_required
def product_download(request, pk: int):
    item = get_object_or_404(ProductFile.objects.filter(record__task__in=tasks_visible_to(user=request.user)), pk=pk)
    kind = KIND_BY_CONTENT_TYPE.get(item.content_type)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.download_name,
                            content_type=kind.content_type if kind else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
