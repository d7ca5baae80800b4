from django.db.models import Count, Q

from core.models import Conflict


def portal_summary(*, user) -> dict:
    """What the home page counts, within what the user may see."""
    from plans.models import Plan
    from targets.models import Indicator, Target
    from units.selectors import units_visible_to

    units = units_visible_to(user=user)
    plans = Plan.objects.filter(issuer__in=units)
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
    from django.db import connection

    from units.models import Unit

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"database": connection.vendor, "units": Unit.objects.count()}


# "admin" in PORTAL_MFA_REQUIRED_ROLES stands for staff and superusers; the other names are membership roles.
MFA_ADMIN_ROLE = "admin"


def user_mfa_required(*, user) -> bool:
    """Whether the user must have an authenticator app before using the portal."""
    from django.conf import settings

    if not user.is_authenticated:
        return False
    roles = set(settings.PORTAL_MFA_REQUIRED_ROLES)
    if MFA_ADMIN_ROLE in roles and (user.is_staff or user.is_superuser):
        return True
    membership_roles = roles - {MFA_ADMIN_ROLE}
    return bool(membership_roles) and user.memberships.filter(role__in=membership_roles).exists()


def user_has_mfa(*, user) -> bool:
    """Whether the user has an authenticator app (TOTP); recovery codes alone do not count."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP])


def api_tokens_of(*, user):
    """The user's API tokens that still work, newest first; knox deletes expired ones when they are tried."""
    from django.utils import timezone
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")
