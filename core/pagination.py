"""API pagination; its own module because DRF imports it while loading the generic views."""

from rest_framework.pagination import LimitOffsetPagination


class PortalPagination(LimitOffsetPagination):
    # Without a ceiling a limit beyond the database's integers is passed to the query and fails there.
    max_limit = 1000
