import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import date_format, number_format, percent_format
from core.periods import Quarter

PO_PATH = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries():
    text = PO_PATH.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue
        head = re.split(r"\nmsgid_plural |\nmsgstr", block.split("\nmsgid ", 1)[-1].split("msgid ", 1)[-1])[0]
        msgid = "".join(re.findall(r'"(.*)"', head))
        translated = re.split(r"\nmsgstr(?:\[0\])? ", block, maxsplit=1)[1].split("\nmsgstr[")[0]
        msgstr = "".join(re.findall(r'"(.*)"', translated))
        yield block, msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"), msgstr


def test_every_string_of_the_catalogue_is_translated_and_compiled():
    entries = list(_entries())
    assert len(entries) > 200
    with translation.override("vi"):
        for block, msgid, msgstr in entries:
            assert msgstr, f"untranslated: {msgid}"
            assert "#, fuzzy" not in block, f"fuzzy: {msgid}"
            if "msgctxt" not in block and "msgid_plural" not in block:
                # The compiled .mo answers with the same text as the .po: it was compiled after the last edit.
                assert translation.gettext(msgid) != msgid or msgid == msgstr, f"not in the .mo: {msgid}"


def test_placeholders_survive_translation():
    for _block, msgid, msgstr in _entries():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
            re.findall(r"%\(\w+\)s", msgstr.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
        ), msgid


def test_vietnamese_number_date_and_quarter_formats():
    import datetime as dt

    with translation.override("vi"):
        assert number_format(1234.5) == "1.234,5"
        assert number_format(1234567) == "1.234.567"
        assert percent_format(87.25, 1) == "87,3%"
        assert date_format(dt.date(2026, 2, 1)) == "01/02/2026"
        assert str(Quarter(2026, 1)) == "Quý I/2026"
        assert str(Quarter.of(dt.date(2026, 11, 21))) == "Quý IV/2026"
        rendered = Template("{{ day|date:'SHORT_DATE_FORMAT' }} {{ n }}").render(
            Context({"day": dt.date(2026, 7, 1), "n": 1234.5}))
        assert rendered == "01/07/2026 1.234,5"


@pytest.mark.parametrize("value", ["2026-Q5", "2026Q1", "Q1-2026", ""])
def test_bad_quarters_are_refused_in_vietnamese(value):
    with translation.override("vi"), pytest.raises(ValueError) as caught:
        Quarter.parse(value)
    assert "Quý III/2026" in str(caught.value) and "không phải là quý" in str(caught.value)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1.234", 1234), ("1.234.567", 1234567), (" 12 ", 12), ("0", 0), (7, 7), ("", None), (None, None),
])
def test_counts_are_read_as_clerks_type_them(raw, expected):
    from core.formatting import parse_count

    assert parse_count(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("mười", "không phải là số"), ("-3", "từ 0 trở lên"), ("12,5", "không có phần thập phân"),
    ("1.23", "không phải là số"), (-1, "từ 0 trở lên"), (True, "số nguyên"),
])
def test_bad_counts_are_refused_in_vietnamese(raw, message):
    from core.formatting import parse_count

    with translation.override("vi"), pytest.raises(ValueError) as caught:
        parse_count(raw)
    assert message in str(caught.value)
