"""Reading a plan's text: the targets and tasks it sets, proposed as candidates for a person to accept, edit or reject.

Pure Python: no database access; the indicator catalogue is passed in (`catalogue_from_indicators`). The reading is
rule-based on how party and state plans are written:

- a block is a paragraph, a bullet ("- ", "+ "), or a numbered item ("1.", "2.3.1.", "a)"), its wrapped lines
  joined (also across a page break, when the sentence goes on in lower case, and a heading in capitals wrapped
  by the page, "II. MỤC" / "TIÊU"); without blank lines between paragraphs (text from a PDF), a heading's single
  line or a finished sentence closes its block, but a line ending in a figure or a comma ("đ) Đến hết năm 2045:
  100%") goes on on the next, capital or not; in a text whose items nearly all follow a blank line, an item's first
  line is never a block of its own ("3. Bộ Tư lệnh" / "Thành phố chủ trì …", "4." / "Phối hợp kiểm tra …");
- headings carry their year down to the blocks under them ("a. Năm 2026", "2.3.3. Năm 2027",
  "Mục tiêu cụ thể năm 2026", "Phấn đấu đến hết năm 2026:"), until a heading of the same or a higher level; a line
  that is only a period ("- Giai đoạn 2025-2027", "Đến năm 2027:", "Năm 2026:") dates the blocks under it and the
  siblings after it, until the next period or heading;
- a percentage is a target: "100%" and "tối thiểu / ít nhất / trên 95%" (at_least), "30 - 40%" and "80% - 90%"
  (range), "tối đa / không quá / dưới 10%" (at_most), "rút ngắn / giảm (ít nhất) 30%" (reduce_by); a block's parts
  separated by ";" or by the end of a sentence give one candidate each ("70% hồ sơ …; riêng đơn thư … đạt 100%"),
  each due by its own deadline if it writes one; a part without a percentage may set a count ("tối thiểu 03 cụm …",
  "từ 03 bộ …": at_least 3, `measure` "count"), a place in a ranking ("thuộc nhóm 4 nước dẫn đầu ASEAN", "top 50":
  at_most 4, `measure` "rank") or a multiple ("gấp 30 lần GRDP": at_least 30, "gấp đôi" 2, `measure` "multiple");
  "ít nhất 01 lần" is how often, "từ 15 tuổi" how old, not a count; a count listed after a count of the same things
  is one too ("ít nhất 100 doanh nghiệp …, 50 doanh nghiệp …, trong đó có 20 doanh nghiệp …"), and so is a count
  reached, invested in or stated ("đạt mục tiêu 1.200 công trình", "đầu tư mới đối với 22 trạm", "Số lượng: 5.000
  cuốn"); a quantity in a unit of measure is read beside the percentages ("đạt 18.000 tấn; … đạt 10 triệu USD, tăng
  5 - 6%/năm": three targets; "dưới 40 μg/m3" at_most; `measure` "amount", the unit in `unit`), each figure of a
  sentence its own target (`authoring.extract_figures`); a list item whose first sentence and a later one each set
  a figure gives each figure its own sentence as its clause; a figure in a
  paragraph of prose of several
  sentences is proposed with its own sentence as its clause (a list item stays one clause);
- a block that begins "Hoàn thành …" (after any "Quý II/2025," or "Năm 2025:") is a milestone (done), in the
  objectives or with a deadline of its own (among the tasks, an undated one restates work); in the
  specific-objectives section (also under a heading "Mục tiêu đến hết năm 2026", "Chỉ tiêu năm 2026" or "Mục tiêu
  cụ thể", whatever the section above it), so is a block that begins with a concrete action ("Số hóa …", "Tích
  hợp …", "Chỉnh lý …", "Thực hiện …", "Xây dựng …", "Thí điểm …", "Hoàn thiện …", "Ứng dụng …", "Triển khai …",
  "Hình thành …", "Áp dụng …") or with its year ("Năm 2025, dữ liệu … được làm sạch"); once a plan has a section
  named for its objectives ("I. MỤC TIÊU"), a later "III. NỘI DUNG CỦA KẾ HOẠCH" lists its work, not milestones;
- deadlines: "Quý II/2025" or "Quý II năm 2025" (the quarter's last day), "trong tháng 6/2026" (the month's last
  day; "trước tháng 6/2026" the last day of May), "trước ngày 01/7/2025" or "trước ngày 31 tháng 12 năm 2025"
  (the day before, as `portal.seeding.due_parse` reads "before"), "năm 2027" leading the block or "trong / đến hết /
  vào năm 2026" (31/12), "trong 05 năm tiếp theo" (five years after the last year the clause wrote before it),
  "trong giai đoạn 2026-2030" (2030; not when the period is part of a document's name or says which records);
  otherwise the heading's year, otherwise the plan's last year: read from its title (the place-and-date line "Hà
  Nội, ngày 01 tháng 12 năm 2025" dates the document, not the plan), else the latest year its headings name
  ("MỤC TIÊU ĐẾN NĂM 2030"), else its latest deadline, with `due_text` left empty because the document did not
  write it;
- tasks: the appendix tables, and tables in the body read from Word (`authoring.extract_appendix`: a table of
  assignments gives tasks, a table of indicators gives targets, also when it names a lead for each row, rows
  numbered in one sequence or again in each group, a row under a merged number cell a task of its own; a scoring
  sheet, "Tiêu chí | Điểm chuẩn", gives nothing and is not read as the body); a bullet ending "(Ban … chủ trì)"
  is a task led by that unit, and so, outside the objectives, is a deliverable ("Xây dựng …", "Triển khai …") with a
  day or quarter of its own ("… trước ngày 31 tháng 12 năm 2025"); tasks written in prose (`authoring.extract_tasks`:
  an item with its "Cơ quan chủ trì: …", "Cơ quan phối hợp: …", "Thời hạn …: …", "Sản phẩm: …" lines, or, in a tasks
  section, naming its lead in its own words, "Bộ Công an chủ trì, phối hợp với …", or only a deadline; one task per
  assignment under a heading holding several, a task written under "Nhiệm vụ:" or "Nội dung:" read by its content,
  one per bullet under "Nhiệm vụ:"; the duties of "Tổ chức thực hiện" naming their unit and a deadline, a recurring
  one, "trước ngày 15 hằng tháng", giving no day, `authoring.extract_duties`); an item with neither a lead nor a
  deadline is not a task, "1. Sở Tài chính (cơ quan chủ trì)" is none, and a task's item is never also a milestone;
- a rate or ratio is a level to stay under unless a word asks for more ("dưới 4/100.000", "ở mức 107 trẻ trai/100
  trẻ gái": at most 4, 107), and so are "còn 1,7 lần" and the end of a fall ("giảm từ 23 … xuống 18 ca/1.000": at
  most 18, the start value no target); "ít nhất một cơ sở" is a count; a figure followed by its own year and then
  another ("20% … năm 2025, … đến hết năm 2030 đạt 50%") is due that year;
- what is not asked of anyone gives no target (`authoring.extract_skip`): a condition ("dưới 30% có thể điều
  chỉnh"), a figure in a cited document's title ("Đề án “… ít nhất 01 triệu căn hộ …”"), a section on the present
  situation ("1. Hiện trạng", "Thực trạng", "Kết quả đạt được"), a part opening "Hiện nay" or saying "đến nay
  đã", a share in brackets "(chiếm 32,2%)", an award quota ("Bằng khen … không quá 10% tập thể, 5% cá nhân"), points
  ("cộng 05 điểm", "tổng số điểm"); nor is a
  numbered subheading with items under it ("2.1. Xây dựng trạm 5G, mạng lõi"), an action followed by what it means
  ("- Triển khai cáp quang: Đảm bảo …") or an activity listed under "Nội dung thực hiện" a milestone; under the
  objectives a count needs no comparator word ("+ Lắp đặt mới trạm 5G: 58 trạm", "nâng tổng số trạm: 188 trạm",
  "phát triển 58 trạm"; not the breakdown in brackets), nor does a count of people, sessions or products ("đào tạo
  3.000 lượt nhân lực", "200 người", "20 mô hình"), and a sentence introducing a list ("…, cụ thể như sau:") still
  sets its own percentage.

Each candidate keeps its clause (the block with its line breaks folded into spaces) and the offsets of that block in
the text, so a page can highlight it (`marked_segments`). The indicator is guessed from the catalogue's words:
TF-IDF over syllables and syllable pairs with diacritics folded, a milestone preferring milestone indicators, the
indicator whose name counts what the percentage counts preferred ("100% văn bản" → "Tỷ lệ văn bản …"); none when
the best one fits poorly (`INDICATOR_MIN_SCORE`, `INDICATOR_MIN_FIT`: the clause must also say most of what the
indicator's name says), since a wrong guess costs the reviewer more than none; and none for an amount, a count, a
rank, a multiple or a rate, the catalogue's indicators being shares, milestones and reductions.

For the pages that let a person accept, edit or reject what is proposed: call `document_text` (authoring.documents)
on the upload, then `candidates_extract(document.text, catalogue=catalogue_from_indicators(indicators))`, and
`marked_segments(document.text, candidates)` for the highlighted text; `Candidate.to_json()` is what
`manage.py plan_extract --json` prints. Offsets index into the text passed in.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple

# The comparators and measures and the reading of a clause's figures live in `authoring.extract_figures`; they are
# named here too, where the rest of the reading imports them from.
from authoring.extract_figures import (  # noqa: F401
    _PERCENT,
    AMOUNT,
    AT_LEAST,
    AT_MOST,
    COUNT,
    MULTIPLE,
    PERCENT,
    RANGE,
    RANK,
    RATE,
    RATIO,
    REDUCE_BY,
    _bare_counts,
    _Measure,
    _measures,
    done_counts,
    item_sentences,
)
from authoring.extract_skip import not_asked, recipients, situation_heading, unasked_blanked
from core.periods import ROMAN, Quarter, month_last_day, year_last_day

TARGET = "target"
TASK = "task"
DONE = "done"

JSON_FIELDS = ("kind", "clause", "start", "end", "indicator", "comparator", "value", "value_max", "measure", "unit",
               "due", "lead", "cooperating", "output")
# An indicator is guessed only when the clause shares at least this much of its weighted words with it (cosine), and
# when that score times the share of the indicator's name the clause says too (`_Guesser.covered`) reaches
# INDICATOR_MIN_FIT. Chosen on the seed plans and the three state plans read as a development set: below 0.18 the
# seeds' right guesses are 2 of 108, the state plans' wrong ones (no indicator fits) 45 of 53.
INDICATOR_MIN_SCORE = 0.12
INDICATOR_MIN_FIT = 0.18
# A percentage whose counted noun is the one the indicator's name counts ("100% văn bản" and "Tỷ lệ văn bản …").
HEAD_BONUS = 1.5
# An appendix task and a milestone of the plan's body are one deliverable when they share this many word pairs.
SAME_DELIVERABLE_PAIRS = 5
# A paragraph of prose (no bullet, no number) of this many sentences or more is not one clause: a figure in it is
# proposed with its own sentence. A list item, however long, is one clause.
PARAGRAPH_SENTENCES = 2
# A list item is read sentence by sentence only when a later sentence of this many words or more sets a figure of its
# own (`_item_sentences`); a shorter one closes the item ("Quy mô kinh tế số đạt 40% GRDP.").
ITEM_SENTENCE_WORDS = 15


# --- records ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One indicator as the reading knows it: its code, its name, and the words (diacritics folded) it is known by.

    `measure` ("ratio", "unit_share", "milestone", "reduction") lets a milestone clause prefer milestone indicators."""

    code: str
    name: str
    words: tuple[str, ...]
    measure: str = ""


@dataclass(frozen=True)
class Candidate:
    """A target or task the text seems to set; every field is a proposal for a person to confirm.

    `clause` is the block as written (line breaks folded into spaces); `start`/`end` are its offsets in the text.
    `value`/`value_max` are what `measure` says (PERCENT, COUNT, RANK, AMOUNT in `unit` …; None for a milestone);
    `due` is the last day it is due by, `due_text` the words that said so (empty when the due day was taken from
    the plan's years).
    Tasks add `lead`, `cooperating` and `output` as the document writes them."""

    kind: str
    clause: str
    start: int
    end: int
    indicator: str | None = None
    comparator: str = DONE
    value: Decimal | None = None
    value_max: Decimal | None = None
    measure: str | None = None
    unit: str = ""  # for an AMOUNT, its unit as written ("tấn", "triệu USD", "μg/m3")
    due: dt.date | None = None
    due_text: str = ""
    lead: str = ""
    cooperating: str = ""
    output: str = ""

    def to_json(self) -> dict:
        """The fields `plan_extract --json` prints: numbers as JSON numbers, the due day in ISO form."""
        data = {name: value for name, value in asdict(self).items() if name in JSON_FIELDS}
        for name in ("value", "value_max"):
            data[name] = None if data[name] is None else _decimal_json(data[name])
        data["due"] = self.due.isoformat() if self.due else None
        data["unit"] = self.unit or None
        return data


class Segment(NamedTuple):
    """A run of the text and the candidate it belongs to (the first, when several share a clause), or None."""

    text: str
    index: int | None


def _decimal_json(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- words --------------------------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    "cac cua va duoc tren trong cho voi theo tai ty le the nhung mot nay do la co khong tu den tong so cap nhat "
    "thuc hien dam bao muc tieu dat 100 ve hoac sau khi da nham toi thieu it nhat phan dau".split()
)


def words_fold(text: str) -> list[str]:
    """Lower-case syllables with diacritics removed ("Số hoá" and "số hóa" both → ["so", "hoa"])."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.findall(r"[a-z0-9]+", plain)


def _features(text: str) -> Counter:
    syllables = [word for word in words_fold(text) if not word.isdigit()]
    features = Counter(word for word in syllables if word not in _STOPWORDS)
    features.update(f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)
                    if not (a in _STOPWORDS and b in _STOPWORDS))
    return features


def catalogue_from_indicators(indicators: Iterable) -> list[CatalogueEntry]:
    """The catalogue the reading guesses from: each indicator's name, numerator and denominator labels and
    description (a queryset of `targets.models.Indicator` or any objects with those attributes)."""
    entries = []
    for indicator in indicators:
        text = " ".join(filter(None, (indicator.name, getattr(indicator, "numerator_label", ""),
                                      getattr(indicator, "denominator_label", ""),
                                      getattr(indicator, "description", ""))))
        entries.append(CatalogueEntry(code=indicator.code, name=indicator.name, words=tuple(words_fold(text)),
                                      measure=str(getattr(indicator, "measure", "") or "")))
    return entries


class _Guesser:
    """TF-IDF over syllables and syllable pairs; the entry whose words cover most of the clause's weight wins."""

    def __init__(self, catalogue: list[CatalogueEntry]):
        self.entries = catalogue
        self.vectors = [_features(" ".join(entry.words)) for entry in catalogue]
        counts = Counter(feature for vector in self.vectors for feature in vector)
        total = len(catalogue) or 1
        self.idf = {feature: math.log((1 + total) / (1 + count)) + 1 for feature, count in counts.items()}
        self.norms = [self._norm(vector) for vector in self.vectors]
        self.heads = [_head(words_fold(entry.name)) for entry in catalogue]
        self.names = {entry.code: [word for word in _features(entry.name) if "_" not in word] for entry in catalogue}

    def _norm(self, vector: Counter) -> float:
        return math.sqrt(sum((count * self.idf.get(feature, 0)) ** 2 for feature, count in vector.items())) or 1.0

    def guess(self, text: str, comparator: str) -> str | None:
        """The indicator that fits best, if it fits well enough: a wrong guess costs the reviewer more than none."""
        code, score = self.best(text, comparator)
        if code is None or score < INDICATOR_MIN_SCORE:
            return None
        return code if score * self.covered(text, code) >= INDICATOR_MIN_FIT else None

    def covered(self, text: str, code: str) -> float:
        """How much of what the indicator's name says the clause says too: the weighted share of the name's
        syllables found in the clause ("Tỷ lệ hệ thống thông tin lý luận chính trị …" is not covered by "100% hệ
        thống thông tin được kết nối": "lý luận chính trị" is missing)."""
        name = self.names[code]
        total = sum(self.idf.get(word, 0) ** 2 for word in name)
        clause = set(_features(text))
        return sum(self.idf.get(word, 0) ** 2 for word in name if word in clause) / total if total else 0.0

    def best(self, text: str, comparator: str) -> tuple[str | None, float]:
        """The best-fitting entry and its score (0 when none shares a word with the clause)."""
        clause = _features(text)
        clause_norm = self._norm(clause)
        counted = _percent_head(text)
        best, best_score = None, 0.0
        for entry, vector, norm, head in zip(self.entries, self.vectors, self.norms, self.heads, strict=True):
            shared = sum(count * vector[feature] * self.idf.get(feature, 0) ** 2
                         for feature, count in clause.items() if feature in vector)
            score = shared / (norm * clause_norm) * _measure_fit(entry.measure, comparator)
            if counted and counted == head:  # "100% văn bản …" counts what "Tỷ lệ văn bản …" counts
                score *= HEAD_BONUS
            if score > best_score:
                best, best_score = entry.code, score
        return best, best_score


_HEAD_SKIP = frozenset(("cac", "nhung", "moi", "ty", "le", "so", "luong"))


def _head(words: list[str]) -> tuple[str, ...]:
    """What an indicator counts: the first two words of its name after "Tỷ lệ" and "các"."""
    content = [word for word in words if word not in _HEAD_SKIP]
    return tuple(content[:2])


def _percent_head(text: str) -> tuple[str, ...]:
    """What a percentage counts: the first two words after it ("100% các hệ thống …" → hệ thống)."""
    match = _PERCENT.search(text)
    return _head(words_fold(text[match.end():])) if match else ()


def _measure_fit(measure: str, comparator: str) -> float:
    if not measure:
        return 1.0
    if comparator == REDUCE_BY:
        return 1.0 if measure == "reduction" else 0.3
    if comparator == DONE:
        return 1.0 if measure == "milestone" else 0.6
    return 0.3 if measure in ("milestone", "reduction") else 1.0


# --- blocks -------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    start: int
    end: int
    raw: str
    depth: float
    marker: str = ""
    body: str = ""  # the text after its marker, line breaks folded
    lines: int = 1

    @property
    def clause(self) -> str:
        return _fold(self.raw)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_HEADING = re.compile(
    r"(?P<marker>[IVX]{1,4}\s*[.\-–]|[IVX]{1,4}(?=\s+[A-ZĐÂĂÊÔƠƯ]{2})|\d{1,2}(?:\.\d{1,2})*[.)](?=\s|$)"
    r"|\d{1,2}(?:\.\d{1,2})+(?=\s)|\d{1,2}(?:\.\d{1,2})*-(?=\s)|[a-zđ]\s*[.)](?=\s))\s*"
)
_BULLET = re.compile(r"(?P<marker>[-–+•*])\s+")


def _line_start(line: str) -> tuple[str, float] | None:
    """The marker a line opens a block with and the block's depth, or None for a continuation line."""
    stripped = line.lstrip()
    bullet = _BULLET.match(stripped)
    if bullet:
        rest = stripped[bullet.end():]
        if rest[:1].islower():  # "- xã hội; …": a wrapped "chính trị - xã hội", not a bullet
            return None
        return bullet.group("marker"), 7.0 if bullet.group("marker") == "+" else 6.0
    heading = _HEADING.match(stripped)
    if heading:
        marker = heading.group("marker").strip()
        if re.match(r"[IVX]", marker):
            return marker, 1.0
        if re.match(r"[a-zđ]", marker):
            return marker, 5.0
        return marker, 1.0 + len(re.findall(r"\d+", marker))
    return None


# A line that cannot end a sentence: a figure waits for what it counts, a comma for the rest of the list, a word
# such as "của" or "về" for its object ("5. Xây dựng Nghị định của" / "Chính phủ").
_UNFINISHED = re.compile(r"(?:\d\s*%|,|(?<!\w)(?:của|và|về|cho|với|các|những|tại|theo|để|trên|bằng|thuộc))\s*$")


def _wrapped_across(previous: str, line: str) -> bool:
    """A sentence cut by a blank line (a page break): the block stops mid-sentence, the line goes on in lower case."""
    return not re.search(r"[.:;!?…)”\"]\s*$", previous) and line.lstrip()[:1].islower()


def _line_opens(current: _Block, tail: str, line: str, *, spaced: bool = False) -> bool:
    """A line with no marker that still opens a paragraph (text from a PDF, where paragraphs are not separated by a
    blank line): it starts in upper case after a heading's single line, or after a sentence that ended (`tail` is
    the end of the block so far). In a text that separates its paragraphs by blank lines (`spaced`), an item's
    first line is never a paragraph of its own: "3. Bộ Tư lệnh" / "Thành phố chủ trì …" and "1." / "Trên cơ sở …"
    are items wrapped by the page."""
    if not line.lstrip()[:1].isupper():
        return False
    if current.depth == 1 and _capitals(tail) and _capitals(line):
        return False  # "II. MỤC" / "TIÊU": a heading in capitals wrapped by the page
    if current.marker and current.lines == 1 and current.end - current.start <= len(current.marker):
        return False  # "4." alone on its line: the item's words follow
    if current.marker and current.depth < 6 and current.lines == 1:
        # "1. Mục tiêu chung" is a heading; "đ) Đến hết năm 2045: 100%" or "a) Các chi bộ," is a sentence going on.
        return not spaced and not _UNFINISHED.search(tail)
    return bool(re.search(r"[.:;!?]\s*$", tail))


# A text whose items nearly all follow a blank line separates its paragraphs by blank lines (`_line_opens`).
SPACED_ITEMS = 0.9


def _spaced(lines: list[str]) -> bool:
    """Whether the text separates its paragraphs by blank lines: at least `SPACED_ITEMS` of the lines opening an
    item (a bullet or a number; not a table's row) follow a blank line, out of ten or more."""
    items = after_blank = 0
    for index, line in enumerate(lines):
        if " | " in line or not _line_start(line.rstrip("\r\n")):
            continue
        items += 1
        after_blank += index == 0 or not lines[index - 1].strip()
    return items >= 10 and after_blank >= SPACED_ITEMS * items


def _range_wrapped(tail: str, line: str) -> bool:
    """A range cut by the line's end: "… tăng bình quân 05" / "- 06%/năm." goes on, the dash no bullet."""
    return bool(re.search(r"\d\s*$", tail) and re.match(r"\s*[-–]\s*\d{1,3}(?:[.,]\d+)?\s*%", line))


def _capitals(text: str) -> bool:
    """Text in capitals: it has letters, and none of them in lower case."""
    return any(ch.isalpha() for ch in text) and text == text.upper()


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    offset = 0
    heading_depth = 1.0
    gap = False
    lines = text.splitlines(keepends=True)
    spaced = _spaced(lines)
    for line in lines:
        begin, content = offset, line.rstrip("\r\n")
        offset += len(line)
        if not content.strip():
            gap = True
            continue
        opened = _line_start(content)
        tail = text[max(current.start, current.end - 8):current.end] if current is not None else ""
        if gap and current is not None and not _wrapped_across(tail, content):
            current = None
        if opened and not gap and current is not None and _range_wrapped(tail, content):
            opened = None
        gap = False
        if opened is None and current is not None and _line_opens(current, tail, content, spaced=spaced):
            opened = ("", heading_depth + 0.5)
        if opened is None and current is not None:
            current.end = begin + len(content.rstrip())
            current.lines += 1
            continue
        lead = len(content) - len(content.lstrip())
        marker, depth = opened if opened else ("", heading_depth + 0.5)
        if opened and depth < 6:
            heading_depth = depth
        current = _Block(start=begin + lead, end=begin + len(content.rstrip()), raw="", depth=depth, marker=marker)
        blocks.append(current)
    for block in blocks:
        block.raw = text[block.start:block.end]
        block.body = _fold(block.raw[len(block.marker):] if block.marker else block.raw)
        if block.marker and block.body[:1] in ".)-":
            block.body = block.body[1:].strip()
    return blocks


# --- deadlines ----------------------------------------------------------------------------------------------------

_ROMAN_NUMBER = {roman: number for number, roman in ROMAN.items()}
_QUARTER = re.compile(r"Quý\s+(?P<q>IV|I{1,3}|[1-4])(?:\s+và\s+Quý\s+(?P<q2>IV|I{1,3}|[1-4]))?(?:\s*/\s*|\s+năm\s+)"
                      r"(?P<y>\d{4})", re.IGNORECASE)
# "trong tháng 6/2026", "tháng 6 năm 2026" (not "ngày 13 tháng 11 năm 2025", a date): the month's last day; "trước
# tháng 6/2026": the last day of the month before.
_MONTH = re.compile(r"(?<![\d/])(?P<before>trước\s+)?tháng\s+(?P<m>\d{1,2})(?:\s*/\s*|\s+năm\s+)(?P<y>20\d{2})",
                    re.IGNORECASE)
_DATE = (r"(?:(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
         r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))")
_BEFORE = re.compile(rf"trước\s+(?:ngày|thời\s+điểm)\s+{_DATE}", re.IGNORECASE)
_BY_DATE = re.compile(rf"(?:đến|chậm nhất|trong)\s+ngày\s+{_DATE}", re.IGNORECASE)
_LEAD_YEAR = re.compile(r"^(?:Đến\s+)?(?:hết\s+)?Năm\s+(?P<y>20\d{2})\s*[,:.]?", re.IGNORECASE)
_IN_YEAR = re.compile(r"(?:trong|đến\s+hết|đến|hết|cuối|vào)\s+năm\s+(?P<y>20\d{2})(?!\s*[-–]\s*20\d{2})",
                      re.IGNORECASE)
_HEADING_YEAR = re.compile(r"năm\s+(?P<y>20\d{2})(?:\s*[-–]\s*(?P<y2>20\d{2}))?", re.IGNORECASE)
_SPAN_YEARS = re.compile(r"(?:từ\s+năm\s+|giai\s+đoạn\s+)?(?P<y1>20\d{2})\s*(?:[-–]|đến\s+năm)\s*(?P<y2>20\d{2})",
                         re.IGNORECASE)
# "trong giai đoạn 2026-2030" in a clause, or opening it: due by its last year, unless it names another document
# ("Kế hoạch … giai đoạn …"); "tài liệu … giai đoạn 2015 - 2025" says which documents, not by when.
_PERIOD_IN = re.compile(r"(?:^|(?:trong|cả|suốt|hết)\s+)giai\s+đoạn\s+(?:từ\s+)?(?:năm\s+)?20\d{2}\s*(?:[-–]|đến)\s*"
                        r"(?:năm\s+)?(?P<y>20\d{2})",
                        re.IGNORECASE)
_NAMED_DOCUMENT = re.compile(r"(?:Chiến\s+lược|Quyết\s+định|Nghị\s+quyết|Kế\s+hoạch|Chương\s+trình|Đề\s+án|"
                             r"Chỉ\s+thị|Kết\s+luận)\b[^;.]{0,120}$", re.IGNORECASE)
# "Quy hoạch … giai đoạn 2021 - 2030, tầm nhìn đến năm 2050": the vision in a document's title, not a deadline.
_TITLE_VISION = re.compile(r"giai\s+đoạn\s+20\d{2}\s*[-–]\s*20\d{2}\s*,?\s*tầm\s+nhìn\s+$", re.IGNORECASE)
# "trong 05 năm tiếp theo": so many years after the last year the clause wrote before it.
_NEXT_YEARS = re.compile(r"trong\s+(?P<n>\d{1,2})\s+năm\s+(?:tiếp\s+theo|tới|sau)", re.IGNORECASE)
# A line that is only a period: "Giai đoạn 2025-2027:", "Từ năm 2026 đến năm 2027".
_PERIOD_LINE = re.compile(r"(?:Trong\s+)?(?:Giai\s+đoạn\s+|Từ\s+năm\s+)(?:từ\s+)?(?:năm\s+)?20\d{2}\s*(?:[-–]|đến)\s*"
                          r"(?:năm\s+)?(?P<y>20\d{2})\s*[:.]?", re.IGNORECASE)


class _Due(NamedTuple):
    day: dt.date
    text: str


def _quarter_number(value: str) -> int:
    return int(value) if value.isdigit() else _ROMAN_NUMBER[value.upper()]


def _date_of(match: re.Match) -> dt.date | None:
    """The day a `_DATE` match writes ("01/7/2025" or "31 tháng 12 năm 2025"), or None when there is no such day."""
    day, month, year = (match["d"], match["m"], match["y"]) if match["d"] else (match["d2"], match["m2"], match["y2"])
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _due_in(text: str, *, ahead: bool = True) -> _Due | None:
    """A deadline the clause itself writes, or None; `ahead=False` leaves out "trong 05 năm tiếp theo", which dates
    only the part of a clause it is written in."""
    before = _BEFORE.search(text)
    day = _date_of(before) if before else None
    if day:
        return _Due(day - dt.timedelta(days=1), _fold(before.group(0)))
    by_date = _BY_DATE.search(text)
    day = _date_of(by_date) if by_date else None
    if day:
        return _Due(day, _fold(by_date.group(0)))
    quarter = _QUARTER.search(text)
    if quarter:
        number = _quarter_number(quarter["q2"] or quarter["q"])
        return _Due(Quarter(int(quarter["y"]), number).last_day, _fold(quarter.group(0)))
    month = next((match for match in _MONTH.finditer(text)
                  if 1 <= int(match["m"]) <= 12 and not re.search(r"ngày\s+\d{1,2}\s+$", text[:match.start()])), None)
    if month:
        year, number = int(month["y"]), int(month["m"])
        if month["before"]:
            year, number = (year, number - 1) if number > 1 else (year - 1, 12)
        return _Due(month_last_day(year, number), _fold(month.group(0)))
    year = _LEAD_YEAR.match(text) or next(
        (match for match in _IN_YEAR.finditer(text)
         if not re.search(r"từ\s+năm\s+\d{4}\s*$", text[max(0, match.start() - 20):match.start()])
         and not _TITLE_VISION.search(text[max(0, match.start() - 40):match.start()])), None)
    if year:
        return _Due(year_last_day(int(year["y"])), _fold(year.group(0)).rstrip(",:."))
    return (_years_ahead(text) if ahead else None) or _period_end(text)


def _years_ahead(text: str) -> _Due | None:
    """"… năm 2025 … tối thiểu 02% GDP trong 05 năm tiếp theo": due 5 years after 2025, at the end of 2030."""
    ahead = _NEXT_YEARS.search(text)
    if not ahead:
        return None
    years = re.findall(r"\b(20\d{2})\b", text[:ahead.start()])
    if not years:
        return None
    return _Due(year_last_day(int(years[-1]) + int(ahead["n"])), _fold(ahead.group(0)))


def _period_end(text: str) -> _Due | None:
    """"… giai đoạn 2026-2030": due by the period's last year, unless the period is part of another document's name."""
    for period in _PERIOD_IN.finditer(text):
        if not _NAMED_DOCUMENT.search(text[max(0, period.start() - 120):period.start()]):
            return _Due(year_last_day(int(period["y"])), _fold(period.group(0)))
    return None


def _heading_year(block: _Block) -> _Due | None:
    """The year a heading (or a paragraph introducing a list) sets for the blocks under it."""
    period = _PERIOD_LINE.fullmatch(block.body)
    if period:  # "- Giai đoạn 2025-2027": the figures under it are due by 2027
        return _Due(year_last_day(int(period["y"])), _fold(period.group(0)).rstrip(",:."))
    lead = _LEAD_YEAR.match(block.body)
    if lead and (block.marker or not block.body[lead.end():].strip() or block.body.endswith(":")):
        # "a. Năm 2026", "2.2.1. Năm 2025: …" and "Đến năm 2030, phấn đấu đạt:" head what follows; "Năm 2025, dữ
        # liệu … được làm sạch." is a sentence.
        return _Due(year_last_day(int(lead["y"])), _fold(lead.group(0)).rstrip(",:."))
    if lead:
        return None
    is_heading = block.depth < 6 and (len(block.body) < 120 or block.body.endswith(":"))
    if not (is_heading or block.body.endswith(":")):
        return None
    found = list(_HEADING_YEAR.finditer(block.body))
    if not found:
        return None
    last = found[-1]
    year = int(last["y2"] or last["y"])
    return _Due(year_last_day(year), _fold(last.group(0)))


# "Đồng Tháp, ngày 01 tháng 12 năm 2025"; before it is signed, "Lào Cai, ngày      tháng 4 năm 2026".
_PLACE_AND_DATE = re.compile(r"ngày\s+(?:\d{1,2}\s*)?(?:tháng\s+(?:\d{1,2}\s+)?năm\s+|/\s*\d{1,2}\s*/\s*)\d{4}",
                             re.IGNORECASE)
# What opens the text after the title: "Căn cứ …", a section heading, or a paragraph saying what the plan carries
# out ("Thực hiện Kế hoạch số 12-KH/TU …, Ban Thường vụ … như sau:"); a title may itself open "Thực hiện …" ("KẾ
# HOẠCH / Thực hiện Đề án số 08 về … giai đoạn 2026-2030"), a short line standing alone.
_PREAMBLE = re.compile(r"^\s*(?:(?P<heading>Căn\s+cứ|[IVX]{1,4}\s*[.\-])|Thực\s+hiện|Ban\s+Thường\s+vụ)", re.MULTILINE)


def _preamble_start(text: str) -> int | None:
    for match in _PREAMBLE.finditer(text):
        if match["heading"]:
            return match.start()
        paragraph = re.split(r"\n\s*\n", text[match.start():], maxsplit=1)[0].strip()
        if len(paragraph) >= 120 or paragraph.endswith((",", ":", ";", ".")):
            return match.start()
    return None


def _plan_year(text: str) -> int | None:
    """The plan's last year as its title says it ("… năm 2026", "giai đoạn 2025 - 2028"): the lines before the
    preamble ("Thực hiện Kế hoạch số … như sau:", "Căn cứ …") or the first heading; a title opening "Thực hiện Đề án
    …" is still the title, and the place and date the document is signed on, even left blank, date nothing."""
    preamble = _preamble_start(text)
    head = text[:min(600 if preamble is None else preamble, 600)]
    head = _PLACE_AND_DATE.sub(" ", head)  # "Đồng Tháp, ngày 01 tháng 12 năm 2025" dates the document, not its plan
    span = _SPAN_YEARS.search(head)
    if span:
        return int(span["y2"])
    years = [int(match["y"]) for match in _HEADING_YEAR.finditer(head)]
    return years[-1] if years else None


# --- targets ------------------------------------------------------------------------------------------------------

_DONE_START = re.compile(r"^(?:(?:(?:Trong|Đến|Trước)\s+)?(?:Quý\s+\S+(?:\s*/\s*|\s+năm\s+)\d{4}|Năm\s+20\d{2}"
                         r"|tháng\s+\d{1,2}(?:\s*/\s*|\s+năm\s+)\d{4})\s*[,:]?\s*)?(?:đảm bảo\s+)?hoàn\s+thành\b",
                         re.IGNORECASE)
# A deliverable: what a specific objective sets to be done, or, with a day or quarter of its own, a task.
_DELIVERABLE = r"Xây\s+dựng|Thí\s+điểm|Hoàn\s+thiện|Ứng\s+dụng|Triển\s+khai"
_ACTION_START = re.compile(rf"^(?:Số\s+h(?:oá|óa|oa)|Tích\s+hợp|Chỉnh\s+lý|Thực\s+hiện|Hình\s+thành|Áp\s+dụng|"
                           rf"{_DELIVERABLE})\b", re.IGNORECASE)
_TASK_START = re.compile(rf"^(?:{_DELIVERABLE})\b", re.IGNORECASE)
_OBJECTIVES = re.compile(r"MỤC\s+TIÊU|NỘI\s+DUNG|CHỈ\s+TIÊU", re.IGNORECASE)
_AIMS = re.compile(r"MỤC\s+TIÊU|CHỈ\s+TIÊU", re.IGNORECASE)
_ACTIVITIES = re.compile(r"NỘI\s+DUNG\s+(?:THỰC\s+HIỆN|NHIỆM\s+VỤ|CÔNG\s+VIỆC)", re.IGNORECASE)
_GENERAL = re.compile(r"tổng\s+quát|chung\b", re.IGNORECASE)
_PURPOSES = re.compile(r"MỤC\s+ĐÍCH", re.IGNORECASE)
# A heading below the sections that sets objectives by a year or names them specific: "1. Mục tiêu đến hết năm
# 2026", "Chỉ tiêu năm 2027", "2. Mục tiêu cụ thể".
_DATED_OBJECTIVES = re.compile(r"^(?:Mục|Chỉ)\s+tiêu\b(?:[^.;:]{0,40}?\bnăm\s+20\d{2}|\s+cụ\s+thể)", re.IGNORECASE)
# "… (Ban Tuyên giáo chủ trì)": a task led by that unit; "1. Sở Tài chính (cơ quan chủ trì)" names the plan's lead.
_LEAD_UNIT = re.compile(r"\((?![Cc]ơ\s+quan\s+chủ\s+trì\)|[Đđ]ơn\s+vị\s+chủ\s+trì\))(?P<lead>[^()]{3,80}?)"
                        r"\s+chủ\s+trì\)\s*\.?\s*$")


@dataclass(slots=True)
class _Context:
    """What the blocks read so far say about the ones that follow."""

    years: list[tuple[float, _Due]] = field(default_factory=list)
    objectives: bool = False
    general: bool = False
    horizon: int | None = None  # the latest year a heading names ("II. MỤC TIÊU ĐẾN NĂM 2030")
    dated: float = 0.0  # the depth of the heading "Mục tiêu đến năm 2026" whose section is objectives, if any
    situation: float = 0.0  # the depth of the heading "1. Hiện trạng" whose section describes what is, if any
    activities: bool = False  # in "II. NỘI DUNG THỰC HIỆN": an action listed there is work to do, not a milestone
    aimed: bool = False  # a section named for the objectives ("I. MỤC TIÊU") has been read
    purposed: bool = False  # a section of purposes ("I. MỤC ĐÍCH, YÊU CẦU") has been read

    @property
    def baseline(self) -> bool:
        return bool(self.situation)

    def enter(self, block: _Block) -> None:
        self.years = [(depth, due) for depth, due in self.years if depth < block.depth]
        heading = bool(block.marker) and block.depth < 6 and len(block.body) < 80
        if heading and self.situation and block.depth <= self.situation:
            self.situation = 0.0
        if heading and situation_heading(block.body):
            self.situation = block.depth
        if self.dated and heading and block.depth <= self.dated:  # the dated objectives' section has ended
            self.objectives, self.dated = False, 0.0
        if block.depth == 1:
            # After "I. MỤC TIÊU", a section "III. NỘI DUNG CỦA KẾ HOẠCH" holds the work, not more objectives.
            named = bool(_AIMS.search(block.body[:60]))
            self.objectives = named or (not self.aimed and bool(_OBJECTIVES.search(block.body[:60])))
            self.aimed = self.aimed or named
            # After "I. MỤC ĐÍCH, YÊU CẦU" (purposes, no objectives), "II. NỘI DUNG" lists the work to do: an action
            # there is no milestone unless written as a result ("Hoàn thành …").
            self.activities = bool(_ACTIVITIES.search(block.body[:60])) or (
                self.purposed and not self.aimed and bool(_OBJECTIVES.search(block.body[:60])))
            self.purposed = self.purposed or bool(_PURPOSES.search(block.body[:60]))
            self.general = False
        elif block.depth == 2 and heading:  # "1. Mục tiêu tổng quát", a heading
            self.general = bool(_GENERAL.search(block.body))
        if heading and block.depth > 1 and not self.objectives and _DATED_OBJECTIVES.match(block.body):
            # "1. Mục tiêu đến hết năm 2026" under a section not read as the objectives: its blocks are.
            self.objectives, self.general, self.dated = True, False, block.depth
        year = _heading_year(block)
        if year:
            # A line that is only a period ("- Giai đoạn 2025-2027") dates its siblings after it as well, until
            # the next period or heading.
            alone = (block.depth >= 6 or not block.marker) and bool(
                _PERIOD_LINE.fullmatch(block.body) or _LEAD_YEAR.fullmatch(block.body))
            self.years.append((block.depth - 0.25 if alone else block.depth, year))
            if block.depth < 6 or alone:
                self.horizon = max(self.horizon or 0, year.day.year)

    @property
    def due(self) -> _Due | None:
        return self.years[-1][1] if self.years else None


def _parts(body: str) -> list[tuple[int, str]]:
    """The parts of a clause, each with where it ends in the clause: split at ";" and where a sentence ends (". "
    before a capital; "TP. Hồ Chí Minh" aside, a sentence starts with one)."""
    parts: list[tuple[int, str]] = []
    offset, separator = 0, ";"
    for piece in re.split(r"(;\s*|\.\s+(?=[^\W\d_]))", body):
        offset += len(piece)
        if re.fullmatch(r";\s*|\.\s+", piece):
            separator = piece
            continue
        if not piece.strip():
            continue
        if parts and separator.startswith(".") and not piece[:1].isupper():
            parts[-1] = (offset, f"{parts[-1][1]}{separator}{piece}")
        else:
            parts.append((offset, piece))
    return parts


def _block_targets(block: _Block, context: _Context, guesser: _Guesser, *, assigned: bool = False,
                   nested: bool = False) -> list[Candidate]:
    """The figures a block sets and, failing those, the milestone it is; none in a section on the present situation
    (`context.baseline`). An `assigned` block is a task's item or field (`authoring.extract_tasks`), never a
    milestone; a `nested` one has blocks under it."""
    body = block.body
    if not body or context.baseline:
        return []
    introduces = body.endswith(":")  # "… cụ thể như sau:" introduces what follows; its own percentage still counts
    due = _due_in(body, ahead=False) or context.due
    found = []
    sentences = _sentences(block)
    for end, part in _parts(body):
        if not_asked(part):
            continue
        # A part's own deadline ("… nhóm 60 nước … vào năm 2028; … vào năm 2030"), else the clause's.
        part_due = _due_in(part) or _years_ahead(body[:end]) or due
        sentence = next((span for span in sentences if span.start < end <= span.end), None)
        measures = _measures(unasked_blanked(part))
        if introduces:
            measures = [measure for measure in measures if measure.measure in (PERCENT, AMOUNT)]
        elif not measures and context.objectives and not context.general:
            measures = _bare_counts(part, opening=not body[:end - len(part)].strip())
        for number, measure in enumerate(measures):
            following = measures[number + 1].at if number + 1 < len(measures) else len(part)
            staged = _staged(part[measure.at:following]) if measure.at >= 0 else None
            previous = measures[number - 1].at + 1 if number else 0
            named = _year_before(part[previous:measure.at]) if measure.at >= 0 else None
            found.append(_target(block, part, measure, named or staged or part_due, guesser, sentence=sentence))
    if found or introduces or assigned:
        return found
    milestone = (_DONE_START.match(body) and (context.objectives or _due_in(body, ahead=False))) or (
        context.objectives and not context.general and block.depth >= 2
        and ((_ACTION_START.match(body) and not context.activities) or (_LEAD_YEAR.match(body) and not block.marker))
        and not _subheading(block, nested) and not _DESCRIBED.match(body))
    if milestone and not _LEAD_UNIT.search(body):
        # A milestone counting what it completes is a count of each ("Hoàn thành di dời 01 khu …, 02 cụm …").
        counts = done_counts(body) if _DONE_START.match(body) else []
        return [_target(block, body, measure, due, guesser) for measure in counts or [_Measure(DONE, None, None, None)]]
    return []


# "cả năm 2025 đạt trên 8% và năm 2026 đạt từ 10% trở lên": a year then "đạt" right before a figure is its year
# ("ngân sách năm 2026 tối thiểu 02%" names whose budget).
_YEAR_BEFORE = re.compile(r"\bnăm\s+(?P<y>20\d{2})\s*,?\s+đạt\s+(?:(?:trên|từ|ít\s+nhất|tối\s+thiểu|khoảng)\s+)?$",
                          re.IGNORECASE)


def _year_before(before: str) -> _Due | None:
    """The year a figure is due by when the words just before it name it ("năm 2026 đạt từ 10%"); else None."""
    match = _YEAR_BEFORE.search(before)
    return _Due(year_last_day(int(match["y"])), f"năm {match['y']}") if match else None


def _staged(after: str) -> _Due | None:
    """The year a figure is due by when the words after it name one year and then another before the next figure
    ("đạt 20% xã, phường … năm 2025, bảo đảm đến hết năm 2030 đạt 50%": 20% by 2025); else None, and the part's
    deadline holds."""
    years = re.findall(r"năm\s+(20\d{2})\b", after, re.IGNORECASE)
    if len(years) < 2 or years[0] == years[1]:
        return None
    return _Due(year_last_day(int(years[0])), f"năm {years[0]}")


# A bullet naming an action and then saying what it is: "- Triển khai cáp quang: Đảm bảo đường truyền …".
_DESCRIBED = re.compile(r"^[^:;.]{3,80}:\s*[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]")
def _subheading(block: _Block, nested: bool) -> bool:
    """A numbered heading with items under it ("2.1. Xây dựng trạm 5G, mạng lõi"): it names what the items do."""
    return nested and bool(block.marker) and block.depth < 6 and len(block.body) < 100 and not block.body.endswith(".")


class _Sentence(NamedTuple):
    """One sentence of a paragraph: where it starts and ends in the block's body, and in the text."""

    start: int
    end: int
    clause: str
    text_start: int
    text_end: int


def _sentences(block: _Block) -> list[_Sentence]:
    """The sentences of a paragraph of prose of `PARAGRAPH_SENTENCES` sentences or more ("Triển khai … của Trung
    ương. Chú trọng … tối thiểu 80% … . Áp dụng …"), each with its offsets; none for a shorter paragraph or a list
    item ("- …", "a) …"), whose clause is the whole block unless its first sentence and a later one each set a
    figure (`_item_sentences`). A sentence ends with ". " before a capital ("TP. Hồ Chí Minh" aside, as `_parts`
    reads it)."""
    if block.marker:
        spans = _item_sentences(block.body)
    else:
        spans = []
        offset = 0
        for piece in re.split(r"(?<=\.)\s+(?=[^\W\d_])", block.body):
            start = block.body.index(piece, offset)
            offset = start + len(piece)
            if spans and not piece[:1].isupper():
                spans[-1] = (spans[-1][0], offset)
            else:
                spans.append((start, offset))
    if len(spans) < PARAGRAPH_SENTENCES:
        return []
    found = []
    for start, end in spans:
        clause = block.body[start:end]
        where = re.search(r"\s+".join(map(re.escape, clause.split())), block.raw)
        if where is None:  # pragma: no cover - the body is the block's words, folded
            return []
        begin = 0 if not found else where.start()  # a list item's first sentence keeps its marker ("- …")
        found.append(_Sentence(start, end, _fold(block.raw[begin:where.end()]), block.start + begin,
                               block.start + where.end()))
    return found


def _item_sentences(body: str) -> list[tuple[int, int]]:
    """A list item's sentences when its first sentence sets a figure and a later one another ("- … đạt dưới 40 μg/m3
    …. Tỷ lệ số ngày … đạt tối thiểu 80%."): each figure is then read with its own sentence; else none, the item one
    clause ("+ Phát triển ngành …. Có ít nhất 02 vùng …" keeps its whole item). A short closing sentence ("… top 03
    vùng …. Quy mô kinh tế số đạt 40% GRDP.") completes the item: only a later sentence of `ITEM_SENTENCE_WORDS`
    words or more, setting a figure, splits it."""
    spans = item_sentences(body)
    figured = [bool(_measures(unasked_blanked(body[span.start:span.end]))) for span in spans]
    standing = [len(body[span.start:span.end].split()) >= ITEM_SENTENCE_WORDS for span in spans]
    if len(spans) < 2 or not figured[0] or not any(map(all, zip(figured[1:], standing[1:], strict=True))):
        return []
    return [(span.start, span.end) for span in spans]


def _target(block: _Block, part: str, measure: _Measure, due: _Due | None, guesser: _Guesser,
            sentence: _Sentence | None = None) -> Candidate:
    clause, start, end = (sentence.clause, sentence.text_start, sentence.text_end) if sentence else (
        block.clause, block.start, block.end)
    # The catalogue's indicators are shares, milestones and reductions: a count ("3.000 lượt nhân lực"), a rank, a
    # multiple or a rate is none of them, whatever its words.
    shared = measure.measure in (PERCENT, None)
    return Candidate(
        kind=TARGET, clause=clause, start=start, end=end,
        indicator=guesser.guess(part, measure.comparator) if shared else None, comparator=measure.comparator,
        value=measure.value,
        value_max=measure.value_max, measure=measure.measure, unit=measure.unit, due=due.day if due else None,
        due_text=due.text if due else "",
    )


def _bullet_task(block: _Block, context: _Context) -> Candidate | None:
    """A bullet naming its lead ("… (Ban Tuyên giáo chủ trì)"), or, outside the objectives, a deliverable with a day
    or quarter of its own ("- Xây dựng, ban hành Kế hoạch … trước ngày 31 tháng 12 năm 2025")."""
    if not block.marker:
        return None
    lead = _LEAD_UNIT.search(block.body)
    dated = _TASK_START.match(block.body) and not context.objectives and (
        _BEFORE.search(block.body) or _BY_DATE.search(block.body) or _QUARTER.search(block.body))
    if not lead and not dated:
        return None
    due = _due_in(block.body)
    return Candidate(kind=TASK, clause=block.clause, start=block.start, end=block.end, comparator=DONE,
                     due=due.day if due else None, due_text=due.text if due else "",
                     lead=_fold(lead["lead"]) if lead else "")


# --- the reading --------------------------------------------------------------------------------------------------


def candidates_extract(text: str, *, catalogue: list[CatalogueEntry]) -> list[Candidate]:
    """The targets and tasks `text` seems to set, in the order they are written (see the module's docstring)."""
    from authoring.extract_appendix import (  # it reads with this module's rules
        appendices,
        appendix_candidates,
        body_tables,
        scoring_sheets,
        unglued,
        unpiped,
    )

    guesser = _Guesser(catalogue)
    text = unglued(unpiped(text))
    tables = appendices(text)
    body_end = tables[0].start if tables else len(text)
    inline = sorted([*body_tables(text, body_end), *scoring_sheets(text, body_end)], key=lambda table: table.start)
    from authoring.extract_tasks import prose_tasks

    blocks = _blocks(_blanked(text[:body_end], [*inline, *recipients(text[:body_end])]))
    found, taken = prose_tasks(blocks, _sections(blocks))
    context = _Context()
    for index, block in enumerate(blocks):
        context.enter(block)
        task = None if index in taken else _bullet_task(block, context)
        if task:
            found.append(task)
        nested = index + 1 < len(blocks) and blocks[index + 1].depth > block.depth
        found.extend(_block_targets(block, context, guesser, assigned=index in taken, nested=nested))
    found.sort(key=lambda candidate: candidate.start)
    milestones: dict[str, list[Candidate]] = {}
    for candidate in found:
        if candidate.kind == TARGET and candidate.comparator == DONE and candidate.indicator:
            milestones.setdefault(candidate.indicator, []).append(candidate)
    for table in [*inline, *tables]:  # a scoring sheet has no rows
        for row in table.rows:
            found.extend(_scheduled(appendix_candidates(text, table, row, guesser), milestones))
    return _years_filled(text, found, context.horizon)


def _sections(blocks: list[_Block]) -> list[str]:
    """The title of the top-level section ("II. NỘI DUNG") each block is in, the block itself for a top heading."""
    titles, title = [], ""
    for block in blocks:
        if block.depth == 1:
            title = block.body[:80]
        titles.append(title)
    return titles


def _blanked(text: str, spans) -> str:
    """`text` with the spans (each with `start` and `end`) turned into spaces, its line breaks and offsets kept."""
    for span in spans:
        text = text[:span.start] + re.sub(r"[^\n]", " ", text[span.start:span.end]) + text[span.end:]
    return text


_BARE_PERIOD = re.compile(r"\s*(?:20\d{2}\s*[-–]\s*)?20\d{2}\.?\s*")


def _scheduled(row: list[Candidate], milestones: dict[str, list[Candidate]]) -> list[Candidate]:
    """A row whose task delivers a milestone the body sets also proposes that milestone with the row's deadline: the
    appendix dates it ("Quý I/2026" where the body says 2026), a difference to show, not hide. The same deliverable:
    the same indicator guessed, at least `SAME_DELIVERABLE_PAIRS` word pairs in common with the body's clause, and
    due in the same year (a row due in 2026 towards a milestone of 2030 is a step to it, a task only)."""
    if not row or row[0].kind != TASK:
        return row
    task = row[0]
    if task.due is None or any(c.clause == task.clause for c in row[1:]) or _BARE_PERIOD.fullmatch(task.due_text):
        return row  # "2025 - 2030" in the deadline cell dates it no closer than the body does: nothing to show
    pairs = _pairs(task.clause)
    if not any(len(pairs & _pairs(body.clause)) >= SAME_DELIVERABLE_PAIRS
               and (body.due is None or body.due.year == task.due.year)
               for body in milestones.get(task.indicator, ())):
        return row
    milestone = Candidate(kind=TARGET, clause=task.clause, start=task.start, end=task.end, indicator=task.indicator,
                          comparator=DONE, due=task.due, due_text=task.due_text)
    return [task, milestone, *row[1:]]


def _pairs(text: str) -> set[str]:
    words = words_fold(text)
    return {f"{a}_{b}" for a, b in zip(words, words[1:], strict=False) if a not in _STOPWORDS or b not in _STOPWORDS}


def _years_filled(text: str, found: list[Candidate], horizon: int | None = None) -> list[Candidate]:
    """Targets the document gives no deadline for are due at the end of the plan's last year: its title's, else the
    latest its headings name ("MỤC TIÊU ĐẾN NĂM 2030"), else its latest deadline."""
    year = _plan_year(text) or horizon or max((candidate.due.year for candidate in found if candidate.due),
                                              default=None)
    if year is None:
        return found
    return [replace(candidate, due=year_last_day(year)) if candidate.kind == TARGET and candidate.due is None
            else candidate for candidate in found]


def marked_segments(text: str, candidates: list[Candidate]) -> list[Segment]:
    """The text cut into runs, each tagged with the index of the candidate whose clause covers it (the first one
    when clauses overlap), or None; joining the runs' text gives back `text`."""
    owner: list[int | None] = [None] * len(text)
    for index, candidate in enumerate(candidates):
        for position in range(max(candidate.start, 0), min(candidate.end, len(text))):
            if owner[position] is None:
                owner[position] = index
    segments: list[Segment] = []
    start = 0
    for position in range(1, len(text) + 1):
        if position == len(text) or owner[position] != owner[start]:
            segments.append(Segment(text[start:position], owner[start]))
            start = position
    return segments
