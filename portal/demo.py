"""Demo and synthetic data: the two provinces with users and a year of plausible figures, or N units for benchmarks."""

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authoring.reading import document_read, reading_accepted_whole
from authoring.services import plan_draft_from_document
from core.models import AuditEvent
from core.periods import DueKind, year_last_day
from core.services import audit_event_build, audit_record, audit_record_many
from plans.models import Plan, PlanStatus
from plans.selectors import report_due_date, report_due_days
from reports.models import Report, ReportSubmission, ReportValue
from reports.services import VALUE_FIELDS
from targets.binding import Bindings
from targets.models import Comparator, Indicator, Measure, Target
from units.models import Membership, Unit, UnitKind
from units.services import unit_create

DEMO_PASSWORD = "demo-cds-2026"
ADMIN_USERNAME = "quantri"
CELL_PARENTS = {"DN.XP.LOCNINH": "ấp", "HP.XP.BACHDANG": "khu dân cư", "DN.VPTU": "", "DN.DUUBND": ""}
CLERKS = {
    "vanthu.locninh": "DN.XP.LOCNINH",
    "vanthu.bachdang": "HP.XP.BACHDANG",
    "vanthu.vptu.dongnai": "DN.VPTU",
    "vanthu.duubnd.dongnai": "DN.DUUBND",
    "vanthu.vptu.haiphong": "HP.VPTU",
    "vanthu.chibo.locninh": "DN.XP.LOCNINH.CB01",
    "vanthu.cds.vptu.dongnai": "DN.VPTU.CDSCY",
}
# The demo clerks' units always send the last month, so a reviewer has a report to return or approve.
CLERK_UNITS = frozenset(CLERKS.values())
REVIEWER_UNITS = {"vanphong.dongnai": "DN", "vanphong.haiphong": "HP"}
# Reads the whole province (a Ban Chỉ đạo member, an inspector) but neither enters nor reviews figures.
VIEWER_UNITS = {"theodoi.dongnai": "DN"}
COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)
SYNTHETIC_ROOT = "SYN"


@dataclass
class Login:
    username: str
    role: str
    unit: str


@dataclass
class DemoResult:
    units: int = 0
    reports: int = 0
    values: int = 0
    drafts: int = 0


def demo_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """The `count` months before the current one, oldest first."""
    first = today.replace(day=1)
    months = []
    for _month in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def _user_ensure(username: str, *, full_name: str, staff: bool = False) -> object:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        # Vietnamese names read family name first; the whole name goes in one field so it prints as written.
        user = User(username=username, first_name=full_name[:150], email=f"{username}@example.vn",
                    is_staff=staff, is_superuser=staff)
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit_record(actor=None, action=AuditEvent.Action.CREATE, instance=user,
                     changes={"username": [None, username]}, note=_("Demo data"))
    return user


def _membership_ensure(user, unit: Unit, role: str) -> None:
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(actor=None, action=AuditEvent.Action.CREATE, instance=membership,
                     changes={"role": [None, role]}, note=_("Demo data"))


def demo_cells_ensure() -> int:
    """A few party cells under some units, so the tree has its lowest level."""
    created = 0
    for code, label in CELL_PARENTS.items():
        parent = Unit.objects.get(code=code)
        for number in range(1, 4):
            cell_code = f"{code}.CB{number:02d}"
            if Unit.objects.filter(code=cell_code).exists():
                continue
            name = _("Party cell %(place)s %(n)s") % {"place": label, "n": number} if label else (
                _("Party cell no. %(n)s") % {"n": number})
            unit_create(code=cell_code, name=f"{name} – {parent.name}", kind=UnitKind.CELL,
                        parent=Unit.objects.get(pk=parent.pk), by=None, opened_on=dt.date(2025, 7, 1))
            created += 1
    return created


def demo_users_ensure() -> None:
    _user_ensure(ADMIN_USERNAME, full_name="Quản trị hệ thống", staff=True)
    for username, code in REVIEWER_UNITS.items():
        unit = Unit.objects.get(code=code)
        _membership_ensure(_user_ensure(username, full_name=f"Văn phòng {unit.name}"), unit, Membership.Role.REVIEWER)
    for username, code in CLERKS.items():
        unit = Unit.objects.get(code=code)
        _membership_ensure(_user_ensure(username, full_name=f"Văn thư {unit.name}"), unit, Membership.Role.CLERK)
    for username, code in VIEWER_UNITS.items():
        unit = Unit.objects.get(code=code)
        _membership_ensure(_user_ensure(username, full_name=f"Theo dõi {unit.name}"), unit, Membership.Role.VIEWER)


def demo_logins() -> list[Login]:
    """The demo accounts that exist in this database, for the console."""
    wanted = [Login(ADMIN_USERNAME, _("administrator"), "—")]
    wanted += [Login(username, _("reviewer"), code) for username, code in REVIEWER_UNITS.items()]
    wanted += [Login(username, _("clerk"), code) for username, code in CLERKS.items()]
    wanted += [Login(username, _("viewer"), code) for username, code in VIEWER_UNITS.items()]
    existing = set(get_user_model().objects.filter(username__in=[w.username for w in wanted])
                   .values_list("username", flat=True))
    return [login for login in wanted if login.username in existing]


class FigureMaker:
    """Plausible monthly figures: each unit climbs from its own start towards the targets at its own pace."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def unit_profile(self) -> tuple[float, float]:
        return self.random.uniform(0.3, 0.75), self.random.uniform(0.02, 0.06)

    def value(self, indicator: Indicator, profile: tuple[float, float], month_index: int, size: int) -> dict:
        start, pace = profile
        share = min(1.0, start + pace * month_index + self.random.uniform(-0.04, 0.04))
        if indicator.measure == Measure.RATIO:
            denominator = size if indicator.flow == "level" else self.random.randint(size // 3 + 1, size)
            return {"numerator": round(denominator * max(share, 0)), "denominator": denominator}
        if indicator.measure == Measure.REDUCTION:
            baseline = 10 * (1 + size // 50)
            return {"numerator": round(baseline * (1 - 0.4 * share)), "denominator": baseline}
        return {"done": share > 0.8}


def _expected_indicators(bindings: Bindings):
    """unit, month → the indicators binding the unit that month, read from the tree's bindings worked out once."""
    def indicators_for(unit: Unit, period: dt.date) -> list[Indicator]:
        return [targets[0].indicator for targets in bindings.for_unit(unit, period).values()]
    return indicators_for


def demo_figures_create(*, units: list[Unit], months: list[dt.date], seed: int = 2026,
                        indicators_for=None) -> tuple[int, int]:
    """Reports for each unit and month: old months approved, the last one submitted or missing."""
    maker, now = FigureMaker(seed), timezone.now()
    due_days = report_due_days()
    reports, values_per_report = [], []
    indicators_for = indicators_for or _expected_indicators(Bindings())
    for unit in units:
        bound = {period: indicators_for(unit, period) for period in months}  # a plan binds only in its lifetime
        if not any(bound.values()):
            continue
        profile, size = maker.unit_profile(), maker.random.randint(20, 400)
        for index, period in enumerate(months):
            indicators = bound[period]
            if not indicators:
                continue
            last = index == len(months) - 1
            missing = maker.random.random() < (0.12 if last else 0.03)
            if missing and not (last and unit.code in CLERK_UNITS):
                continue  # not reported: the portal must show it as missing
            status = Report.Status.SUBMITTED if last else Report.Status.APPROVED
            due = report_due_date(path=unit.path, period=period, days=due_days)
            late = maker.random.random() < 0.1
            submitted = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=3 if late else -4), dt.time(9)))
            reports.append(Report(
                unit=unit, period=period, status=status, submitted_at=min(submitted, now), due_on=due,
                approved_at=min(submitted + dt.timedelta(days=2), now) if status == Report.Status.APPROVED else None,
            ))
            values_per_report.append([
                ReportValue(indicator=indicator, **maker.value(indicator, profile, index, size))
                for indicator in indicators
            ])
    with transaction.atomic():
        Report.objects.bulk_create(reports, batch_size=2000)
        if reports[:1] and reports[0].pk is None:  # backends without RETURNING ids
            saved = {(r.unit_id, r.period): r for r in Report.objects.filter(unit__in=units, period__in=months)}
            reports = [saved[(r.unit_id, r.period)] for r in reports]
        values = []
        for report, report_values in zip(reports, values_per_report, strict=True):
            for value in report_values:
                value.report = report
                values.append(value)
        ReportValue.objects.bulk_create(values, batch_size=5000)
        # Each report was sent once, so its history and lateness read as a clerk's submission would.
        ReportSubmission.objects.bulk_create([
            ReportSubmission(report=report, number=1, submitted_at=report.submitted_at,
                             is_late=timezone.localtime(report.submitted_at).date() > report.due_on,
                             values={str(v.indicator_id): {name: getattr(v, name) for name in VALUE_FIELDS}
                                     for v in report_values})
            for report, report_values in zip(reports, values_per_report, strict=True)
        ], batch_size=2000)
        audit_record_many(
            audit_event_build(actor=None, action=AuditEvent.Action.CREATE, instance=report,
                              changes={"status": [None, report.status]}, note=_("Demo data"))
            for report in reports
        )
    return len(reports), len(values)


@transaction.atomic
def demo_seed(*, today: dt.date | None = None) -> DemoResult:
    result = DemoResult()
    result.units = demo_cells_ensure()
    demo_users_ensure()
    if not Report.objects.exists():
        units = list(Unit.objects.filter(code__regex=r"^(DN|HP)\.").exclude(kind=UnitKind.DEPARTMENT))
        months = demo_months(today or timezone.localdate())
        result.reports, result.values = demo_figures_create(units=units, months=months)
        transaction.on_commit(lambda: _demo_compliance(months[-3:]))
    demo_task_history(today=today or timezone.localdate())
    result.drafts = demo_plan_from_document()
    return result


# The document path, shown on a real text: the Đồng Nai Văn phòng reads Lộc Ninh's plan from its own words into a
# draft, every candidate taken as read, to set beside the plan transcribed by hand. A draft binds no one.
DOCUMENT_DEMO = ("002_b009af3ccae20b8a.txt", "DN.XP.LOCNINH", "dn-38-kh-tu")


def demo_plan_from_document() -> int:
    """The demo reviewer's draft read from a seed plan's text, once; how many drafts were written (0 or 1)."""
    source, issuer_code, parent_key = DOCUMENT_DEMO
    path = Path(settings.SEED_SOURCES_DIR) / source
    author = get_user_model().objects.filter(username=next(iter(REVIEWER_UNITS))).first()
    if author is None or not path.exists() or Plan.objects.filter(source_name=source,
                                                                  status=PlanStatus.DRAFT).exists():
        return 0
    text = path.read_text(encoding="utf-8")
    reading = document_read(text=text, name=source)
    issuer, parent = Unit.objects.get(code=issuer_code), Plan.objects.filter(key=parent_key).first()
    plan_draft_from_document(
        by=author, issuer=issuer, parent=parent, year_start=2025, year_end=2028, source_text=text, source_name=source,
        title=_("Plan of %(unit)s read from its text") % {"unit": issuer.name},
        accepted=reading_accepted_whole(reading))
    return 1


def _demo_compliance(months: list[dt.date]) -> None:
    """The dashboards have something to show from the first start."""
    from compliance.services import compliance_compute

    for month in months:
        compliance_compute(period=month)


def _task_event(record, *, by, changes: dict, note: str = "") -> AuditEvent:
    return audit_event_build(actor=by, action=AuditEvent.Action.UPDATE, instance=record, changes=changes,
                             note=note or _("Demo data"))


def _task_story(task, *, today: dt.date, clerk, acceptor) -> list:
    """One task's plausible history, told by its number and deadline: most past deadlines met and accepted,
    some late, one left overdue with its obstacles; work due later in progress. Nothing dated after today."""
    from tasks.models import ProgressNote, TaskDecision, TaskRecord, TaskSubmission
    from tasks.selectors import occurrence_current
    from tasks.status import State

    occurrence = occurrence_current(task=task, today=today)
    due, start = occurrence.due_on, dt.date(task.plan.year_start, 1, 1)
    if task.plan.key.startswith("dn-xp-locninh") and task.number == 1:
        story = "progress"  # the commune's propaganda task stays open for its clerk to report on
    elif due is None:
        story = "accepted" if task.number % 2 == 0 else "progress"
    elif due < today:
        story = ("accepted", "accepted", "accepted_late", "submitted_late", "overdue")[task.number % 5]
    else:
        story = "progress" if task.number % 2 == 0 else "none"
    if story == "none":
        return []
    record = TaskRecord.objects.create(task=task, period=occurrence.period, due_on=due, state=State.IN_PROGRESS)
    events = [audit_event_build(actor=None, action=AuditEvent.Action.CREATE, instance=record,
                                changes={"state": [None, State.IN_PROGRESS]}, note=_("Demo data"))]
    anchor = min(due or today, today)
    started = max(start, anchor - dt.timedelta(days=45))
    ProgressNote.objects.create(
        record=record, unit=task.lead_unit, role=ProgressNote.Role.LEAD, on=started, by=clerk,
        text="Đã xây dựng kế hoạch chi tiết, phân công cán bộ theo dõi.",
        obstacles="Kinh phí được phân bổ chậm." if story == "overdue" else "",
        proposals="Đề nghị Văn phòng bổ sung kinh phí trong quý." if story == "overdue" else "")
    events.append(_task_event(record, by=clerk, changes={"progress": [None, "Đã xây dựng kế hoạch chi tiết"]}))
    if story in ("progress", "overdue"):
        return events
    late = story in ("accepted_late", "submitted_late")
    done_on = min(today, (due + dt.timedelta(days=7 + task.number)) if late and due else anchor - dt.timedelta(
        days=3 + task.number % 7))
    done_on = max(done_on, started)
    submitted_at = timezone.make_aware(dt.datetime.combine(done_on, dt.time(9)))
    record.state, record.done_on, record.submitted_at = State.SUBMITTED, done_on, submitted_at
    record.document_number = f"{task.number:02d}-BC/{task.lead_unit.code.split('.')[-1]}"
    record.document_date, record.document_summary = done_on, "Báo cáo kết quả thực hiện và biên bản nghiệm thu."
    TaskSubmission.objects.create(record=record, number=1, submitted_at=submitted_at, submitted_by=clerk,
                                  is_late=bool(due and done_on > due),
                                  product={"document_number": record.document_number})
    events.append(_task_event(record, by=clerk, changes={"state": [State.IN_PROGRESS, State.SUBMITTED]}))
    if story.startswith("accepted"):
        accepted = min(today, done_on + dt.timedelta(days=4))
        record.state = State.ACCEPTED
        record.accepted_at = timezone.make_aware(dt.datetime.combine(accepted, dt.time(15)))
        TaskDecision.objects.create(record=record, action=TaskDecision.Action.ACCEPT, by=acceptor)
        events.append(_task_event(record, by=acceptor, changes={"state": [State.SUBMITTED, State.ACCEPTED]}))
    record.version = len(events)
    record.save()
    return events


def demo_task_history(*, today: dt.date) -> int:
    """The seeded plans' tasks get a plausible history once: some accepted, some late, some overdue."""
    from plans.models import PlanTask
    from tasks.models import TaskRecord

    if TaskRecord.objects.exists():
        return 0
    users = {user.username: user for user in get_user_model().objects.all()}
    clerks = {code: users.get(username) for username, code in CLERKS.items()}
    acceptors = {"DN": users.get("vanphong.dongnai"), "HP": users.get("vanphong.haiphong")}
    events = []
    tasks = (PlanTask.objects.exclude(lead_unit=None).select_related("plan__issuer", "lead_unit")
             .filter(plan__year_start__lte=today.year).order_by("plan__key", "number"))
    for task in tasks:
        events += _task_story(task, today=today, clerk=clerks.get(task.lead_unit.code),
                              acceptor=acceptors.get(task.lead_unit.code.split(".")[0]))
    audit_record_many(events)
    return len(events)


# --- synthetic trees for benchmarks --------------------------------------------------------------


def synthetic_tree_build(*, size: int, seed: int = 7) -> Unit:
    """A province of `size` units: communes, then grassroots organisations, then cells, built in bulk."""
    rng = random.Random(seed)
    root_parent = Unit.objects.get(code="TW")
    if Unit.objects.filter(code=SYNTHETIC_ROOT).exists():
        raise ValueError(_("A synthetic tree already exists; use a fresh database."))
    province = unit_create(code=SYNTHETIC_ROOT, name=_("Synthetic province"), kind=UnitKind.PROVINCE,
                           parent=Unit.objects.get(pk=root_parent.pk), by=None, opened_on=dt.date(2025, 7, 1))
    remaining = size - 1
    communes = max(1, min(remaining, max(10, remaining // 30)))
    pending, children_count = [], {province.path: 0}
    built = []

    def add(parent: Unit, kind: str, number: int) -> Unit:
        children_count[parent.path] = children_count.get(parent.path, 0) + 1
        path = Unit._get_path(parent.path, parent.depth + 1, children_count[parent.path])
        unit = Unit(path=path, depth=parent.depth + 1, numchild=0, kind=kind,
                    code=f"{parent.code}.{number:04d}"[-35:] if kind != UnitKind.COMMUNE else f"SYN.X{number:05d}",
                    name=f"{UnitKind(kind).label} {number}", opened_on=dt.date(2025, 7, 1))
        pending.append(unit)
        return unit

    commune_units = [add(province, UnitKind.COMMUNE, n) for n in range(1, communes + 1)]
    remaining -= len(commune_units)
    built.extend(commune_units)
    index = 0
    while remaining > 0:
        parent = commune_units[index % len(commune_units)]
        kind = UnitKind.CELL if rng.random() < 0.75 else UnitKind.GRASSROOTS
        built.append(add(parent, kind, children_count.get(parent.path, 0) + 1))
        remaining -= 1
        index += 1
    for unit in built:
        unit.numchild = children_count.get(unit.path, 0)
    Unit.objects.bulk_create(pending, batch_size=5000)
    Unit.objects.filter(pk=province.pk).update(numchild=communes)
    audit_record(actor=None, action=AuditEvent.Action.CREATE, instance=province,
                 changes={"units": [0, size]}, note=_("Synthetic tree for benchmarks"))
    return Unit.objects.get(pk=province.pk)


def synthetic_plan_build(*, province: Unit, indicators: int = 40, year: int = 2026) -> Plan:
    """A plan issued by the synthetic province with one target per indicator, so every unit has work to report."""
    plan = Plan.objects.create(key="syn-plan", number="1-KH/SYN", title=_("Synthetic plan"), issuer=province,
                               year_start=year, year_end=year)
    chosen = list(Indicator.objects.filter(is_active=True).order_by("code")[:indicators])
    Target.objects.bulk_create([
        Target(plan=plan, position=n, indicator=indicator, due_kind=DueKind.YEAR, due_on=year_last_day(year),
               comparator=Comparator.DONE if indicator.measure == Measure.MILESTONE else (
                   Comparator.REDUCE_BY if indicator.measure == Measure.REDUCTION else Comparator.AT_LEAST),
               value=None if indicator.measure == Measure.MILESTONE else 80, clause=_("Synthetic target"))
        for n, indicator in enumerate(chosen, start=1)
    ])
    audit_record(actor=None, action=AuditEvent.Action.CREATE, instance=plan, note=_("Synthetic plan for benchmarks"))
    return plan


def synthetic_seed(*, size: int, months: int, today: dt.date | None = None) -> DemoResult:
    with transaction.atomic():
        province = synthetic_tree_build(size=size)
        plan = synthetic_plan_build(province=province)
    indicators = [t.indicator for t in plan.targets.select_related("indicator")]
    units = list(Unit.objects.filter(path__startswith=province.path).exclude(pk=province.pk))
    result = DemoResult(units=size)
    periods = demo_months(today or timezone.localdate(), months)
    batch = 2000
    for start in range(0, len(units), batch):
        reports, values = demo_figures_create(units=units[start:start + batch], months=periods,
                                              indicators_for=lambda unit, period: indicators, seed=start)
        result.reports += reports
        result.values += values
    return result
