"""Tasks written in prose: what `authoring.extract` reads in the body besides the figures.

Plans assign most tasks in their "Nhiệm vụ, giải pháp", "Nội dung" or "Tổ chức thực hiện" sections as numbered or
bulleted items rather than tables, in two shapes:

- an item followed by lines that name its fields ("- Cơ quan chủ trì: Bộ Công an.", "- Cơ quan thực hiện: …", "-
  Cơ quan phối hợp: …", "- Thời hạn hoàn thành: trước ngày …", "- Thời gian thực hiện: năm 2026", "- Sản phẩm: …"):
  the item is a task, led by the "chủ trì" unit (else the "thực hiện" one), with the "phối hợp" units cooperating,
  due as its deadline line says, producing what "Sản phẩm" or "Kết quả" says; a deadline line that only introduces
  dated lines ("- Thời gian thực hiện:" then "+ … trước ngày 15/12/2025"; "+ … trước ngày 31/12/2025") makes each
  of those a task of its own, with the item's units;
- in a tasks section, an item naming its lead in its own words ("Bộ Công an chủ trì, phối hợp với … xây dựng …",
  "Giao Sở Tài chính chủ trì …", "… Thời hạn hoàn thành: Quý II/2026") or with a deadline of its own ("trước ngày
  …", "Quý II/2026").

A heading holding several assignments, each a group of bullets followed by its own field lines, gives one task
per group (named by its first bullet), and none for itself; an activity named only by its label ("a) Hoạt động 1")
is read by its "Nội dung: …" line, its lead also from a "+" line under "Cơ quan thực hiện:"; "X chủ trì, phối hợp
với Y" in a lead line gives the lead X and the cooperating Y. In a tasks or reporting section ("Chế độ báo cáo"), an
item naming only a deadline ("xong trong tháng 12/2025", "trước ngày …") is a task, and so is a paragraph "Đồng thời,
giao X chủ trì …". An item with neither a lead nor a deadline is not a task. Each task's clause is the item as
written.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from authoring.extract import (
    _BEFORE,
    _BY_DATE,
    _DONE_START,
    _QUARTER,
    DONE,
    TASK,
    Candidate,
    _Block,
    _Due,
    _due_in,
    _fold,
)
from core.periods import year_last_day

# "- Cơ quan chủ trì: Bộ Công an.", "+ Thời hạn ban hành: trước ngày …", "- Sản phẩm: Nghị định".
_FIELD = re.compile(
    r"^(?P<name>(?:Cơ\s+quan|Đơn\s+vị|Bộ\s+phận)\s+(?:chủ\s+trì|thực\s+hiện|phối\s+hợp|phụ\s+trách)|Chủ\s+trì|"
    r"Phối\s+hợp|Thời\s+(?:hạn|gian|điểm)(?:\s+[^\W\d_]+){0,3}|Tiến\s+độ(?:\s+[^\W\d_]+){0,2}|Sản\s+phẩm"
    r"(?:\s+[^\W\d_]+){0,2}|Kết\s+quả(?:\s+[^\W\d_]+){0,2}|Nội\s+dung)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# A section whose numbered items assign work: "III. NHIỆM VỤ, GIẢI PHÁP", "IV. TỔ CHỨC THỰC HIỆN".
_TASKS_SECTION = re.compile(r"NHIỆM\s+VỤ|GIẢI\s+PHÁP|TỔ\s+CHỨC\s+THỰC\s+HIỆN|CHẾ\s+ĐỘ\s+BÁO\s+CÁO", re.IGNORECASE)
_UNIT = (r"(?:Bộ|Sở|Ban|Ủy\s+ban|UBND|Văn\s+phòng|Công\s+an|Trung\s+tâm|Đảng\s+[uủ][ỷy]|Thành\s+[uủ][ỷy]|"
         r"Tỉnh\s+[uủ][ỷy]|Hội|Đoàn|Liên\s+đoàn|Mặt\s+trận|Viện|Phòng|Cục|Các\s+(?:sở|bộ|cơ\s+quan|đơn\s+vị|ban))")
# "Bộ Công an chủ trì, …", "Giao Sở Tài chính chủ trì …": the unit named before "chủ trì", at the item's start.
_LEAD_IN_WORDS = re.compile(rf"^(?:Đồng\s+thời\s*,\s*)?(?:[Gg]iao\s+(?:cho\s+)?)?(?P<lead>{_UNIT}\b[^,;:.()]{{0,80}}?)"
                            r"\s+(?:là\s+cơ\s+quan\s+)?"
                            r"chủ\s+trì\b")
_COOPERATING = re.compile(r"phối\s+hợp\s+với\s+(?P<units>[^;.]{3,160}?)(?=\s+(?:xây\s+dựng|tổ\s+chức|triển\s+khai|"
                          r"thực\s+hiện|nghiên\s+cứu|rà\s+soát|hoàn\s+thiện|ban\s+hành|trình|tham\s+mưu|để)\b|[;.]|$)",
                          re.IGNORECASE)
_DEADLINE_WORDS = re.compile(r"Thời\s+hạn(?:\s+hoàn\s+thành)?\s*:\s*(?P<due>[^;]+)", re.IGNORECASE)


class _Fields(NamedTuple):
    lead: str
    cooperating: str
    due_text: str
    output: str
    due_intro: bool  # the deadline line only introduces dated lines under it


def prose_tasks(blocks: list[_Block], sections: list[str]) -> tuple[list[Candidate], set[int]]:
    """The tasks the blocks assign in prose, and the indices of the blocks they take (the items and their fields),
    which are then read for nothing else. `sections` gives the title of the top-level section each block is in."""
    owners: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        if not _FIELD.match(block.body):
            continue
        owner = _owner(blocks, index)
        if owner is not None:
            owners.setdefault(owner, []).append(index)
    found: list[tuple[int, Candidate]] = []
    taken: set[int] = set()
    for owner, fields in _assignments(blocks, owners):
        read = _fields_read([blocks[index] for index in fields], _under(blocks, fields))
        if not read.lead and not read.due_text and not read.due_intro:
            continue
        taken.update(range(owner, fields[-1] + 1))
        dated = _dated_lines(blocks, fields) if read.due_intro else []
        if dated:
            taken.update(dated)
            found.extend((index, _task(blocks[index], _actor(blocks[index].body, read), _fold(blocks[index].body)))
                         for index in dated)
        else:
            found.append((owner, _task(_named(blocks, owner, fields), read, read.due_text)))
    taken.update(owner for owner, fields in owners.items() if taken.issuperset(fields))  # a heading over tasks
    for index, block in enumerate(blocks):
        if index in taken or not _TASKS_SECTION.search(sections[index]):
            continue
        task = _worded_task(block)
        if task:
            found.append((index, task))
            taken.add(index)
    return [task for _, task in sorted(found, key=lambda pair: pair[0])], taken


def _owner(blocks: list[_Block], index: int) -> int | None:
    """The item a field line belongs to: the nearest marked block above it, less deep, that is not a field itself
    (a paragraph without a marker between them is read by `_assignments`)."""
    depth = blocks[index].depth
    for above in range(index - 1, -1, -1):
        block = blocks[above]
        if block.depth < depth:
            if _FIELD.match(block.body):
                return None  # "+ …" under "- Thời gian thực hiện:" is a dated line, read with its item
            if block.marker:
                return above
            depth = block.depth
    return None


def _assignments(blocks: list[_Block], owners: dict[int, list[int]]) -> list[tuple[int, list[int]]]:
    """Each item's field lines, split where an item holds several assignments: a heading ("4. Nâng cao năng lực …")
    over bullets, each group of bullets followed by its own "Đơn vị chủ trì: …" lines, is one task per group, named
    by the group's first bullet; the heading only names what they share. An item whose fields follow it directly
    stays one task."""
    found: list[tuple[int, list[int]]] = []
    for owner, fields in owners.items():
        runs: list[list[int]] = []
        for index in fields:
            if runs and (blocks[runs[-1][-1]].body.endswith(":") or all(
                    _FIELD.match(blocks[between].body) for between in range(runs[-1][-1] + 1, index))):
                runs[-1].append(index)  # only fields, or the lines a field introduces ("+ … trước ngày …"), between
            else:
                runs.append([index])
        previous = owner
        for run in runs:
            first = next((between for between in range(previous + 1, run[0])
                          if not _FIELD.match(blocks[between].body)), None)
            if first is None and found and found[-1][0] == owner:
                found[-1][1].extend(run)
            else:
                found.append((first if first is not None else owner, run))
            previous = run[-1]
    return found


def _under(blocks: list[_Block], fields: list[int]) -> dict[int, list[_Block]]:
    """The lines each field introduces ("- Cơ quan thực hiện:" then "+ Sở Văn hóa chủ trì, …"), by position."""
    found: dict[int, list[_Block]] = {}
    for position, index in enumerate(fields):
        depth = blocks[index].depth
        for below in range(index + 1, len(blocks)):
            if blocks[below].depth <= depth:
                break
            found.setdefault(position, []).append(blocks[below])
    return found


# An item named only by its label ("a) Hoạt động 1", "Nhiệm vụ 2:"): what it is lies in its "Nội dung: …" line.
_LABEL = re.compile(r"^(?:Hoạt\s+động|Nhiệm\s+vụ|Công\s+việc)\s+(?:\d{1,2}|[IVX]{1,4})\s*[.:]?$", re.IGNORECASE)
_CONTENT = re.compile(r"^Nội\s+dung\s*:", re.IGNORECASE)


def _named(blocks: list[_Block], owner: int, fields: list[int]) -> _Block:
    """The block a task's clause is: its item, or for an item named only by its label, its "Nội dung" line with
    the lines under it."""
    if not _LABEL.match(blocks[owner].body):
        return blocks[owner]
    content = next((index for index in fields if _CONTENT.match(blocks[index].body)), None)
    if content is None:
        return blocks[owner]
    last = content
    while last + 1 < len(blocks) and blocks[last + 1].depth > blocks[content].depth:
        last += 1
    first = blocks[content]
    raw = " ".join(block.raw for block in blocks[content:last + 1])
    return _Block(start=first.start, end=blocks[last].end, raw=raw, depth=first.depth, marker=first.marker,
                  body=_fold(raw))


def _fields_read(fields: list[_Block], under: dict[int, list[_Block]] | None = None) -> _Fields:
    """What an item's field lines say; a lead line that only introduces the lines under it ("- Cơ quan thực hiện:"
    then "+ Sở Văn hóa và Thể thao chủ trì, phối hợp với …") is read from the first of them naming a lead."""
    values: dict[str, str] = {}
    due_intro = False
    for position, block in enumerate(fields):
        match = _FIELD.match(block.body)
        name, value = _fold(match["name"]).lower(), match["value"].strip()
        if not value and ("chủ trì" in name or "thực hiện" in name) and not name.startswith(("thời", "tiến")):
            value = next((line.body for line in (under or {}).get(position, []) if _LEAD_IN_WORDS.match(line.body)),
                         "")
        if "chủ trì" in name or "phụ trách" in name:
            key = "lead"
        elif "thực hiện" in name and not name.startswith(("thời", "tiến")):
            key = "doer"
        elif "phối hợp" in name:
            key = "cooperating"
        elif name.startswith(("thời", "tiến")):
            key = "due"
            due_intro = due_intro or not value
        elif name.startswith(("sản phẩm", "kết quả")):
            key = "output"
        else:
            continue
        values.setdefault(key, value.rstrip("."))
    lead = values.get("lead") or values.get("doer") or ""
    worded = _LEAD_IN_WORDS.match(lead)  # "Sở Nội vụ chủ trì, phối hợp với các sở, …"
    cooperating = _COOPERATING.search(lead) if worded else None
    if cooperating and "cooperating" not in values:
        values["cooperating"] = _fold(cooperating["units"])
    return _Fields(lead=_fold(worded["lead"]) if worded else _unit_name(lead),
                   cooperating=values.get("cooperating", ""), due_text=values.get("due", ""),
                   output=values.get("output", ""), due_intro=due_intro)


def _unit_name(value: str) -> str:
    """The unit a lead line names, without what it goes on to say it does ("Bộ Công an tiến hành rà soát …")."""
    value = re.split(r"\s+(?:tiến\s+hành|thực\s+hiện|chịu\s+trách\s+nhiệm)\b|;", value, maxsplit=1)[0]
    return value.strip().rstrip(".,")


# A dated line opening with who does it: "+ Các bộ, … gửi kết quả rà soát về Bộ Công an trước ngày …".
_ACTOR = re.compile(rf"^(?P<unit>{_UNIT}\b.{{0,160}}?)\s+(?:gửi|tổng\s+hợp|báo\s+cáo|thực\s+hiện|xây\s+dựng|"
                    r"hoàn\s+thành|ban\s+hành|trình|tổ\s+chức|triển\s+khai|rà\s+soát)\b")


def _actor(body: str, fields: _Fields) -> _Fields:
    """The item's fields for one of its dated lines, led by the unit the line opens with, if it names one."""
    actor = _ACTOR.match(body)
    return fields._replace(lead=_fold(actor["unit"])) if actor else fields


def _dated_lines(blocks: list[_Block], fields: list[int]) -> list[int]:
    """The lines under an introducing deadline line ("- Thời gian thực hiện:"), each with a deadline of its own."""
    intro = next(index for index in fields if _FIELD.match(blocks[index].body)
                 and _fold(_FIELD.match(blocks[index].body)["name"]).lower().startswith(("thời", "tiến")))
    found = []
    for index in range(intro + 1, len(blocks)):
        if blocks[index].depth <= blocks[intro].depth:
            break
        if _due_in(blocks[index].body):
            found.append(index)
    return found


# "năm 2025 và các năm tiếp theo", "hằng năm", "thường xuyên": recurring work, no one deadline.
_RECURRING = re.compile(r"các\s+năm\s+tiếp\s+theo|h[ằà]ng\s+năm|thường\s+xuyên", re.IGNORECASE)
# "năm 2026 - 2027": due by the end of the last year.
_YEARS = re.compile(r"^(?:năm\s+)?20\d{2}\s*[-–]\s*(?:năm\s+)?(?P<y>20\d{2})\b", re.IGNORECASE)


def _deadline(due_text: str) -> _Due | None:
    """The day a deadline line gives: none for recurring work, the last year of a span of years, else as a clause
    writes it ("trước ngày 01 tháng 01 năm 2026" the day before, "Quý II/2026" the quarter's last day)."""
    if not due_text or _RECURRING.search(due_text):
        return None
    years = _YEARS.match(due_text)
    if years:
        return _Due(year_last_day(int(years["y"])), _fold(years.group(0)))
    return _due_in(due_text)


def _task(block: _Block, fields: _Fields, due_text: str) -> Candidate:
    due = _deadline(due_text)
    return Candidate(kind=TASK, clause=block.clause, start=block.start, end=block.end, comparator=DONE,
                     due=due.day if due else None, due_text=due.text if due else "", lead=fields.lead,
                     cooperating=fields.cooperating, output=fields.output)


# "Đồng thời, giao Công an tỉnh chủ trì …": a paragraph assigning another task.
_ALSO = re.compile(r"Đồng\s+thời\s*,\s*giao\b", re.IGNORECASE)
# "xong trong tháng 12/2025", "(hoàn thành trong tháng 11/2025)": a deadline by the month.
_WITHIN_MONTH = re.compile(r"(?:xong|hoàn\s+thành)\s+(?:trong|trước)\s+tháng\s+\d{1,2}(?:\s*/\s*|\s+năm\s+)20\d{2}",
                           re.IGNORECASE)


def _worded_task(block: _Block) -> Candidate | None:
    """An item of a tasks section that names its lead in its own words, or has a deadline of its own."""
    body = block.body
    lead = _LEAD_IN_WORDS.match(body)
    written = _DEADLINE_WORDS.search(body)
    dated = bool(_BEFORE.search(body) or _BY_DATE.search(body) or _QUARTER.search(body) or _WITHIN_MONTH.search(body))
    if not lead and not written and (not dated or _DONE_START.match(body)):
        return None  # "Hoàn thành … trước ngày 01/7/2025" with no lead is a milestone of the plan
    if not block.marker and not dated and not _ALSO.match(body):
        return None  # a paragraph goes on with the item above it, unless it sets a deadline or assigns anew
    due = _due_in(written["due"]) if written else None
    due = due or (_due_in(body) if dated else None)
    cooperating = _COOPERATING.search(body) if lead else None
    return Candidate(kind=TASK, clause=block.clause, start=block.start, end=block.end, comparator=DONE,
                     due=due.day if due else None, due_text=due.text if due else "",
                     lead=_fold(lead["lead"]) if lead else "",
                     cooperating=_fold(cooperating["units"]) if cooperating else "")
