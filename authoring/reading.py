"""The document path of a new plan: its text read, the candidates proposed beside it, each accepted, edited or
rejected by the author. The reading itself is `authoring.documents` (the file's text) and `authoring.extract`
(the candidates, their sentences marked in the text); this module only puts them on the page."""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from authoring.documents import document_text
from authoring.extract import PERCENT, candidates_extract, catalogue_from_indicators, marked_segments, words_fold
from authoring.extract_passage import PASSAGE_MAX_CHARS, passage_candidates, passage_span
from authoring.forms import DUE_HELP
from authoring.services import Accepted, due_read
from core.formatting import date_format, number_format
from plans.models import Recurrence
from targets.models import Comparator, Indicator


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the document's text; `index` names the candidate whose sentence it is (None: plain text)."""

    text: str
    index: int | None


@dataclass(slots=True)
class CandidateRow:
    index: int
    candidate: Any
    form: "CandidateForm"

    @property
    def figure(self) -> str:
        """The figure read, when the form's percentage cannot hold it: "≥ 18.000 tấn", "≥ 22", "≤ 4"."""
        return figure_shown(self.candidate)


_SIGNS = {"at_least": "≥ ", "at_most": "≤ ", "reduce_by": "−", "range": ""}


def _number_shown(value: Decimal) -> str:
    """As many decimals as the text wrote ("48,3", "18.000")."""
    return number_format(value, max(0, -Decimal(value).as_tuple().exponent))


def figure_shown(candidate) -> str:
    """A quantity, count, rank, multiple, ratio or rate as read, with its unit ("≥ 18.000 tấn", "≤ 40 μg/m3"): the
    catalogue's targets are percentages and milestones, so the person sets the indicator and value by hand, seeing
    what the text asked. Empty for a percentage or a milestone, which the form holds."""
    measure, value = getattr(candidate, "measure", None), getattr(candidate, "value", None)
    if measure in (None, PERCENT) or value is None:
        return ""
    shown = _number_shown(value)
    value_max = getattr(candidate, "value_max", None)
    if value_max is not None:
        shown = f"{shown}–{_number_shown(value_max)}"
    unit = getattr(candidate, "unit", "") or ""
    return f"{_SIGNS.get(candidate.comparator, '')}{shown} {unit}".strip()


@dataclass(slots=True)
class Reading:
    """A document read: its text, the candidates proposed (the reading's, then those of each passage the author
    pointed at, in `passages`), the text cut into runs each marked with its candidate, and the forms."""

    text: str
    name: str
    candidates: list
    segments: list[Segment]
    rows: list[CandidateRow] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    fresh: int | None = None  # the first candidate of the passage just added, for the page to bring into view


def due_guess(day: dt.date | None) -> str:
    """A candidate's deadline in the words the form reads: 31/12 is the year, a quarter's last day its quarter."""
    if day is None:
        return ""
    if (day.month, day.day) == (12, 31):
        return str(day.year)
    if (day.month, day.day) in {(3, 31), (6, 30), (9, 30)}:
        return f"Quý {['I', 'II', 'III'][day.month // 3 - 1]}/{day.year}"
    return date_format(day)


def _segments(raw) -> list[Segment]:
    """`marked_segments` tags each run with its candidate's place from 0; the page numbers candidates from 1."""
    return [Segment(item.text, None if item.index is None else item.index + 1) for item in raw]


def _due_initial(candidate) -> str:
    """The deadline as the document wrote it when the form reads it ("Quý II/2026"), else from its last day."""
    written = getattr(candidate, "due_text", "") or ""
    if written:
        try:
            due_read(written)
            return written
        except ValidationError:
            pass
    return due_guess(getattr(candidate, "due", None))


# "hằng tháng", "hàng tháng", "mỗi tháng"; "hằng quý", "hàng quý", "mỗi quý" (folded: no diacritics, lower case).
_EVERY = re.compile(r"\b(?:hang|moi) (thang|quy)\b")


def recurrence_read(words: str) -> str:
    """The recurrence a deadline's words name: monthly for "trước ngày 15 hằng tháng" ("hàng tháng", "mỗi tháng"),
    quarterly for "hằng quý" ("hàng quý", "mỗi quý"); "" for anything else, "hằng năm" and "Thường xuyên" among them
    (the model has no yearly or open-ended occurrence: the author sets a first deadline instead)."""
    found = _EVERY.search(" ".join(words_fold(words or "")))
    return {"thang": Recurrence.MONTHLY, "quy": Recurrence.QUARTERLY}[found[1]] if found else ""


def _due_instruction(written: str) -> str:
    """What to do with a task whose plan writes a deadline the form cannot hold ("trước ngày 30/11 hằng năm")."""
    return _("The plan writes “%(words)s”, which is no single day: type the first deadline (e.g. 30/11/2026), or "
             "choose monthly or quarterly under Recurrence.") % {"words": written}


def _catalogue():
    return catalogue_from_indicators(Indicator.objects.filter(is_active=True).select_related("group"))


def document_read(*, text: str, upload=None, name: str = "", passages: Sequence[str] = ()) -> Reading:
    """The text (pasted, or read from the uploaded file, which may be refused) and the candidates read from it,
    followed by those of each passage the author pointed at (`authoring.extract_passage`); a passage no longer in
    the text proposes nothing."""
    if upload is not None:
        document = document_text(upload)
        text, name = document.text, document.name
    catalogue = _catalogue()
    reading = Reading(text=text, name=name or "", candidates=list(candidates_extract(text, catalogue=catalogue)),
                      segments=[])
    passages_read(reading, passages, catalogue=catalogue)
    reading.rows = candidate_rows(reading, data=None)
    return reading


def passages_read(reading: Reading, passages: Sequence[str], *, catalogue=None) -> None:
    """The candidates of each passage (`authoring.extract_passage`) after those `reading` has, the text's runs
    marked again; a passage not in the text proposes nothing."""
    catalogue = catalogue if catalogue is not None else _catalogue()
    for passage in passages:
        span = passage_span(reading.text, passage)
        if span is not None:
            reading.passages.append(passage)
            reading.candidates.extend(passage_candidates(reading.text, span, catalogue=catalogue))
    reading.segments = _segments(marked_segments(reading.text, reading.candidates))


def passage_checked(text: str, passage: str) -> str:
    """The passage the author points at, refused in Vietnamese when it is empty, too long or not in the text."""
    passage = (passage or "").strip()
    if not passage:
        raise ValidationError(_("Select a passage in the document (or paste it here) before asking for it to be "
                                "read."))
    if len(passage) > PASSAGE_MAX_CHARS:
        raise ValidationError(_("The passage is too long: select one sentence, item or table row (at most "
                                "%(count)s characters).") % {"count": number_format(PASSAGE_MAX_CHARS)})
    if passage_span(text, passage) is None:
        raise ValidationError(_("This passage is not in the document: select it in the document shown, or paste "
                                "it exactly as written."))
    return passage


def passage_added(reading: Reading, data, passage: str | None) -> None:
    """One more passage's candidates after the others (none when `passage` is None, refused). The forms of those
    already shown keep what the author set in them (unchecked, edited) without being judged yet, as the page is
    shown again, not submitted; the new ones start from what the passage proposes."""
    kept = {row.index: {name: row.form[name].value() for name in row.form.fields}
            for row in candidate_rows(reading, data=data)}
    if passage is not None:
        reading.fresh = len(reading.candidates) + 1
        passages_read(reading, [passage])
        reading.rows = candidate_rows(reading, data=None)
    for row in reading.rows:
        if row.index in kept:
            row.form = CandidateForm(prefix=f"c{row.index}", initial=kept[row.index])


KINDS = [("target", gettext_lazy("Target")), ("task", gettext_lazy("Task"))]


class CandidateForm(forms.Form):
    accept = forms.BooleanField(label=gettext_lazy("Accept"), required=False, initial=True)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KINDS)
    indicator = forms.ModelChoiceField(label=gettext_lazy("Indicator"), required=False,
                                       queryset=Indicator.objects.filter(is_active=True), to_field_name="code")
    comparator = forms.ChoiceField(label=gettext_lazy("Comparator"), required=False,
                                   choices=[("", "—"), *Comparator.choices])
    value = forms.DecimalField(label=gettext_lazy("Value (%)"), required=False, min_value=Decimal(0),
                               max_value=Decimal(100), max_digits=5, decimal_places=2)
    value_max = forms.DecimalField(label=gettext_lazy("Upper value (%), for a range"), required=False,
                                   min_value=Decimal(0), max_value=Decimal(100), max_digits=5, decimal_places=2)
    due = forms.CharField(label=gettext_lazy("Due"), max_length=40, required=False, help_text=DUE_HELP)
    recurrence = forms.ChoiceField(label=gettext_lazy("Recurrence"), choices=Recurrence.choices, required=False)
    due_written = forms.CharField(label=gettext_lazy("Deadline as the plan writes it"), max_length=255,
                                  required=False, help_text=gettext_lazy("Kept with a task, beside its deadline."))
    clause = forms.CharField(label=gettext_lazy("Clause (as the plan writes it)"),
                             widget=forms.Textarea(attrs={"rows": 2}))
    lead_text = forms.CharField(label=gettext_lazy("Lead unit (as written)"), max_length=255, required=False)
    cooperating_text = forms.CharField(label=gettext_lazy("Cooperating units (as written)"), max_length=500,
                                       required=False)
    expected_output = forms.CharField(label=gettext_lazy("Expected output"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        initial = self.initial
        if initial.get("kind") == "task" and initial.get("due_written") and not (
                initial.get("due") or initial.get("recurrence")):
            self.fields["due"].help_text = _due_instruction(initial["due_written"])

    def clean(self):
        data = super().clean()
        if not data.get("accept"):
            return data
        if data.get("kind") == "target":
            missing = {name: _("A target needs this.") for name in ("indicator", "comparator", "due")
                       if not data.get(name)}
            if data.get("recurrence"):
                missing["recurrence"] = _("A target has no recurrence: leave it as “Not recurring”.")
            if missing:
                raise ValidationError(missing)
        elif data.get("kind") == "task":
            if not (data.get("due") or data.get("recurrence")):
                raise ValidationError({"due": _("A task needs a deadline: type it (e.g. 30/11/2026), or for "
                                                "recurring work choose monthly or quarterly under Recurrence.")})
            if data.get("due") and data.get("recurrence"):
                raise ValidationError({"recurrence": _("Recurring work has no date: clear the deadline, or choose "
                                                       "“Not recurring” to keep the date.")})
        return data


def _initial(candidate) -> dict[str, Any]:
    get = lambda name, default=None: getattr(candidate, name, default)  # noqa: E731 - one reader for the record
    due, written = _due_initial(candidate), (get("due_text", "") or "")[:255]  # PlanTask.due_text's length
    return {
        "accept": True, "kind": get("kind", "target"), "indicator": get("indicator"), "comparator": get("comparator"),
        # The form's values are percentages: a count or a rank ("tối thiểu 03 cụm") is left for the author to set.
        **({"value": get("value"), "value_max": get("value_max")} if get("measure") in (None, PERCENT)
           else {"value": None, "value_max": None}),
        # Recurring work ("trước ngày 15 hằng tháng") has no date: its recurrence read from the words it writes.
        "due": due, "due_written": written,
        "recurrence": recurrence_read(written) if get("kind") == "task" and not due else "",
        "clause": get("clause", ""), "lead_text": get("lead", "") or "",
        "cooperating_text": ", ".join(get("cooperating") or []) if isinstance(get("cooperating"), list)
        else (get("cooperating") or ""), "expected_output": get("output", "") or "",
    }


def candidate_rows(reading: Reading, *, data) -> list[CandidateRow]:
    """One form per candidate: filled from the reading, or bound to what the author posted."""
    return [CandidateRow(index, candidate, CandidateForm(data, prefix=f"c{index}", initial=_initial(candidate)))
            for index, candidate in enumerate(reading.candidates, start=1)]


def _accepted(index: int, data: dict[str, Any]) -> Accepted:
    """What the author accepted of one candidate, in the words `plan_draft_from_document` writes."""
    if data["kind"] == "task":
        return Accepted(index, "task", {
            "title": data["clause"], "lead_text": data["lead_text"], "cooperating_text": data["cooperating_text"],
            "expected_output": data["expected_output"], "due": data["due"],
            "recurrence": data.get("recurrence") or "", "due_text": data.get("due_written") or ""})
    return Accepted(index, "target", {
        "indicator": data["indicator"], "comparator": data["comparator"], "value": data["value"],
        "value_max": data["value_max"], "due": data["due"], "clause": data["clause"]})


def rows_accepted(rows: list[CandidateRow]) -> list[Accepted]:
    return [_accepted(row.index, row.form.cleaned_data) for row in rows if row.form.cleaned_data.get("accept")]


def reading_accepted_whole(reading: Reading) -> list[Accepted]:
    """Every candidate taken as read, as an author who accepts them all without editing would: each target with a
    guessed indicator, comparator and deadline, and each task with a deadline or a recurrence read from its words
    ("trước ngày 15 hằng tháng"); the rest need the author's hand."""
    codes = {row.form.initial["indicator"] for row in reading.rows} - {None}
    indicators = Indicator.objects.in_bulk(codes, field_name="code")
    accepted = []
    for row in reading.rows:
        data = {**row.form.initial}
        data["indicator"] = indicators.get(data["indicator"])
        if data["kind"] == "task" and (data["due"] or data["recurrence"]) or (
                data["due"] and data["indicator"] and data["comparator"]):
            accepted.append(_accepted(row.index, data))
    return accepted
