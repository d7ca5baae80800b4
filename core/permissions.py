"""API permissions shared by every app."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

from core.selectors import user_has_mfa, user_mfa_required

MFA_REQUIRED_MESSAGE = _(
    "Set up two-step verification with an authenticator app before using the portal."
)


class MfaSatisfied(BasePermission):
    """Refuses browser sessions of users who must have MFA but have not set it up.

    Only sessions are checked here: an API token can only be created on the token page, which the same
    rule guards (core.tokens), so a token is itself proof that its owner passed MFA when one was needed.
    """

    message = MFA_REQUIRED_MESSAGE

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return True
        user = request.user
        return not user_mfa_required(user=user) or user_has_mfa(user=user)


class MfaEnforcedMixin:
    """Adds MfaSatisfied to whatever a view declares, so overriding permission_classes cannot drop it."""

    def get_permissions(self):
        permissions = list(super().get_permissions())
        if not any(isinstance(permission, MfaSatisfied) for permission in permissions):
            permissions.append(MfaSatisfied())
        return permissions
