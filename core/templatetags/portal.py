from django import template
from django.utils.translation import gettext as _

from core.formatting import number_format, percent_format, person_name

register = template.Library()


@register.filter
def percent(value) -> str:
    """87.25 → '87,3%', 75.00 → '75%', None → '—'."""
    return percent_format(value)


@register.filter
def person(user) -> str:
    """A user's name on a page; a decision or submission whose account was deleted still reads as something."""
    return person_name(user) or _("(deleted account)")


@register.filter
def number(value) -> str:
    """1234 → '1.234'; None → '—'."""
    return number_format(value)
