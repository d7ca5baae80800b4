"""`manage.py plan_extract FILE [--json] [--passage TEXT …]`: the reading of a plan document
(`authoring.extract`), on the console; each `--passage`, a stretch of the document the reading missed, is read on its
own (`authoring.extract_passage`) and its candidates follow the others.

With `--json`, a JSON list of candidates in the order the document writes them, each an object with:
`kind` ("target" or "task"); `clause` (the sentence, line breaks folded) and `start`/`end` (its offsets in the
document's text); `indicator` (a catalogue code, or null when no indicator's words fit the clause well enough);
`comparator` ("at_least", "range", "at_most", "reduce_by", "done"); `value` and `value_max` (numbers or null);
`measure`, what the value counts: "percent" (a percentage: "tối thiểu 95%"), "count" (a number of things: "tối thiểu
03 cụm" is at_least 3), "rank" (a place in a ranking: "thuộc nhóm 4 nước dẫn đầu" is at_most 4, the 4th place or
better), "multiple" (a multiple of something: "gấp 30 lần GRDP" is at_least 30, "giảm … còn 1,7 lần" at_most 1.7),
"ratio" (so many of one thing to 100 of another: "ở mức 107 trẻ trai/100 trẻ gái" is at_most 107), "rate" (so many
per 1.000, 100.000 …, the base as the clause writes it: "dưới 4/100.000" is at_most 4); a rate or ratio is at_most
unless a word before it asks for more ("trên", "ít nhất", "đạt": at_least); "giảm từ 23 … xuống 18 ca sinh/1.000"
is at_most 18, the start value 23 being no target; "amount" (a quantity in a unit of measure: "đạt 18.000 tấn" is
at_least 18000, "đạt 10 triệu USD" at_least 10, "dưới 40 μg/m3" at_most 40, "giảm trung bình 5 μg/m3" reduce_by 5, as
"giảm 20%" is; only after a word asking to reach it, so "công suất 500 MW" is none; a number of things, "22 trạm",
"1.200 công trình", "3.000 lượt", "240 mẫu/năm", stays a "count"); null for "done"; `unit`, for an
"amount", its unit as written, the scale kept in it and never multiplied in ("tấn", "triệu USD", "tỷ đồng", "μg/m3",
"ha", "MW", "con/phụ nữ"; a dot in the number groups thousands, a comma marks decimals: "48,3 triệu USD" is value
48.3, unit "triệu USD"), null otherwise; a sentence may set several figures, each its own candidate with the same
clause, and a list item whose first sentence sets a figure and a later sentence of 15 words or more another gives
each figure its own sentence as its clause; `due` (ISO date, the last day it is due by; null for a task with no day:
recurring work, "trước ngày 15 hằng tháng", "trước ngày 30/11 hằng năm", "Thường xuyên", whose words stay in the
clause; a time line giving only a start, a yearly season or a duration, "Từ tháng 11/2025 đến khi kết thúc …",
"01 ngày/hội nghị", gives no day, and with no lead no task); for tasks `lead`, `cooperating` and `output` as the
document writes them (empty strings for targets). Not read as targets: the size that brings a place within scope
("có diện tích từ 10 ha trở lên"), a share of a budget set aside ("khoản 10% kinh phí"), a loan's rate ("lãi suất
cho vay 2%/năm"); "năm 2025 đạt trên 8% và năm 2026 đạt từ 10%" gives each figure the year before it.
"""

import json
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from authoring.documents import document_text
from authoring.extract import (
    AMOUNT,
    AT_MOST,
    COUNT,
    MULTIPLE,
    RANK,
    RATE,
    RATIO,
    TASK,
    Candidate,
    candidates_extract,
    catalogue_from_indicators,
)
from authoring.extract_passage import passage_candidates, passage_span
from core.exceptions import ApplicationError
from core.formatting import date_format, number_format
from targets.models import Indicator

_COMPARATOR_LABELS = {
    "at_least": "≥ %(value)s%%",
    "at_most": "≤ %(value)s%%",
    "range": "%(value)s–%(value_max)s%%",
    "reduce_by": "−%(value)s%%",
}
_COUNT_LABELS = {"at_least": "≥ %(value)s", "at_most": "≤ %(value)s"}


class Command(BaseCommand):
    help = _("Read a plan document (.docx, .pdf, .txt) and list the targets and tasks it seems to set.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("The plan document to read."))
        parser.add_argument("--json", action="store_true", help=_("Print the candidates as a JSON list."))
        parser.add_argument("--passage", action="append", default=[], metavar="TEXT",
                            help=_("A passage of the document the reading missed, read on its own and its candidates "
                                   "added after the others (as on the page); may be given several times."))

    def handle(self, *args, file: Path, json: bool = False, passage: list[str] | None = None, **options):
        if not file.is_file():
            raise CommandError(_("“%(name)s” does not exist.") % {"name": file})
        try:
            with file.open("rb") as stream:
                document = document_text(File(stream, name=file.name))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        catalogue = catalogue_from_indicators(Indicator.objects.filter(is_active=True))
        candidates = candidates_extract(document.text, catalogue=catalogue)
        for words in passage or []:
            span = passage_span(document.text, words)
            if span is None:
                raise CommandError(_("“%(passage)s” is not in the document: give the passage as the document writes "
                                     "it.") % {"passage": words[:80]})
            candidates.extend(passage_candidates(document.text, span, catalogue=catalogue))
        if json:
            self.stdout.write(_json_dumps([candidate.to_json() for candidate in candidates]))
            return
        self._listing(document.name, candidates)

    def _listing(self, name: str, candidates: list[Candidate]) -> None:
        targets = sum(candidate.kind != TASK for candidate in candidates)
        self.stdout.write(_("%(name)s: %(targets)s candidate targets, %(tasks)s candidate tasks") % {
            "name": name, "targets": targets, "tasks": len(candidates) - targets})
        if not candidates:
            self.stdout.write(_("No target or task was recognised; the text can still be worked from by hand."))
        for number, candidate in enumerate(candidates, start=1):
            self.stdout.write("")
            self.stdout.write(f"{number}. {_candidate_heading(candidate)}")
            self.stdout.write("   " + _("Clause: %(clause)s") % {"clause": candidate.clause})
            if candidate.kind == TASK:
                for label, value in ((_("Lead unit"), candidate.lead), (_("Cooperating units"), candidate.cooperating),
                                     (_("Expected output"), candidate.output.replace("\n", " "))):
                    if value:
                        self.stdout.write(f"   {label}: {value}")


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _candidate_heading(candidate: Candidate) -> str:
    kind = _("Task") if candidate.kind == TASK else _("Target")
    if candidate.measure == AMOUNT and candidate.value is not None:
        sign = {"at_least": "≥ ", "at_most": "≤ ", "reduce_by": "−"}.get(candidate.comparator, "")
        measure = f"{sign}{number_format(candidate.value)} {candidate.unit}"
    elif candidate.measure == RANK and candidate.value is not None:
        measure = _("ranked %(value)s or better") % {"value": number_format(candidate.value)}
    elif candidate.measure in (RATE, RATIO) or (candidate.measure == MULTIPLE and candidate.comparator == AT_MOST):
        measure = _COUNT_LABELS.get(candidate.comparator, "%(value)s") % {"value": number_format(candidate.value)}
    elif candidate.measure == MULTIPLE and candidate.value is not None:
        measure = _("%(value)s times or more") % {"value": number_format(candidate.value)}
    elif candidate.measure == COUNT and candidate.comparator in _COUNT_LABELS and candidate.value is not None:
        measure = _COUNT_LABELS[candidate.comparator] % {"value": number_format(candidate.value)}
    elif candidate.comparator in _COMPARATOR_LABELS and candidate.value is not None:
        measure = _COMPARATOR_LABELS[candidate.comparator] % {
            "value": number_format(candidate.value), "value_max": number_format(candidate.value_max or 0)}
    else:
        measure = _("done")
    due = date_format(candidate.due) if candidate.due else _("no deadline")
    indicator = candidate.indicator or _("indicator not recognised")
    return f"{kind} · {measure} · {due} · {indicator}"
