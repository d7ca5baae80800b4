from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Documents built from every app below: the quarterly workbook, its background job, page and command."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exports"
    verbose_name = _("Exports")
