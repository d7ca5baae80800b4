"""The figures of a clause, the rules `authoring.extract` reads them by: percentages, ranges, rates and ratios, counts,
ranks and multiples (`_measures`, as `authoring.extract`'s notes describe them), quantities with their units and the
sentences of a list item. Pure Python, importing no other module of the reading.

- a quantity is a number followed by a unit of measure ("18.000 tấn", "48,3 triệu USD", "10 tỷ đồng", "1.700 ha",
  "40 μg/m3", "500 MW", "2,1 con/phụ nữ"): its value is the number as written (a dot groups thousands, a comma
  marks the decimals), its unit the words after it, the scale ("triệu", "tỷ") kept in the unit, never multiplied in;
- it is a target only after a word asking to reach it ("đạt", "lên", "tối thiểu", "ít nhất", "trên", "dưới",
  "không quá", "giảm", "còn", "xuống", with "khoảng", "mức", "trung bình" … between): at most after "dưới", "tối
  đa", "không quá", "còn", "xuống"; reduced by after "giảm" alone; at least otherwise. A quantity with no such word
  describes the scope or the method ("công suất 500 MW", "nhà máy 50 MW") and sets nothing;
- a list item of several sentences, its first setting a figure and a later one another, is read sentence by
  sentence, each figure with its own sentence as its clause; a sentence opening "Trong đó" (a breakdown of the one
  before) or in lower case stays with the one before it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

AT_LEAST = "at_least"
AT_MOST = "at_most"
RANGE = "range"
REDUCE_BY = "reduce_by"
PERCENT = "percent"  # what a value measures: a percentage,
COUNT = "count"  # a number of things ("tối thiểu 03 cụm"),
RANK = "rank"  # a place in a ranking ("nhóm 4 nước dẫn đầu": at most 4th),
MULTIPLE = "multiple"  # a multiple of something ("gấp 30 lần GRDP": at least 30 times; "còn 1,7 lần": at most)
RATIO = "ratio"  # so many of one thing to 100 of another ("107 trẻ trai/100 trẻ gái": at most 107)
RATE = "rate"  # so many per 1.000, 100.000 … ("dưới 4/100.000", "xuống 18 ca sinh/1.000 phụ nữ": at most)
AMOUNT = "amount"  # a quantity in a unit of measure, the unit in `unit` ("đạt 18.000 tấn", "dưới 40 μg/m3")

_SCALE = r"(?:(?:nghìn|ngàn|triệu|tỷ|tỉ)\s+)?"
# Per-person or per-year units first ("con/phụ nữ"), then money, mass, volume, area, length, power, concentration.
_UNIT = (
    r"(?:con|kg|lít|m2|m3|giờ|ngày|kWh)\s*/\s*(?:phụ\s+nữ|người|hộ|năm|tháng|ngày)"
    r"|[μµm]g\s*/\s*m3"
    rf"|{_SCALE}(?:USD|đô\s+la(?:\s+Mỹ)?|đồng|tấn|lít|m3|m2|km2|km|ha|héc\s*ta|MW|kW|GW|MWh|kWh|GWh|MWp|kWp)"
)
GROUPED = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_WORD = (r"đạt|lên|tối\s+thiểu|ít\s+nhất|không\s+ít\s+hơn|tối\s+đa|không\s+(?:vượt\s+)?quá|dưới|trên|giảm|xuống"
         r"|còn")
_QUALIFIER = r"khoảng|mức|trung\s+bình|bình\s+quân|trên|dưới|tối\s+thiểu|tối\s+đa|là|ở\s+mức|xuống|còn"
_QUANTITY = re.compile(
    rf"(?<![^\W\d_])(?P<asks>(?:{_WORD})(?:\s+(?:{_QUALIFIER}))*)\s+(?<![\d.,/])(?P<n>{GROUPED})\s*"
    rf"(?P<unit>{_UNIT})(?![^\W_])",
    re.IGNORECASE,
)
_BELOW = re.compile(r"dưới|tối\s+đa|không\s+(?:vượt\s+)?quá|còn|xuống", re.IGNORECASE)


class Quantity(NamedTuple):
    """A quantity a clause asks to reach: comparator, value as written, unit as written, and where the figure
    stands in the part (`start`) and where the unit ends (`end`)."""

    comparator: str
    value: Decimal
    unit: str
    start: int
    end: int


def unit_of_measure(text: str) -> str:
    """`text` as a unit of measure ("tấn", "triệu USD", "ha", "μg/m3"), its spaces folded, or "" when it is none
    ("%", "cụm", "người", "hệ thống": a percentage or a count)."""
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if re.fullmatch(_UNIT, text, re.IGNORECASE) else ""


def quantity_number(text: str) -> Decimal:
    """ "46.200" → 46200, "48,3" → 48.3: a dot groups thousands, a comma marks the decimals."""
    return Decimal(text.replace(".", "").replace(",", "."))


def quantities(part: str) -> list[Quantity]:
    """The quantities with a unit of measure a part asks to reach, in the order written (see the module's notes)."""
    found = []
    for match in _QUANTITY.finditer(part):
        asks = match["asks"]
        if _BELOW.search(asks):
            comparator = AT_MOST
        elif re.fullmatch(r"giảm(?:\s+(?:khoảng|trung\s+bình|bình\s+quân|mức))*", asks, re.IGNORECASE):
            comparator = REDUCE_BY
        else:
            comparator = AT_LEAST
        unit = re.sub(r"\s+", " ", match["unit"]).strip()
        found.append(Quantity(comparator, quantity_number(match["n"]), unit, match.start("n"), match.end("unit")))
    return found


class Span(NamedTuple):
    """A sentence of a clause's body: where it starts and ends."""

    start: int
    end: int


def item_sentences(body: str) -> list[Span]:
    """The sentences of a list item's body, a sentence opening "Trong đó" or in lower case joined to the one before
    it ("… đạt 400 triệu USD. Trong đó: …" is one)."""
    spans: list[Span] = []
    offset = 0
    for piece in re.split(r"(?<=\.)\s+(?=[^\W\d_])", body):
        start = body.index(piece, offset)
        offset = start + len(piece)
        if spans and (not piece[:1].isupper() or re.match(r"Trong\s+đó\b", piece, re.IGNORECASE)):
            spans[-1] = Span(spans[-1].start, offset)
        else:
            spans.append(Span(start, offset))
    return spans


_ASKED_FIGURE = (r"(?P<n>\d{1,3}(?:\.\d{3})*)\s+"
                 r"(?!(?:năm|tháng|quý|tuần|ngày|giờ|phút|lần|tuổi|điểm|đến|tỷ|tỉ|triệu|nghìn|ngàn|đồng|%)\b)(?=[^\W\d_])")
# Counts asked with a word of their own, beside "tối thiểu 03 cụm" (`authoring.extract`): a count reached ("đạt mục
# tiêu 1.200 công trình"), stations or sites invested in or installed ("đầu tư mới đối với 22 trạm", "lắp đặt 15
# trạm"), "ít nhất 2 - 3 công trình", at least the lower figure, and a number stated as such ("Số lượng: 5.000 cuốn.",
# "số lượng mẫu quan trắc 240 mẫu/năm"), the whole year's; so many per site ("01 mẫu/vị trí") is the method.
_REACHED = re.compile(
    rf"(?<![^\W\d_])(?:đạt(?:\s+mục\s+tiêu)?(?:\s+(?:trên|khoảng))?|(?:đầu\s+tư|lắp\s+đặt)(?:\s+mới)?(?:\s+đối\s+với)?)"
    rf"\s+{_ASKED_FIGURE}"
    r"|(?<![^\W\d_])(?:tối\s+thiểu|ít\s+nhất)\s+(?P<low>\d{1,3})\s*[-–]\s*\d{1,3}\s+(?=[^\W\d_])"
    rf"|\bSố\s+lượng(?:\s+[^\W\d_]+){{0,4}}\s*:?\s+(?P<total>\d{{1,3}}(?:\.\d{{3}})*)\s+"
    r"(?=[^\W\d_]+(?:\s+[^\W\d_]+){0,2}(?:\s*/\s*năm\b|\s*[.;,]|\s*$))"
    rf"|(?<![^\W\d_])Dự\s+kiến\s+(?:khoảng\s+)?{_ASKED_FIGURE.replace('(?P<n>', '(?P<expected>')}",
    re.IGNORECASE,
)


def asked_counts(part: str) -> list[re.Match]:
    """The counts a part asks for with a word of its own (see `_REACHED`): each match's "n" ("low" for "ít nhất 2 -
    3", "total" for "Số lượng: 5.000 cuốn") is the figure, at least so many."""
    return list(_REACHED.finditer(part))


_NUMBER = r"\d{1,3}(?:[.,]\d+)?"
_RANGE = re.compile(rf"(?:từ\s+)?(?<![\d.,])(?P<lo>{_NUMBER})\s*%?\s*(?:-|–|đến)\s*(?P<hi>{_NUMBER})\s*%",
                    re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\d.,])(?P<v>{_NUMBER})\s*%")
_REDUCE = re.compile(r"(?:rút\s+ngắn|giảm)\s+(?:(?:ít\s+nhất|tối\s+thiểu)\s+)?$", re.IGNORECASE)
_AT_MOST = re.compile(r"(?:tối\s+đa|không\s+quá|dưới|≤)\s*$", re.IGNORECASE)


class _Measure(NamedTuple):
    comparator: str
    value: Decimal | None
    value_max: Decimal | None
    measure: str | None = PERCENT
    at: int = -1  # where the figure stands in its part, when it matters (`_staged`)
    unit: str = ""  # an AMOUNT's unit


# "giảm từ 23 ca sinh/1.000 phụ nữ xuống 18 ca sinh/1.000 phụ nữ": the start value is not asked; the end value is,
# at most (a rate when a base follows it, a percentage, else a count).
_FROM_DOWN_TO = re.compile(
    rf"(?<![\d.,])từ\s+(?:mức\s+)?{_NUMBER}[^;]{{0,60}}?\s+xuống\s+(?:còn\s+|dưới\s+|mức\s+)*(?P<n>{_NUMBER})"
    r"(?P<pct>\s*%)?(?P<per>(?:\s+[^\W\d_]+){0,4}\s*/\s*(?:100|1\.000|10\.000|100\.000)(?![\d.,]))?", re.IGNORECASE)
# "dưới 4/100.000 trẻ sinh ra còn sống", "ở mức 107 trẻ sơ sinh trai/100 trẻ sơ sinh gái": a rate, or a ratio when
# words stand between the figure and "/100"; not a date ("ngày 15/11") nor a document number ("số 12/2025").
_PER = re.compile(rf"(?<![\d.,/])(?P<n>{_NUMBER})(?P<words>(?:\s+[^\W\d_]+){{0,4}})\s*/\s*"
                  r"(?P<per>100|1\.000|10\.000|100\.000)(?![\d.,/])(?=\s+[^\W\d_])", re.IGNORECASE)
_PER_AT_LEAST = re.compile(r"(?:trên|ít\s+nhất|tối\s+thiểu|không\s+ít\s+hơn|đạt|tăng\s+lên)\s*$", re.IGNORECASE)


def _rates(part: str) -> tuple[list[_Measure], list[tuple[int, int]]]:
    """The rates and ratios a part sets, and where they stand (so the figures in them are not read again). A rate
    or ratio is a level to stay under ("dưới 4/100.000", "ở mức 107 trẻ trai/100 trẻ gái", "xuống 18/1.000") unless
    a word before it asks for more ("trên", "ít nhất", "đạt")."""
    found: list[_Measure] = []
    taken: list[tuple[int, int]] = []
    for match in _FROM_DOWN_TO.finditer(part):
        measure = PERCENT if match["pct"] else (RATE if match["per"] else COUNT)
        found.append(_Measure(AT_MOST, _number(match["n"]), None, measure, match.start("n")))
        taken.append(match.span())
    for match in _PER.finditer(part):
        if any(start <= match.start() < end for start, end in taken) or re.search(
                r"(?:ngày|số|năm)\s*$", part[max(0, match.start() - 8):match.start()], re.IGNORECASE):
            continue
        measure = RATIO if match["words"].strip() and match["per"] == "100" else RATE
        before = part[max(0, match.start() - 20):match.start()]
        comparator = AT_LEAST if _PER_AT_LEAST.search(before) else AT_MOST
        found.append(_Measure(comparator, _number(match["n"]), None, measure, match.start()))
        taken.append(match.span())
    return found, taken


# "tối thiểu 03 cụm trung tâm dữ liệu", "phát triển từ 05 bộ dữ liệu": a count; "ít nhất 01 lần/năm" is how often,
# "từ 15 tuổi" how old, "từ 03 đến 05 cụm" a span, none of them how many at least.
_COUNT = re.compile(r"(?:tối\s+thiểu|ít\s+nhất|không\s+ít\s+hơn|\btừ)\s+(?P<n>\d{1,3}(?:\.\d{3})*)\s+"
                    r"(?!(?:năm|tháng|quý|tuần|ngày|giờ|phút|lần|tuổi|đến|trong\s+số|%)\b)(?=[^\W\d_])", re.IGNORECASE)
# "thuộc nhóm 4 nước dẫn đầu ASEAN", "top 50", "xếp hạng thứ 3": a place in a ranking, at most that place.
_RANK = re.compile(r"nhóm\s+(?P<n>\d{1,3})\s+(?:nước|quốc\s+gia|tỉnh|địa\s+phương|đơn\s+vị)[^;,.]{0,20}?dẫn\s+đầu"
                   r"|\btop\s+(?P<t>\d{1,3})\b|xếp\s+(?:hạng\s+)?thứ\s+(?P<r>\d{1,3})\b", re.IGNORECASE)
# "gấp 30 lần GRDP", "tăng gấp 2,5 lần", "tăng gấp đôi": a multiple, at least so many times.
_MULTIPLE = re.compile(rf"\bgấp\s+(?:(?P<n>{_NUMBER})\s+lần\b|(?P<twice>đôi)\b)", re.IGNORECASE)


# "giảm … còn 1,7 lần": down to a multiple, at most so many times.
_DOWN_TO_MULTIPLE = re.compile(rf"\bcòn\s+(?P<n>{_NUMBER})\s+lần\b", re.IGNORECASE)
# "có ít nhất một cơ sở y tế": a count written as a word ("ít nhất một trong các dịch vụ" is one of several, not a
# count; "năm" is left out, being also a year).
_COUNT_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_COUNT_WORD = re.compile(r"(?:tối\s+thiểu|ít\s+nhất|không\s+ít\s+hơn)\s+(?P<w>một|hai|ba|bốn|sáu|bảy|tám|chín|mười)"
                         r"\s+(?!trong\b|lần\b|năm\b|tháng\b|ngày\b)(?=[^\W\d_])", re.IGNORECASE)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _measures(part: str) -> list[_Measure]:
    """Every percentage a part of a clause sets, with its comparator, and every quantity in a unit of measure it asks
    to reach (`authoring.extract_figures`); failing a percentage, its counts, ranks and multiples too."""
    found, taken = _rates(part)
    amounts = [_Measure(quantity.comparator, quantity.value, None, AMOUNT, quantity.start, quantity.unit)
               for quantity in quantities(part) if not any(start <= quantity.start < end for start, end in taken)]
    taken += [(quantity.start, quantity.end) for quantity in quantities(part)]
    for match in _RANGE.finditer(part):
        low, high = _number(match["lo"]), _number(match["hi"])
        if low < high <= 100 and not any(start <= match.start() < end for start, end in taken):
            found.append(_Measure(RANGE, low, high, PERCENT, match.start()))
            taken.append(match.span())
    for match in _PERCENT.finditer(part):
        if any(start <= match.start() < end for start, end in taken):
            continue
        value = _number(match["v"])
        if value > 100:
            continue
        before = part[max(0, match.start() - 30):match.start()]
        if _REDUCE.search(before):
            found.append(_Measure(REDUCE_BY, value, None, PERCENT, match.start()))
        elif _AT_MOST.search(before):
            found.append(_Measure(AT_MOST, value, None, PERCENT, match.start()))
        else:
            found.append(_Measure(AT_LEAST, value, None, PERCENT, match.start()))
    if found:
        return sorted([*found, *amounts], key=lambda measure: measure.at)
    counted = [*_counted(part, taken), *((amount.at, amount) for amount in amounts)]
    return [measure for _, measure in sorted(counted, key=lambda pair: pair[0])]


def _listed_counts(part: str, counts: list[re.Match]) -> list[tuple[int, _Measure]]:
    """The counts listed after a count of the same things, with no comparator word of their own ("ít nhất 100 doanh
    nghiệp khởi nghiệp, 50 doanh nghiệp khoa học …, trong đó có 20 doanh nghiệp …"): each is at least so many."""
    found: list[tuple[int, _Measure]] = []
    seen = {match.start(_figure(match)) for match in counts}
    for count in counts:
        noun = re.match(r"[^\W\d_]+", part[count.end():])
        if noun is None:
            continue
        listed = re.compile(rf"(?<![\d.,/])(?P<n>\d{{1,3}}(?:\.\d{{3}})*)\s+{re.escape(noun.group(0))}\b")
        for match in listed.finditer(part, count.end()):
            if match.start("n") not in seen:
                seen.add(match.start("n"))
                found.append((match.start(), _Measure(AT_LEAST, Decimal(match["n"].replace(".", "")), None, COUNT)))
    return found


def _figure(match: re.Match) -> str:
    """The group holding a count's figure: "n", "low" for "ít nhất 2 - 3 công trình", "total" for "Số lượng: 5.000
    cuốn" (`authoring.extract_figures.asked_counts`)."""
    return next((name for name in ("low", "total", "expected") if name in match.re.groupindex and match[name]), "n")


def _counted(part: str, taken: list[tuple[int, int]]) -> list[tuple[int, _Measure]]:
    """The places in a ranking (at most that place), the counts (at least so many) and the multiples (at least so
    many times) a part without a percentage sets, each with where it is written; none inside a quantity already
    read (`taken`: "tối thiểu 500 tấn" is an amount, not a count of "tấn")."""
    found = [(match.start(), _Measure(AT_MOST, Decimal(match["n"] or match["t"] or match["r"]), None, RANK))
             for match in _RANK.finditer(part)]
    found += [(match.start(), _Measure(AT_LEAST, _number(match["n"]) if match["n"] else Decimal(2), None, MULTIPLE))
              for match in _MULTIPLE.finditer(part)]
    found += [(match.start(), _Measure(AT_MOST, _number(match["n"]), None, MULTIPLE))
              for match in _DOWN_TO_MULTIPLE.finditer(part)]
    counts = [match for match in (*_COUNT.finditer(part), *asked_counts(part))
              if not any(start <= match.start(_figure(match)) < end for start, end in taken)]
    counts = [match for index, match in enumerate(counts)  # "tối thiểu 2 - 3 công trình" is read once
              if not any(other.start(_figure(other)) == match.start(_figure(match)) for other in counts[:index])]
    found += [(match.start(), _Measure(AT_LEAST, Decimal(match[_figure(match)].replace(".", "")), None, COUNT))
              for match in counts]
    found += [(at, measure) for at, measure in _listed_counts(part, counts)
              if not any(start <= at < end for start, end in taken)]
    found += [(match.start(), _Measure(AT_LEAST, Decimal(_COUNT_WORDS[match["w"].lower()]), None, COUNT))
              for match in _COUNT_WORD.finditer(part)]
    return found


# A count written with no comparator word, in the objectives: "+ Lắp đặt mới trạm 5G: 58 trạm", "phát triển 58 trạm
# 5G", "nâng tổng số trạm 5G: 188 trạm"; a breakdown in brackets ("(Trong đó: VNPT: 25 trạm …)") is not one.
_BARE_COUNT = re.compile(
    r"(?:^[^:;()]{3,80}:\s*|\bnâng\s+tổng\s+số[^:;()]{0,60}?:?\s*|"
    r"\b(?:phát\s+triển|lắp\s+đặt|đầu\s+tư|xây\s+dựng|hình\s+thành|có)"
    r"(?:\s+mới)?\s+)(?P<n>\d{1,3}(?:\.\d{3})*)\s+(?!(?:năm|tháng|quý|tuần|ngày|giờ|phút|lần|tuổi|tỷ|triệu|nghìn|ngàn|đồng|%)\b)(?=[^\W\d_])",
    re.IGNORECASE,
)


# A count of people, sessions or products, with no verb before it, in the objectives: "đào tạo 3.000 lượt nhân lực",
# "tập huấn cho 500 người", "20 mô hình", "150 sản phẩm"; not the end of a span ("từ 03 đến 05 lớp").
_COUNTED = re.compile(r"(?<![\d.,/])(?<!đến\s)(?<![-–]\s)(?P<n>\d{1,3}(?:\.\d{3})*)\s+"
                      r"(?=(?:lượt|người|mô\s+hình|sản\s+phẩm|học\s+viên|lớp)\b)", re.IGNORECASE)


# "Hoàn thành di dời 01 khu công nghiệp và 02 cụm công nghiệp": a count written with its leading zero, as official
# texts write the number of things, not a day, a month or a duration.
_PADDED_COUNT = re.compile(r"(?<![\d.,/])(?P<n>0[1-9])\s+(?!(?:năm|tháng|quý|tuần|ngày|giờ|phút|lần|tuổi)\b)"
                           r"(?=[^\W\d_])", re.IGNORECASE)


def _unbracketed(part: str) -> str:
    """`part` with what stands in brackets blanked, also a bracket the part opens or closes without the other (a
    breakdown "(gồm 166 dự án thủy điện; 02 dự án điện gió …)" cut by its semicolons): what a figure is made of, not
    what is asked."""
    plain = re.sub(r"\([^()]*\)", lambda match: " " * len(match.group(0)), part)
    if ")" in plain:
        cut = plain.index(")") + 1
        plain = " " * cut + plain[cut:]
    if "(" in plain:
        cut = plain.index("(")
        plain = plain[:cut] + " " * (len(plain) - cut)
    return plain


def done_counts(part: str) -> list[_Measure]:
    """The things a milestone counts to complete ("01 khu công nghiệp", "02 cụm công nghiệp"), each a count."""
    plain = _unbracketed(part)
    return [_Measure(AT_LEAST, Decimal(match["n"]), None, COUNT) for match in _PADDED_COUNT.finditer(plain)]


# "- 01 Khu công nghiệp đạt tiêu chuẩn KCN sinh thái": an objective opening with the number of things it asks.
_OPENING_COUNT = re.compile(r"^\s*(?P<n>0[1-9])\s+(?!(?:năm|tháng|quý|tuần|ngày|giờ|phút|lần|tuổi)\b)(?=[^\W\d_])",
                            re.IGNORECASE)


def _bare_counts(part: str, *, opening: bool = False) -> list[_Measure]:
    """The counts an objective asks without a word asking them ("Đến năm 2030: 05 khu …", "phát triển 12 …");
    `opening`, the part opening its item, may also start with one ("01 Khu công nghiệp đạt …")."""
    plain = _unbracketed(part)
    found = {match.start("n"): match["n"] for match in _BARE_COUNT.finditer(plain)}
    if opening:
        found.update({match.start("n"): match["n"] for match in _OPENING_COUNT.finditer(plain)})
    found.update({match.start("n"): match["n"] for match in _COUNTED.finditer(plain)})
    return [_Measure(AT_LEAST, Decimal(found[at].replace(".", "")), None, COUNT) for at in sorted(found)]
