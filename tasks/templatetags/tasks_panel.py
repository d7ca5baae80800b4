"""The tasks panel the unit page and the dashboard include, and the status and colour classes of the palette."""

from django import template
from django.utils import timezone

from tasks.selectors import at_risk_days, unit_task_counts
from tasks.status import COLOUR_RULE, Colour, Status

register = template.Library()

# Onto the portal's colour-blind-safe palette (portal.css): done reads as met, late as behind.
STATUS_CLASS = {Status.ON_TRACK: "on_track", Status.AT_RISK: "at_risk", Status.OVERDUE: "overdue",
                Status.DONE_ON_TIME: "met", Status.DONE_LATE: "behind", Status.ACCEPTED: "met"}
COLOUR_CLASS = {Colour.GREEN: "met", Colour.YELLOW: "at_risk", Colour.RED: "behind"}
COLOUR_SYMBOL = {Colour.GREEN: "✓", Colour.YELLOW: "!", Colour.RED: "✗"}


@register.filter
def status_class(code: str) -> str:
    return f"st-{STATUS_CLASS.get(code, 'none')}"


@register.filter
def colour_class(code: str) -> str:
    return f"st-{COLOUR_CLASS.get(code, 'none')}"


@register.filter
def colour_label(code: str) -> str:
    return f"{COLOUR_SYMBOL.get(code, '')} {Colour(code).label}"


@register.inclusion_tag("tasks/_panel.html", takes_context=True)
def tasks_panel(context, unit):
    """The assigned tasks led within the unit's subtree that the viewer may see, counted and coloured."""
    request = context["request"]
    counts = unit_task_counts(user=request.user, unit=unit, today=timezone.localdate())
    return {"counts": counts, "unit": unit, "colour_rule": COLOUR_RULE % {"days": at_risk_days()}}
