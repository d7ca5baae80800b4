"""The working copy of an amendment: an issued plan's pending edits, kept in the database until applied or
discarded, binding no one and changing nothing meanwhile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import Plan, PlanVersion


class PlanAmendment(models.Model):
    """One amendment being prepared for an issued plan, over as many saves (and days) as it takes.

    There is at most one open per plan, shared by everyone who writes the plan (the issuing committee's office):
    whoever opens the plan's amendment while one is open continues the same copy. `edits` holds the pending edits
    as plain data (see `authoring.amendments`): a target or task added, changed, removed, retired or closed.
    Applied, it becomes one new version (`version`); discarded, it changed nothing.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="amendments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    edits = models.JSONField(_("pending edits"), default=list, blank=True)
    added = models.PositiveIntegerField(_("items added so far"), default=0)  # names new items "target-new-3"
    based_on = models.PositiveIntegerField(_("version it amends"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    opened_by_name = models.CharField(_("opened by (name)"), max_length=255, blank=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied or discarded by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("applied or discarded at"), null=True, blank=True)
    version = models.OneToOneField(PlanVersion, verbose_name=_("version it became"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="amendment")

    class Meta:
        verbose_name = _("amendment being prepared")
        verbose_name_plural = _("amendments being prepared")
        ordering = ["plan", "-opened_at"]
        constraints = [models.UniqueConstraint(fields=["plan"], condition=Q(status="open"),
                                               name="planamendment_one_open_per_plan")]

    def __str__(self) -> str:
        return f"{self.plan.key} – {self.get_status_display()}"
