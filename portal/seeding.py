"""Loading the seed plans: every target with its clause, every task, and every contradiction surfaced."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import date_format, due_label
from core.models import AuditEvent, Conflict
from core.periods import DueKind, Quarter, month_last_day, month_parse, year_last_day
from core.seeds import SeedFileError, require, seed_decimal, seed_yaml_read
from core.services import audit_event_build, audit_record_many
from plans.models import Plan, PlanKind, PlanTask
from targets.binding import unit_bound
from targets.models import Counts, Indicator, Judged, Reporters, Target
from targets.services import seed_upsert
from units.models import Unit, UnitKind
from units.services import unit_entries_parse, unit_entries_upsert

# The plans app keeps its data: the named parent plans and the transcribed seed plans.
PLAN_SEED_DIR = settings.BASE_DIR / "plans" / "seeds"
NAMED_PLANS_PATH = PLAN_SEED_DIR / "named.yaml"
PLAN_FILES_DIR = PLAN_SEED_DIR / "plans"

PLAN_FIELDS = ("number", "kind", "title", "issuer", "issued_on", "year_start", "year_end", "parent", "notes")
TARGET_FIELDS = (
    "indicator", "comparator", "value", "value_max", "due_kind", "due_on", "applies_to_kinds", "counts", "judged",
    "reporters", "series", "clause", "ref", "conflict",
)
TASK_FIELDS = (
    "group", "title", "lead_unit", "lead_text", "cooperating_text", "due_kind", "due_on", "due_text",
    "expected_output", "conflict", "responsible_person", "contributions", "recurrence", "accepting_unit",
)
TASK_UNIT_FIELDS = ("lead_unit", "accepting_unit", "conflict")


@dataclass
class PlanLoadResult:
    path: Path
    plan_key: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    targets: int = 0
    tasks: int = 0
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (where, message, status)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


def due_parse(due, *, path: Path, entry: str, recurring: bool = False) -> tuple[str, dt.date | None]:
    """{year: 2026} | {quarter: "2025-Q2"} | {date: 2025-06-30} | {before: 2025-07-01} | {recurring: "…"} → (kind, day).

    "trước ngày 01/7/2025" (before the 1st) is written {before: 2025-07-01} and is due by the day before: 30/06/2025.
    """
    shapes = ("year", "quarter", "date", "before", "recurring") if recurring else ("year", "quarter", "date", "before")
    if not isinstance(due, dict) or len(due) != 1 or next(iter(due)) not in shapes:
        raise SeedFileError(
            path, _("give exactly one of: %(shapes)s.") % {"shapes": ", ".join(shapes)}, entry=entry, field="due"
        )
    (kind, value), = due.items()
    try:
        if kind == "year":
            return DueKind.YEAR, year_last_day(int(value))
        if kind == "quarter":
            return DueKind.QUARTER, Quarter.parse(str(value)).last_day
        if kind in ("date", "before"):
            if not isinstance(value, dt.date):
                raise ValueError(_("write the date as YYYY-MM-DD."))
            return DueKind.DATE, value - dt.timedelta(days=1) if kind == "before" else value
    except (TypeError, ValueError) as exc:
        raise SeedFileError(path, str(exc) or _("invalid deadline."), entry=entry, field="due") from exc
    return DueKind.RECURRING, None


def _codes_check(codes: Iterable[str], known: set[str], *, path: Path, entry: str, field_name: str) -> None:
    for code in codes:
        if code not in known:
            raise SeedFileError(
                path, _("the unit %(code)s does not exist.") % {"code": code}, entry=entry, field=field_name
            )


def _validated(instance, *, path: Path, entry: str, exclude: Iterable[str]):
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise SeedFileError(path, " ".join(messages), entry=entry, field=name) from exc
    return instance


def plan_row_parse(entry, *, path: Path, label: str) -> dict:
    row = {
        "key": require(entry, "key", path=path, entry=label),
        "number": entry.get("number") or "",
        "kind": entry.get("kind") or PlanKind.KE_HOACH,
        "title": require(entry, "title", path=path, entry=label),
        "issuer": require(entry, "issuer", path=path, entry=label),
        "issued_on": entry.get("issued_on"),
        "year_start": require(entry, "year_start", path=path, entry=label, kind=int),
        "year_end": require(entry, "year_end", path=path, entry=label, kind=int),
        "parent": entry.get("parent"),
        "notes": (entry.get("notes") or "").strip(),
    }
    if row["issued_on"] is not None and not isinstance(row["issued_on"], dt.date):
        raise SeedFileError(path, _("write the date as YYYY-MM-DD."), entry=label, field="issued_on")
    row["issued_in"] = _issued_in_parse(entry.get("issued_in"), path=path, label=label)
    if entry.get("report_due") is not None:
        row["report_due_day"] = report_due_parse(entry["report_due"], path=path, label=label)
    candidate = Plan(**{k: v for k, v in row.items() if k not in ("issuer", "parent", "issued_in")})
    _validated(candidate, path=path, entry=label, exclude=["issuer", "parent"])
    return row


def report_due_parse(value, *, path: Path, label: str) -> int:
    """{day: 19} | {before_day: 20} → the report due day.

    "trước ngày 20 hằng tháng" (before the 20th of each month) is written {before_day: 20}: the figures are due
    by the 19th, and a report sent on the 20th is late, the same reading as "trước ngày 01/7/2025" for deadlines.
    """
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in ("day", "before_day"):
        raise SeedFileError(path, _("give exactly one of: %(shapes)s.") % {"shapes": "day, before_day"},
                            entry=label, field="report_due")
    (kind, day), = value.items()
    if isinstance(day, bool) or not isinstance(day, int):
        raise SeedFileError(path, _("this field must be a number."), entry=label, field="report_due")
    return day - 1 if kind == "before_day" else day


def _issued_in_parse(value, *, path: Path, label: str) -> dt.date | None:
    """The month a plan was issued in, when the document leaves its day blank ("ngày … tháng 3 năm 2026")."""
    if value is None:
        return None
    try:
        return month_parse(str(value))
    except ValueError as exc:
        raise SeedFileError(path, str(exc), entry=label, field="issued_in") from exc


def _plan_upsert(row: dict, *, by, path: Path, source: str, source_text: str, result, events) -> Plan:
    issuer = Unit.objects.filter(code=row["issuer"]).first()
    if issuer is None:
        raise SeedFileError(path, _("the unit %(code)s does not exist.") % {"code": row["issuer"]},
                            entry=row["key"], field="issuer")
    parent = None
    if row["parent"]:
        parent = Plan.objects.filter(key=row["parent"]).first()
        if parent is None:
            raise SeedFileError(path, _("the plan %(key)s does not exist.") % {"key": row["parent"]},
                                entry=row["key"], field="parent")
    data = {name: row[name] for name in PLAN_FIELDS}
    if "report_due_day" in row:  # only a plan that says when figures are due sets it; a person may set the rest
        data["report_due_day"] = row["report_due_day"]
    data.update(issuer=issuer, parent=parent, source_name=source, source_text=source_text)
    return seed_upsert(Plan, lookup={"key": row["key"]}, data=data, by=by, path=path, result=result, events=events)


def named_plans_seed_load(*, path: Path = NAMED_PLANS_PATH, by=None) -> PlanLoadResult:
    """Plans the documents implement or cite, known only by name; loaded first, as parents."""
    entries = seed_yaml_read(path)
    if not isinstance(entries, list):
        raise SeedFileError(path, _("the file must be a list of plans."))
    rows = [plan_row_parse(entry, path=path, label=str(i)) for i, entry in enumerate(entries, start=1)]
    result, events = PlanLoadResult(path=path), []
    with transaction.atomic():
        for row in rows:
            _plan_upsert(row, by=by, path=path, source="", source_text="", result=result, events=events)
        audit_record_many(events)
    return result


# --- contradictions in a document -------------------------------------------------------------


def conflicts_find(*, year_start: int, year_end: int, targets: list[dict], tasks: list[dict]) -> None:
    """Add to each row's "conflicts" what contradicts the rest of the document; nothing is dropped or merged."""
    for index, row in enumerate(targets):
        for other in targets[:index]:
            same_scope = (
                row["indicator"] == other["indicator"]
                and row["due_on"] == other["due_on"]
                and all(row[key] == other[key] for key in ("scope_unit", "counts", "applies_to_kinds", "units"))
            )
            same_value = (row["comparator"], row["value"], row["value_max"]) == (
                other["comparator"], other["value"], other["value_max"]
            )
            where = {"other": other["position"], "ref": other["ref"]}
            if row["clause"] == other["clause"] and row["indicator"] == other["indicator"]:
                message = _("The same clause already stands as target %(other)s (%(ref)s).") % where
            elif same_scope and same_value:
                message = _("Repeats target %(other)s (%(ref)s): same indicator, units, value and deadline.") % where
            elif same_scope:
                message = _(
                    "Target %(other)s (%(ref)s) sets another value for the same indicator, units and deadline."
                ) % where
            else:
                continue
            row["conflicts"].append(message)
            other["conflicts"].append(
                _("Target %(other)s (%(ref)s) conflicts with this one.") % {"other": row["position"], "ref": row["ref"]}
            )
    for row in [*targets, *tasks]:
        if row["due_on"] is None:
            continue
        label = due_label(row["due_kind"], row["due_on"])
        if row["due_on"].year < year_start:
            row["conflicts"].append(
                _("The deadline (%(due)s) lies before the plan's first year, %(year)s.")
                % {"due": label, "year": year_start}
            )
        elif row["due_on"].year > year_end:
            row["conflicts"].append(
                _("The deadline (%(due)s) lies after the plan's last year, %(year)s.")
                % {"due": label, "year": year_end}
            )


def appendix_conflicts_find(*, targets: list[dict], tasks: list[dict], path: Path) -> None:
    """A deliverable the body dates one way and the appendix table another: both keep the mismatch to resolve."""
    by_number = {task["number"]: task for task in tasks}
    for row in targets:
        if row["appendix_task"] is None:
            continue
        task = by_number.get(row["appendix_task"])
        if task is None:
            raise SeedFileError(path, _("the appendix has no task %(n)s.") % {"n": row["appendix_task"]},
                                entry=_("target %(n)s") % {"n": row["position"]}, field="appendix")
        if task["due_on"] is None or task["due_on"] == row["due_on"]:
            continue
        words = {"body": due_label(row["due_kind"], row["due_on"]), "appendix": due_label(task["due_kind"],
                 task["due_on"]), "task": task["number"], "target": row["position"], "ref": row["ref"]}
        row["conflicts"].append(_(
            "The body of the plan gives the deadline %(body)s, the appendix (task %(task)s) gives %(appendix)s "
            "for the same deliverable.") % words)
        task["conflicts"].append(_(
            "The appendix gives the deadline %(appendix)s, the body of the plan (target %(target)s, %(ref)s) gives "
            "%(body)s for the same deliverable.") % words)


def issue_conflicts_find(*, issued_on: dt.date | None, issued_in: dt.date | None, rows: list[dict]) -> None:
    """A deadline that falls before the plan was issued, or no later than its month when only the month is known."""
    if issued_on is None and issued_in is None:
        return
    for row in rows:
        if row["due_on"] is None:
            continue
        label = due_label(row["due_kind"], row["due_on"])
        if issued_on is not None and row["due_on"] < issued_on:
            row["conflicts"].append(_("The deadline (%(due)s) lies before the plan was issued, on %(date)s.")
                                    % {"due": label, "date": date_format(issued_on)})
        elif issued_on is None and row["due_on"] <= month_last_day(issued_in.year, issued_in.month):
            row["conflicts"].append(_(
                "The deadline (%(due)s) falls no later than the month the plan was issued in (%(month)s): it is due "
                "before or as the plan is issued.") % {"due": label, "month": f"{issued_in:%m/%Y}"})


def _unit_open(unit: Unit, today: dt.date) -> bool:
    return unit.closed_on is None or unit.closed_on > today


def _row_binds(row: dict, *, scope: Unit, units: dict[str, Unit], subtree: list[Unit]) -> bool:
    """Whether the target binds an open unit under its scope unit: the engine's rule (`targets.binding.unit_bound`)."""
    step = Unit.steplen
    named = {units[code].path for code in row["units"]}
    return any(unit_bound(scope=scope.path, counts=row["counts"], reporters=row["reporters"],
                          kinds=row["applies_to_kinds"], named=named, path=u.path, kind=u.kind,
                          ancestors={u.path[:end] for end in range(step, len(u.path) + 1, step)}) for u in subtree)


def _binds_no_one(row: dict, *, scope: Unit, issuer: Unit, nobody: bool) -> str:
    words = {"issuer": scope.name, "date": date_format(issuer.closed_on)}
    if nobody and scope == issuer:
        return _("Its issuer, %(issuer)s, closed on %(date)s and no open unit remains under it: this target "
                 "binds no one.") % words
    if row["counts"] == Counts.KINDS:
        kinds = ", ".join(f"“{UnitKind(kind).label}”" for kind in row["applies_to_kinds"])
        return _("No open unit under %(issuer)s is of the kind it names (%(kinds)s): this target binds "
                 "no one.") % {"issuer": scope.name, "kinds": kinds}
    if row["counts"] == Counts.NAMED and not row["units"]:
        return _("It counts only the units it names, but names no unit under %(issuer)s: this target binds no "
                 "one until its units are named.") % {"issuer": scope.name}
    if row["counts"] == Counts.NAMED:
        return _("No open unit under %(issuer)s is among the units it names: this target binds no one.") % {
            "issuer": scope.name}
    return _("Its scope unit, %(unit)s, is closed: this target binds no one.") % {"unit": scope.name}


def binding_conflicts_find(*, issuer: Unit, targets: list[dict], units: dict[str, Unit], path: Path
                           ) -> list[tuple[str, str, str]]:
    """Targets that bind no open unit, and a closed issuer: said on each target, and once for the plan.

    The same rule as the engine's, on the units open today under each target's scope unit. A named unit outside
    the scope unit is a mistake in the file, refused.
    """
    today = timezone.localdate()
    open_units = [u for u in units.values() if _unit_open(u, today)]
    nobody = issuer.closed_on is not None and not any(u.path.startswith(issuer.path) for u in open_units)
    for row in targets:
        scope = units[row["scope_unit"]] if row["scope_unit"] else issuer
        outside = [code for code in row["units"] if not units[code].path.startswith(scope.path)]
        if outside:
            raise SeedFileError(path, _("the unit %(code)s is not under the scope unit %(scope)s.") % {
                "code": outside[0], "scope": scope.code}, entry=_("target %(n)s") % {"n": row["position"]},
                field="scope.units")
        subtree = [u for u in open_units if u.path.startswith(scope.path)]
        if not _row_binds(row, scope=scope, units=units, subtree=subtree):
            row["conflicts"].append(_binds_no_one(row, scope=scope, issuer=issuer, nobody=nobody))
    if issuer.closed_on is None or issuer.closed_on > today:
        return []
    issuer_words = {"issuer": issuer.name, "date": date_format(issuer.closed_on)}
    if nobody:
        message = _("The issuer, %(issuer)s, closed on %(date)s and no open unit remains under it: none of the "
                    "plan's %(count)s targets binds anyone.") % {**issuer_words, "count": len(targets)}
    else:
        message = _("The issuer, %(issuer)s, closed on %(date)s: its targets bind only the units still open under "
                    "it.") % issuer_words
    return [(_("plan"), message, Conflict.OPEN)]


def _conflict_fields(instance, text: str) -> dict:
    """A conflict already resolved by a person stays resolved while the document says the same."""
    if not text:
        return {"conflict": "", "conflict_status": Conflict.NONE}
    if instance is not None and instance.conflict == text and instance.conflict_status == Conflict.RESOLVED:
        return {"conflict": text, "conflict_status": Conflict.RESOLVED}
    return {"conflict": text, "conflict_status": Conflict.OPEN}


# --- one plan file ------------------------------------------------------------------------------


def _target_rows_parse(entries, *, path: Path, indicators: dict[str, Indicator], unit_codes: set[str]) -> list[dict]:
    if not isinstance(entries, list):
        raise SeedFileError(path, _("“targets” must be a list."), entry="targets")
    rows = []
    for position, entry in enumerate(entries, start=1):
        label = _("target %(n)s") % {"n": position}
        code = require(entry, "indicator", path=path, entry=label)
        if code not in indicators:
            raise SeedFileError(path, _("unknown indicator “%(code)s”.") % {"code": code}, entry=label,
                                field="indicator")
        scope = _scope_parse(entry, path=path, label=label, unit_codes=unit_codes)
        due_kind, due_on = due_parse(require(entry, "due", path=path, entry=label, kind=dict), path=path, entry=label)
        row = {
            "position": position,
            "indicator": code,
            "comparator": require(entry, "comparator", path=path, entry=label),
            "value": seed_decimal(entry.get("value"), path=path, entry=label, field="value"),
            "value_max": seed_decimal(entry.get("value_max"), path=path, entry=label, field="value_max"),
            "due_kind": due_kind,
            "due_on": due_on,
            **scope,
            "series": str(entry.get("series") or ""),
            "clause": require(entry, "clause", path=path, entry=label),
            "ref": entry.get("ref") or "",
            "appendix_task": _appendix_task(entry, path=path, label=label),
            "conflicts": [entry["conflict"]] if entry.get("conflict") else [],
        }
        candidate = Target(indicator=indicators[code], **{
            k: row[k] for k in TARGET_FIELDS if k not in ("indicator", "conflict")
        })
        _validated(candidate, path=path, entry=label, exclude=["plan", "position", "scope_unit", "responsible_unit",
                                                               "superseded_by"])
        rows.append(row)
    return rows


def _scope_parse(entry: dict, *, path: Path, label: str, unit_codes: set[str]) -> dict:
    """A target's scope as the file writes it (`scope: {unit, counts, kinds, units, judged, reporters}`), and the
    responsible unit (`responsible`); what is left out takes the default: the issuer, every unit, judged on each."""
    scope = entry.get("scope") or {}
    if not isinstance(scope, dict):
        raise SeedFileError(path, _("this field must be a mapping."), entry=label, field="scope")
    units = sorted(scope.get("units") or [])
    kinds = sorted(scope.get("kinds") or [])
    _codes_check(units, unit_codes, path=path, entry=label, field_name="scope.units")
    codes = {name: scope.get("unit") if name == "scope_unit" else entry.get("responsible")
             for name in ("scope_unit", "responsible_unit")}
    for name, code in codes.items():
        if code:
            _codes_check([code], unit_codes, path=path, entry=label, field_name=name)
    counts = scope.get("counts") or (Counts.NAMED if units else Counts.KINDS if kinds else Counts.ALL)
    choices = {"counts": (counts, Counts), "judged": (scope.get("judged") or Judged.EACH, Judged),
               "reporters": (scope.get("reporters") or Reporters.EACH, Reporters)}
    for name, (value, enum) in choices.items():
        if value not in enum.values:
            raise SeedFileError(path, _("unknown value “%(value)s”; use one of: %(choices)s.") % {
                "value": value, "choices": ", ".join(enum.values)}, entry=label, field=f"scope.{name}")
    if units and counts != Counts.NAMED:
        raise SeedFileError(path, _("named units go with “counts: named”."), entry=label, field="scope.units")
    return {"scope_unit": codes["scope_unit"] or None, "responsible_unit": codes["responsible_unit"] or None,
            "applies_to_kinds": kinds, "units": units, "counts": counts, "judged": choices["judged"][0],
            "reporters": choices["reporters"][0]}


def _appendix_task(entry: dict, *, path: Path, label: str) -> int | None:
    """The number of the appendix task that assigns the same deliverable, when the plan has one ({task: 2})."""
    appendix = entry.get("appendix")
    if appendix is None:
        return None
    if not isinstance(appendix, dict) or isinstance(appendix.get("task"), bool) or not isinstance(
            appendix.get("task"), int):
        raise SeedFileError(path, _("write the appendix task as {task: <number>}."), entry=label, field="appendix")
    return appendix["task"]


def _task_rows_parse(entries, *, path: Path, unit_codes: set[str]) -> list[dict]:
    if not isinstance(entries, list):
        raise SeedFileError(path, _("“tasks” must be a list."), entry="tasks")
    rows, numbers = [], set()
    for index, entry in enumerate(entries, start=1):
        number = require(entry, "number", path=path, entry=_("task %(n)s") % {"n": index}, kind=int)
        label = _("task %(n)s") % {"n": number}
        if number in numbers:
            raise SeedFileError(path, _("this number appears twice in the file."), entry=label, field="number")
        numbers.add(number)
        lead = entry.get("lead") or {}
        cooperating = entry.get("cooperating") or {}
        lead_codes = [lead["unit"]] if lead.get("unit") else []
        cooperating_codes = sorted(cooperating.get("units") or [])
        _codes_check(lead_codes, unit_codes, path=path, entry=label, field_name="lead.unit")
        _codes_check(cooperating_codes, unit_codes, path=path, entry=label, field_name="cooperating.units")
        contributions = entry.get("contributions") or {}
        if not isinstance(contributions, dict):
            raise SeedFileError(path, _("this field must be a mapping."), entry=label, field="contributions")
        _codes_check(sorted(contributions), set(cooperating_codes), path=path, entry=label,
                     field_name="contributions")
        accepting = [entry["accepting"]] if entry.get("accepting") else []
        _codes_check(accepting, unit_codes, path=path, entry=label, field_name="accepting")
        due = require(entry, "due", path=path, entry=label, kind=dict)
        due_kind, due_on = due_parse(due, path=path, entry=label, recurring=True)
        row = {
            "number": number,
            "group": entry.get("group") or "",
            "title": require(entry, "title", path=path, entry=label),
            "lead_unit": lead.get("unit"),
            "lead_text": lead.get("text") or "",
            "cooperating": cooperating_codes,
            "cooperating_text": cooperating.get("text") or "",
            "due_kind": due_kind,
            "due_on": due_on,
            "due_text": entry.get("due_text") or due.get("recurring") or "",
            "expected_output": (entry.get("expected_output") or "").strip(),
            "conflicts": [entry["conflict"]] if entry.get("conflict") else [],
            "responsible_person": entry.get("responsible") or "",
            "contributions": {str(code): str(part) for code, part in contributions.items()},
            "recurrence": entry.get("recurrence") or "",
            "accepting_unit": accepting[0] if accepting else None,
        }
        candidate = PlanTask(**{k: row[k] for k in TASK_FIELDS if k not in TASK_UNIT_FIELDS})
        _validated(candidate, path=path, entry=label, exclude=["plan", "number", "lead_unit"])
        rows.append(row)
    return rows


def _m2m_sync(instance, name: str, units: list[Unit], *, by, path: Path, events: list, result) -> None:
    manager = getattr(instance, name)
    current = sorted(manager.values_list("code", flat=True))
    wanted = sorted(unit.code for unit in units)
    if current == wanted:
        return
    manager.set(units)
    events.append(audit_event_build(
        actor=by, action=AuditEvent.Action.LOAD, instance=instance, changes={name: [current, wanted]}, note=path.name
    ))
    if result is not None:
        result.updated += 1


def _with_defaults(document: dict, *, path: Path) -> list:
    """The file's targets, each completed by `target_defaults` (a key the entry gives itself wins, whole)."""
    defaults = document.get("target_defaults") or {}
    if not isinstance(defaults, dict):
        raise SeedFileError(path, _("this field must be a mapping."), entry="target_defaults")
    entries = document.get("targets") or []
    if not isinstance(entries, list):
        return entries  # refused, with its message, by the parser
    return [{**defaults, **entry} if isinstance(entry, dict) else entry for entry in entries]


def plan_seed_load(*, path: Path, by=None, sources_dir: Path | None = None) -> PlanLoadResult:
    """Load one plan file: its extra units, the plan, its targets and tasks. All of the file, or nothing."""
    document = seed_yaml_read(path)
    if not isinstance(document, dict):
        raise SeedFileError(path, _("the file must be a mapping with “plan”, “targets” and “tasks”."))
    source = require(document, "source", path=path, entry="source")
    source_path = Path(sources_dir or settings.SEED_SOURCES_DIR) / source
    try:
        source_text = source_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedFileError(path, _("the source document %(name)s cannot be read.") % {"name": source},
                            entry="source", field="source") from exc
    plan_row = plan_row_parse(require(document, "plan", path=path, entry="plan", kind=dict), path=path, label="plan")
    unit_entries = unit_entries_parse(path, document.get("units") or [])

    indicators = Indicator.objects.in_bulk(field_name="code")
    referenced = {e["code"] for e in unit_entries}
    unit_codes = set(Unit.objects.values_list("code", flat=True)) | referenced
    target_rows = _target_rows_parse(_with_defaults(document, path=path), path=path, indicators=indicators,
                                     unit_codes=unit_codes)
    task_rows = _task_rows_parse(document.get("tasks") or [], path=path, unit_codes=unit_codes)
    conflicts_find(year_start=plan_row["year_start"], year_end=plan_row["year_end"], targets=target_rows,
                   tasks=task_rows)
    appendix_conflicts_find(targets=target_rows, tasks=task_rows, path=path)
    issue_conflicts_find(issued_on=plan_row["issued_on"], issued_in=plan_row["issued_in"], rows=[
        *target_rows, *task_rows])

    result, events = PlanLoadResult(path=path, plan_key=plan_row["key"]), []
    with transaction.atomic():
        if unit_entries:
            units_loaded = unit_entries_upsert(entries=unit_entries, by=by, path=path)
            result.created += units_loaded.created
            result.updated += units_loaded.updated + units_loaded.moved
        plan = _plan_upsert(plan_row, by=by, path=path, source=source, source_text=source_text,
                            result=result, events=events)
        units = Unit.objects.in_bulk(field_name="code")
        result.conflicts.extend(binding_conflicts_find(issuer=plan.issuer, targets=target_rows, units=units,
                                                              path=path))

        _targets_upsert(plan, target_rows, indicators=indicators, units=units, by=by, path=path, result=result,
                        events=events)
        _tasks_upsert(plan, task_rows, units=units, by=by, path=path, result=result, events=events)
        audit_record_many(events)
    result.targets, result.tasks = len(target_rows), len(task_rows)
    return result


def _targets_upsert(plan: Plan, rows: list[dict], *, indicators: dict, units: dict, by, path: Path,
                    result: PlanLoadResult, events: list) -> None:
    """The file's targets by position: created or updated, their named units synced, the others removed."""
    existing = {t.position: t for t in plan.targets.all()}
    for row in rows:
        data = {k: row[k] for k in TARGET_FIELDS if k not in ("indicator", "conflict")}
        data["indicator"] = indicators[row["indicator"]]
        data["scope_unit"] = units[row["scope_unit"]] if row["scope_unit"] else None
        data["responsible_unit"] = units[row["responsible_unit"]] if row["responsible_unit"] else None
        data.update(_conflict_fields(existing.get(row["position"]), "\n".join(row["conflicts"])))
        target = seed_upsert(Target, lookup={"plan": plan, "position": row["position"]}, data=data,
                             by=by, path=path, result=result, events=events)
        _m2m_sync(target, "applies_to_units", [units[c] for c in row["units"]], by=by, path=path,
                  events=events, result=None)
        if row["conflicts"]:
            result.conflicts.append((_("target %(n)s, %(ref)s") % {"n": row["position"], "ref": row["ref"]},
                                     data["conflict"], data["conflict_status"]))
    result.removed += _stale_delete(plan.targets.exclude(position__in=[r["position"] for r in rows]),
                                    by=by, path=path, events=events)


def _tasks_upsert(plan: Plan, rows: list[dict], *, units: dict, by, path: Path, result: PlanLoadResult,
                  events: list) -> None:
    """The file's tasks by number: created or updated, their cooperating units synced, the others removed."""
    existing = {t.number: t for t in plan.tasks.all()}
    for row in rows:
        data = {k: row[k] for k in TASK_FIELDS if k not in TASK_UNIT_FIELDS}
        data["lead_unit"] = units.get(row["lead_unit"]) if row["lead_unit"] else None
        data["accepting_unit"] = units.get(row["accepting_unit"]) if row["accepting_unit"] else None
        data.update(_conflict_fields(existing.get(row["number"]), "\n".join(row["conflicts"])))
        task = seed_upsert(PlanTask, lookup={"plan": plan, "number": row["number"]}, data=data,
                           by=by, path=path, result=result, events=events)
        _m2m_sync(task, "cooperating_units", [units[c] for c in row["cooperating"]], by=by, path=path,
                  events=events, result=None)
        if row["conflicts"]:
            result.conflicts.append((_("task %(n)s") % {"n": row["number"]}, data["conflict"],
                                     data["conflict_status"]))
    result.removed += _stale_delete(plan.tasks.exclude(number__in=[r["number"] for r in rows]),
                                    by=by, path=path, events=events)


def _stale_delete(queryset, *, by, path: Path, events: list) -> int:
    """Entries removed from the file are removed from the plan, each with its audit row."""
    count = 0
    for obj in queryset:
        events.append(audit_event_build(actor=by, action=AuditEvent.Action.DELETE, instance=obj, note=path.name))
        obj.delete()
        count += 1
    return count


def plan_files() -> list[Path]:
    return sorted(PLAN_FILES_DIR.glob("*.yaml"))


@dataclass
class SeedLoadReport:
    loaded: list = field(default_factory=list)  # (file name, result)
    errors: list[SeedFileError] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(result.changed for _name, result in self.loaded)


def seed_plans_load(*, by=None, plan_paths: list[Path] | None = None) -> SeedLoadReport:
    """Units, the indicator catalogue, the named plans, then each plan file; a bad file loads nothing of itself."""
    from targets.services import indicators_seed_load
    from units.services import units_seed_load_all

    report = SeedLoadReport()
    steps = [
        ("units", lambda: units_seed_load_all(by=by)),
        ("indicators", lambda: indicators_seed_load(by=by)),
        ("named", lambda: named_plans_seed_load(by=by)),
    ]
    for name, step in steps:
        try:
            outcome = step()
        except SeedFileError as exc:
            report.errors.append(exc)
            return report  # the plans depend on these: stop rather than load them half-way
        loaded = outcome.items() if isinstance(outcome, dict) else [(name, outcome)]
        report.loaded.extend(loaded)
    for path in plan_paths if plan_paths is not None else plan_files():
        try:
            report.loaded.append((path.name, plan_seed_load(path=path, by=by)))
        except SeedFileError as exc:
            report.errors.append(exc)
    return report
