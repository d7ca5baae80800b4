"""Reads of task progress, scoped to the user: the board, a task's page, a unit's counts, the workbook's rows."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import due_label, percent_label
from core.periods import DueKind, Quarter, month_last_day
from plans.models import PlanStatus, PlanTask, Recurrence
from plans.selectors import plan_task_list, task_accepting_unit
from tasks.models import TaskRecord
from tasks.status import DONE, State, Status, TaskStatus, task_status, unit_colour
from units.models import Unit


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a task: the whole task (period ""), or one month or quarter of recurring work."""

    period: str
    due_on: dt.date | None
    label: str


@dataclass(frozen=True, slots=True)
class TaskRow:
    task: PlanTask
    occurrence: Occurrence
    record: TaskRecord | None
    status: TaskStatus

    @property
    def state(self) -> str:
        return self.record.state if self.record else State.NOT_STARTED

    @property
    def state_label(self) -> str:
        return State(self.state).label


@dataclass(slots=True)
class UnitTaskCounts:
    """A lead unit's tasks counted as the national steering committee counts them."""

    unit: Unit
    assigned: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    at_risk: int = 0
    accepted: int = 0
    statuses: list = field(default_factory=list)

    def add(self, status: TaskStatus) -> None:
        self.assigned += 1
        self.statuses.append(status)
        if status.code in DONE:
            self.done += 1
            self.on_time += int(not status.late)
            self.late += int(bool(status.late))
        self.overdue += int(status.code == Status.OVERDUE)
        self.at_risk += int(status.code == Status.AT_RISK)
        self.accepted += int(status.code == Status.ACCEPTED)

    @property
    def share_done(self) -> str:
        return percent_label(self.done, self.assigned)

    @property
    def colour(self) -> str:
        return unit_colour(self.statuses)


def at_risk_days() -> int:
    return settings.PORTAL_TASK_AT_RISK_DAYS


def _period_key(task: PlanTask, day: dt.date) -> str:
    if task.recurrence == Recurrence.MONTHLY:
        return f"{day:%Y-%m}"
    quarter = Quarter.of(day)
    return f"{quarter.year}-Q{quarter.quarter}"


def occurrence_of(*, task: PlanTask, period: str) -> Occurrence:
    """The occurrence named by `period`; ValueError with a Vietnamese message when the task has no such one."""
    if task.due_kind != DueKind.RECURRING or not task.recurrence:
        if period:
            raise ValueError(_("This task is not recurring: it has no period %(period)s.") % {"period": period})
        return Occurrence("", task.due_on, task.due_text or due_label(task.due_kind, task.due_on))
    if task.recurrence == Recurrence.MONTHLY:
        try:
            year, month = (int(part) for part in period.split("-"))
            first, due = dt.date(year, month, 1), month_last_day(year, month)
        except ValueError as exc:
            raise ValueError(_("“%(value)s” is not a month; write it as 2026-05.") % {"value": period}) from exc
        label = _("Month %(month)s") % {"month": first.strftime("%m/%Y")}
    else:
        quarter = Quarter.parse(period)
        first, due, label = quarter.first_day, quarter.last_day, str(quarter)
    if not task.plan.year_start <= first.year <= task.plan.year_end:
        raise ValueError(_("%(period)s is outside the plan's years.") % {"period": label})
    return Occurrence(period, due, label)


def occurrence_current(*, task: PlanTask, today: dt.date) -> Occurrence:
    """The occurrence in force on `today`: for recurring work the period containing it, kept within the plan."""
    if task.due_kind != DueKind.RECURRING or not task.recurrence:
        return occurrence_of(task=task, period="")
    day = min(max(today, dt.date(task.plan.year_start, 1, 1)), dt.date(task.plan.year_end, 12, 31))
    return occurrence_of(task=task, period=_period_key(task, day))


def occurrence_neighbours(*, task: PlanTask, occurrence: Occurrence) -> tuple[Occurrence | None, Occurrence | None]:
    """The periods before and after an occurrence of recurring work, within the plan's years."""
    if not occurrence.period or occurrence.due_on is None:
        return None, None
    first_day = occurrence_of(task=task, period=occurrence.period).due_on.replace(day=1)
    if task.recurrence == Recurrence.QUARTERLY:
        first_day = Quarter.of(first_day).first_day
    before = first_day - dt.timedelta(days=1)
    after = occurrence.due_on + dt.timedelta(days=1)
    neighbours = []
    for day in (before, after):
        inside = task.plan.year_start <= day.year <= task.plan.year_end
        neighbours.append(occurrence_of(task=task, period=_period_key(task, day)) if inside else None)
    return neighbours[0], neighbours[1]


def record_status(*, record: TaskRecord | None, occurrence: Occurrence, today: dt.date,
                  as_of: dt.date | None = None) -> TaskStatus:
    """The status of an occurrence from its record; `as_of` judges it as it stood on an earlier day."""
    as_of = as_of or today
    state = record.state if record else State.NOT_STARTED
    done_on = record.done_on if record else None
    accepted_on = timezone.localdate(record.accepted_at) if record and record.accepted_at else None
    if done_on is not None and done_on > as_of:
        state, done_on = State.IN_PROGRESS, None
    elif accepted_on is not None and accepted_on > as_of:
        state = State.SUBMITTED
    return task_status(due_on=occurrence.due_on, state=state, done_on=done_on, accepted_on=accepted_on,
                       today=as_of, at_risk_days=at_risk_days())


def tasks_open_on(tasks: QuerySet[PlanTask], day: dt.date) -> QuerySet[PlanTask]:
    """The tasks not closed by then: a task closed from a day leaves the board, the counts and the reminders on that
    day (its page and history stay)."""
    return tasks.filter(Q(closure__isnull=True) | Q(closure__closed_from__gt=day))


def task_has_history(task: PlanTask) -> bool:
    """Whether anything was recorded against the task (a record of its progress, product, submission or decision,
    or a reminder sent): such a task is closed from a day, never removed."""
    return task.records.exists() or task.reminders.exists()


def tasks_visible_to(*, user) -> QuerySet[PlanTask]:
    """The tasks of the plans the user may read (issued in their subtrees or above them)."""
    return plan_task_list(user=user).select_related("plan__issuer", "accepting_unit")


def task_rows(*, tasks: Iterable[PlanTask], today: dt.date | None = None) -> list[TaskRow]:
    """Each task's current occurrence, its record (read in one query) and its status."""
    today = today or timezone.localdate()
    tasks = list(tasks)
    occurrences = {task.pk: occurrence_current(task=task, today=today) for task in tasks}
    records = {(r.task_id, r.period): r for r in TaskRecord.objects.filter(task__in=[t.pk for t in tasks])}
    rows = []
    for task in tasks:
        occurrence = occurrences[task.pk]
        record = records.get((task.pk, occurrence.period))
        rows.append(TaskRow(task, occurrence, record, record_status(record=record, occurrence=occurrence,
                                                                    today=today)))
    return rows


@dataclass(frozen=True, slots=True)
class BoardFilters:
    plan: str = ""
    unit: str = ""
    status: str = ""
    due: str = ""  # a quarter "2026-Q2" or a year "2026"


def _due_span(due: str) -> tuple[dt.date, dt.date]:
    if due.isdigit() and len(due) == 4:
        return dt.date(int(due), 1, 1), dt.date(int(due), 12, 31)
    quarter = Quarter.parse(due)
    return quarter.first_day, quarter.last_day


@dataclass(slots=True)
class Board:
    rows: list[TaskRow]
    counts: list[UnitTaskCounts]
    total: UnitTaskCounts | None


def task_counts(rows: Iterable[TaskRow]) -> list[UnitTaskCounts]:
    """Per lead unit, in the tree's order; tasks without a lead unit in the portal are not counted to anyone."""
    by_unit: dict[int, UnitTaskCounts] = {}
    for row in rows:
        unit = row.task.lead_unit
        if unit is None:
            continue
        by_unit.setdefault(unit.pk, UnitTaskCounts(unit)).add(row.status)
    return sorted(by_unit.values(), key=lambda counts: counts.unit.path)


def task_board(*, user, filters: BoardFilters, today: dt.date | None = None) -> Board:
    """The board: the user's tasks filtered by plan, lead unit (and its subtree), status and deadline."""
    today = today or timezone.localdate()
    tasks = tasks_open_on(tasks_visible_to(user=user), today).select_related("plan__issuer", "accepting_unit")
    if filters.plan:
        tasks = tasks.filter(plan__key=filters.plan)
    if filters.unit:
        unit = Unit.objects.filter(code=filters.unit).first()
        tasks = tasks.filter(lead_unit__path__startswith=unit.path) if unit else tasks.none()
    rows = task_rows(tasks=tasks.order_by("plan__issued_on", "plan__key", "number"), today=today)
    if filters.due:
        first, last = _due_span(filters.due)
        rows = [row for row in rows if row.occurrence.due_on and first <= row.occurrence.due_on <= last]
    if filters.status:
        rows = [row for row in rows if row.status.code == filters.status]
    counts = task_counts(rows)
    total = None
    if rows:
        total = UnitTaskCounts(Unit(name=_("All")))
        for row in rows:
            if row.task.lead_unit_id:
                total.add(row.status)
    return Board(rows, counts, total)


def unit_task_counts(*, user, unit: Unit, today: dt.date | None = None) -> UnitTaskCounts:
    """The tasks led within the unit's subtree that the user may see, counted together (unit page, dashboard)."""
    today = today or timezone.localdate()
    tasks = tasks_open_on(tasks_visible_to(user=user), today).filter(lead_unit__path__startswith=unit.path)
    counts = UnitTaskCounts(unit)
    for row in task_rows(tasks=tasks, today=today):
        counts.add(row.status)
    return counts


def task_get(*, user, pk: int) -> PlanTask:
    """One task the user may read; DoesNotExist for a missing one and for one that is not theirs alike."""
    return tasks_visible_to(user=user).get(pk=pk)


@dataclass(frozen=True, slots=True)
class QuarterTaskRow:
    """A task as the quarterly workbook lists it."""

    plan: str
    number: int
    title: str
    lead_unit: str
    cooperating: str
    due_text: str
    due_on: dt.date | None
    status: str
    status_label: str
    status_reason: str
    product: str
    done_on: dt.date | None
    accepted_on: dt.date | None


def _product_words(record: TaskRecord | None) -> str:
    if record is None:
        return ""
    parts = []
    if record.document_number:
        parts.append(_("Document %(number)s of %(date)s: %(summary)s") % {
            "number": record.document_number, "date": record.document_date.strftime("%d/%m/%Y")
            if record.document_date else "—", "summary": record.document_summary or "—"})
    if record.product_link:
        parts.append(record.product_link)
    parts += [file.original_name for file in record.files.all()]
    return "; ".join(parts)


def task_quarter_rows(*, unit: Unit, quarter: Quarter, today: dt.date | None = None) -> list[QuarterTaskRow]:
    """For the quarterly workbook: every task led within the unit's subtree by a plan in force that quarter,
    judged as it stood at the quarter's end (or today, for the quarter under way), with its product and dates.
    A task closed from a day is listed in the quarters that began before it."""
    today = today or timezone.localdate()
    as_of = min(today, quarter.last_day)
    # Led within the subtree, or assigned by a plan issued within it (its lead unit perhaps not in the tree).
    within = Q(lead_unit__path__startswith=unit.path) | Q(plan__issuer__path__startswith=unit.path)
    tasks = (PlanTask.objects.filter(within, plan__status=PlanStatus.ISSUED, plan__year_start__lte=quarter.year,
                                     plan__year_end__gte=quarter.year)
             .filter(Q(closure__isnull=True) | Q(closure__closed_from__gt=quarter.first_day))
             .select_related("plan__issuer", "lead_unit").prefetch_related("cooperating_units")
             .order_by("plan__issued_on", "plan__key", "number"))
    tasks = list(tasks)
    # The quarter's own occurrence of recurring work (its last month for monthly work), the one-off task's only one.
    occurrences = {task.pk: occurrence_current(task=task, today=as_of) for task in tasks}
    records = {(r.task_id, r.period): r for r in TaskRecord.objects.filter(task__in=[t.pk for t in tasks])
               .prefetch_related("files")}
    rows = []
    for task in tasks:
        occurrence = occurrences[task.pk]
        record = records.get((task.pk, occurrence.period))
        status = record_status(record=record, occurrence=occurrence, today=today, as_of=as_of)
        done = status.code in DONE
        rows.append(QuarterTaskRow(
            plan=task.plan.short_label, number=task.number, title=task.title,
            lead_unit=task.lead_unit.name if task.lead_unit else task.lead_text,
            cooperating=task.cooperating_text or ", ".join(u.name for u in task.cooperating_units.all()),
            due_text=task.due_text or occurrence.label, due_on=occurrence.due_on, status=status.code,
            status_label=str(status.label), status_reason=status.reason, product=_product_words(record) if done else "",
            done_on=record.done_on if done and record else None,
            accepted_on=timezone.localdate(record.accepted_at)
            if status.code == Status.ACCEPTED and record and record.accepted_at else None))
    return rows


def record_authors(*, record: TaskRecord) -> set[int]:
    """Who wrote progress on or submitted this occurrence: they do not also accept or return its product."""
    authors = set(record.notes.exclude(by=None).values_list("by_id", flat=True))
    authors |= set(record.submissions.exclude(submitted_by=None).values_list("submitted_by_id", flat=True))
    authors |= set(record.files.exclude(uploaded_by=None).values_list("uploaded_by_id", flat=True))
    return authors


def accepting_unit_of(task: PlanTask) -> Unit:
    return task_accepting_unit(task=task)
