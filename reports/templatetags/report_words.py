from django import template

from reports.history import done_words

register = template.Library()


@register.filter(name="done_words")
def done_words_filter(value) -> str:
    """A milestone's value as a page shows it: True or the form's "yes" → "Hoàn thành", False or "no" →
    "Chưa hoàn thành", nothing → "—"."""
    value = {"yes": True, "no": False, "": None}.get(value, value) if isinstance(value, str) else value
    return done_words(value)
