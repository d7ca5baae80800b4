"""What a plan says that is not asked of anyone: the rules `authoring.extract` applies before reading a figure.

- a section on the present situation ("1. Hiện trạng", "I. THỰC TRẠNG …", "Kết quả đạt được"): a baseline;
- a part opening "Hiện nay", "Đến nay" or saying "đến nay đã", a share in brackets after a count ("(chiếm 32,2%)"):
  the present situation ("Kinh tế số chiếm 45% GRDP" is a target);
- an award quota ("Bằng khen … không quá 10% tập thể, 5% cá nhân"), and a section setting an award's criteria
  ("3. Tiêu chuẩn khen thưởng": "tỷ lệ cử tri đi bầu đạt từ 98% trở lên" is what earns it, not what is asked);
- points in a scoring sheet ("cộng 02 điểm", "tổng số điểm", "điểm chuẩn");
- the size that brings a place within scope ("Vùng nuôi có diện tích từ 10 ha trở lên"), a share of a budget set
  aside ("khoản 10% kinh phí thực hiện …") and the rate of a loan a policy sets ("giảm lãi suất cho vay 2%/năm");
- the strength of a product supplied ("cấp hóa chất Cloramin B, Chlorine 70%, máy phun");
- the distribution list at the end of a document ("Nơi nhận: - Như trên; … - Lưu: VT."): nothing in it is asked.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A section on the present situation: "1. Hiện trạng", "I. THỰC TRẠNG …", "Kết quả đạt được".
SITUATION = re.compile(r"(?:Thực\s+trạng|Hiện\s+trạng|Tình\s+hình\s+(?:thực\s+hiện|triển\s+khai|chung)|"
                       r"Kết\s+quả\s+(?:đạt\s+được|thực\s+hiện)|Đánh\s+giá\s+(?:tình\s+hình|kết\s+quả|thực\s+trạng))",
                       re.IGNORECASE)

# What a figure says that is not asked of anyone: the present situation ("Hiện nay …", "đến nay đã …", "(chiếm
# 32,2%)" after a count; "Kinh tế số chiếm 45% GRDP" is a target), an award quota ("Bằng khen … không quá 10% tập
# thể"), points in a scoring sheet ("cộng 02 điểm").
_NOT_ASKED = re.compile(
    r"^\s*(?:Hiện\s+nay|Hiện\s+có|Đến\s+nay|Tính\s+đến\s+(?:nay|thời\s+điểm|ngày))\b|\bđến\s+nay\s+đã\b|\(\s*chiếm\s+\d"
    r"|\b(?:Bằng|Giấy)\s+khen\b|\b(?:tập\s+thể|cá\s+nhân)\s*,\s*\d{1,3}(?:[.,]\d+)?\s*%"
    r"|\b(?:số|cộng|trừ|chấm|thang)\s+(?:trực\s+tiếp\s+)?(?:\d{1,3}\s+)?điểm\b|\bđiểm\s+(?:chuẩn|tối\s+đa|cộng)\b",
    re.IGNORECASE,
)


# A section setting what earns an award: "3. Tiêu chuẩn khen thưởng", "Điều kiện xét khen thưởng".
AWARD_CRITERIA = re.compile(r"(?:Tiêu\s+chuẩn|Điều\s+kiện)\s+(?:xét\s+)?(?:khen\s+thưởng|tặng|thi\s+đua)",
                            re.IGNORECASE)


def situation_heading(heading: str) -> bool:
    """Whether a heading opens a section whose figures ask nothing of anyone: the present situation, or the
    criteria of an award."""
    return bool(SITUATION.match(heading) or AWARD_CRITERIA.match(heading))


def not_asked(part: str) -> bool:
    """Whether a part of a clause says what is, a quota or points rather than what someone must reach."""
    return bool(_NOT_ASKED.search(part))


# "Đề án “Đầu tư xây dựng ít nhất 01 triệu căn hộ …”": a figure in the title a cited document bears.
_CITED_TITLE = re.compile(r"(?:Đề\s+án|Chương\s+trình|Dự\s+án|Kế\s+hoạch|Chiến\s+lược|Quyết\s+định|Nghị\s+quyết|Luật)"
                          r"\s*[“\"](?P<title>[^”\"]{1,300})[”\"]", re.IGNORECASE)
# "Vùng nuôi có diện tích từ 10 ha trở lên", "có thể tích 1.000 m3 trở lên": the size that brings a place or a body
# within scope (who is covered), not a size to reach.
_ELIGIBLE = re.compile(r"\bcó\s+(?:(?:diện\s+tích|thể\s+tích|quy\s+mô|công\s+suất|sản\s+lượng)\s+)?(?:từ\s+)?"
                       r"\d[\d.,]*\s*(?:ha|héc\s*ta|m2|m3|km2|tấn|con|lồng)\s+trở\s+lên\b", re.IGNORECASE)
# "khoản 10% kinh phí thực hiện …", "trích 5% dự toán": a share of a budget, how money is set aside ("giải ngân
# 100% kinh phí" is a target); "lãi suất cho vay 2%/năm": the rate of a loan a policy sets; neither is a level anyone
# must reach.
_BUDGET_SHARE = re.compile(r"(?<![^\W\d_])(?:khoản|bằng|trích|tương\s+đương)\s+\d{1,3}(?:[.,]\d+)?\s*%"
                           r"(?=\s+(?:tổng\s+)?(?:kinh\s+phí|dự\s+toán)\b)"
                           r"|(?<=lãi\s)suất[^.;%]{0,40}?\d{1,3}(?:[.,]\d+)?\s*%", re.IGNORECASE)
# "… thấp dưới 30% có thể điều chỉnh mục tiêu": a condition under which a target may change, not a target.
_CONDITION = re.compile(r"\d{1,3}(?:[.,]\d+)?\s*%(?=\s+(?:thì\s+)?(?:có\s+thể|được\s+phép)\s+điều\s+chỉnh\b)",
                        re.IGNORECASE)

# "cấp hóa chất Cloramin B, Chlorine 70%, máy phun": the strength of a product named in Latin letters, in a list of
# what is supplied (a comma, semicolon or bracket after it), not a level to reach.
_STRENGTH = re.compile(r"(?<![^\W\d_])[A-Z][a-z]{3,}\s+(?P<figure>\d{1,3}(?:[.,]\d+)?\s*%)(?=\s*[,;)])")


def unasked_blanked(part: str) -> str:
    """The part with what sets no target blanked out, each character by a space so offsets still hold: the titles
    of cited documents, the figures of a condition, the size that brings a place within scope, a share of a budget,
    a loan's rate and a product's strength."""
    spans = [match.span("title") for match in _CITED_TITLE.finditer(part)]
    spans += [match.span() for pattern in (_CONDITION, _ELIGIBLE, _BUDGET_SHARE) for match in pattern.finditer(part)]
    spans += [match.span("figure") for match in _STRENGTH.finditer(part)]
    for start, end in spans:
        part = part[:start] + " " * (end - start) + part[end:]
    return part


class Span(NamedTuple):
    start: int
    end: int


# "Nơi nhận:" opening a line, then the list under it: lines opening with a dash, blank lines between them.
_RECIPIENTS = re.compile(r"^[ \t]*Nơi[ \t]+nhận\b[^\n]*(?:\n[ \t]*(?:[-–+•][^\n]*)?(?=\n|$))*", re.MULTILINE)


def recipients(text: str) -> list[Span]:
    """The distribution lists of `text` ("Nơi nhận: - Như trên; - Lưu: VT."): the line opening "Nơi nhận" and the
    lines of its list, read for nothing."""
    return [Span(match.start(), match.end()) for match in _RECIPIENTS.finditer(text)]
