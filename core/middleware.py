"""Sends users who must have MFA to set it up before they use any page."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from core.selectors import user_has_mfa, user_mfa_required
from core.services import (
    LAST_USER_COOKIE,
    LAST_USER_REFRESH,
    last_user_marker_make,
    last_user_marker_max_age,
    last_user_marker_read,
)

# The API answers for itself (core.permissions.MfaSatisfied): middleware cannot tell a token from a session.
API_PREFIX = "/api/"
# Logging out must stay possible; the header's button posts to the admin's logout.
EXEMPT_VIEW_NAMES = {"account_logout", "admin:logout"}


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or self._exempt(request, view_func):
            return None
        if not user_mfa_required(user=request.user) or user_has_mfa(user=request.user):
            return None
        url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)

    @staticmethod
    def _exempt(request, view_func) -> bool:
        path = request.path_info
        if path.startswith((API_PREFIX, settings.STATIC_URL)):
            return True
        # allauth's own pages: sign-in, the second step, setting up the authenticator, recovery codes.
        if view_func.__module__.startswith("allauth."):
            return True
        match = request.resolver_match
        return match is not None and match.view_name in EXEMPT_VIEW_NAMES


LOGGED_OUT_FLAG = "_portal_logged_out"


class LastUserMarkerMiddleware:
    """Keeps a signed note in the browser of who was logged in there, so that a form posted after the
    session ran out can be kept for that user (and only for them) until they log in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, LOGGED_OUT_FLAG, False):
            # Logging out on purpose is not a session running out: nothing posted afterwards is kept.
            response.delete_cookie(LAST_USER_COOKIE, samesite="Lax")
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        current = last_user_marker_read(value=request.COOKIES.get(LAST_USER_COOKIE), max_age=LAST_USER_REFRESH)
        if current != user.pk:
            response.set_cookie(
                LAST_USER_COOKIE, last_user_marker_make(user=user),
                max_age=int(last_user_marker_max_age().total_seconds()),
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
            )
        return response


def user_logged_out_note(sender, request, **kwargs) -> None:
    if request is not None:
        setattr(request, LOGGED_OUT_FLAG, True)
