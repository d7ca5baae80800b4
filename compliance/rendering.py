"""The scorecard's HTML, built once per run and kept: a province's page has thousands of cells.

Two things are cached, as plain strings and bytes, never model instances:
- the built card (`BuiltCard`), per run and page but not per revision: every unit below with its row's HTML and the
  standing that arranges it (sort, "only units behind", the units without a target), the totals, the overdue list.
  An approval applied in place rewrites the results of one unit and its ancestors and raises the run's revision
  (`compliance.incremental`); the unit's path is noted under that revision (`scorecard_change_note`), and the next
  page view rebuilds only the rows on the paths noted since the card was built, from their results as they are now,
  and arranges every row again from the standings: the same functions as a full build, hence the same HTML;
- the board (`Board`), per run, revision and page: the whole fragment the page shows (`_scorecard.html`), as UTF-8
  and as a deflate stream compressed once, which a gzip response stitches between the parts of the page that differ
  per person (`compliance.gzipped`): the header's bell, the CSRF token. The rows are compressed CHUNK_ROWS at a
  time and the chunks kept with the card, so after an approval only the chunk holding a changed row is compressed
  again (on a page in the order of names; a sorted page may move every row).
"""

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.engine import pct_text
from compliance.gzipped import Deflated, deflate, deflated_join
from compliance.models import ComplianceRun, Status
from compliance.selectors import (
    RowStanding,
    Scorecard,
    ScorecardView,
    conflict_text,
    row_standing,
    rows_arranged,
    scorecard,
    scorecard_cells,
    subtree_results,
)
from core.formatting import date_format
from units.models import Unit

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
SCORECARD_CACHE_SECONDS = 15 * 60  # also bounds how stale "days overdue" can be: a card older is built anew
CHANGES_PATCHED = 200  # revisions past which the card is built anew rather than patched
BOARD_MARK = "<!--scorecard-board-->"  # where the page's template puts the cached board
ROWS_MARK = "<!--scorecard-rows-->"  # where the board's template puts the rows
CHUNK_ROWS = 64  # rows compressed together, and kept so until one of them changes


def _target_html(cell, labels: dict) -> str:
    """The target a cell is judged against, and its conflict: the same for a column's cells, so escaped once a build
    (kept in `labels` under the cell's target)."""
    key = (cell.target, cell.held, cell.conflict)
    found = labels.get(key)
    if found is None:
        # The value in the cell; which plan and deadline hold in its title, to keep a province's page light.
        found = f'<small title="{escape(cell.held)}">{escape(cell.target)}</small>' if cell.target else ""
        if cell.conflict:
            found += (f'<i class="conflict" role="img" title="{escape(conflict_text(cell.conflict))}">'
                      f'{CONFLICT}</i>')
        labels[key] = found
    return found


def cell_html(cell, labels: dict) -> str:
    """One scorecard cell."""
    if cell is None:
        return f'<td class="cell st-none"><b role="img" title="{labels[""]}">·</b></td>'
    value = pct_text(cell.value) if cell.value is not None else labels["—"]
    # The symbol carries the status for those who cannot tell the colours apart; its title names it, for the eye
    # (on hover) and, as the name of an image, for screen readers.
    if cell.status:
        label, symbol = labels[cell.status], SYMBOLS[cell.status]
    else:
        label, symbol = (labels[COUNTED], COUNTED) if cell.target else (labels[""], NO_TARGET)
    return (f'<td class="cell st-{cell.status or "none"}"><b role="img" title="{label}">'
            f'{symbol}</b> {value}{_target_html(cell, labels)}</td>')


def cell_labels() -> dict:
    """The words of each cell symbol, escaped once: the statuses, "" for no target, "—" for no figure (as HTML); and,
    as the cells are written, each target's HTML (`_target_html`)."""
    labels = {value: escape(label) for value, label in Status.choices}
    labels[""] = escape(LEGEND_EXTRA[0][2])
    labels["—"] = f'<span title="{escape(LEGEND_EXTRA[1][2])}">{NO_FIGURE}</span>'
    labels[COUNTED] = escape(LEGEND_EXTRA[4][2])
    return labels


class BuiltRow(NamedTuple):
    """A unit below, as its row shows it and as the rows are arranged: plain strings and a standing."""

    unit_id: int
    path: str
    code: str
    name: str
    html: str
    standing: RowStanding
    version: int = 0  # the run's revision the row was built at


class IndicatorHead(NamedTuple):
    code: str
    name: str


class ReportingFigures(NamedTuple):
    expected: int
    on_time: int
    late: int
    missing: int


class RowLinks(NamedTuple):
    """What each row's links keep: the period, then the plan and the view (as "&plan=…&sort=…", escaped)."""

    period_key: str
    query: str


@dataclass
class BuiltCard:
    """A scorecard built for one page of one run, kept between the run's revisions (see the module's note)."""

    revision: int
    built_at: float
    unit_id: int
    unit_path: str
    month: dt.date
    groups: list  # [(group name, [IndicatorHead, …])]
    indicator_ids: list[int]
    rows: list[BuiltRow]  # every unit below, by name
    totals_html: str
    labels: dict  # target id → TargetLabel
    reporting: ReportingFigures | None
    overdue_rows: list  # [(unit code, the row's cells but the reminder button)]
    overdue_count: int

    @property
    def codes(self) -> list[str]:
        return [indicator.code for _group, indicators in self.groups for indicator in indicators]


class CardShown(NamedTuple):
    """What the board's template reads: the card's rows arranged for the view, as HTML."""

    month: dt.date
    groups: list
    reporting: ReportingFigures | None
    overdue_rows: list
    overdue_count: int
    rows: list[BuiltRow]  # the rows shown
    rows_html: SafeString
    shown: int  # rows before the "only units behind" filter
    untargeted: list[BuiltRow]
    totals_html: SafeString


class Board(NamedTuple):
    """The board as a page serves it: the crumbs, the sort menu's options and the fragment, as UTF-8 (`plain`)
    or compressed (`deflated`); each form is cached under its own key, so a response reads only the one it sends."""

    sort_options: SafeString  # the sort menu's options, an indicator each
    crumbs: SafeString  # the units above, to go back up
    plain: bytes | None
    deflated: Deflated | None


def _built_row(row: BuiltRow, cells: list, *, links: RowLinks, labels: dict, version: int) -> BuiltRow:
    """A unit below: its name (to its own scorecard), "»" (to its unit page) and its cells."""
    unit_page, code = escape(_("Unit page")), escape(row.code)
    dashboard, page = reverse("compliance:dashboard"), reverse("compliance:unit", args=[row.code])
    html = (f'<tr><th scope="row"><a href="{dashboard}?unit={code}&amp;period={links.period_key}{links.query}">'
            f'{escape(row.name)}</a> <a class="muted" href="{page}?period={links.period_key}" title="{unit_page}" '
            f'aria-label="{unit_page}">»</a></th>{"".join(cell_html(c, labels) for c in cells)}</tr>')
    return row._replace(html=html, standing=row_standing(cells), version=version)


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


def card_build(card: Scorecard, *, run: ComplianceRun, links: RowLinks) -> BuiltCard:
    """The selector's scorecard as strings, ready to cache: every row, the totals, the overdue list."""
    labels = cell_labels()
    reporting = card.reporting
    return BuiltCard(
        revision=run.revision, built_at=time.time(), unit_id=card.unit.pk, unit_path=card.unit.path,
        month=card.month, groups=[(group.name, [IndicatorHead(i.code, i.name) for i in indicators])
                                  for group, indicators in card.groups],
        indicator_ids=[i.pk for _group, indicators in card.groups for i in indicators],
        rows=[_built_row(BuiltRow(row.unit.pk, row.unit.path, row.unit.code, row.unit.name, "", RowStanding((), False)),
                         row.cells, links=links, labels=labels, version=run.revision) for row in card.every_row],
        totals_html="".join(cell_html(c, labels) for c in card.totals), labels=card.labels,
        reporting=ReportingFigures(reporting.expected, reporting.on_time, reporting.late, reporting.missing)
        if reporting else None,
        overdue_rows=_overdue_html(card, period_key=links.period_key), overdue_count=card.overdue_count)


def card_patch(built: BuiltCard, *, run: ComplianceRun, paths: list[str], links: RowLinks) -> BuiltCard:
    """The card with the rows (and totals) of the units on these paths rebuilt from the run's results as they are
    now: the units below the card's unit that are one of the paths' ancestors, or the card's unit itself."""
    start, step = len(built.unit_path), Unit.steplen
    below = {path[:start + step] for path in paths if path.startswith(built.unit_path) and len(path) > start}
    positions = {row.path: i for i, row in enumerate(built.rows) if row.path in below}
    totals = any(path.startswith(built.unit_path) for path in paths)
    unit_ids = [built.rows[i].unit_id for i in positions.values()] + ([built.unit_id] if totals else [])
    rows, totals_html = list(built.rows), built.totals_html
    if unit_ids:
        labels = cell_labels()
        cells = scorecard_cells(subtree_results(run=run, unit_ids=unit_ids), unit_ids=unit_ids,
                                indicator_ids=built.indicator_ids, labels=built.labels)
        for i in positions.values():
            rows[i] = _built_row(rows[i], cells[rows[i].unit_id], links=links, labels=labels, version=run.revision)
        if totals:
            totals_html = "".join(cell_html(c, labels) for c in cells[built.unit_id])
    return BuiltCard(**{**built.__dict__, "revision": run.revision, "rows": rows, "totals_html": totals_html})


def card_shown(built: BuiltCard, *, view: ScorecardView) -> CardShown:
    """The card's rows arranged for the view; the template puts a mark where their HTML goes (`board_cached`)."""
    arranged = rows_arranged([row.standing for row in built.rows], built.codes, view)
    return CardShown(built.month, built.groups, built.reporting, built.overdue_rows, built.overdue_count,
                     [built.rows[i] for i in arranged.shown], mark_safe(ROWS_MARK),  # noqa: S308 - a constant
                     arranged.count, [built.rows[i] for i in arranged.untargeted],
                     mark_safe(built.totals_html))  # noqa: S308


# --- which units an approval applied in place changed, by revision -------------------------------------------------


def _change_key(run_id: int, revision: int) -> str:
    return f"scorecard:changed:{run_id}:{revision}"


def scorecard_change_note(sender, *, run_id: int, unit_id: int, **kwargs) -> None:
    """The run's rows of this unit and its ancestors were rewritten in place, and its revision raised: note the
    unit's path under the new revision once committed, for the cached cards to rebuild those rows alone. Without the
    note (the cache down, or a change applied elsewhere), a card is built anew: slower, never wrong."""
    noted = (ComplianceRun.objects.filter(pk=run_id)
             .annotate(unit_path=Subquery(Unit.objects.filter(pk=unit_id).values("path")[:1]))
             .values_list("revision", "unit_path").first())
    if noted and noted[1]:
        revision, path = noted
        transaction.on_commit(lambda: cache.set(_change_key(run_id, revision), path, SCORECARD_CACHE_SECONDS))


def _changed_paths(built: BuiltCard, run: ComplianceRun) -> list[str] | None:
    """The paths noted since the card's revision, or None when the card cannot be patched up to the run's."""
    if not built.revision <= run.revision <= built.revision + CHANGES_PATCHED:
        return None
    if time.time() - built.built_at > SCORECARD_CACHE_SECONDS:
        return None
    keys = [_change_key(run.pk, revision) for revision in range(built.revision + 1, run.revision + 1)]
    noted = cache.get_many(keys) if keys else {}
    return list(noted.values()) if len(noted) == len(keys) else None


# --- the board as cached for a page --------------------------------------------------------------------------------


class BoardRequest(NamedTuple):
    """What the board of a page depends on; `scope` is whose units it may show, `query` the page's own query string
    (the links that keep or drop a filter repeat it)."""

    run: ComplianceRun
    period_key: str
    unit: Unit
    plan: object  # Plan | None
    view: ScorecardView
    view_query: str
    scope: str
    may_remind: bool
    query: str


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def _card_key(board: BoardRequest) -> str:
    return "scorecard:card:" + _digest(board.run.pk, board.period_key, board.unit.pk,
                                       board.plan.key if board.plan else "", board.scope, translation.get_language(),
                                       *board.view)


def card_cached(*, user, board: BoardRequest) -> BuiltCard:
    """The built card of the run's revision: from the cache, patched if the run moved on, or built anew."""
    plan_key = board.plan.key if board.plan else ""
    key = _card_key(board)
    links = RowLinks(escape(board.period_key), escape((f"&plan={plan_key}" if plan_key else "") + board.view_query))
    built = cache.get(key)
    if built is not None and built.revision == board.run.revision:
        return built
    paths = _changed_paths(built, board.run) if built is not None else None
    if paths is not None:
        built = card_patch(built, run=board.run, paths=paths, links=links)
    else:
        built = card_build(scorecard(user=user, unit=board.unit, run=board.run, plan=board.plan, view=board.view),
                           run=board.run, links=links)
    cache.set(key, built, SCORECARD_CACHE_SECONDS)
    return built


def _rows_deflated(built: BuiltCard, rows: list[BuiltRow], *, key: str) -> Deflated:
    """The rows compressed, CHUNK_ROWS at a time; a chunk whose rows are the same ones, built at the same revisions,
    as when the card last served this page is taken as then compressed: after an approval, on a page in the order of
    names, only the chunk holding the changed row is compressed again."""
    kept = cache.get(key)
    before = kept[1] if kept and kept[0] == built.built_at else {}
    chunks = {}
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start:start + CHUNK_ROWS]
        name = tuple((row.unit_id, row.version) for row in chunk)
        chunks[name] = before.get(name) or deflate("".join(row.html for row in chunk).encode())
    cache.set(key, (built.built_at, chunks), SCORECARD_CACHE_SECONDS)
    return deflated_join(list(chunks.values()))


def board_cached(*, request, board: BoardRequest, context: dict, gzip: bool) -> Board:
    """The page's board in the form the response sends (compressed, or plain UTF-8): from the cache, or rendered
    and cached in that form alone (a province of tens of thousands of units has a board of several MiB)."""
    key = "scorecard:board:" + _digest(board.run.pk, board.run.revision, board.period_key, board.unit.pk,
                                       board.plan.key if board.plan else "", board.scope, translation.get_language(),
                                       *board.view, board.may_remind, board.query, "gz" if gzip else "plain")
    found = cache.get(key)
    if found is not None:
        return found
    built = card_cached(user=request.user, board=board)
    card = card_shown(built, view=board.view)
    shown = {**context, "card": card, "may_remind": board.may_remind}
    # The rows go in apart from the template: tens of thousands of cells are joined once, not passed through it.
    head, tail = render_to_string("compliance/_scorecard.html", shown, request=request).split(ROWS_MARK)
    around = [mark_safe(render_to_string(name, shown).strip())  # noqa: S308 - escaped by the templates
              for name in ("compliance/_sort_options.html", "compliance/_crumbs.html")]
    if gzip:
        rows = _rows_deflated(built, card.rows, key=_card_key(board).replace(":card:", ":chunks:", 1))
        found = Board(*around, None, deflated_join([deflate(head.encode()), rows, deflate(tail.encode())]))
    else:
        found = Board(*around, "".join([head, *(row.html for row in card.rows), tail]).encode(), None)
    cache.set(key, found, SCORECARD_CACHE_SECONDS)
    return found
