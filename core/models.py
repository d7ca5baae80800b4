from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import due_label, person_name
from core.periods import DueKind


class AuditEvent(models.Model):
    """One write to the portal's data: who, when, what, and each changed field's old and new value."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        LOAD = "load", _("Loaded from seed")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as it read when the event was written: the account may be renamed or deleted later.
    actor_name = models.CharField(_("by (name at the time)"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def actor_label(self) -> str:
        """Who did it, as the history shows it: the name kept at the time, or the portal itself."""
        return self.actor_name or person_name(self.actor) or str(_("System"))


class Conflict(models.TextChoices):
    NONE = "", _("None")
    OPEN = "open", _("To resolve")
    RESOLVED = "resolved", _("Resolved")


class DueMixin(models.Model):
    """A deadline as the plans write it: a year, a quarter, a date, or recurring work."""

    due_kind = models.CharField(_("due"), max_length=20, choices=DueKind.choices)
    due_on = models.DateField(
        _("due on"), null=True, blank=True, help_text=_("The last day: 31/12 for a year, the quarter's last day.")
    )

    class Meta:
        abstract = True

    @property
    def due_label(self) -> str:
        return due_label(self.due_kind, self.due_on)


class ConflictMixin(models.Model):
    """Where the source document contradicts itself: kept as written, flagged for a person to resolve."""

    conflict = models.TextField(_("conflict in the document"), blank=True)
    conflict_status = models.CharField(
        _("conflict status"), max_length=20, choices=Conflict.choices, default=Conflict.NONE, blank=True
    )

    class Meta:
        abstract = True


class PendingForm(models.Model):
    """Form data posted after the session expired, kept until the same user logs in again and gets it back."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    path = models.CharField(_("page"), max_length=300)
    data = models.JSONField(_("data"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending form")
        verbose_name_plural = _("pending forms")

    def __str__(self) -> str:
        return self.path


class OutboxEntry(models.Model):
    """A background job to hand to the workers, written in the same transaction as the work that needs it.

    Removed once the broker took the job; left in place when it could not (the broker is down), so a periodic
    pass or a worker starting up sends it later and nothing asked for is forgotten.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued job")
        verbose_name_plural = _("queued jobs")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
