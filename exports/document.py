"""The quarterly report's body as a Word document in the layout of Hướng dẫn 36-HD/VPTW (thể thức văn bản của Đảng).

The body is drafted from the quarter's figures only (the same `ExportData` the annexes are written from): what the
portal cannot compute (shortcomings, the way forward, who signs, who receives) is left as a bracketed prompt for the
Văn phòng to complete in Word, never an invented assessment.

The .docx is written as WordprocessingML with the standard library (a zip of four XML parts).
"""

import datetime as dt
import zipfile
from collections.abc import Iterator
from typing import NamedTuple
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Status
from core.formatting import number_format, percent_format
from core.periods import Quarter
from exports.figures import (
    ANNEX_GROUPS,
    ANNEX_REPORTING,
    ANNEX_SUMMARY,
    ANNEX_TASKS,
    STATUS_ORDER,
    ExportData,
    Judged,
    WorkbookResult,
    annex_figures,
    annex_title,
    document_suffix,
    place_name,
    reporting_total,
    status_counts,
    task_counts,
)
from tasks.status import Status as TaskStatus
from units.models import Unit, UnitKind
from units.selectors import unit_ancestor_paths

# Hướng dẫn 36-HD/VPTW: A4; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm; body 13–14 pt.
MM = 56.7  # twentieths of a point in a millimetre
PAGE = dict(width=11906, height=16838, top=round(20 * MM), bottom=round(20 * MM), left=round(30 * MM),
            right=round(15 * MM))
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]
BODY = 14  # pt
FONT = "Times New Roman"


class Block(NamedTuple):
    """One paragraph of the drafted body: a heading, a paragraph, a list item, or a prompt for the Văn phòng."""

    kind: str  # "heading" | "text" | "item" | "prompt"
    text: str


# --- drafting: the quarter's figures in sentences ----------------------------------------------------------------


def figures_text(result: WorkbookResult | None) -> str:
    """'687/786 (87,4%)': the same three numbers the annexes print, in Vietnamese format."""
    top, bottom, share = annex_figures(result)
    if top is None and share is None:
        return _("no figures yet")
    # From the engine's decimal, not the float the workbook stores: 76,35 reads 76,4% as the annex displays it.
    rate = percent_format(result.sub_value) if share is not None else "—"
    if top is None:
        return rate
    return f"{number_format(top)}/{number_format(bottom)} ({rate})"


def _status_words(counts, labels: dict) -> str:
    return "; ".join(f"{labels[status].lower()} {number_format(counts.get(status, 0))}" for status in STATUS_ORDER
                     if counts.get(status, 0))


def _results_blocks(data: ExportData, labels: dict) -> Iterator[Block]:
    counts = status_counts(data.judged)
    yield Block("heading", _("1. Results of the targets (Annex %(summary)s, Annex %(groups)s)") % {
        "summary": ANNEX_SUMMARY, "groups": ANNEX_GROUPS})
    yield Block("text", _("In the quarter %(count)s targets were judged where they apply: %(statuses)s.") % {
        "count": number_format(len(data.judged)), "statuses": _status_words(counts, labels) or "—"})
    groups: dict = {}
    for row in data.judged:
        groups.setdefault(row.indicator.group, []).append(row)
    for group, rows in groups.items():
        yield Block("item", _("%(group)s: %(count)s targets; %(statuses)s.") % {
            "group": group.name, "count": number_format(len(rows)),
            "statuses": _status_words(status_counts(rows), labels)})
        for row in rows:
            if row.result.sub_status not in (Status.MET, Status.ON_TRACK):
                yield Block("text", "+ " + _judged_sentence(row, labels))


def _judged_sentence(row: Judged, labels: dict) -> str:
    return _("%(indicator)s (%(unit)s): %(figures)s, target %(target)s; %(status)s.") % {
        "indicator": row.indicator.name, "unit": row.unit.name, "figures": figures_text(row.result),
        "target": row.target_label, "status": labels.get(row.result.sub_status, "—").lower()}


def _reporting_blocks(data: ExportData) -> Iterator[Block]:
    yield Block("heading", _("2. Monthly reports (Annex %(number)s)") % {"number": ANNEX_REPORTING})
    total = reporting_total(data.reporting.get(data.unit.pk, []))
    if not total.expected:
        yield Block("text", _("No monthly report was expected in the quarter."))
        return
    yield Block("text", _(
        "Over the quarter's months %(expected)s monthly reports were expected: %(on_time)s on time (%(share)s), "
        "%(late)s late and %(missing)s not submitted.") % {
        "expected": number_format(total.expected), "on_time": number_format(total.on_time),
        "share": percent_format(total.on_time_share * 100), "late": number_format(total.late),
        "missing": number_format(total.missing)})


def _tasks_blocks(data: ExportData) -> Iterator[Block]:
    yield Block("heading", _("3. Assigned tasks (Annex %(number)s)") % {"number": ANNEX_TASKS})
    counts = task_counts(data.tasks)
    yield Block("text", _("%(count)s tasks are assigned in the plans: %(statuses)s.") % {
        "count": number_format(len(data.tasks)), "statuses": "; ".join(
            f"{label.lower()} {number_format(counts[value])}" for value, label in TaskStatus.choices
            if counts.get(value))} if data.tasks else _("No task is assigned in the plans."))
    for task in data.tasks:
        if task.product:
            yield Block("item", _("%(task)s: %(output)s.") % {
                "task": task.title.rstrip(". "), "output": " ".join(task.product.split()).rstrip(". ")})


def _behind_blocks(data: ExportData) -> Iterator[Block]:
    yield Block("heading", _("4. Units behind and why"))
    behind: dict[Unit, list[Judged]] = {}
    for row in data.judged:
        if row.result.sub_status in (Status.BEHIND, Status.OVERDUE):
            behind.setdefault(row.unit, []).append(row)
    if not behind:
        yield Block("text", _("No target is behind."))
        return
    for unit, rows in sorted(behind.items(), key=lambda item: item[0].path):
        yield Block("item", _("%(unit)s: %(count)s targets behind.") % {
            "unit": unit.name, "count": number_format(len(rows))})
        for row in rows:
            yield Block("text", "+ " + _("%(indicator)s: %(figures)s, target %(target)s. %(reason)s") % {
                "indicator": row.indicator.name, "figures": figures_text(row.result),
                "target": row.target_label, "reason": row.result.sub_reason})


def body_blocks(data: ExportData) -> list[Block]:
    """The drafted body, in the order a Party report reads: results, then what staff must write themselves."""
    labels = {value: str(label) for value, label in Status.choices}
    month = data.run.period.strftime("%m/%Y") if data.run else "—"
    following = Quarter(data.quarter.year + data.quarter.quarter // 4, data.quarter.quarter % 4 + 1)
    blocks = [
        Block("text", _("Based on the units' monthly figures approved up to %(month)s, %(unit)s reports the results "
                        "of digital transformation in %(quarter)s as follows:") % {
            "month": month, "unit": data.unit.name, "quarter": data.quarter}),
        Block("heading", _("I. RESULTS")),
        *_results_blocks(data, labels), *_reporting_blocks(data), *_tasks_blocks(data), *_behind_blocks(data),
        Block("heading", _("II. SHORTCOMINGS, LIMITATIONS AND THEIR CAUSES")),
        Block("prompt", _("[For the Office to complete: the shortcomings and limitations, and their causes.]")),
        Block("heading", _("III. DIRECTIONS AND TASKS FOR %(quarter)s") % {"quarter": str(following).upper()}),
        Block("prompt", _("[For the Office to complete: the directions and key tasks for %(quarter)s.]") % {
            "quarter": following}),
        Block("text", _("Annexes attached to this report:")),
    ]
    blocks += [Block("item", _("Annex %(number)s: %(title)s.") % {
        "number": number, "title": annex_title(number, data.quarter)})
        for number in (ANNEX_SUMMARY, ANNEX_GROUPS, ANNEX_REPORTING, ANNEX_TASKS)]
    return blocks


# --- WordprocessingML -------------------------------------------------------------------------------------------


def _run(text: str, *, size: float = BODY, bold=False, italic=False, underline=False) -> str:
    props = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    props += "<w:b/>" * bold + "<w:i/>" * italic + '<w:u w:val="single"/>' * underline
    props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _p(*runs: str, align: str = "both", indent: bool = False, after: int = 6, keep: bool = False) -> str:
    props = f'<w:jc w:val="{align}"/><w:spacing w:before="0" w:after="{after * 20}" w:line="264" w:lineRule="auto"/>'
    if indent:
        props = f'<w:ind w:firstLine="{round(10 * MM)}"/>' + props
    if keep:
        props = "<w:keepNext/>" + props
    return f"<w:p><w:pPr>{props}</w:pPr>{''.join(runs)}</w:p>"


def _table(rows: list[list[str]], widths: list[int]) -> str:
    """A borderless layout table (the heading block, the signature block)."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join("<w:tr>" + "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{cell or _p(after=0)}</w:tc>'
        for cell, w in zip(row, widths, strict=True)) + "</w:tr>" for row in rows)
    props = (f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
             '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
             '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>'
             '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>')
    return f"<w:tbl><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"


def _superior(unit: Unit) -> Unit | None:
    """The committee above the issuer, named on the heading's first line; none for a committee directly under the
    Central Committee, whose heading names itself alone ("TỈNH ỦY ĐỒNG NAI")."""
    paths = unit_ancestor_paths(unit, include_self=False)
    parent = Unit.objects.filter(path=paths[-1]).first() if paths else None
    return parent if parent is not None and parent.kind != UnitKind.NATIONAL else None


def _heading_block(data: ExportData, today: dt.date) -> str:
    unit = data.unit
    superior = _superior(unit)
    left = (_p(_run(superior.name.upper()), align="center", after=0) if superior else "") + _p(
        _run(unit.name.upper(), bold=True), align="center", after=0) + _p(_run("*"), align="center", after=0)
    right = _p(_run(_("COMMUNIST PARTY OF VIETNAM"), size=15, bold=True, underline=True), align="center", after=0)
    number = _p(_run(_("No. …-BC/%(suffix)s") % {"suffix": document_suffix(unit)}), align="center", after=0)
    place = place_name(unit)
    date = _("day … month … year %(year)s") % {"year": today.year}
    dated = _p(_run(f"{place}, {date}" if place else date, italic=True), align="center", after=0)
    widths = [round(TEXT_WIDTH * 0.4), TEXT_WIDTH - round(TEXT_WIDTH * 0.4)]
    return _table([[left, right], [number, dated]], widths)


def _title_block(data: ExportData) -> str:
    return (_p(after=12) + _p(_run(_("REPORT"), size=16, bold=True), align="center", after=0)
            + _p(_run(_("on the results of digital transformation, %(quarter)s") % {"quarter": data.quarter},
                      bold=True), align="center", after=0)
            + _p(_run("-----"), align="center", after=12))


def _body_xml(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if block.kind == "heading":
            parts.append(_p(_run(block.text, bold=True), indent=True, keep=True))
        elif block.kind == "prompt":
            parts.append(_p(_run(block.text, italic=True), indent=True))
        elif block.kind == "item":
            parts.append(_p(_run(f"- {block.text}"), indent=True))
        else:
            parts.append(_p(_run(block.text), indent=True))
    return "".join(parts)


def _signature_block(unit: Unit) -> str:
    # "Nơi nhận:" upright and underlined at 14 pt, the recipients at 12 pt (Hướng dẫn 36-HD/VPTW).
    recipients = _p(_run(_("Recipients:"), size=14, underline=True), align="left", after=0)
    recipients += _p(_run("- " + _("[the committee or body the report goes to],"), size=12), align="left", after=0)
    recipients += _p(_run("- " + _("Filed at the Office."), size=12), align="left", after=0)
    on_behalf = _("ON BEHALF OF THE PARTY CELL") if unit.kind == UnitKind.CELL else _(
        "ON BEHALF OF THE STANDING COMMITTEE")
    signer = _p(_run(on_behalf, bold=True), align="center", after=0)
    signer += _p(_run(_("[POSITION]"), bold=True), align="center", after=0)
    signer += _p(after=0) * 3 + _p(_run(_("[Full name]"), bold=True), align="center", after=0)
    widths = [round(TEXT_WIDTH * 0.5), TEXT_WIDTH - round(TEXT_WIDTH * 0.5)]
    return _p(after=6) + _table([[recipients, signer]], widths)


NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')

WORDML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{WORDML}.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="{WORDML}.styles+xml"/>
<Override PartName="/word/header1.xml" ContentType="{WORDML}.header+xml"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="styles.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>
<Relationship Id="rId2" Target="header1.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>
<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>
<w:sz w:val="{BODY * 2}"/><w:szCs w:val="{BODY * 2}"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
</w:styles>"""


# The page number centred at the top, from the second page on (the first page's header is left empty: titlePg).
HEADER = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {NS}><w:p>'
          '<w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
          '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
          '</w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>')


def document_xml(data: ExportData, today: dt.date) -> str:
    section = ('<w:sectPr><w:headerReference w:type="default" r:id="rId2"/>'
               f'<w:pgSz w:w="{PAGE["width"]}" w:h="{PAGE["height"]}"/>'
               f'<w:pgMar w:top="{PAGE["top"]}" w:right="{PAGE["right"]}" w:bottom="{PAGE["bottom"]}" '
               f'w:left="{PAGE["left"]}" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>')
    body = (_heading_block(data, today) + _title_block(data) + _body_xml(body_blocks(data))
            + _signature_block(data.unit))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NS}><w:body>{body}'
            f"{section}</w:body></w:document>")


def write_document(data: ExportData, path, *, today: dt.date | None = None) -> None:
    """The report body as a .docx, ready for the Văn phòng to number, complete and sign."""
    xml = document_xml(data, today or timezone.localdate())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        package.writestr("word/styles.xml", STYLES)
        package.writestr("word/document.xml", xml)
        package.writestr("word/header1.xml", HEADER)
