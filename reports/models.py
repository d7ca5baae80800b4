import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import KIND_BY_CONTENT_TYPE, safe_file_name
from core.formatting import percent_label
from targets.models import Indicator, Measure
from units.models import Unit


class Report(models.Model):
    """One unit's figures for one month. The workflow moves it Draft → Submitted → Returned/Approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports")
    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    due_on = models.DateField(
        _("due on"), null=True, blank=True,
        help_text=_("Late after this day (Asia/Ho_Chi_Minh); fixed when the report is opened."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Raised by every save, so a later save cannot silently overwrite."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="report_unique_unit_period")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period:%m/%Y}"

    def clean(self) -> None:
        super().clean()
        if self.period and self.period.day != 1:
            raise ValidationError({"period": _("A report's month is given by its first day.")})


class ReportValue(models.Model):
    """One indicator's raw figures in a report: counts (the % is computed) or done / not done."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    numerator = models.PositiveBigIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("denominator"), null=True, blank=True)
    done = models.BooleanField(_("done"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="reportvalue_unique_indicator")]

    def __str__(self) -> str:
        return f"{self.report} – {self.indicator.code}"

    @property
    def percent_label(self) -> str:
        return percent_label(self.numerator, self.denominator)

    def clean(self) -> None:
        super().clean()
        if self.indicator_id is None:
            return
        errors = {}
        if self.indicator.has_counts:
            if self.done is not None:
                errors["done"] = _("This indicator is reported as two counts, not done / not done.")
            if (self.numerator is None) != (self.denominator is None):
                errors["denominator"] = _("Enter both the numerator and the denominator, or neither.")
            elif self.denominator == 0 and not self.note.strip():
                errors["note"] = _("A denominator of 0 needs a note explaining why.")
            elif (
                self.indicator.measure == Measure.RATIO
                and self.numerator is not None
                and self.numerator > self.denominator
            ):
                errors["numerator"] = _("The numerator cannot be larger than the denominator.")
        elif self.numerator is not None or self.denominator is not None:
            errors["numerator"] = _("This indicator is reported as done / not done, not as counts.")
        if errors:
            raise ValidationError(errors)


class ReportSubmission(models.Model):
    """Each submission's values as they were sent, so a reviewer sees what changed since the last one."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("submission no."))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)
    values = models.JSONField(_("values"), default=dict)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="submission_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"


class ReportDecision(models.Model):
    """A reviewer's word on a report: returned with a reason, approved, or reopened with a reason."""

    class Action(models.TextChoices):
        RETURN = "return", _("Returned for correction")
        APPROVE = "approve", _("Approved")
        REOPEN = "reopen", _("Reopened")

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("decision"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    value_reasons = models.JSONField(_("reasons per indicator"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.report}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # A random name with the extension of the kind detected from the content: the original name is kept in the
    # row, never trusted as a path or a type.
    kind = KIND_BY_CONTENT_TYPE.get(instance.content_type)
    return f"evidence/{instance.report_id}/{uuid.uuid4().hex}{kind.extension if kind else ''}"


class Evidence(models.Model):
    """A file backing one value of a report; stored outside static, served only to those who may see the report."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report", "indicator", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name offered on download: the original's words, the extension of the kind the content is."""
        kind = KIND_BY_CONTENT_TYPE.get(self.content_type)
        return safe_file_name(self.original_name, extension=kind.extension if kind else ".bin")
