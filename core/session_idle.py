"""Idle sign-out: a session lasts SESSION_COOKIE_AGE (8 hours) from the last request, not from the login.

SESSION_SAVE_EVERY_REQUEST would do the same at the price of a database write on every request. Here a
signed-in session is saved again, which restarts its age, at most once every REFRESH_SECONDS: the idle
limit holds to within those few minutes, for one write per person per few minutes.
"""

import time

from django.http import HttpRequest

SEEN_KEY = "_portal_seen"
REFRESH_SECONDS = 300


def session_seen_stamp(sender, request: HttpRequest, user, **kwargs) -> None:
    """On login (user_logged_in): the session was just saved, so its age starts now."""
    if hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())


class SessionIdleMiddleware:
    """After AuthenticationMiddleware: marks a signed-in session for saving when its age is due a restart."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        # Only signed-in sessions: an anonymous visitor gets no session row from this.
        if session is None or session.session_key is None or user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        seen = session.get(SEEN_KEY)
        if not isinstance(seen, int) or now - seen >= REFRESH_SECONDS:
            session[SEEN_KEY] = now  # modified: SessionMiddleware saves it and the cookie's age restarts
        return response
