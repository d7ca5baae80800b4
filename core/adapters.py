"""How allauth behaves in the portal."""

from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    # Accounts are created by administrators for the people of each unit; nobody signs themselves up.
    def is_open_for_signup(self, request) -> bool:
        return False
