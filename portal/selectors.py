"""What the portal's own pages read across the apps below it."""

from django.db import connection
from django.db.models import Count, Q

from core.models import Conflict
from plans.models import Plan
from targets.models import Indicator, Target
from units.access import units_visible_to
from units.models import Unit


def portal_summary(*, user) -> dict:
    """What the home page counts, within what the user may see."""
    units = units_visible_to(user=user)
    plans = Plan.objects.issued().filter(issuer__in=units)
    target_counts = Target.objects.filter(plan__in=plans).aggregate(
        total=Count("id"), conflicts=Count("id", filter=Q(conflict_status=Conflict.OPEN))
    )
    return {
        "units": units.count(),
        "plans": plans.count(),
        "indicators": Indicator.objects.filter(is_active=True).count(),
        "targets": target_counts["total"],
        "conflicts": target_counts["conflicts"],
    }


def portal_health() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"database": connection.vendor, "units": Unit.objects.count()}
