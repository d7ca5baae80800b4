"""Progress on the tasks plans assign: one record per task (per period for recurring work), its notes, product
files, submissions and the accepting unit's decisions, and the reminders sent about it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import KIND_BY_CONTENT_TYPE, safe_file_name
from plans.models import PlanTask
from tasks.status import State
from units.models import Unit


class TaskRecord(models.Model):
    """What happened to one occurrence of a task: its state, its product and the dates that judge it.

    A one-off task has one record (period ""); recurring work one per month ("2026-05") or quarter ("2026-Q2").
    """

    task = models.ForeignKey(PlanTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="records")
    period = models.CharField(_("period"), max_length=10, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED)
    version = models.PositiveIntegerField(_("version"), default=0)
    product_link = models.URLField(_("link to the product"), max_length=500, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    document_summary = models.TextField(_("document summary"), blank=True)
    done_on = models.DateField(_("reported done on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("task record")
        verbose_name_plural = _("task records")
        ordering = ["task", "period"]
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="taskrecord_unique_period")]

    def __str__(self) -> str:
        return f"{self.task} {self.period}".strip()

    @property
    def has_product(self) -> bool:
        return bool(self.product_link or self.document_number or self.files.exists())


class ProgressNote(models.Model):
    """A dated note from the lead unit, or a cooperating unit's account of its part."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        COOPERATING = "cooperating", _("Cooperating unit")

    record = models.ForeignKey(TaskRecord, verbose_name=_("task record"), on_delete=models.CASCADE,
                               related_name="notes")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("responsibility"), max_length=20, choices=Role.choices)
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    obstacles = models.TextField(_("obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["record", "on", "id"]

    def __str__(self) -> str:
        return f"{self.record} – {self.on:%d/%m/%Y}"


def product_path(instance: "ProductFile", filename: str) -> str:
    kind = KIND_BY_CONTENT_TYPE.get(instance.content_type)
    return f"tasks/{instance.record_id}/{uuid.uuid4().hex}{kind.extension if kind else ''}"


class ProductFile(models.Model):
    """A file of the task's product, checked like report evidence and served only to those who see the task."""

    record = models.ForeignKey(TaskRecord, verbose_name=_("task record"), on_delete=models.CASCADE,
                               related_name="files")
    file = models.FileField(_("file"), upload_to=product_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product file")
        verbose_name_plural = _("product files")
        ordering = ["record", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        kind = KIND_BY_CONTENT_TYPE.get(self.content_type)
        return safe_file_name(self.original_name, extension=kind.extension if kind else ".bin")


class TaskSubmission(models.Model):
    """Each time the lead unit reported the task done, with its product as it was then."""

    record = models.ForeignKey(TaskRecord, verbose_name=_("task record"), on_delete=models.CASCADE,
                               related_name="submissions")
    number = models.PositiveSmallIntegerField(_("submission no."))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    is_late = models.BooleanField(_("late"), default=False)
    product = models.JSONField(_("product"), default=dict)

    class Meta:
        verbose_name = _("task submission")
        verbose_name_plural = _("task submissions")
        ordering = ["record", "number"]
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="tasksubmission_unique_number")]

    def __str__(self) -> str:
        return f"{self.record} #{self.number}"


class TaskDecision(models.Model):
    """The accepting unit's word on a submitted product: accepted, or returned with a reason."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        RETURN = "return", _("Returned for more work")

    record = models.ForeignKey(TaskRecord, verbose_name=_("task record"), on_delete=models.CASCADE,
                               related_name="decisions")
    action = models.CharField(_("decision"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task decision")
        verbose_name_plural = _("task decisions")
        ordering = ["record", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.record}"


class TaskReminder(models.Model):
    """A reminder about a task's deadline, sent once per deadline and kind however often the daily pass runs."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the deadline")
        AFTER_DUE = "after_due", _("After the deadline")
        ESCALATION = "escalation", _("To the accepting unit")

    task = models.ForeignKey(PlanTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(_("due on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [models.UniqueConstraint(fields=["task", "due_on", "kind"], name="taskreminder_once")]

    def __str__(self) -> str:
        return f"{self.task} – {self.get_kind_display()}"


class TaskClosure(models.Model):
    """A task of an issued plan closed by an amendment from a day on: it stays in the plan and its history, and
    leaves the board, the counts, the reminders and the workbook's quarters that start on or after that day.

    A task with anything recorded against it (progress, products, submissions, reminders) is closed, never removed.
    """

    task = models.OneToOneField(PlanTask, verbose_name=_("task"), on_delete=models.CASCADE, primary_key=True,
                                related_name="closure")
    closed_from = models.DateField(_("closed from"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), auto_now=True)

    class Meta:
        verbose_name = _("task closure")
        verbose_name_plural = _("task closures")

    def __str__(self) -> str:
        return f"{self.task} – {self.closed_from:%d/%m/%Y}"
