"""How the portal writes dates, numbers and deadlines, the way party documents do."""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from core.periods import DueKind, Quarter


def number_format(value: Decimal | float | int | None, decimals: int = 1) -> str:
    """1234.5 → '1.234,5' in the Vietnamese locale; trailing zero decimals are dropped."""
    if value is None:
        return "—"
    value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        decimals = 0
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent_format(value: Decimal | float | int | None, decimals: int = 1) -> str:
    return "—" if value is None else f"{number_format(value, decimals)}%"


def date_format(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def due_label(kind: str, due_on: dt.date | None) -> str:
    if kind == DueKind.RECURRING or due_on is None:
        return _("Recurring")
    if kind == DueKind.YEAR:
        return _("Year %(year)s") % {"year": due_on.year}
    if kind == DueKind.QUARTER:
        return str(Quarter.of(due_on))
    return _("By %(date)s") % {"date": date_format(due_on)}


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_count(raw) -> int | None:
    """A whole number ≥ 0 as a clerk types it: '1234', '1.234' or ' 1 234 '. Empty → None.

    Raises ValueError with a message the clerk can act on.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("Enter a whole number, for example 1.234."))
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if text == "":
            return None
        if text.startswith("-"):
            raise ValueError(_("Enter a number that is 0 or more."))
        if "," in text:
            raise ValueError(_("Enter a whole number: counts have no decimals."))
        if _GROUPED.match(text):
            text = text.replace(".", "")
        if not text.isdigit():
            raise ValueError(_("“%(value)s” is not a number; enter digits only, for example 1.234.") % {"value": raw})
        value = int(text)
    if value < 0:
        raise ValueError(_("Enter a number that is 0 or more."))
    return value


def percent_label(numerator, denominator) -> str:
    """'87,5%' from two counts as typed; empty when they are not both valid counts or the denominator is 0."""
    try:
        top, bottom = parse_count(numerator), parse_count(denominator)
    except ValueError:
        return ""
    if top is None or not bottom:
        return ""
    return percent_format(Decimal(top) * 100 / Decimal(bottom))


def person_name(user) -> str:
    """How a user is named on a page: the full name as written (family name first), else the login name."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()
