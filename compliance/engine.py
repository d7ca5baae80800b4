"""The arithmetic of compliance: which target binds a unit, where its path stands, and how values roll up.

Pure functions over plain data, so the hand-worked cases can be tested without a database.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.translation import gettext as _

from compliance.models import Status
from targets.binding import Stage
from targets.models import Comparator, Measure, Rollup

HUNDRED = Decimal(100)
# Enum members compared for every value judged, bound once: looking a member up on its class costs more than comparing.
MET, ON_TRACK, AT_RISK, BEHIND, NO_DATA = Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.BEHIND, Status.NO_DATA
DONE, AT_MOST, REDUCTION, SUM_RATIO = Comparator.DONE, Comparator.AT_MOST, Measure.REDUCTION, Rollup.SUM_RATIO
AT_RISK_MARGIN = Decimal(10)  # percentage points below the path that still count as "at risk", not "behind"
MILESTONE_WARNING_DAYS = 92  # a milestone not done within a quarter of its deadline is at risk


class Texts:
    """The sentences of the reasons, translated once per computation rather than once per result."""

    def __init__(self):
        self.no_figures = _("No approved figures.")
        self.done = _("Done; due by %(due)s.")
        self.missed = _("Not done; it was due by %(due)s.")
        self.not_yet = _("Not done yet; due by %(due)s.")
        self.reduction = _("a reduction of %(target)s")
        self.met = _("%(value)s / target %(target)s by %(due)s: met.")
        self.late = _("%(value)s / target %(target)s by %(due)s: not met by the deadline.")
        self.path = _("%(value)s / target %(target)s by %(due)s; the path needs %(path)s by %(month_end)s.")
        self.counted = _("%(meeting)s of %(expected)s units.")
        self.no_subtree_figures = _("No approved figures in the subtree.")
        self.unit_done = _("Done.")
        self.unit_not_done = _("Not done.")
        self.zero_denominator = _("The denominator is 0: nothing to count in the month.")
        self.no_baseline = _("No baseline-year figure to compute the reduction from.")
        self.total_only = _("Counted in the total; the target is judged on the total only.")


@lru_cache(maxsize=8192)
def pct_text(value: Decimal) -> str:
    """'87,5%', '1.234%', '100%': the Vietnamese way, without the locale machinery (called a million times)."""
    rounded = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    whole, _sep, tenth = f"{abs(rounded):.1f}".partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    sign = "-" if rounded < 0 else ""
    return f"{sign}{whole}%" if tenth == "0" else f"{sign}{whole},{tenth}%"


@lru_cache(maxsize=4096)
def day_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# Counts below this are divided over integers; larger ones (never met in practice) take the Decimal route.
EXACT_BELOW = 10**15
# The percentages 0,00 to 100,00 as the Decimals `pct` returns, made once: most values are among them.
_HUNDREDTHS = tuple(Decimal(h).scaleb(-2) for h in range(10001))


def hundredths(count: int) -> Decimal:
    """`count` hundredths as a Decimal of two places (8750 → Decimal('87.50')), as `quantize` would give it."""
    return _HUNDREDTHS[count] if 0 <= count <= 10000 else Decimal(count).scaleb(-2)


def pct(numerator, denominator) -> Decimal | None:
    """numerator / denominator in percent, rounded half up to hundredths.

    Counts are whole and non-negative, so the rounding is done over integers: ⌊(2·n·10000 + d) / 2d⌋ hundredths is
    n·100/d rounded half up, exactly (the Decimal route rounds the quotient to 28 digits first, which for counts
    below EXACT_BELOW never moves it across a half). Anything else takes the Decimal route."""
    if numerator is None or not denominator:
        return None
    if type(numerator) is int and type(denominator) is int and 0 <= numerator < EXACT_BELOW \
            and 0 < denominator < EXACT_BELOW:
        return hundredths((numerator * 20000 + denominator) // (denominator * 2))
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def path_value(stage: Stage, baseline: Decimal, month_end: dt.date) -> Decimal:
    """Where a straight line from the baseline at the stage's start to the target at its deadline stands."""
    total = (stage.due_on - stage.starts_on).days
    if total <= 0 or month_end >= stage.due_on:
        return stage.value
    elapsed = max(0, (month_end - stage.starts_on).days)
    return (baseline + (stage.value - baseline) * Decimal(elapsed) / Decimal(total)).quantize(
        Decimal("0.01"), ROUND_HALF_UP)


def _meets(stage: Stage, value: Decimal) -> bool:
    if stage.comparator == AT_MOST:
        return value <= stage.value
    return value >= stage.value  # at least, range (its floor), reduce by


@dataclass
class Verdict:
    status: str
    reason: str
    path: Decimal | None = None


def judge(*, stage: Stage | None, value: Decimal | None, done: bool | None, month_end: dt.date,
          baseline: Decimal | None = None, texts: Texts | None = None) -> Verdict:
    """The status of one value against the target in force, with its reason in words."""
    return Judge(month_end=month_end, texts=texts)(stage, value, done, baseline)


class Judge:
    """`judge` for one month's many values against the same few stages: what depends on a stage alone (the words of
    its deadline and target) and on its baseline (its path) is worked out once. A stage is remembered by its id,
    kept beside it so the id cannot name another stage meanwhile."""

    def __init__(self, *, month_end: dt.date, texts: Texts | None = None):
        self.month_end = month_end
        self.texts = texts or Texts()
        self.words: dict[int, tuple[Stage, dict[str, str]]] = {}
        self.paths: dict[tuple[int, Decimal | None], tuple[Stage, Decimal, str]] = {}
        self.said: dict[tuple, tuple[Stage, Verdict]] = {}

    def __call__(self, stage: Stage | None, value: Decimal | None, done: bool | None,
                 baseline: Decimal | None = None) -> Verdict:
        if stage is None:
            return Verdict("", "")
        texts, month_end = self.texts, self.month_end
        if stage.comparator == DONE:
            due = {"due": day_text(stage.due_on)}
            if done is None:
                return Verdict(NO_DATA, texts.no_figures)
            if done:
                return Verdict(MET, texts.done % due)
            if month_end >= stage.due_on:
                return Verdict(BEHIND, texts.missed % due)
            status = AT_RISK if (stage.due_on - month_end).days <= MILESTONE_WARNING_DAYS else ON_TRACK
            return Verdict(status, texts.not_yet % due)
        if value is None:
            return Verdict(NO_DATA, texts.no_figures)
        if _meets(stage, value):
            status = MET
        elif month_end >= stage.due_on:
            status = BEHIND  # said as "not met by the deadline"
        else:
            path = self._path(stage, baseline)[0]
            lower_is_better = stage.comparator == AT_MOST
            gap = (value - path) if lower_is_better else (path - value)
            status = ON_TRACK if gap <= 0 else (AT_RISK if gap <= AT_RISK_MARGIN else BEHIND)
        return self._said(stage, baseline, status, pct_text(value))

    def _said(self, stage: Stage, baseline: Decimal | None, status: str, value_text: str) -> Verdict:
        """The verdict in words: its sentence reads the value to a tenth, so values that read alike share it."""
        key = (id(stage), baseline, status, value_text)
        kept = self.said.get(key)
        if kept is None:
            words = {**self._stage_words(stage), "value": value_text}
            if status == MET:
                verdict = Verdict(status, self.texts.met % words)
            else:
                path, words["path"] = self._path(stage, baseline)
                words["month_end"] = day_text(self.month_end)
                late = self.month_end >= stage.due_on
                verdict = Verdict(status, (self.texts.late if late else self.texts.path) % words, path)
            kept = self.said[key] = (stage, verdict)
        return kept[1]

    def _stage_words(self, stage: Stage) -> dict[str, str]:
        """The stage's target and deadline in words."""
        kept = self.words.get(id(stage))
        if kept is None:
            words = {"target": pct_text(stage.value), "due": day_text(stage.due_on)}
            if stage.comparator == Comparator.RANGE:
                words["target"] = f"{pct_text(stage.value)[:-1]} – {pct_text(stage.value_max)}"
            if stage.comparator == Comparator.AT_MOST:
                words["target"] = f"≤ {words['target']}"
            if stage.comparator == Comparator.REDUCE_BY:
                words["target"] = self.texts.reduction % {"target": words["target"]}
            kept = self.words[id(stage)] = (stage, words)
        return kept[1]

    def _path(self, stage: Stage, baseline: Decimal | None) -> tuple[Decimal, str]:
        """Where the stage's path from the baseline stands at the month's end, and that in words."""
        kept = self.paths.get((id(stage), baseline))
        if kept is None:
            path = path_value(stage, _path_start(stage, baseline), self.month_end)
            kept = self.paths[(id(stage), baseline)] = (stage, path, pct_text(path))
        return kept[1], kept[2]


def _path_start(stage: Stage, baseline: Decimal | None) -> Decimal:
    """The approved baseline; failing it, the stage before; failing that, the worst value: 0, or 100% for a ceiling.

    A ceiling's path that started from 0 would climb towards its target and judge every improvement backwards.
    """
    if baseline is not None:
        return baseline
    if stage.previous_value is not None:
        return stage.previous_value
    return HUNDRED if stage.comparator == Comparator.AT_MOST else Decimal(0)


def own_value(*, measure: str, numerator, denominator) -> Decimal | None:
    """A unit's percentage: the ratio, or for a reduction the share by which it fell below its baseline."""
    if measure == REDUCTION:
        ratio = pct(numerator, denominator)
        return None if ratio is None else (HUNDRED - ratio)
    return pct(numerator, denominator)


@dataclass(slots=True)
class Node:
    """Running sums for one unit and indicator while rolling up the tree."""

    numerator: int = 0
    denominator: int = 0
    expected: int = 0
    reporting: int = 0
    meeting: int = 0
    has_counts: bool = False  # someone in the subtree reported counts (perhaps only a zero denominator)
    # Baseline month → (numerator, denominator) summed over the subtree's units; None when no unit has one.
    bases: dict[dt.date, tuple[int, int]] | None = None

    def add(self, other: "Node") -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator
        self.expected += other.expected
        self.reporting += other.reporting
        self.meeting += other.meeting
        self.has_counts = self.has_counts or other.has_counts
        if other.bases:
            if self.bases is None:
                self.bases = dict(other.bases)
                return
            for month, (numerator, denominator) in other.bases.items():
                mine = self.bases.get(month)
                self.bases[month] = (numerator, denominator) if mine is None else (
                    mine[0] + numerator, mine[1] + denominator)

    def baseline(self, month: dt.date, *, measure: str) -> Decimal | None:
        """The subtree's value in a baseline month: a ratio of its units' sums, like the value it is compared with."""
        figure = self.bases.get(month) if self.bases else None
        return None if figure is None else own_value(measure=measure, numerator=figure[0], denominator=figure[1])


def rolled_value(node: Node, *, rollup: str, measure: str) -> Decimal | None:
    """The subtree's value by the indicator's rule: ratio of sums, or share of expected units, never a mean."""
    if rollup == SUM_RATIO:
        if not node.has_counts:
            return None
        return own_value(measure=measure, numerator=node.numerator, denominator=node.denominator)
    if not node.expected:
        return None
    return pct(node.meeting, node.expected)
