"""How allauth behaves in the portal."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from core.login_limits import address_count_add, address_count_get, address_over_limit


class PortalAccountAdapter(DefaultAccountAdapter):
    # Accounts are created by administrators for the people of each unit; nobody signs themselves up.
    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Failures from one address (a sweep across accounts) stop that address before any password is
        # checked; allauth then applies the strict per-account limit.
        failures = address_count_get(request=request, action="failures")
        if address_over_limit(request=request, action="failures", count=failures + 1):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        address_count_add(request=request, action="failures")
        super().authentication_failed(request, **credentials)
