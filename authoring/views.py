"""The pages of writing a plan: the list, a plan, a new plan (blank, from the parent, from the document), the target
and task editors, issuing, retiring a target, closing a task. A change to an issued plan goes into the plan's working
copy of its amendment (`authoring.amendments`), which is reviewed and applied with one reason on its own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from authoring.amendments import (
    amendment_heading_data,
    amendment_heading_save,
    amendment_open,
    amendment_pending_data,
    amendment_target_remove,
    amendment_target_retire,
    amendment_target_save,
    amendment_task_close,
    amendment_task_remove,
    amendment_task_save,
)
from authoring.forms import (
    CloseForm,
    DocumentForm,
    PlanEditForm,
    PlanForm,
    RemoveForm,
    RetireForm,
    TargetForm,
    TaskForm,
    errors_to_form,
)
from authoring.reading import Reading, candidate_rows, document_read, passage_added, passage_checked, rows_accepted
from authoring.selectors import (
    amendment_open_for,
    issuers_for,
    parents_for,
    plan_page,
    plan_readable,
    plan_writable,
    plans_readable,
    target_writable,
    task_writable,
    user_writes_plans,
)
from authoring.services import (
    PLAN_FIELDS as HEADING_FIELDS,
)
from authoring.services import (
    due_text,
    plan_draft_create,
    plan_draft_from_document,
    plan_draft_from_parent,
    plan_draft_update,
    plan_issue,
    plan_problems,
    target_delete,
    target_save,
    task_delete,
    task_save,
)
from core.exceptions import ApplicationError
from plans.models import Plan, PlanStatus


@login_required
def plan_list_view(request):
    return render(request, "authoring/list.html", {
        "plans": plans_readable(user=request.user), "may_write": user_writes_plans(user=request.user)})


@login_required
def plan_detail(request, key: str):
    plan = plan_readable(user=request.user, key=key)
    page = plan_page(user=request.user, plan=plan, today=timezone.localdate())
    problems = plan_problems(plan) if page.may_write and plan.status == PlanStatus.DRAFT else []
    return render(request, "authoring/detail.html", {
        "page": page, "plan": plan, "problems": problems,
        "amendment": amendment_open_for(user=request.user, plan=plan)})


def _plan_form(request, form_class, *, parent_required: bool = False, **extra):
    issuers = issuers_for(user=request.user)
    if not issuers.exists():
        raise Http404
    initial = {"year_start": timezone.localdate().year, "year_end": timezone.localdate().year}
    if request.GET.get("parent"):
        initial["parent"] = parents_for(user=request.user).filter(key=request.GET["parent"]).first()
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    return form_class(*data, issuers=issuers, parents=parents_for(user=request.user), initial=initial,
                      parent_required=parent_required, **extra)


def _created(request, form, create) -> Plan | None:
    """Call the service that makes the draft; its refusal is shown on the form."""
    try:
        return create(by=request.user, **form.plan_data())
    except ValidationError as exc:
        errors_to_form(form, exc)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
    return None


@login_required
def plan_new(request):
    form = _plan_form(request, PlanForm)
    if request.method == "POST" and form.is_valid():
        plan = _created(request, form, plan_draft_create)
        if plan:
            messages.success(request, _("Draft created: add its targets and tasks, then issue it."))
            return redirect("authoring:detail", key=plan.key)
    return render(request, "authoring/new.html", {"form": form, "mode": "blank"})


@login_required
def plan_new_from_parent(request):
    form = _plan_form(request, PlanForm, parent_required=True)
    if request.method == "POST" and form.is_valid():
        plan = _created(request, form, _from_parent)
        if plan:
            messages.success(request, _("The parent plan's targets and tasks are copied into the draft: keep, adjust "
                                        "or drop each one, then issue the plan."))
            return redirect("authoring:detail", key=plan.key)
    return render(request, "authoring/new.html", {"form": form, "mode": "parent"})


def _from_parent(*, by, parent, **data) -> Plan:
    return plan_draft_from_parent(by=by, parent=parent, **data)


@login_required
def plan_new_from_document(request):
    form = _plan_form(request, DocumentForm)
    reading, passage_error = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            reading = document_read(text=form.cleaned_data["text"], upload=form.cleaned_data.get("file"),
                                    name=request.POST.get("source_name", ""),
                                    passages=request.POST.getlist("passage"))
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        if reading is not None and request.POST.get("action") == "create":
            plan = _document_create(request, form, reading)
            if plan:
                messages.success(request, _("Draft created from the document: check it, then issue it."))
                return redirect("authoring:detail", key=plan.key)
        if reading is not None and request.POST.get("action") == "passage":
            passage_error = _passage_add(request, reading)
    return render(request, "authoring/document.html",
                  {"form": form, "reading": reading, "passage_error": passage_error})


def _passage_add(request, reading: Reading) -> str:
    """The passage the author pointed at, read and added to the candidates; or why it cannot be. Either way the
    candidates shown keep what the author set in them."""
    try:
        passage, error = passage_checked(reading.text, request.POST.get("passage_new", "")), ""
    except ValidationError as exc:
        passage, error = None, exc.messages[0]
    passage_added(reading, request.POST, passage)
    return error


def _document_create(request, form, reading: Reading) -> Plan | None:
    rows = candidate_rows(reading, data=request.POST)
    if not all(row.form.is_valid() for row in rows):
        form.add_error(None, _("Some accepted candidates need correcting: see below."))
        reading.rows = rows
        return None
    try:
        return plan_draft_from_document(by=request.user, **form.plan_data(), source_text=reading.text,
                                        source_name=reading.name, accepted=rows_accepted(rows))
    except ValidationError as exc:
        for row in rows:
            for message in exc.message_dict.get(f"item-{row.index}", []) if hasattr(exc, "error_dict") else []:
                row.form.add_error(None, message)
        errors_to_form(form, ValidationError({k: v for k, v in exc.message_dict.items()
                                              if not k.startswith("item-")}) if hasattr(exc, "error_dict") else exc)
        form.add_error(None, _("Some accepted candidates need correcting: see below."))
    except ApplicationError as exc:
        form.add_error(None, exc.message)
    reading.rows = rows
    return None


@login_required
def plan_edit(request, key: str):
    """The plan's heading: number, kind, title, date, years, the plan it implements. A draft's is saved at once; an
    issued plan's is kept in its working copy (opened if none is), shown with what the copy already holds."""
    plan = plan_writable(user=request.user, key=key)
    initial = {name: getattr(plan, name) for name in HEADING_FIELDS}
    amendment = amendment_open_for(user=request.user, plan=plan)
    if amendment is not None:
        initial.update(amendment_heading_data(amendment))
    # The plan itself is no choice; a plan implementing it stays one, refused as a cycle if chosen.
    parents = parents_for(user=request.user).exclude(pk=plan.pk).select_related("issuer")
    form = PlanEditForm(request.POST or None, issuers=issuers_for(user=request.user), parents=parents,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.plan_data()
        if _saved(request, form, plan=plan,
                  draft_save=lambda: plan_draft_update(by=request.user, plan=plan, data=data),
                  amend_edit=lambda amendment: amendment_heading_save(by=request.user, amendment=amendment,
                                                                      data=data)):
            return _next(plan)
    return render(request, "authoring/new.html", {"form": form, "mode": "edit", "plan": plan,
                                                  "amending": _amending(plan)})


@login_required
def plan_issue_view(request, key: str):
    plan = plan_writable(user=request.user, key=key)
    if plan.status != PlanStatus.DRAFT:
        raise Http404
    if request.method == "POST":
        try:
            plan_issue(by=request.user, plan=plan)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("authoring:detail", key=plan.key)
        messages.success(request, _("The plan is issued: it binds its units from now on."))
        return redirect("authoring:detail", key=plan.key)
    return render(request, "authoring/issue.html", {"plan": plan, "problems": plan_problems(plan),
                                                    "targets": plan.targets.count(), "tasks": plan.tasks.count()})


def _amending(plan: Plan) -> bool:
    return plan.status == PlanStatus.ISSUED


def _next(plan: Plan):
    return redirect("authoring:amendment", key=plan.key) if _amending(plan) else redirect("authoring:detail",
                                                                                         key=plan.key)


def _saved(request, form, *, plan: Plan, draft_save, amend_edit) -> bool:
    """Save a draft's edit directly, or keep an issued plan's in its working copy (opened if none is); refusals on
    the form."""
    try:
        if _amending(plan):
            amend_edit(amendment_open(by=request.user, plan=plan))
            messages.success(request, _("Kept in the amendment being prepared: nothing changes until it is applied."))
        else:
            draft_save()
            messages.success(request, _("Saved."))
        return True
    except ValidationError as exc:
        errors_to_form(form, exc)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
    return False


def _pending(request, plan: Plan, kind: str, item) -> dict:
    """What the open working copy already holds for this item, shown in its form instead of the issued values."""
    amendment = amendment_open_for(user=request.user, plan=plan) if item is not None else None
    if amendment is None:
        return {}
    data = amendment_pending_data(amendment, kind=kind, item_id=item.pk)
    if kind == "task" and isinstance(data.get("contributions"), dict):
        data["contributions"] = "\n".join(f"{code}: {part}" for code, part in data["contributions"].items())
    return data


def _target_initial(target) -> dict:
    if target is None:
        return {}
    fields = ("indicator", "comparator", "value", "value_max", "scope_unit", "counts", "applies_to_kinds", "judged",
              "reporters", "responsible_unit", "series", "clause")
    initial = {name: getattr(target, name) for name in fields}
    initial["applies_to_units"] = list(target.applies_to_units.all())
    initial["due"] = due_text(target.due_kind, target.due_on)
    return initial


def _target_page(request, *, plan: Plan, target=None):
    initial = {**_target_initial(target), **_pending(request, plan, "target", target)}
    form = TargetForm(request.POST or None, issuer=plan.issuer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.target_data()
        if _saved(request, form, plan=plan,
                  draft_save=lambda: target_save(by=request.user, plan=plan, target=target, data=data),
                  amend_edit=lambda amendment: amendment_target_save(by=request.user, amendment=amendment,
                                                                     target=target, data=data)):
            return _next(plan)
    return render(request, "authoring/target_form.html", {"form": form, "plan": plan, "target": target,
                                                          "amending": _amending(plan)})


@login_required
def target_new(request, key: str):
    return _target_page(request, plan=plan_writable(user=request.user, key=key))


@login_required
def target_edit(request, pk: int):
    target = target_writable(user=request.user, pk=pk)
    return _target_page(request, plan=target.plan, target=target)


@login_required
@require_POST
def target_remove(request, pk: int):
    target = target_writable(user=request.user, pk=pk)
    plan, form = target.plan, RemoveForm(request.POST)
    form.is_valid()
    if not _saved(request, form, plan=plan, draft_save=lambda: target_delete(by=request.user, target=target),
                  amend_edit=lambda amendment: amendment_target_remove(by=request.user, amendment=amendment,
                                                                       target=target)):
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return _next(plan)


@login_required
def target_retire_view(request, pk: int):
    target = target_writable(user=request.user, pk=pk)
    if target.plan.status != PlanStatus.ISSUED:
        raise Http404
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        month = form.cleaned_data["from_month"]
        if _saved(request, form, plan=target.plan, draft_save=None,
                  amend_edit=lambda amendment: amendment_target_retire(by=request.user, amendment=amendment,
                                                                       target=target, from_month=month)):
            return _next(target.plan)
    return render(request, "authoring/retire.html", {"form": form, "target": target, "plan": target.plan})


def _task_initial(task) -> dict:
    if task is None:
        return {}
    fields = ("number", "group", "title", "lead_unit", "lead_text", "cooperating_text", "recurrence",
              "expected_output", "responsible_person", "accepting_unit")
    initial = {name: getattr(task, name) for name in fields}
    initial["cooperating_units"] = list(task.cooperating_units.all())
    initial["due"] = due_text(task.due_kind, task.due_on)
    initial["contributions"] = "\n".join(f"{code}: {part}" for code, part in task.contributions.items())
    return initial


def _task_page(request, *, plan: Plan, task=None):
    initial = {**_task_initial(task), **_pending(request, plan, "task", task)}
    form = TaskForm(request.POST or None, issuer=plan.issuer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.task_data()
        if _saved(request, form, plan=plan,
                  draft_save=lambda: task_save(by=request.user, plan=plan, task=task, data=data),
                  amend_edit=lambda amendment: amendment_task_save(by=request.user, amendment=amendment, task=task,
                                                                   data=data)):
            return _next(plan)
    return render(request, "authoring/task_form.html", {"form": form, "plan": plan, "task": task,
                                                        "amending": _amending(plan)})


@login_required
def task_new(request, key: str):
    return _task_page(request, plan=plan_writable(user=request.user, key=key))


@login_required
def task_edit(request, pk: int):
    task = task_writable(user=request.user, pk=pk)
    return _task_page(request, plan=task.plan, task=task)


@login_required
@require_POST
def task_remove(request, pk: int):
    task = task_writable(user=request.user, pk=pk)
    plan, form = task.plan, RemoveForm(request.POST)
    form.is_valid()
    if not _saved(request, form, plan=plan, draft_save=lambda: task_delete(by=request.user, task=task),
                  amend_edit=lambda amendment: amendment_task_remove(by=request.user, amendment=amendment, task=task)):
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return _next(plan)


@login_required
def task_close_view(request, pk: int):
    """An issued plan's task closed from a day, in the working copy: it stays in the plan's history and leaves the
    board and the reminders from that day. A task with nothing recorded against it may be removed instead."""
    task = task_writable(user=request.user, pk=pk)
    if task.plan.status != PlanStatus.ISSUED:
        raise Http404
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["closed_from"]
        if _saved(request, form, plan=task.plan, draft_save=None,
                  amend_edit=lambda amendment: amendment_task_close(by=request.user, amendment=amendment, task=task,
                                                                    from_day=day)):
            return _next(task.plan)
    return render(request, "authoring/close.html", {"form": form, "task": task, "plan": task.plan})
