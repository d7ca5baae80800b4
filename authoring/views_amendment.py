"""The working copy of an issued plan's amendment: opened, reviewed against the version in force (every line the new
version will say), an edit taken back, applied with one reason, or discarded. For the plan's writers alone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from authoring.amendments import (
    amendment_added_kind,
    amendment_added_save,
    amendment_apply,
    amendment_discard,
    amendment_edit_drop,
    amendment_open,
    amendment_pending_data,
    amendment_review,
)
from authoring.forms import ApplyForm, TargetForm, TaskForm, errors_to_form
from authoring.selectors import amendment_open_for, plan_writable
from core.exceptions import ApplicationError
from plans.models import Plan, PlanStatus


def _issued(request, key: str) -> Plan:
    plan = plan_writable(user=request.user, key=key)
    if plan.status != PlanStatus.ISSUED:
        raise Http404
    return plan


def _page(request, plan: Plan, form=None, status: int = 200):
    amendment = amendment_open_for(user=request.user, plan=plan)
    review = amendment_review(by=request.user, amendment=amendment) if amendment else None
    return render(request, "authoring/amendment.html", {"plan": plan, "review": review,
                                                        "form": form or ApplyForm()}, status=status)


@login_required
def amendment_view(request, key: str):
    return _page(request, _issued(request, key))


@login_required
@require_POST
def amendment_open_view(request, key: str):
    plan = _issued(request, key)
    try:
        amendment_open(by=request.user, plan=plan)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("authoring:amendment", key=plan.key)


@login_required
@require_POST
def amendment_apply_view(request, key: str):
    plan = _issued(request, key)
    amendment = amendment_open_for(user=request.user, plan=plan)
    if amendment is None:
        return redirect("authoring:amendment", key=plan.key)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            version = amendment_apply(by=request.user, amendment=amendment, reason=form.cleaned_data["reason"])
            messages.success(request, _("Amendment recorded: the plan is now at version %(version)s.")
                             % {"version": version.number})
            return redirect("authoring:detail", key=plan.key)
        except ValidationError as exc:
            errors_to_form(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return _page(request, plan, form)


@login_required
@require_POST
def amendment_discard_view(request, key: str):
    plan = _issued(request, key)
    amendment = amendment_open_for(user=request.user, plan=plan)
    if amendment is not None:
        amendment_discard(by=request.user, amendment=amendment)
        messages.success(request, _("The amendment was discarded: the plan stays as issued."))
    return redirect("authoring:detail", key=plan.key)


@login_required
@require_POST
def amendment_drop_view(request, key: str):
    plan = _issued(request, key)
    amendment = amendment_open_for(user=request.user, plan=plan)
    if amendment is not None:
        try:
            amendment_edit_drop(by=request.user, amendment=amendment, key=request.POST.get("item", ""))
            messages.success(request, _("That edit was taken back: the item stays as issued."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("authoring:amendment", key=plan.key)


@login_required
def amendment_item_view(request, key: str, item: str):
    """A target or task the working copy adds, on its own form, written again whole."""
    plan = _issued(request, key)
    amendment = amendment_open_for(user=request.user, plan=plan)
    kind = amendment_added_kind(amendment, item) if amendment else None
    if kind is None:
        raise Http404
    initial = amendment_pending_data(amendment, kind=kind, key=item)
    if kind == "task" and isinstance(initial.get("contributions"), dict):
        initial["contributions"] = "\n".join(f"{code}: {part}" for code, part in initial["contributions"].items())
    form_class = TargetForm if kind == "target" else TaskForm
    form = form_class(request.POST or None, issuer=plan.issuer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.target_data() if kind == "target" else form.task_data()
        try:
            amendment_added_save(by=request.user, amendment=amendment, key=item, data=data)
            messages.success(request, _("Kept in the amendment being prepared: nothing changes until it is applied."))
            return redirect("authoring:amendment", key=plan.key)
        except ValidationError as exc:
            errors_to_form(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(request, f"authoring/{kind}_form.html", {"form": form, "plan": plan, "amending": True})
