import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.regex_helper import _lazy_re_compile
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from authoring.cascade import unit_cascade_flags
from authoring.coverage import unit_plans_coverage
from compliance.gzipped import gzip_stitch
from compliance.models import Status
from compliance.reminders import reminder_send_now
from compliance.rendering import BOARD_MARK, LEGEND_EXTRA, SYMBOLS, Board, BoardRequest, board_cached
from compliance.selectors import (
    ScorecardView,
    current_run_in,
    home_unit,
    indicator_spread,
    indicator_trend,
    unit_results,
    units_behind,
)
from core.exceptions import ApplicationError
from core.periods import Quarter, Span, period_parse
from plans.selectors import month_last_due, plan_list
from reports.selectors import reports_visible_to
from targets.models import Indicator
from units.access import membership_paths, sees_all, units_visible_to, user_oversees_any
from units.models import Unit
from units.selectors import unit_ancestor_paths

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding


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
    # Read when the template lists them: the dashboard's come cached with its board.
    crumbs = visible.filter(path__in=unit_ancestor_paths(unit)).order_by("depth")
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


def _board_request(request, context) -> BoardRequest:
    user = request.user
    return BoardRequest(
        run=context["run"], period_key=context["span"].key, unit=context["unit"], plan=context["plan"],
        view=context["board_view"], view_query=context["view_query"],
        scope="staff" if sees_all(user) else ",".join(sorted(membership_paths(user=user))),
        may_remind=user_oversees_any(user=user), query=request.GET.urlencode())


def _board_response(response, board: Board, *, gzip: bool):
    """The page with the cached board in place of its mark: stitched into one gzip stream when the client takes
    gzip (the board as compressed when built, the rest compressed now), else as plain UTF-8."""
    before, after = response.content.split(BOARD_MARK.encode(), 1)
    if gzip:
        response.content = gzip_stitch([before, board.deflated, after])
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.content = b"".join([before, board.plain, after])
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@gzip_page
@login_required
def dashboard(request):
    context = _filters(request)
    context["board_view"] = _view(request)
    context["view_query"] = _view_query(context["board_view"])
    gzip = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    board = None
    if context["month"] is not None:
        board_request = _board_request(request, context)
        context.update(symbols=SYMBOLS, may_remind=board_request.may_remind)
        board = board_cached(request=request, board=board_request, context=context, gzip=gzip)
        context.update(card=board, board_mark=mark_safe(BOARD_MARK))  # noqa: S308 - a constant
    template = "compliance/_board.html" if request.htmx else "compliance/dashboard.html"
    quarter = Quarter.of(context["month"] or timezone.localdate())
    response = render(request, template, {**context, "symbols": SYMBOLS,
                                          "export_quarter": Span.of_quarter(quarter).text})
    return _board_response(response, board, gzip=gzip) if board else response


def _panel_unit(request) -> Unit:
    """The unit a panel loaded after the dashboard is about: from the URL, else the user's own; out of scope is 404."""
    code = request.GET.get("unit")
    unit = get_object_or_404(units_visible_to(user=request.user), code=code) if code else home_unit(user=request.user)
    if unit is None:
        raise Http404
    return unit


@login_required
def plan_checks(request):
    """The dashboard's panel on the plans of the unit on screen, loaded after the page: which units below have
    issued a plan implementing them, and which targets within the unit's subtree ask less or later than the plan
    they implement. Apart from the scorecard, so the first page stays light."""
    unit = _panel_unit(request)
    return render(request, "compliance/_plan_checks.html", {
        "unit": unit, "coverages": unit_plans_coverage(unit=unit, user=request.user),
        "flags": unit_cascade_flags(unit=unit)})


@login_required
def tasks_panel(request):
    """The dashboard's panel on the assigned tasks led within the unit's subtree that the user may see, loaded
    after the page: counted per person, it would otherwise be worked out on every view of a cached scorecard."""
    return render(request, "compliance/_tasks_panel.html", {"unit": _panel_unit(request)})


@login_required
def indicator_page(request, code: str):
    context = _filters(request)
    indicator = get_object_or_404(Indicator.objects.select_related("group"), code=code)
    unit, month = context["unit"], context["month"]
    trend = indicator_trend(unit=unit, indicator=indicator, year=context["span"].first.year)
    chart = {
        "labels": [p.result.run.period.strftime("%m/%Y") for p in trend],
        "actual": [float(p.result.sub_value) if p.result.sub_value is not None else None for p in trend],
        # What the target asks of this unit: the value it sets for the unit where it sets one.
        "target": [float(p.target_value) if p.target_value is not None else None for p in trend],
        "path": [float(p.result.path_value) if p.result.path_value is not None else None for p in trend],
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

