from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ConflictMixin, DueMixin
from core.periods import DueKind
from units.models import Unit


class PlanKind(models.TextChoices):
    KE_HOACH = "ke_hoach", _("Plan")
    QUYET_DINH = "quyet_dinh", _("Decision")
    DE_AN = "de_an", _("Scheme")
    CHUONG_TRINH = "chuong_trinh", _("Programme")


class PlanStatus(models.TextChoices):
    """A plan written in the portal is a draft, seen by its authors alone, until it is issued; then it binds."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class PlanQuerySet(models.QuerySet):
    def issued(self) -> "PlanQuerySet":
        """Plans that bind: every plan but the drafts."""
        return self.filter(status=PlanStatus.ISSUED)


class Plan(models.Model):
    """A plan (Kế hoạch) or the decision above it. A plan only named by others has no source text.

    A plan written in the portal starts as a draft (`status`), visible to its `authors` alone and binding no one;
    once issued it changes only by an amendment, and each issued version is kept in `PlanVersion`.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    number = models.CharField(_("reference number"), max_length=50, blank=True, help_text=_("e.g. 86-KH/TU"))
    kind = models.CharField(_("kind of document"), max_length=20, choices=PlanKind.choices, default=PlanKind.KE_HOACH)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="issued_plans"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    year_start = models.PositiveSmallIntegerField(_("from year"))
    year_end = models.PositiveSmallIntegerField(_("to year"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("report due day"),
        default=20,
        help_text=_("Monthly figures are due on this day of the following month."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("What the document leaves out or how it was read."))
    source_name = models.CharField(_("source file"), max_length=200, blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ISSUED)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("authors"), blank=True,
                                     related_name="authored_plans")
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["issued_on", "key"]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}" if self.number else self.title

    @property
    def short_label(self) -> str:
        """For narrow columns: the reference number, or the issuer and years when the document has none."""
        if self.number:
            return self.number
        years = str(self.year_start) if self.year_start == self.year_end else f"{self.year_start}–{self.year_end}"
        return f"{self.issuer.name} {years}"

    @property
    def is_named_only(self) -> bool:
        return not self.source_text

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.year_start and self.year_end and self.year_end < self.year_start:
            errors["year_end"] = _("The last year must not be before the first year.")
        if not 1 <= self.report_due_day <= 28:
            errors["report_due_day"] = _("The due day must be between 1 and 28.")
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                errors["parent"] = _("A plan cannot implement itself or a plan that implements it.")
                break
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if errors:
            raise ValidationError(errors)


class Recurrence(models.TextChoices):
    """How often recurring work is reported: one occurrence per period, each due on the period's last day."""

    NONE = "", _("Not recurring")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class PlanTask(DueMixin, ConflictMixin):
    """A task assigned by a plan: what, who leads, who helps, by when, and what it must produce."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("no."))
    group = models.CharField(_("task group"), max_length=255, blank=True)
    title = models.TextField(_("task"))
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    lead_text = models.CharField(_("lead unit (as written)"), max_length=255, blank=True)
    cooperating_units = models.ManyToManyField(
        Unit, verbose_name=_("cooperating units"), blank=True, related_name="cooperating_tasks"
    )
    cooperating_text = models.CharField(_("cooperating units (as written)"), max_length=500, blank=True)
    due_text = models.CharField(_("due (as written)"), max_length=255, blank=True)
    expected_output = models.TextField(_("expected output"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # "6 rõ": the person who answers for it in the lead unit, what each cooperating unit brings, and who accepts.
    responsible_person = models.CharField(_("person responsible"), max_length=255, blank=True)
    contributions = models.JSONField(
        _("what each cooperating unit contributes"), default=dict, blank=True,
        help_text=_("Identifier code of a cooperating unit → its part of the work."))
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence.choices, blank=True,
                                  default=Recurrence.NONE)
    accepting_unit = models.ForeignKey(
        Unit, verbose_name=_("accepting unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="accepted_tasks", help_text=_("Empty: the issuing committee's office (Văn phòng)."))
    parent_task = models.ForeignKey(
        "self", verbose_name=_("adopted from"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="adoptions", help_text=_("The parent plan's task this one carries out."))

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plantask_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"

    def clean(self) -> None:
        super().clean()
        if self.due_kind != DueKind.RECURRING and self.due_on is None:
            raise ValidationError({"due_on": _("A task due by a year, a quarter or a date needs its date.")})
        if self.recurrence and self.due_kind != DueKind.RECURRING:
            raise ValidationError({"recurrence": _("Only recurring work has a monthly or quarterly occurrence.")})
        if not isinstance(self.contributions, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in self.contributions.items()):
            raise ValidationError({"contributions": _("Write each contribution as a unit code and its part.")})


class PlanVersion(models.Model):
    """An issued version of a plan, kept whole when it is issued or amended: what it said, who changed what, why."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("the plan as issued"), default=dict)
    changes = models.JSONField(_("what changed"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField(_("by (name kept)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"
