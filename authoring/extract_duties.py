"""Duties: what the "Tổ chức thực hiện" and "Chế độ báo cáo" sections ask of named units, read by
`authoring.extract_tasks` as tasks.

- an item opening with a unit and what it is to do ("Sở Khoa học và Công nghệ tổng hợp, báo cáo … trước ngày 30/11
  hằng năm", "Các sở, ban, ngành … căn cứ Kế hoạch này, xây dựng kế hoạch …; báo cáo … trước ngày 15 hằng tháng")
  is a task led by that unit when it sets a deadline, in its own words or in a line under it that names no unit of
  its own ("1. Sở X theo dõi, đôn đốc …" then "- … trước ngày 20 hằng tháng …"); without a deadline, or a lead
  named by "chủ trì" (`extract_tasks`), it only describes the unit's role and is not a task;
- a recurring deadline ("trước ngày 15 hằng tháng", "trước ngày 30/11 hằng năm", or a day and month with no year,
  "trước ngày 20/11", which comes back each year of a plan spanning several) is no one day: the task's `due` is
  None and its `due_text` the words, for the person to set a recurrence or a first deadline.
"""

from __future__ import annotations

import re

# "trước ngày 15 hằng tháng", "trước ngày 30/11 hằng năm", "trước ngày 20 tháng 11 hằng năm"; "trước ngày 20/11"
# (a day and month with no year; not "trước ngày 20/11/2025", a date).
_RECURRING_DAY = re.compile(
    r"trước\s+ngày\s+\d{1,2}(?:(?:\s*/\s*|\s+tháng\s+)\d{1,2})?\s+(?:của\s+)?(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm)\b"
    r"|trước\s+ngày\s+\d{1,2}(?:\s*/\s*|\s+tháng\s+)\d{1,2}\b(?!\s*/\s*\d|\s+năm\s+\d)",
    re.IGNORECASE,
)

# Who is named first in an item of duties: a body by its kind ("Sở …", "Ủy ban nhân dân …", "Các sở, ban, ngành
# …"), up to the first word of what it is to do.
UNIT = (r"(?:Bộ|Sở|Ban|Ủy\s+ban|Uỷ\s+ban|UBND|Văn\s+phòng|Công\s+an|Trung\s+tâm|Đảng\s+[uủ][ỷy]|Thành\s+[uủ][ỷy]|"
        r"Tỉnh\s+[uủ][ỷy]|Hội|Đoàn|Liên\s+đoàn|Mặt\s+trận|Viện|Phòng|Cục|"
        r"Các\s+(?:[sS]ở|[bB]ộ|cơ\s+quan|đơn\s+vị|[bB]an|ngành|địa\s+phương|[tT]rung\s+tâm|[pP]hòng|[hH]ội|"
        r"[cC]hi\s+bộ|[đĐ]ảng\s+[uủ][ỷy]))")
_DUTY = re.compile(
    rf"^(?:Giao\s+(?:cho\s+)?)?(?P<unit>{UNIT}\b.{{0,160}}?)\s+(?:có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|căn\s+cứ|"
    r"theo\s+dõi|đôn\s+đốc|kiểm\s+tra|giám\s+sát|tổng\s+hợp|báo\s+cáo|gửi|xây\s+dựng|thực\s+hiện|tham\s+mưu|hướng\s+dẫn|"
    r"định\s+kỳ|chủ\s+động|phối\s+hợp|là\s+cơ\s+quan|(?<!,\s)tổ\s+chức|triển\s+khai|rà\s+soát|ban\s+hành|trình|"
    r"bố\s+trí|chỉ\s+đạo|lồng\s+ghép)\b"
)


def recurring_day(text: str) -> str:
    """The words of a recurring deadline the text writes ("trước ngày 15 hằng tháng"), or ""."""
    found = _RECURRING_DAY.search(text)
    return re.sub(r"\s+", " ", found.group(0)) if found else ""


def duty_unit(body: str) -> str:
    """The unit an item of duties opens with ("Sở Khoa học và Công nghệ" in "Sở Khoa học và Công nghệ tổng hợp,
    báo cáo …"), or ""."""
    found = _DUTY.match(body)
    return re.sub(r"\s+", " ", found["unit"]).strip(" ,") if found else ""
