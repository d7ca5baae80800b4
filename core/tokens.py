"""The page where a user creates and revokes their own API tokens."""

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from core.selectors import api_tokens_of, user_has_mfa, user_mfa_required
from core.services import api_token_create, api_token_revoke

# Where the secret waits between the POST that made it and the page that shows it once.
SECRET_SESSION_KEY = "core.api_token_secret"


def _mfa_step(request) -> str | None:
    """Where the user must go before a token may be made, or None when this session may make one.

    A token works without the second step, so making one needs a session that passed it: users who must
    have an authenticator set it up, and users who have one confirm a code if this session did not.
    """
    user = request.user
    if user_has_mfa(user=user):
        if any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user)):
            return None
        return reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.path})
    if user_mfa_required(user=user):
        return reverse("mfa_activate_totp")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    if request.method == "POST":
        if "revoke" in request.POST:
            if api_token_revoke(user=request.user, token_key=request.POST["revoke"], by=request.user):
                messages.success(request, _("The token was revoked; programs using it can no longer connect."))
            return redirect("api_tokens")
        step = _mfa_step(request)
        if step:
            messages.warning(request, _("Confirm your identity with your authenticator app before creating a token."))
            return redirect(step)
        try:
            _token, secret = api_token_create(user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            request.session[SECRET_SESSION_KEY] = secret
        return redirect("api_tokens")
    return render(request, "account/api_tokens.html", {
        "tokens": api_tokens_of(user=request.user),
        # Shown once: taken out of the session as it is rendered.
        "secret": request.session.pop(SECRET_SESSION_KEY, None),
        "needs_mfa_step": _mfa_step(request) is not None,
        "ttl_days": settings.PORTAL_API_TOKEN_TTL_DAYS,
    })
