from django.db import models
from django.utils.translation import gettext_lazy as _

from targets.models import Indicator, Target
from units.models import Unit


class Status(models.TextChoices):
    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BEHIND = "behind", _("Behind")
    NO_DATA = "no_data", _("No data")
    OVERDUE = "overdue", _("Report overdue")


class ComplianceRun(models.Model):
    """One computation of one month. Readers see only the current run; a new one replaces it in one transaction."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    period = models.DateField(_("month"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RUNNING)
    is_current = models.BooleanField(_("current"), default=False)
    as_of = models.DateTimeField(_("computed as of"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    results = models.PositiveIntegerField(_("results"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Raised by each approval, reopening or return applied to the run's rows in place (`compliance.incremental`):
    # what is cached under the run (the scorecard) is cached under its revision too.
    revision = models.PositiveIntegerField(_("revision"), default=0, db_default=0)

    class Meta:
        verbose_name = _("compliance run")
        verbose_name_plural = _("compliance runs")
        ordering = ["-period", "-started_at"]
        constraints = [models.UniqueConstraint(fields=["period"], condition=models.Q(is_current=True),
                                               name="compliancerun_one_current_per_period")]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} – {self.get_state_display()}"


class ComplianceMonth(models.Model):
    """Who is computing a month, until when, and whether another computation was asked for meanwhile.

    The lock is this row, taken and given back with conditional UPDATEs, which are atomic on PostgreSQL and on
    SQLite alike; the lease expires unless the computation renews it, so a killed worker cannot hold it forever.
    """

    period = models.DateField(_("month"), unique=True)
    holder = models.ForeignKey(ComplianceRun, verbose_name=_("computing run"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    wanted_at = models.DateTimeField(_("recomputation wanted since"), null=True, blank=True)
    # A computation of the month waiting in the queue, not yet started: further requests need not queue another.
    queued_at = models.DateTimeField(_("computation queued at"), null=True, blank=True)
    # Set by the first computation after the month's last day, which records who was expected (ExpectedReporter).
    roll_kept_at = models.DateTimeField(_("expected reporters recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compliance month")
        verbose_name_plural = _("compliance months")

    def __str__(self) -> str:
        return f"{self.period:%m/%Y}"


class ExpectedReporter(models.Model):
    """A unit expected to report for a month, recorded once the month is over and kept.

    Later changes (a plan loaded afterwards, a target rewired, a unit moved or reclassified) do not change who was
    expected for a month already over, so a reporting rate never moves after the fact, nor passes 100%.
    """

    period = models.DateField(_("month"))
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due on"), null=True)

    class Meta:
        verbose_name = _("expected reporter")
        verbose_name_plural = _("expected reporters")
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="expected_reporter_unique")]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} – {self.unit_id}"


class ComplianceResult(models.Model):
    """A unit's standing on one indicator in one month: its own figures, and its whole subtree's."""

    # Derived rows written in bulk: no per-row foreign-key checks, and the composite unique index serves lookups.
    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="results_set",
                            db_constraint=False, db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                             db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                                  db_index=False)
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                               db_constraint=False, db_index=False)
    # The unit's own figures (approved), and what they would be counting submitted but unapproved months.
    numerator = models.BigIntegerField(null=True)
    denominator = models.BigIntegerField(null=True)
    done = models.BooleanField(null=True)
    value = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    provisional_value = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    path_value = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    reason = models.CharField(max_length=400, blank=True)
    # The subtree (the unit and every unit below it), rolled up by the indicator's rule.
    sub_numerator = models.BigIntegerField(null=True)
    sub_denominator = models.BigIntegerField(null=True)
    sub_expected = models.PositiveIntegerField(default=0)
    sub_reporting = models.PositiveIntegerField(default=0)
    sub_meeting = models.PositiveIntegerField(default=0)
    sub_value = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    sub_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    sub_reason = models.CharField(max_length=400, blank=True)
    # The subtree's approved figures in its paths' baseline months ({"2025-12-01": [numerator, denominator]}), which
    # an approval in the month leaves as they are: kept so the total can be judged again without summing the tree.
    sub_bases = models.JSONField(null=True)

    class Meta:
        verbose_name = _("compliance result")
        verbose_name_plural = _("compliance results")
        # (run, unit, indicator) serves every read: a run's rows for some units, for some indicators.
        constraints = [models.UniqueConstraint(fields=["run", "unit", "indicator"], name="result_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}: {self.status}"


class ReportingResult(models.Model):
    """Whether a unit reported for the month, and its subtree's reporting rate."""

    class Own(models.TextChoices):
        ON_TIME = "on_time", _("On time")
        LATE = "late", _("Late")
        MISSING = "missing", _("Missing")
        OVERDUE = "overdue", _("Overdue")
        NOT_EXPECTED = "not_expected", _("Not expected")

    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="reporting_set",
                            db_constraint=False, db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    own = models.CharField(max_length=20, choices=Own.choices)
    due_on = models.DateField(null=True)
    expected = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reporting result")
        verbose_name_plural = _("reporting results")
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="reporting_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.own}"


class Reminder(models.Model):
    """A reminder sent once for a unit, month and kind, however often the daily pass runs."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the due date")
        AFTER_DUE = "after_due", _("The day after the due date")
        ESCALATION = "escalation", _("To the reviewers above")
        MANUAL = "manual", _("Sent from the dashboard")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="reminders")
    period = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipients = models.JSONField(_("recipients"), default=list)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        # The scheduled kinds go out once; a reviewer may send a manual one whenever they judge it useful.
        constraints = [models.UniqueConstraint(fields=["unit", "period", "kind"], condition=~models.Q(kind="manual"),
                                               name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period:%m/%Y} – {self.get_kind_display()}"
