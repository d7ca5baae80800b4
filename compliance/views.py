import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from compliance.engine import pct_text
from compliance.models import Status
from compliance.reminders import reminder_send_now
from compliance.selectors import (
    ScorecardRow,
    ScorecardView,
    conflict_text,
    current_run_in,
    home_unit,
    indicator_spread,
    indicator_trend,
    scorecard,
    unit_results,
    units_behind,
)
from core.exceptions import ApplicationError
from core.periods import Quarter, Span, period_parse
from plans.selectors import month_last_due, plan_list
from reports.selectors import reports_visible_to
from targets.models import Indicator
from units.access import membership_paths, sees_all, units_visible_to
from units.selectors import unit_ancestor_paths

SCORECARD_CACHE_SECONDS = 15 * 60  # also bounds how stale "days overdue" can be
SYMBOLS = {Status.MET: "✓", Status.ON_TRACK: "↗", Status.AT_RISK: "!", Status.BEHIND: "✗", Status.NO_DATA: "–",
           Status.OVERDUE: "◔"}
NO_TARGET = "·"  # a cell without a target: no result at all, or a figure nobody set a target for
NO_FIGURE = "—"  # a cell's value when there are no approved figures to compute it from
CONFLICT = "⚠"  # the target in force has a conflict in its plan nobody has resolved yet
COUNTED = "∘"  # a unit counted towards a target judged on totals only, alone in its subtree: nothing to judge
# Every symbol a scorecard cell can show, with the words the legend and the symbol's title give it.
LEGEND_EXTRA = [
    ("none", NO_TARGET, gettext_lazy("No target")),
    ("none", NO_FIGURE, gettext_lazy("No approved figures to compute a value from")),
    ("none", "»", gettext_lazy("Unit page")),
    ("conflict", CONFLICT, gettext_lazy("Unresolved conflict in the plan")),
    ("none", COUNTED, gettext_lazy("Counted in a total judged above; the target is not judged for one unit")),
]


def _filters(request):
    """Unit, period and plan from the URL, so any view can be shared as a link; out of scope is 404."""
    visible = units_visible_to(user=request.user)
    code = request.GET.get("unit")
    unit = get_object_or_404(visible, code=code) if code else home_unit(user=request.user)
    if unit is None:
        raise Http404
    try:
        span = period_parse(request.GET["period"]) if request.GET.get("period") else None
    except ValueError as exc:
        messages.error(request, str(exc))
        span = None
    if span is None:
        # The month most recently due: from the 1st of a month to its due day, the month before is still being
        # reported, and opening on it would show a round half done.
        span = Span.month(month_last_due(unit=unit, today=timezone.localdate()))
    run = current_run_in(span=span)
    month = run.period if run else None
    plans = plan_list(user=request.user).exclude(source_text="")
    plan = plans.filter(key=request.GET.get("plan")).first() if request.GET.get("plan") else None
    crumbs = list(visible.filter(path__in=unit_ancestor_paths(unit)).order_by("depth"))
    return {"unit": unit, "span": span, "month": month, "run": run, "plan": plan, "plans": plans, "crumbs": crumbs,
            "statuses": [*((value, label, SYMBOLS[value]) for value, label in Status.choices),
                         *((value, label, symbol) for value, symbol, label in LEGEND_EXTRA)]}


def _view(request) -> ScorecardView:
    """How the dashboard shows its rows, from the URL: `sort` (status or an indicator's code), `behind`, `all`."""
    sort = request.GET.get("sort", "")[:64]
    return ScorecardView(sort=sort, behind=request.GET.get("behind") == "1",
                         everything=request.GET.get("all") == "1")


def _view_query(view: ScorecardView) -> str:
    """The view's parameters for a link that keeps them, as "&sort=…&behind=1" (empty when all are default)."""
    params = {"sort": view.sort, "behind": "1" if view.behind else "", "all": "1" if view.everything else ""}
    query = urlencode({key: value for key, value in params.items() if value})
    return f"&{query}" if query else ""


def cell_html(cell, labels: dict) -> str:
    """One scorecard cell. Built here rather than in a template: a province page has thousands of them."""
    if cell is None:
        return f'<td class="cell st-none"><b role="img" title="{labels[""]}">·</b></td>'
    # The value in the cell; which plan and deadline hold in its title, to keep a province's page light.
    target = f'<small title="{escape(cell.held)}">{escape(cell.target)}</small>' if cell.target else ""
    if cell.conflict:
        target += (f'<i class="conflict" role="img" title="{escape(conflict_text(cell.conflict))}">'
                   f'{CONFLICT}</i>')
    value = pct_text(cell.value) if cell.value is not None else labels["—"]
    # The symbol carries the status for those who cannot tell the colours apart; its title names it, for the eye
    # (on hover) and, as the name of an image, for screen readers.
    if cell.status:
        label, symbol = labels[cell.status], SYMBOLS[cell.status]
    else:
        label, symbol = (labels[COUNTED], COUNTED) if cell.target else (labels[""], NO_TARGET)
    return (f'<td class="cell st-{cell.status or "none"}"><b role="img" title="{label}">'
            f'{symbol}</b> {value}{target}</td>')


def cell_labels() -> dict:
    """The words of each cell symbol, escaped once: the statuses, "" for no target, "—" for no figure (as HTML)."""
    labels = {value: escape(label) for value, label in Status.choices}
    labels[""] = escape(LEGEND_EXTRA[0][2])
    labels["—"] = f'<span title="{escape(LEGEND_EXTRA[1][2])}">{NO_FIGURE}</span>'
    labels[COUNTED] = escape(LEGEND_EXTRA[4][2])
    return labels


def _scorecard_cached(request, context):
    """The built scorecard, cached under its run and revision: a new computation is a new run, an approval applied
    in place a new revision, hence a new key."""
    user = request.user
    scope = "staff" if sees_all(user) else ",".join(sorted(membership_paths(user=user)))
    plan = context["plan"].key if context["plan"] else ""
    view = context["board_view"]
    key = "scorecard:" + hashlib.sha256(
        f"{context['run'].pk}.{context['run'].revision}|{context['unit'].pk}|{plan}|{scope}|{translation.get_language()}"
        f"|{view.sort}|{view.behind:d}|{view.everything:d}".encode()).hexdigest()
    card = cache.get(key)
    if card is None:
        card = scorecard(user=user, unit=context["unit"], run=context["run"], plan=context["plan"], view=view)
        labels = cell_labels()
        card.rows = [ScorecardRow(row.unit, mark_safe("".join(cell_html(c, labels) for c in row.cells)))  # noqa: S308
                     for row in card.rows]
        card.totals_html = mark_safe("".join(cell_html(c, labels) for c in card.totals))  # noqa: S308
        cache.set(key, card, SCORECARD_CACHE_SECONDS)
    return card


@gzip_page
@login_required
def dashboard(request):
    context = _filters(request)
    context["board_view"] = _view(request)
    context["view_query"] = _view_query(context["board_view"])
    if context["month"] is not None:
        context["card"] = _scorecard_cached(request, context)
    template = "compliance/_scorecard.html" if request.htmx else "compliance/dashboard.html"
    quarter = Quarter.of(context["month"] or timezone.localdate())
    return render(request, template, {**context, "symbols": SYMBOLS,
                                      "export_quarter": Span.of_quarter(quarter).text})


@login_required
def indicator_page(request, code: str):
    context = _filters(request)
    indicator = get_object_or_404(Indicator.objects.select_related("group"), code=code)
    unit, month = context["unit"], context["month"]
    trend = indicator_trend(unit=unit, indicator=indicator, year=context["span"].first.year)
    chart = {
        "labels": [r.run.period.strftime("%m/%Y") for r in trend],
        "actual": [float(r.sub_value) if r.sub_value is not None else None for r in trend],
        "target": [float(r.target.value) if r.target and r.target.value is not None else None for r in trend],
        "path": [float(r.path_value) if r.path_value is not None else None for r in trend],
    }
    spread = indicator_spread(user=request.user, unit=unit, indicator=indicator, month=month) if month else []
    return render(request, "compliance/indicator.html", {
        **context, "indicator": indicator, "trend": trend, "chart": chart, "symbols": SYMBOLS,
        "spread": spread, "behind": units_behind(user=request.user, unit=unit, indicator=indicator, month=month)
        if month else [],
        "spread_chart": {"labels": [r.unit.name for r in spread],
                         "values": [float(r.sub_value) if r.sub_value is not None else None for r in spread]},
    })


@login_required
def unit_page(request, code: str):
    request.GET = request.GET.copy()
    request.GET["unit"] = code
    context = _filters(request)
    unit = context["unit"]
    return render(request, "compliance/unit.html", {
        **context, "symbols": SYMBOLS,
        "results": unit_results(unit=unit, month=context["month"]) if context["month"] else [],
        "reports": reports_visible_to(user=request.user).filter(unit=unit).order_by("-period")[:24],
    })


@require_POST
@login_required
def remind(request):
    unit = get_object_or_404(units_visible_to(user=request.user), code=request.POST.get("unit", ""))
    try:
        period = dt.date.fromisoformat(request.POST.get("month", ""))
        sent = reminder_send_now(unit=unit, period=period, by=request.user)
    except ValueError:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A reminder was sent to %(count)s clerk(s) of %(unit)s.") % {
            "count": sent, "unit": unit.name})
    return redirect(request.POST.get("next") or "compliance:dashboard")


def home_for(user) -> str | None:
    """Where a user lands after logging in: reviewers and staff on the dashboard, clerks on their reports."""
    if sees_all(user) or user.memberships.exclude(role="clerk").exists():
        return "compliance:dashboard"
    if user.memberships.exists():
        return "reports:mine"
    return None

