"""A report's history in words: every list of changes, decisions and the read-only figures speak the same way.

The audit rows keep what the services wrote ("status": ["draft", "submitted"], "ky_so.numerator": [80, 95]);
this turns them into what a clerk reads: "Trạng thái: Nháp → Đã nộp", "Tỷ lệ văn bản được ký số – tử số:
80 → 95", dates dd/mm/yyyy, "Hoàn thành / Chưa hoàn thành".
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.formatting import date_format, number_format
from reports.models import Report, ReportDecision, ReportValue
from targets.models import Indicator

EMPTY = "—"


@dataclass(frozen=True, slots=True)
class Change:
    """One changed thing: what (an indicator's field, the status…), how it was and how it is."""

    subject: str
    before: str
    after: str

    def __str__(self) -> str:
        if self.before == EMPTY:
            return _("%(subject)s: %(after)s") % {"subject": self.subject, "after": self.after}
        return _("%(subject)s: %(before)s → %(after)s") % {"subject": self.subject, "before": self.before,
                                                          "after": self.after}


def done_words(value: bool | None) -> str:
    if value is None:
        return EMPTY
    return _("Done") if value else _("Not done")


def _date_words(value) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return date_format(value) if isinstance(value, dt.date) else EMPTY


def _status_words(value) -> str:
    try:
        return str(Report.Status(value).label)
    except ValueError:
        return EMPTY if value is None else str(value)


def value_words(field: str, value) -> str:
    """A value as a page shows it: counts with a thousands dot, done/not done in words, notes quoted."""
    if value is None or value == "":
        return EMPTY
    if field == "done" or isinstance(value, bool):
        return done_words(bool(value))
    if field in ("status",):
        return _status_words(value)
    if field == "due_on":
        return _date_words(value)
    if field == "note":
        return f"“{value}”"
    if isinstance(value, int | float):
        return number_format(value)
    return str(value)


def _field_label(name: str) -> str:
    if name == "evidence":
        return _("evidence file")
    try:
        return str(ReportValue._meta.get_field(name).verbose_name)
    except Exception:  # a field no longer on the model: its code is all there is to show
        return name


def _subject(key: str, names: Mapping[str, str]) -> tuple[str, str]:
    """("Tỷ lệ văn bản được ký số – tử số", "numerator") for "ky_so.numerator"; report fields by their label."""
    code, dot, field = key.rpartition(".")
    if dot:
        return f"{names.get(code, code)} – {_field_label(field)}", field
    try:
        label = Report._meta.get_field(key).verbose_name
    except Exception:
        label = key
    return str(label).capitalize(), key


def change_list(changes: Mapping[str, list], *, names: Mapping[str, str]) -> list[Change]:
    """An audit row's or a submission's changes, {key: [before, after]}, in words."""
    out = []
    for key, pair in changes.items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
        if key == "value_reasons" and isinstance(after, dict):  # a return's reasons, one per indicator
            label = _("reason for returning")
            out += [Change(f"{names.get(code, code)} – {label}", EMPTY, str(text)) for code, text in after.items()]
            continue
        subject, field = _subject(key, names)
        change = Change(subject, value_words(field, before), value_words(field, after))
        if change.before != change.after:  # None → "" (an empty note saved) is no change to a reader
            out.append(change)
    return out


def field_changes(changes: Mapping[str, list]) -> list[Change]:
    """One indicator's changed fields between two submissions ({"numerator": [80, 95]}), labelled by field."""
    return [Change(_field_label(name), value_words(name, pair[0]), value_words(name, pair[1]))
            for name, pair in changes.items()]


@dataclass(frozen=True, slots=True)
class DecisionWords:
    action: str
    reason: str
    value_reasons: list[tuple[str, str]]  # (indicator name, reason)


def decision_words(decision: ReportDecision, *, names: Mapping[str, str]) -> DecisionWords:
    return DecisionWords(
        action=str(decision.get_action_display()), reason=decision.reason,
        value_reasons=[(names.get(code, code), text) for code, text in (decision.value_reasons or {}).items()])


def indicator_names() -> dict[str, str]:
    """Code → name of the whole catalogue (a few dozen rows): history may name an indicator no longer bound."""
    return dict(Indicator.objects.values_list("code", "name"))
