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
