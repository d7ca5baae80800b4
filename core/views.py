"""The pages every app shares when something is refused: Vietnamese, through the site's layout."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

# Error pages. Each answers in Vietnamese through the site's layout; the 500 page stands alone (see its template).


def csrf_failure(request, reason: str = ""):
    """A form refused for its security token, mostly a session that expired while a clerk was typing."""
    return render(request, "403_csrf.html", {"login_url": _login_url_back(request)}, status=403)


def too_many_requests(request, exception=None):
    """Answer for the login rate limits (allauth looks this handler up in the URLconf) and any other 429."""
    return render(request, "429.html", status=429)


def _login_url_back(request) -> str:
    # Back to the page the refused form was posted to, so a clerk logs in and lands on the same form again.
    login = reverse("account_login")
    if url_has_allowed_host_and_scheme(request.path, allowed_hosts={request.get_host()}):
        return f"{login}?{urlencode({'next': request.path})}"
    return login
