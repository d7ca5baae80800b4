"""Per-address login limits that hold when a whole office behind one NAT address signs in at once.

allauth keeps each address's history in one cache entry guarded by a lock it waits for at most a second,
then answers 429 as if the limit had been reached. On deadline day an office's clerks all write that one
entry at the same moment, so some of them were refused with nothing exceeded. Here each address has one
counter per window, incremented atomically (Redis INCR), so nobody waits on anybody. allauth keeps the
per-account limit (ACCOUNT_RATE_LIMITS, "key"), whose entry only one person's attempts touch.
"""

import functools
import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from core.views import too_many_requests

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True, slots=True)
class AddressLimit:
    amount: int
    seconds: int


def address_limit_parse(text: str) -> AddressLimit | None:
    """"1000/5m" → 1,000 per 5 minutes; empty → no limit."""
    text = (text or "").strip()
    if not text:
        return None
    amount, _, window = text.partition("/")
    number, unit = (window[:-1], window[-1]) if window and window[-1] in _UNITS else (window, "s")
    return AddressLimit(amount=int(amount), seconds=int(number or 1) * _UNITS[unit])


def _limit(action: str) -> AddressLimit | None:
    return address_limit_parse(settings.PORTAL_LOGIN_ADDRESS_LIMITS.get(action, ""))


def _address(request: HttpRequest) -> str:
    # The client's address as allauth reads it (behind the trusted proxies); an IPv6 client owns a whole /64.
    address = get_adapter().get_client_ip(request)
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


def _key(request: HttpRequest, action: str, limit: AddressLimit) -> tuple[str, int]:
    # Fixed windows: at a window's edge an address may get up to twice its amount, which these limits,
    # meant to stop sweeps and not single guesses, can afford.
    window = int(time.time() // limit.seconds)
    return f"portal:login-limit:{action}:{limit.amount}/{limit.seconds}:{_address(request)}:{window}", limit.seconds


def address_count_add(*, request: HttpRequest, action: str) -> int:
    """Counts one more `action` from the request's address in the current window; returns the new count."""
    limit = _limit(action)
    if limit is None:
        return 0
    key, seconds = _key(request, action, limit)
    try:
        cache.add(key, 0, timeout=seconds)
        return cache.incr(key)
    except ValueError:  # the entry expired between add and incr: this is the window's first
        cache.add(key, 1, timeout=seconds)
        return 1
    except Exception:  # a cache outage must not lock an office out of the portal
        logger.warning("Login limits not counted: the cache is unavailable.", exc_info=True)
        return 0


def address_count_get(*, request: HttpRequest, action: str) -> int:
    limit = _limit(action)
    if limit is None:
        return 0
    key, _ = _key(request, action, limit)
    try:
        return int(cache.get(key, 0))
    except Exception:  # as above
        logger.warning("Login limits not read: the cache is unavailable.", exc_info=True)
        return 0


def address_over_limit(*, request: HttpRequest, action: str, count: int) -> bool:
    limit = _limit(action)
    return limit is not None and count > limit.amount


def login_attempts_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps the login view: past the address's attempts in the window, a posted attempt answers 429."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            count = address_count_add(request=request, action="attempts")
            if address_over_limit(request=request, action="attempts", count=count):
                return too_many_requests(request)
        return view(request, *args, **kwargs)

    return wrapped
