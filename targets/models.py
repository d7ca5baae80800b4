from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import number_format
from core.models import Conflict, ConflictMixin, DueMixin
from core.periods import DueKind
from plans.models import Plan, PlanStatus
from units.models import Unit, UnitKind


class IndicatorGroup(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Measure(models.TextChoices):
    RATIO = "ratio", _("Ratio of two counts")
    UNIT_SHARE = "unit_share", _("Share of units meeting a condition")
    MILESTONE = "milestone", _("Milestone done or not done")
    REDUCTION = "reduction", _("Reduction against a baseline")


class Flow(models.TextChoices):
    LEVEL = "level", _("Level (running total)")
    FLOW = "flow", _("Flow (counted each month)")


class Rollup(models.TextChoices):
    SUM_RATIO = "sum_ratio", _("Ratio of sums")
    UNIT_SHARE = "unit_share", _("Share of units meeting the threshold")
    ALL_DONE = "all_done", _("All units done")


# How each measure may roll up the unit tree; percentages are never averaged.
ALLOWED_ROLLUPS = {
    Measure.RATIO: {Rollup.SUM_RATIO, Rollup.UNIT_SHARE},
    Measure.REDUCTION: {Rollup.SUM_RATIO},
    Measure.UNIT_SHARE: {Rollup.UNIT_SHARE},
    Measure.MILESTONE: {Rollup.ALL_DONE, Rollup.UNIT_SHARE},
}


class Indicator(models.Model):
    """One indicator of the shared catalogue; every plan's targets point at it."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=300)
    group = models.ForeignKey(IndicatorGroup, verbose_name=_("group"), on_delete=models.PROTECT,
                              related_name="indicators")
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    flow = models.CharField(_("level or flow"), max_length=10, choices=Flow.choices, default=Flow.LEVEL)
    rollup = models.CharField(_("roll-up"), max_length=20, choices=Rollup.choices)
    unit_threshold = models.DecimalField(
        _("threshold for a unit to count as meeting it (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    numerator_label = models.CharField(_("numerator"), max_length=300, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["group__order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_counts(self) -> bool:
        return self.measure in (Measure.RATIO, Measure.REDUCTION)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.measure and self.rollup and self.rollup not in ALLOWED_ROLLUPS[self.measure]:
            errors["rollup"] = _("This roll-up does not fit the indicator's measure.")
        if self.measure == Measure.RATIO and self.rollup == Rollup.UNIT_SHARE and self.unit_threshold is None:
            errors["unit_threshold"] = _("A share of units meeting a ratio needs the threshold a unit must reach.")
        if self.has_counts and not (self.numerator_label and self.denominator_label):
            errors["numerator_label"] = _("A ratio needs the names of its numerator and denominator.")
        if errors:
            raise ValidationError(errors)


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    RANGE = "range", _("Between")
    AT_MOST = "at_most", _("At most")
    REDUCE_BY = "reduce_by", _("Reduce by at least")
    DONE = "done", _("Done")


class Counts(models.TextChoices):
    """Which units under a target's scope unit count towards it."""

    ALL = "all", _("Every unit under the scope unit")
    KINDS = "kinds", _("The units of the kinds named")
    NAMED = "named", _("The units named, with the units under them")
    SELF = "self", _("The scope unit alone")


class Judged(models.TextChoices):
    """Where a target is judged: on each unit it counts and on the totals, or on the totals only."""

    EACH = "each", _("Each unit and the total")
    TOTAL = "total", _("The total only")


class Reporters(models.TextChoices):
    """Who reports the figures a target is judged on."""

    EACH = "each", _("Each unit it counts")
    SCOPE = "scope", _("The scope unit alone, for every unit it counts")


class TargetQuerySet(models.QuerySet):
    def issued(self) -> "TargetQuerySet":
        """Targets of plans that bind: drafts' targets bind no one."""
        return self.filter(plan__status=PlanStatus.ISSUED)


class Target(DueMixin, ConflictMixin):
    """What one plan asks of an indicator, for which units, by when, in the words of its clause.

    Its scope, as plans write it: the unit whose figures it measures (`scope_unit`, the issuer when empty), which
    units under it count (`counts`, with `applies_to_kinds` and `applies_to_units`), where it is judged (`judged`)
    and who reports (`reporters`). The unit that answers for it (`responsible_unit`, the issuer when empty) is kept
    apart. Targets of one plan with the same `series` are the stages of one target, values by deadline; any other
    two targets of a plan on one indicator are judged side by side. A conflict resolved in favour of another target
    names it in `superseded_by`, and the superseded target binds no one.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(_("position in the plan"))
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="targets")
    comparator = models.CharField(_("comparator"), max_length=20, choices=Comparator.choices)
    value = models.DecimalField(
        _("value (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    value_max = models.DecimalField(
        _("upper value (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    scope_unit = models.ForeignKey(
        Unit, verbose_name=_("unit whose figures it measures"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty: the issuing unit."),
    )
    counts = models.CharField(_("units that count"), max_length=10, choices=Counts.choices, default=Counts.ALL)
    applies_to_units = models.ManyToManyField(
        Unit, verbose_name=_("only these units and their subtrees"), blank=True, related_name="+"
    )
    applies_to_kinds = models.JSONField(
        _("only units of these kinds"), default=list, blank=True,
        help_text=_("With “the units of the kinds named”; with “the units named”, narrows them to these kinds."),
    )
    judged = models.CharField(_("judged on"), max_length=10, choices=Judged.choices, default=Judged.EACH)
    reporters = models.CharField(_("who reports"), max_length=10, choices=Reporters.choices, default=Reporters.EACH)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty: the issuing unit."),
    )
    series = models.CharField(
        _("series"), max_length=50, blank=True,
        help_text=_("Targets of the plan with the same series are stages of one target; empty: a target of its own."),
    )
    superseded_by = models.ForeignKey(
        "self", verbose_name=_("gives way to"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="supersedes",
        help_text=_("When a conflict is resolved in favour of another target of the plan: the one that holds."),
    )
    parent_target = models.ForeignKey(
        "self", verbose_name=_("adopted from"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="adoptions", help_text=_("The parent plan's target this one carries out."),
    )
    retired_from = models.DateField(
        _("retired from"), null=True, blank=True,
        help_text=_("The first month the target no longer binds; figures reported before stay judged against it."),
    )
    clause = models.TextField(_("clause"))
    ref = models.CharField(_("where in the document"), max_length=255, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="target_unique_position")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value_label} ({self.due_label})"

    @property
    def value_label(self) -> str:
        if self.comparator == Comparator.DONE:
            return str(_("Done"))
        low = f"{number_format(self.value)}%"
        if self.comparator == Comparator.RANGE:
            return f"{number_format(self.value)} – {number_format(self.value_max)}%"
        if self.comparator == Comparator.AT_MOST:
            return f"≤ {low}"
        if self.comparator == Comparator.REDUCE_BY:
            return str(_("reduce by ≥ %(value)s")) % {"value": low}
        return f"≥ {low}"

    @property
    def held_label(self) -> str:
        """What holds, in one line: value, plan, deadline ("≥ 80% · 86-KH/TU · 31/12/2026"). Reads the plan."""
        due = self.due_on.strftime("%d/%m/%Y") if self.due_on else "—"
        return f"{self.value_label} · {self.plan.short_label} · {due}"

    @property
    def scope(self) -> Unit:
        """The unit whose figures the target measures: the one named, or the issuer."""
        return self.scope_unit if self.scope_unit_id else self.plan.issuer

    @property
    def scope_label(self) -> str:
        """The scope in words: which units count, under which unit, where judged and who reports. Reads the units."""
        scope = self.scope
        if self.counts == Counts.SELF:
            words = _("%(unit)s alone") % {"unit": scope.name}
        elif self.counts == Counts.KINDS:
            words = _("%(kinds)s under %(unit)s") % {"kinds": self._kinds_label(), "unit": scope.name}
        elif self.counts == Counts.NAMED:
            named = ", ".join(unit.name for unit in self.applies_to_units.all()) or "—"
            words = _("named units under %(unit)s: %(named)s") % {"unit": scope.name, "named": named}
            if self.applies_to_kinds:
                words = f"{words} ({self._kinds_label()})"
        else:
            words = _("every unit under %(unit)s") % {"unit": scope.name}
        if self.judged == Judged.TOTAL:
            words = _("%(words)s; judged on the total only") % {"words": words}
        if self.reporters == Reporters.SCOPE and self.counts != Counts.SELF:
            words = _("%(words)s; %(unit)s reports for all of them") % {"words": words, "unit": scope.name}
        return words

    def _kinds_label(self) -> str:
        return ", ".join(str(UnitKind(kind).label) for kind in self.applies_to_kinds)

    @property
    def responsible(self) -> Unit:
        return self.responsible_unit if self.responsible_unit_id else self.plan.issuer

    @property
    def conflict_open(self) -> bool:
        return self.conflict_status == Conflict.OPEN

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.due_kind == DueKind.RECURRING:
            errors["due_kind"] = _("A target needs a deadline: a year, a quarter or a date.")
        elif self.due_on is None:
            errors["due_on"] = _("A target needs the date it is due.")
        if self.comparator == Comparator.DONE:
            if self.value is not None or self.value_max is not None:
                errors["value"] = _("A milestone has no value; leave it empty.")
        elif self.value is None:
            errors["value"] = _("This target needs a value.")
        if self.comparator == Comparator.RANGE:
            if self.value_max is None:
                errors["value_max"] = _("A range needs its upper value.")
            elif self.value is not None and self.value >= self.value_max:
                errors["value_max"] = _(
                    "The range is upside down: the lower value (%(low)s%%) must be below the upper value (%(high)s%%)."
                ) % {"low": number_format(self.value), "high": number_format(self.value_max)}
        elif self.value_max is not None:
            errors["value_max"] = _("Only a range has an upper value.")
        errors.update(self._scope_errors())
        errors.update(self._supersession_errors())
        if self.indicator_id and self.comparator:
            measure = self.indicator.measure
            if (measure == Measure.MILESTONE) != (self.comparator == Comparator.DONE):
                errors["comparator"] = _("A milestone indicator takes “Done”; other indicators take a value.")
            elif (measure == Measure.REDUCTION) != (self.comparator == Comparator.REDUCE_BY):
                errors["comparator"] = _("“Reduce by at least” goes with reduction indicators, and only with them.")
        if errors:
            raise ValidationError(errors)

    def _scope_errors(self) -> dict:
        kinds = self.applies_to_kinds
        if not isinstance(kinds, list) or any(kind not in UnitKind.values for kind in kinds):
            return {"applies_to_kinds": _("Unknown unit kind: use the kinds of the unit tree.")}
        if self.counts == Counts.KINDS and not kinds:
            return {"applies_to_kinds": _("Name the kinds of unit that count.")}
        if self.counts in (Counts.ALL, Counts.SELF) and kinds:
            return {"applies_to_kinds": _("Kinds narrow only “the units of the kinds named” or “the units named”.")}
        return {}

    def _supersession_errors(self) -> dict:
        if not self.superseded_by_id:
            return {}
        other = self.superseded_by
        if other.pk == self.pk or other.plan_id != self.plan_id or other.indicator_id != self.indicator_id:
            return {"superseded_by": _("A target gives way only to another target of its plan on the same "
                                       "indicator.")}
        if other.superseded_by_id:
            return {"superseded_by": _("That target itself gives way to another: name the one that holds.")}
        if self.conflict_status != Conflict.RESOLVED:
            return {"conflict_status": _("A target gives way to another only when its conflict is resolved.")}
        return {}



class TargetUnitValue(models.Model):
    """A value a target sets for one named unit under it, in place of the target's own (e.g. a harder ward)."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="unit_values")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value (%)"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    value_max = models.DecimalField(_("upper value (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("value for a unit")
        verbose_name_plural = _("values for units")
        ordering = ["target", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["target", "unit"], name="targetunitvalue_unique")]

    def __str__(self) -> str:
        return f"{self.target} · {self.unit}: {self.value}"
