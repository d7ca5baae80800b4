"""The per-unit values of one target: the grid page, its Excel template and the upload. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from authoring.unit_values import (
    UnitValueInput,
    UnitValuesRefused,
    percent_parse,
    target_unit_values_grid,
    target_unit_values_import,
    target_unit_values_set,
    target_unit_values_template,
    user_may_set_unit_values,
)
from core.exceptions import ApplicationError
from plans.selectors import plan_list
from targets.models import Comparator, Target

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 200


def _target(request, pk: int) -> Target:
    """A target of a plan the user may read; "missing" and "not yours" read the same."""
    return get_object_or_404(Target.objects.filter(plan__in=plan_list(user=request.user)).select_related(
        "plan__issuer", "scope_unit", "indicator"), pk=pk)


def _posted_rows(request, grid) -> tuple[list[UnitValueInput], list[str]]:
    rows, errors = [], []
    for row in grid:
        code = row.unit.code
        try:
            value = percent_parse(request.POST.get(f"value-{code}", ""))
            value_max = percent_parse(request.POST.get(f"max-{code}", ""))
        except ValueError as exc:
            errors.append(f"{row.unit.name}: {exc}")
            continue
        rows.append(UnitValueInput(code, value, value_max))
    return rows, errors


def _shown(value) -> str:
    """A percentage as the input shows it: 85 or 85,5."""
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def _grid_rows(grid, posted) -> list[dict]:
    """Each unit with what its inputs show: what was typed when nothing was saved, else the values held."""
    if posted is not None:
        return [{"unit": row.unit, "value": posted.get(f"value-{row.unit.code}", ""),
                 "value_max": posted.get(f"max-{row.unit.code}", ""), "own": row.value is not None} for row in grid]
    return [{"unit": row.unit, "value": _shown(row.value), "value_max": _shown(row.value_max),
             "own": row.value is not None} for row in grid]


@login_required
def unit_values(request, pk: int):
    target = _target(request, pk)
    grid = target_unit_values_grid(target=target)
    may_edit = user_may_set_unit_values(user=request.user, target=target)
    errors = []
    if request.method == "POST":
        if not may_edit:
            messages.error(request, _("You may not change this plan's targets."))
            return redirect("unit_values:grid", pk=target.pk)
        rows, errors = _posted_rows(request, grid)
        try:
            if errors:
                raise UnitValuesRefused(errors)
            changed = target_unit_values_set(by=request.user, target=target, rows=rows)
        except UnitValuesRefused as exc:
            errors = exc.errors
        except ApplicationError as exc:
            errors = [exc.message]
        else:
            messages.success(request, _("%(count)s value(s) changed.") % {"count": changed})
            return redirect("unit_values:grid", pk=target.pk)
    return render(request, "authoring/unit_values.html", {
        "target": target, "rows": _grid_rows(grid, request.POST if errors else None), "may_edit": may_edit,
        "errors": errors[:ERRORS_SHOWN], "own_value": _shown(target.value), "own_max": _shown(target.value_max),
        "is_range": target.comparator == Comparator.RANGE, "is_done": target.comparator == Comparator.DONE},
        status=400 if errors else 200)


@login_required
def unit_values_template(request, pk: int):
    target = _target(request, pk)
    response = HttpResponse(target_unit_values_template(target=target), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="gia-tri-theo-don-vi-{target.pk}.xlsx"'
    return response


@require_POST
@login_required
def unit_values_upload(request, pk: int):
    target = _target(request, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError(_("Choose a file to attach."))
        changed = target_unit_values_import(by=request.user, target=target, upload=upload)
    except UnitValuesRefused as exc:
        return render(request, "authoring/unit_values_errors.html", {
            "target": target, "errors": exc.errors[:ERRORS_SHOWN], "more": max(0, len(exc.errors) - ERRORS_SHOWN)},
            status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)s value(s) changed.") % {"count": changed})
    return redirect("unit_values:grid", pk=target.pk)
