from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class ExportJob(models.Model):
    """A quarterly report being built in the background (the body as .docx, the annexes as .xlsx); the page polls
    its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("annexes (.xlsx)"), upload_to="exports/", blank=True, max_length=200)
    document = models.FileField(_("report body (.docx)"), upload_to="exports/", blank=True, max_length=200)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        db_table = "reports_exportjob"  # created when exports lived in the reports app

    def __str__(self) -> str:
        return f"{self.unit} Q{self.quarter}/{self.year}"
