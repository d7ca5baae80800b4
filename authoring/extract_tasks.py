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
per group (named by its first bullet, unless that bullet only introduces a list, "… bao gồm:"), and none for itself;
an activity named only by its label ("a) Hoạt động 1") is read by its "Nội dung: …" line, its lead also from a "+"
line under "Cơ quan thực hiện:"; "X chủ trì, phối hợp với Y" in a lead line gives the lead X and the cooperating Y.
A task written under "Nhiệm vụ:" ("1.1. Xây dựng …" then "a) Nhiệm vụ: Tham mưu …", "b) Cơ quan thực hiện:" with
"- Đơn vị chủ trì: …", "- Đơn vị phối hợp: …" under it, "c) Thời gian thực hiện: …") is its content, the label not
being its text; a "Nhiệm vụ:" with nothing after its colon introduces bullets, the duties of one task with the
block's lead, cooperating units and deadline, its clause the label with the first duty (a bullet naming a unit of
its own, "- Sở Tài chính bố trí …", is that unit's task); a "Nội dung:" line saying its heading's action in full
("2. Rà soát văn bản" then "- Nội dung: Rà soát các văn bản …") is the task too. A deadline line may leave out its
colon ("Thời gian thực hiện sau khi … ban hành"); a numbered line under a section's heading ("II. THỜI GIAN VÀ PHẠM
VI", "1. Thời gian: …") says when the plan runs and is no field of a task. In a tasks or reporting section ("Chế độ
báo cáo"), an item naming only a deadline ("xong trong tháng 12/2025", "trước ngày …") is a task, led by the unit it
opens with if any, and so is a paragraph "Đồng thời, giao X chủ trì …"; so is a Quyết định's article giving the plan
to a unit ("Điều 2. Giao Sở X chủ trì, phối hợp với …", wherever it stands); so are the duties naming their unit and
a deadline (`authoring.extract_duties`: "Sở X tổng hợp, báo cáo … trước ngày 30/11 hằng năm", recurring, due None,
its words in `due_text`, as for a deadline line "Thường xuyên" or "Hằng năm"). An item with neither a lead nor a
deadline is not a task, nor is one whose only time line gives a start, a yearly season or a duration ("Từ tháng
11/2025 đến khi kết thúc …", "Từ tháng 3 đến tháng 11 hàng năm", "01 ngày/hội nghị"), nor a heading on the plan's
scope ("2. Phạm vi, đối tượng, thời gian hỗ trợ"). Among the measures ("II. CÁC NHIỆM VỤ, GIẢI PHÁP"), a numbered or
lettered sentence opening with its unit and its action ("b) Bộ Tài chính tiếp tục xuất cấp …") is a task led by that
unit; in "Tổ chức thực hiện" such a sentence only describes the unit's role. An item naming its lead that introduces
duties ("c) Bộ Tài chính chủ trì, phối hợp với …:") is one task, its clause the item with its first duty. Each task's
clause is the item as written, and where several lines make one task, its first: the person accepting it reads the
rest beside it.
"""

from __future__ import annotations

import re
from dataclasses import replace
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
    words_fold,
)
from authoring.extract_duties import UNIT, duty_unit, recurring_day
from core.periods import year_last_day

# "- Cơ quan chủ trì: Bộ Công an.", "+ Thời hạn ban hành: trước ngày …", "- Sản phẩm: Nghị định", a Party
# committee's "Trách nhiệm chỉ đạo thực hiện: Đảng ủy Ủy ban nhân dân tỉnh." under a group of measures; a deadline line
# may leave out its colon ("Thời gian thực hiện sau khi Chiến lược … được ban hành").
_FIELD = re.compile(
    r"^(?P<name>(?:Cơ\s+quan|Đơn\s+vị|Bộ\s+phận)\s+(?:chủ\s+trì|thực\s+hiện|phối\s+hợp|phụ\s+trách)|Chủ\s+trì|"
    r"Trách\s+nhiệm\s+(?:chỉ\s+đạo\s+|tổ\s+chức\s+)?thực\s+hiện|"
    r"Phối\s+hợp|Thời\s+(?:hạn|gian|điểm)(?:\s+[^\W\d_]+){0,3}|Tiến\s+độ(?:\s+[^\W\d_]+){0,2}|Sản\s+phẩm"
    r"(?:\s+[^\W\d_]+){0,2}|Kết\s+quả(?:\s+[^\W\d_]+){0,2}|Nội\s+dung|Nhiệm\s+vụ)"
    r"(?:\s*:\s*|(?:(?<=hiện)|(?<=thành))\s+(?=(?:sau\s+khi|trước|trong|đến)\s))(?P<value>.*)$",
    re.IGNORECASE,
)
# A section whose numbered items assign work: "III. NHIỆM VỤ, GIẢI PHÁP", "IV. TỔ CHỨC THỰC HIỆN".
_TASKS_SECTION = re.compile(r"NHIỆM\s+VỤ|GIẢI\s+PHÁP|TỔ\s+CHỨC\s+THỰC\s+HIỆN|CHẾ\s+ĐỘ\s+BÁO\s+CÁO", re.IGNORECASE)
# A Quyết định's article giving the plan to a unit, wherever it stands: "Điều 2. Giao Sở Công Thương chủ trì, …".
_ARTICLE = re.compile(r"^Điều\s+\d{1,2}\s*\.\s*(?=Giao\s)")
_UNIT = UNIT
# "Bộ Công an chủ trì, …", "Giao Sở Tài chính chủ trì …", "Sở X là cơ quan thường trực, chủ trì …": the unit named
# before "chủ trì", at the item's start.
_LEAD_IN_WORDS = re.compile(rf"^(?:Đồng\s+thời\s*,\s*)?(?:[Gg]iao\s+(?:cho\s+)?)?(?P<lead>{_UNIT}\b[^,;:.()]{{0,80}}?)"
                            r"\s+(?:là\s+cơ\s+quan(?:\s+[^\W\d_]+){0,3}?\s*,\s*|là\s+cơ\s+quan\s+)?"
                            r"chủ\s+trì\b")
_COOPERATING = re.compile(r"phối\s+hợp\s+với\s+(?P<units>[^;.]{3,160}?)(?=\s+(?:xây\s+dựng|tổ\s+chức|triển\s+khai|"
                          r"thực\s+hiện|nghiên\s+cứu|rà\s+soát|hoàn\s+thiện|ban\s+hành|trình|tham\s+mưu|bố\s+trí|để)\b|[;.]|$)",
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
    found: list[tuple[int, Candidate]] = []  # each task with where it stands in the text
    taken: set[int] = set()
    for owner, fields in _assignments(blocks, owners):
        read = _fields_read([blocks[index] for index in fields], _under(blocks, fields))
        if not read.lead and (not read.due_text or open_span(read.due_text)) and not read.due_intro:
            continue  # no lead, and nothing to track by: no time line, or one giving only a start or a season
        taken.update(range(owner, fields[-1] + 1))
        dated = _dated_lines(blocks, fields) if read.due_intro else []
        if dated:
            taken.update(dated)
            found.extend((blocks[index].start, _task(blocks[index], _actor(blocks[index].body, read),
                                                     _fold(blocks[index].body), line=False)) for index in dated)
        else:
            found.extend((block.start, _task(block, read._replace(lead=own or read.lead), read.due_text))
                         for block, own in _named(blocks, owner, fields))
    taken.update(owner for owner, fields in owners.items() if taken.issuperset(fields))  # a heading over tasks
    for index, block in enumerate(blocks):
        article = _ARTICLE.match(block.body)
        if index in taken or not (article or _TASKS_SECTION.search(sections[index]) or _led_item(block)):
            continue
        if not _numbered(block) and _unit_heading_above(blocks, index) and not (
                _dated(block.body) or _due_in(block.body, ahead=False)):
            continue  # "2. Sở Khoa học và Công nghệ, Sở Nội vụ" then "Sở Khoa học … chủ trì, …": the unit's role
        task = _worded_task(_Block(start=block.start, end=block.end, raw=block.raw, depth=block.depth,
                                   marker=article.group(0).strip(), body=block.body[article.end():])
                            if article else block, solutions=bool(_SOLUTIONS.match(sections[index])))
        if task is None:
            task, below = _duty_dated_below(blocks, index)
            taken.update(below)
        elif task.lead and block.body.endswith(":"):
            task, below = _led_duties(blocks, index, task)
            taken.update(below)
        if task:
            found.append((block.start, task))
            taken.add(index)
    return [task for _, task in sorted(found, key=lambda pair: pair[0])], taken


def _numbered(block: _Block) -> bool:
    """An item with a number or letter ("3.1.", "a)"), not a bullet ("-", "+", "•") nor a paragraph."""
    return bool(block.marker) and block.marker[0] not in "-–+•*"


def _unit_heading_above(blocks: list[_Block], index: int) -> bool:
    """Whether the item a paragraph or bullet stands under is a heading naming units ("3. Công an Thành phố, Bộ Tư
    lệnh Thành phố", "7. Ban Quản lý Khu kinh tế"), whose duties the lines under it describe."""
    at = next((at for at in range(index - 1, -1, -1) if _numbered(blocks[at])), None)
    if at is None:
        return False
    heading = blocks[at].body or (blocks[at + 1].body if at + 1 < index else "")  # "3." on a line of its own
    return bool(re.match(rf"{_UNIT}\b", heading, re.IGNORECASE)) and not heading.endswith((".", ";"))


def _led_item(block: _Block) -> bool:
    """Whether an item outside a tasks section names its lead in its own words, an assignment among the activities
    or the funding: a bullet ("- Trung tâm X chủ trì điều phối …"; a "+" line is part of the line above it), or a
    numbered item naming those who work with the lead too ("2. Sở Tài chính chủ trì, phối hợp với … bố trí kinh phí
    …"; "1. Sở Tài chính chủ trì tổng hợp dự toán hằng năm" under the funding is the unit's role)."""
    lead = _LEAD_IN_WORDS.match(block.body) if block.marker[:1] != "+" else None
    if not lead or re.search(r"\bđược\b", lead["lead"]):  # "Các cơ quan được phân công chủ trì": a role
        return False
    # "2. Giao Sở Công Thương chủ trì hướng dẫn …": an item opening "Giao" is an assignment, wherever it stands.
    return (block.marker[:1] in ("-", "–", "•", "*") or _with_cooperating(block.body, lead)
            or bool(block.marker and re.match(r"[Gg]iao\s", block.body)))


def _with_cooperating(body: str, lead: re.Match) -> bool:
    """ "Sở Tài chính chủ trì, phối hợp với …": the lead named with those who work with it, an assignment."""
    return bool(re.match(r"\s*,?\s*phối\s+hợp\s+với\b", body[lead.end():]))


def _owner(blocks: list[_Block], index: int) -> int | None:
    """The item a field line belongs to: the nearest marked block above it, less deep, that is not a field itself
    (a paragraph without a marker between them is read by `_assignments`), nor a section's heading ("II. THỜI GIAN
    VÀ PHẠM VI" over "1. Thời gian: từ nay đến năm 2030" says when the plan runs) or a heading on its scope ("2.
    Phạm vi, đối tượng, thời gian hỗ trợ"). The lines under a lead line that
    only introduces them ("b) Cơ quan thực hiện:" then "- Đơn vị chủ trì: …", "- Đơn vị phối hợp: …") are fields of
    the same item."""
    depth = blocks[index].depth
    if not blocks[index].marker:
        # A field line of its own closing a group of bullets ("Trách nhiệm chỉ đạo thực hiện: …" after "3.1. …" and
        # its "- …" measures) is the numbered item's, not its last bullet's.
        numbered = next((above for above in range(index - 1, -1, -1) if _numbered(blocks[above])), None)
        if numbered is not None and not any(_numbered(blocks[between]) for between in range(numbered + 1, index)):
            return numbered if blocks[numbered].depth > 1 and not _SCOPE_HEADING.match(blocks[numbered].body) else None
    for above in range(index - 1, -1, -1):
        block = blocks[above]
        if block.depth < depth:
            field = _FIELD.match(block.body)
            if field and _introduces_units(field):
                depth = block.depth
                continue
            if field:
                return None  # "+ …" under "- Thời gian thực hiện:" is a dated line, read with its item
            if block.marker:
                return above if block.depth > 1 and not _SCOPE_HEADING.match(block.body) else None
            depth = block.depth
    return None


# "2. Phạm vi, đối tượng, thời gian hỗ trợ" over "a) Phạm vi, đối tượng hỗ trợ: …", "b) Thời gian hỗ trợ: Từ nay đến
# hết ngày 31/12/2025": who and where the plan covers and when it runs, not an assignment.
_SCOPE_HEADING = re.compile(r"(?:Phạm\s+vi|Đối\s+tượng)\b", re.IGNORECASE)


def _introduces_units(field: re.Match) -> bool:
    """A lead line with nothing after its colon: "b) Cơ quan thực hiện:", the units in the lines under it."""
    name = _fold(field["name"]).lower()
    return not field["value"].strip() and not name.startswith(("thời", "tiến")) and (
        "thực hiện" in name or "chủ trì" in name or "phối hợp" in name)


def _assignments(blocks: list[_Block], owners: dict[int, list[int]]) -> list[tuple[int, list[int]]]:
    """Each item's field lines, split where an item holds several assignments: a heading ("4. Nâng cao năng lực …")
    over bullets, each group of bullets followed by its own "Đơn vị chủ trì: …" lines, is one task per group, named
    by the group's first bullet; the heading only names what they share. An item whose fields follow it directly
    stays one task, and so does an item whose several measures are closed by one field line of its own ("3.1. Tăng
    cường …", its "- …" measures, "Trách nhiệm chỉ đạo thực hiện: Đảng ủy Ủy ban nhân dân tỉnh."); one bullet so
    closed is the task itself."""
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
            if first is not None and len(runs) == 1 and not blocks[run[0]].marker and sum(
                    bool(blocks[between].marker) for between in range(owner + 1, run[0])) > 1:
                first = None  # several measures closed by "Trách nhiệm chỉ đạo thực hiện: …": the item names them
            if first is not None and previous == owner and blocks[first].body.endswith(":"):
                first = None  # "- Các nội dung hỗ trợ bao gồm:" introduces the item's own list: the item names it
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
# What an item is to do, written under a label: "- Nội dung: …" (what one activity holds), "a) Nhiệm vụ: …" (the
# task, or with nothing after the colon, the tasks in the bullets under it).
_CONTENT = re.compile(r"^(?:(?P<content>Nội\s+dung)|(?P<tasks>Nhiệm\s+vụ))\s*:\s*(?P<value>.*)$", re.IGNORECASE)


def _named(blocks: list[_Block], owner: int, fields: list[int]) -> list[tuple[_Block, str]]:
    """The blocks a task's clause is, one task each, with the unit a block names as its own lead ("" for the
    item's): its item; or its content line with the lines under it, the label not being the task, when the item
    writes its task under "Nhiệm vụ:" ("1.1. Xây dựng …" then "a) Nhiệm vụ: Tham mưu …"), is named only by its label
    ("a) Hoạt động 1" then "- Nội dung: Tổ chức diễn đàn …") or says in its "Nội dung" line the same action in full
    ("2. Rà soát văn bản" then "- Nội dung: Rà soát các văn bản …"); or, when "Nhiệm vụ:" only introduces bullets
    ("- Triển khai …", "- Phối hợp …"), one task for the block (`_duties_listed`)."""
    content = next((index for index in fields if _CONTENT.match(blocks[index].body)), None)
    if content is None:
        return [(blocks[owner], "")]
    label = _CONTENT.match(blocks[content].body)
    under = _under(blocks, [content]).get(0, [])
    if label["tasks"] and not label["value"].strip() and under:
        return _duties_listed(blocks[content], under)
    if not (label["tasks"] or _LABEL.match(blocks[owner].body) or _restated(blocks[owner].body, label["value"])):
        return [(blocks[owner], "")]
    last = content + len(under)
    return [(_joined(blocks[content:last + 1]), "")]


def _duties_listed(label: _Block, under: list[_Block]) -> list[tuple[_Block, str]]:
    """The bullets a "Nhiệm vụ:" introduces are the duties of one assignment: one task, its clause the label with
    the first duty (the others stand beside it in the text), with the block's units and deadline; a bullet naming a
    unit of its own ("- Sở Tài chính bố trí kinh phí …") is that unit's task."""
    depth = under[0].depth
    bullets = [block for block in under if block.depth == depth]
    own = [(block, duty_unit(block.body)) for block in bullets if duty_unit(block.body)]
    first = next((block for block in bullets if not duty_unit(block.body)), None)
    block = [(_joined([label, first]), "")] if first else []
    return sorted(block + own, key=lambda pair: pair[0].start)


def _joined(parts: list[_Block]) -> _Block:
    """One block of several lines, from the first one's start to the last one's end."""
    raw = " ".join(part.raw for part in parts)
    return _Block(start=parts[0].start, end=parts[-1].end, raw=raw, depth=parts[0].depth, marker=parts[0].marker,
                  body=_fold(raw))


def _restated(heading: str, content: str) -> bool:
    """Whether a content line opens with the heading's action, saying it in full ("Rà soát văn bản quy phạm pháp
    luật" and "Rà soát các văn bản quy phạm pháp luật có liên quan …"); "Xây dựng Cổng thông tin" and "Cổng thông
    tin … cung cấp …" describe a deliverable, the heading naming the task."""
    heading_words, content_words = words_fold(heading)[:2], words_fold(content)[:2]
    return len(heading_words) == 2 and heading_words == content_words


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
_RECURRING = re.compile(r"các\s+năm\s+tiếp\s+theo|h[ằà]ng\s+(?:năm|quý|tháng)|thường\s+xuyên", re.IGNORECASE)
# "năm 2026 - 2027": due by the end of the last year.
_YEARS = re.compile(r"^(?:năm\s+)?20\d{2}\s*[-–]\s*(?:năm\s+)?(?P<y>20\d{2})\b", re.IGNORECASE)


# "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê", "Từ tháng 3 đến tháng 11 hàng năm", "01 ngày/hội nghị": when
# work starts, the season it runs in each year or how long one session lasts, with no end of its own to track.
_OPEN_SPAN = re.compile(r"^\s*(?:Từ\s+(?:tháng|ngày|năm)\s+[\d/]+\s+(?:(?:đến|tới)\s+(?:khi|lúc)\b"
                        r"|đến\s+tháng\s+\d{1,2}\s+h[àằ]ng\s+năm\b)|\d{1,2}\s+(?:ngày|buổi|giờ)\s*/\s*[^\W\d_])",
                        re.IGNORECASE)


def open_span(due_text: str) -> bool:
    """Whether a time line gives only a start, a yearly season or a duration ("Từ tháng 11/2025 đến khi kết thúc
    …", "01 ngày/hội nghị"): no deadline."""
    return bool(_OPEN_SPAN.match(due_text))


def _deadline(due_text: str) -> _Due | None:
    """The day a deadline line gives: none for recurring work unless it writes a day ("hằng tháng, trước ngày
    15/3/2026" is that day), the last year of a span of years, else as a clause writes it ("trước ngày 01 tháng 01
    năm 2026" the day before, "Quý II/2026" the quarter's last day)."""
    if not due_text or open_span(due_text) or (
            _RECURRING.search(due_text) and not (_BEFORE.search(due_text) or _BY_DATE.search(due_text))):
        return None
    years = _YEARS.match(due_text)
    if years:
        return _Due(year_last_day(int(years["y"])), _fold(years.group(0)))
    return _due_in(due_text)


def _task(block: _Block, fields: _Fields, due_text: str, *, line: bool = True) -> Candidate:
    """A task with its fields; recurring work ("Thường xuyên", "Hằng năm") has no one day, the deadline `line`'s
    words kept (not when `due_text` is a whole dated line, "+ … trước ngày …")."""
    due = _deadline(due_text)
    written = due.text if due else (_fold(due_text).rstrip(".") if line and _RECURRING.search(due_text) else "")
    return Candidate(kind=TASK, clause=block.clause, start=block.start, end=block.end, comparator=DONE,
                     due=due.day if due else None, due_text=written, lead=fields.lead,
                     cooperating=fields.cooperating, output=fields.output)


# "Đồng thời, giao Công an tỉnh chủ trì …": a paragraph assigning another task.
_ALSO = re.compile(r"Đồng\s+thời\s*,\s*giao\b", re.IGNORECASE)
# "xong trong tháng 12/2025", "(hoàn thành trong tháng 11/2025)": a deadline by the month.
_WITHIN_MONTH = re.compile(r"(?:xong|hoàn\s+thành)\s+(?:trong|trước)\s+tháng\s+\d{1,2}(?:\s*/\s*|\s+năm\s+)20\d{2}",
                           re.IGNORECASE)


def _dated(body: str) -> bool:
    """Whether a clause sets a deadline of its own: a day, a quarter (not one of several periods a figure is
    measured over, "GDP Quý IV năm 2025, cả năm 2025 và năm 2026") or a month."""
    quarter = any(not _PERIODS_LISTED.match(body, match.end()) for match in _QUARTER.finditer(body))
    return bool(_BEFORE.search(body) or _BY_DATE.search(body) or quarter or _WITHIN_MONTH.search(body))


_PERIODS_LISTED = re.compile(r"\s*,\s*(?:cả\s+)?năm\s+20\d{2}", re.IGNORECASE)


def _recurring_duty(block: _Block) -> bool:
    """An item naming its unit and a day that comes back each month or year ("- Sở X tổng hợp, báo cáo … trước ngày
    30/11 hằng năm", `authoring.extract_duties`); a closing paragraph asking for reports so is not one."""
    return bool(block.marker and recurring_day(block.body) and duty_unit(block.body))


def _worded_task(block: _Block, *, solutions: bool = False) -> Candidate | None:
    """An item of a tasks section that names its lead in its own words, or has a deadline of its own; led, failing
    "chủ trì", by the unit it opens with ("Sở X tổng hợp, báo cáo … trước ngày 30/11 hằng năm")."""
    body = block.body
    lead = _LEAD_IN_WORDS.match(body)
    written = _DEADLINE_WORDS.search(body)
    dated = _dated(body) or _recurring_duty(block) or bool(solutions and _sentence_led(block))
    if not lead and not written and (not dated or _DONE_START.match(body)):
        return None  # "Hoàn thành … trước ngày 01/7/2025" with no lead is a milestone of the plan
    if not block.marker and not dated and not _ALSO.match(body) and not (lead and _with_cooperating(body, lead)):
        return None  # a paragraph goes on with the item above it, unless it sets a deadline or assigns anew
    due = _due_in(written["due"]) if written else None
    due = due or (_due_in(body) if dated else _due_in(body, ahead=False) if lead else None)
    cooperating = _COOPERATING.search(body) if lead else None
    unit = (_sentence_led(block) if solutions else "") or duty_unit(body)
    return Candidate(kind=TASK, clause=block.clause, start=block.start, end=block.end, comparator=DONE,
                     due=due.day if due else None, due_text=due.text if due else recurring_day(body),
                     lead=_fold(lead["lead"]) if lead else unit,
                     cooperating=_fold(cooperating["units"]) if cooperating else "")


# A section of the measures to take ("II. CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM"), where an item naming its unit and its
# action assigns it; in "Tổ chức thực hiện" such an item describes the unit's role.
_SOLUTIONS = re.compile(r"^(?:[IVX]{1,4}\s*\.\s*)?(?:CÁC\s+)?(?:NHIỆM\s+VỤ|GIẢI\s+PHÁP)\b")
# "b) Bộ Tài chính tiếp tục xuất cấp …", "c) Bộ Quốc phòng, Bộ Công an chỉ đạo …": an item opening with its unit and
# what it is to carry on, direct, review or study; "Các sở, ngành có trách nhiệm chủ động …" states a role.
_LED_SENTENCE = re.compile(rf"^(?P<unit>(?:{_UNIT}|Ngân\s+hàng|Liên\s+minh|Tập\s+đoàn)\b.{{0,160}}?)\s+"
                           r"(?:tiếp\s+tục|khẩn\s+trương|nghiên\s+cứu|duy\s+trì|xuất\s+cấp|trực\s+tiếp|rà\s+soát|"
                           r"chỉ\s+đạo)\b")


def _sentence_led(block: _Block) -> str:
    """The unit a numbered or lettered item opens with when it is itself one assignment ("b) Bộ Tài chính tiếp tục
    xuất cấp …", ending as a sentence does), or ""; not a unit's heading over its duties ("a) Bộ Công Thương:") nor
    a bullet among a unit's duties."""
    body = block.body
    if not block.marker or block.marker[0] in "-–+•*" or not (body.endswith((".", ";")) or (
            body.endswith(":") and len(body) <= 80)):
        return ""  # a heading naming a unit ("4. Các cơ quan tham mưu, giúp việc …") is no sentence; a long line
        # ending "… cụ thể như sau:" introduces the items under it
    found = _LED_SENTENCE.match(block.body)
    unit = re.sub(r"\s+", " ", found["unit"]).strip(" ,") if found else ""
    return "" if re.match(r"Ban\s+hành\b", unit, re.IGNORECASE) else unit


def _led_duties(blocks: list[_Block], index: int, task: Candidate) -> tuple[Candidate, list[int]]:
    """An item naming its lead that only introduces the duties under it ("c) Bộ Tài chính chủ trì, phối hợp với …:"
    then "- Thực hiện …", "- Chỉ đạo …"): one task, its clause the item's line with the first duty, due as that duty
    says if the item says nothing; the duties with no deadline and no unit of their own are read with it (taken),
    the others on their own."""
    below = []
    for after in range(index + 1, len(blocks)):
        if blocks[after].depth <= blocks[index].depth:
            break
        below.append(after)
    if not below:
        return task, []
    joined = _joined([blocks[index], blocks[below[0]]])
    task = replace(task, clause=joined.clause, end=joined.end)
    due = _due_in(blocks[below[0]].body) if not task.due and _dated(blocks[below[0]].body) else None
    if due:  # the first duty's own deadline is the task's: that line is read with it
        return replace(task, due=due.day, due_text=due.text), below[:1] + [
            after for after in below[1:] if not (_dated(blocks[after].body) or duty_unit(blocks[after].body))]
    return task, [after for after in below if not (_dated(blocks[after].body) or duty_unit(blocks[after].body))]


def _duty_dated_below(blocks: list[_Block], index: int) -> tuple[Candidate | None, list[int]]:
    """An item of duties opening with its unit ("1. Sở X theo dõi, đôn đốc …; tham mưu … báo cáo …") whose deadline
    is in a line under it naming no unit of its own ("- … trước ngày 20 hằng tháng …"): a task led by that unit, due
    as that line says; the lines under it are read with it. None, and no line, otherwise."""
    block = blocks[index]
    lead = duty_unit(block.body)
    if not lead or not block.marker or block.body.endswith(":"):
        return None, []  # "2. Các bộ, ngành có trách nhiệm:" introduces the duties under it, each read on its own
    below = []
    for after in range(index + 1, len(blocks)):
        if blocks[after].depth <= block.depth:
            break
        below.append(after)
    dated = next((after for after in below if (_dated(blocks[after].body) or recurring_day(blocks[after].body))
                  and not duty_unit(blocks[after].body)), None)
    if dated is None:
        return None, []
    body = blocks[dated].body
    due = _due_in(body)
    return Candidate(kind=TASK, clause=block.clause, start=block.start, end=block.end, comparator=DONE,
                     due=due.day if due else None, due_text=due.text if due else recurring_day(body),
                     lead=lead), below


def passage_task(passage: str, start: int, end: int) -> Candidate:
    """A passage the person points at in which the reading found nothing, proposed as a task for them to complete:
    its clause, its lead when it names one ("X chủ trì", or the unit it opens with), the units cooperating, and its
    deadline as written (a day, a quarter, a month or a year; or a recurring one's words)."""
    body = re.sub(r"^\s*(?:[-–+•*]|\d+(?:\.\d+)*\.?|[a-zđ]\))\s+", "", passage)
    lead = _LEAD_IN_WORDS.match(body)
    cooperating = _COOPERATING.search(body)
    written = _DEADLINE_WORDS.search(body)
    due = (_due_in(written["due"]) if written else None) or _due_in(body)
    return Candidate(kind=TASK, clause=_fold(passage), start=start, end=end, comparator=DONE,
                     due=due.day if due else None, due_text=due.text if due else recurring_day(body),
                     lead=_fold(lead["lead"]) if lead else duty_unit(body),
                     cooperating=_fold(cooperating["units"]) if cooperating else "")
