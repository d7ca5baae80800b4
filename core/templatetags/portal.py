from django import template

from core.formatting import percent_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """87.25 → '87,3%', 75.00 → '75%', None → '—'."""
    return percent_format(value)
