"""What a plan says that is not asked of anyone: the rules `authoring.extract` applies before reading a figure.

- a section on the present situation ("1. Hiện trạng", "I. THỰC TRẠNG …", "Kết quả đạt được"): a baseline;
- a part opening "Hiện nay", "Đến nay" or saying "đến nay đã", a share in brackets after a count ("(chiếm 32,2%)"):
  the present situation ("Kinh tế số chiếm 45% GRDP" is a target);
- an award quota ("Bằng khen … không quá 10% tập thể, 5% cá nhân");
- points in a scoring sheet ("cộng 02 điểm", "tổng số điểm", "điểm chuẩn").
"""

from __future__ import annotations

import re

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


def situation_heading(heading: str) -> bool:
    """Whether a heading opens a section on the present situation."""
    return bool(SITUATION.match(heading))


def not_asked(part: str) -> bool:
    """Whether a part of a clause says what is, a quota or points rather than what someone must reach."""
    return bool(_NOT_ASKED.search(part))
