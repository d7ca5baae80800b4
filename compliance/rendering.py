"""The scorecard's HTML, built once per run and cached: a province's page has thousands of cells.

The template keeps the page around it; the rows (every unit below and its cells), the totals and the overdue list
are strings built here, from the same words and symbols the legend shows. Only what differs between people who
share a cached scorecard stays in the template: the reminder button, which posts one shared form.
"""

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.engine import pct_text
from compliance.models import Status
from compliance.selectors import Scorecard, ScorecardRow, conflict_text
from core.formatting import date_format

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


def cell_html(cell, labels: dict) -> str:
    """One scorecard cell."""
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


def _rows_html(card: Scorecard, *, period_key: str, row_query: str, labels: dict) -> SafeString:
    """Each unit below: its name (to its own scorecard), "»" (to its unit page) and its cells."""
    dashboard, unit_page = reverse("compliance:dashboard"), escape(_("Unit page"))
    parts = []
    for row in card.rows:
        code = escape(row.unit.code)
        page = reverse("compliance:unit", args=[row.unit.code])
        parts.append(
            f'<tr><th scope="row"><a href="{dashboard}?unit={code}&amp;period={period_key}{row_query}">'
            f'{escape(row.unit.name)}</a> <a class="muted" href="{page}?period={period_key}" title="{unit_page}" '
            f'aria-label="{unit_page}">»</a></th>{"".join(cell_html(c, labels) for c in row.cells)}</tr>')
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _clerks_html(clerks) -> str:
    people = [format_html('<div>{}{}</div>', clerk.get_full_name() or clerk.username,
                          format_html(' · <a href="mailto:{0}">{0}</a>', clerk.email) if clerk.email else "")
              for clerk in clerks]
    return "".join(people) or "—"


def _overdue_html(card: Scorecard, *, period_key: str) -> list[tuple[str, SafeString]]:
    """(unit code, the row's cells but the reminder button) for each overdue unit."""
    rows = []
    for row in card.overdue:
        page = reverse("compliance:unit", args=[row.unit.code])
        days = "" if row.days_overdue is None else row.days_overdue
        rows.append((row.unit.code, format_html(
            '<td><a href="{}?period={}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>', page, period_key,
            row.unit.name, date_format(row.due_on), days, mark_safe(_clerks_html(row.clerks)))))  # noqa: S308
    return rows


def scorecard_render(card: Scorecard, *, period_key: str, plan_key: str, view_query: str) -> Scorecard:
    """The card with its rows, totals and overdue list as HTML, ready to cache."""
    labels = cell_labels()
    row_query = escape((f"&plan={plan_key}" if plan_key else "") + view_query)
    card.rows_html = _rows_html(card, period_key=escape(period_key), row_query=row_query, labels=labels)
    card.totals_html = mark_safe("".join(cell_html(c, labels) for c in card.totals))  # noqa: S308
    card.overdue_rows = _overdue_html(card, period_key=escape(period_key))
    card.rows = [ScorecardRow(row.unit, []) for row in card.rows]  # the count and emptiness, without the cells
    return card
