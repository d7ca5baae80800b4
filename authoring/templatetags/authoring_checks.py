"""The cascade flags and the coverage of a plan, for the plan page and the dashboard."""

from django import template

from authoring.cascade import plan_cascade_flags
from authoring.coverage import plan_coverage as coverage_of
from plans.models import Plan
from plans.selectors import plan_list

register = template.Library()


@register.inclusion_tag("authoring/_cascade_flags.html", takes_context=True)
def cascade_flags(context, plan: Plan):
    """Where the plan asks less or later than the plan it implements, and where the plans implementing it that the
    reader may see ask less or later than it."""
    user = context["request"].user
    children = plan_list(user=user).filter(parent=plan)
    return {"flags": plan_cascade_flags(plan=plan, children=children), "plan": plan}


@register.inclusion_tag("authoring/_coverage.html", takes_context=True)
def plan_coverage(context, plan: Plan):
    """Which units below the plan's issuer have issued a plan implementing it, for the units the reader may see."""
    return {"coverage": coverage_of(plan=plan, user=context["request"].user)}
