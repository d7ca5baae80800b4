"""Measuring the reading against the transcriptions of the seed plans: the matching rule, shared by the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from authoring.extract import AT_LEAST, DONE, TARGET, TASK, Candidate, words_fold

SEEDS = Path(__file__).resolve().parents[2] / "plans" / "seeds"


@dataclass(frozen=True)
class Transcribed:
    """One target or task a careful person read from the plan (`plans/seeds/plans/*.yaml`)."""

    kind: str
    clause: str
    indicator: str | None = None
    comparator: str = DONE
    value: Decimal | None = None
    value_max: Decimal | None = None
    due_year: int | None = None


@dataclass(frozen=True)
class Score:
    plan: str
    transcribed: int
    candidates: int
    found: int  # transcribed items matched by some candidate
    correct: int  # candidates matching some transcribed item
    indicator_right: int  # matched transcribed targets whose matching candidate names the same indicator
    targets_found: int

    @property
    def recall(self) -> float:
        return self.found / self.transcribed if self.transcribed else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0


def _due_year(due) -> int | None:
    if not isinstance(due, dict) or len(due) != 1:
        return None
    (kind, value), = due.items()
    if kind == "year":
        return int(value)
    if kind == "quarter":
        return int(str(value)[:4])
    if kind == "date":
        return value.year
    if kind == "before":
        return (value - dt.timedelta(days=1)).year
    return None


def transcription_read(path: Path) -> tuple[str, list[Transcribed]]:
    """The source text and the items transcribed from it; a fixture YAML may name its source beside it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = path.parent / data["source"]
    if not source.exists():
        source = SEEDS / "sources" / data["source"]
    items = []
    for target in data.get("targets") or []:
        value = target.get("value")
        value_max = target.get("value_max")
        items.append(Transcribed(
            kind=TARGET, clause=target["clause"], indicator=target.get("indicator"), comparator=target["comparator"],
            value=None if value is None else Decimal(str(value)),
            value_max=None if value_max is None else Decimal(str(value_max)), due_year=_due_year(target.get("due")),
        ))
    for task in data.get("tasks") or []:
        items.append(Transcribed(kind=TASK, clause=task["title"]))
    return source.read_text(encoding="utf-8"), items


def _words(text: str) -> set[str]:
    return set(words_fold(text))


def clauses_overlap(candidate: str, transcribed: str) -> bool:
    """Whitespace and diacritics aside, the shorter clause's words lie at least 80% inside the longer one's, and
    the shared words are at least 40% of the longer one's (one clause contains the other, or nearly)."""
    first, second = _words(candidate), _words(transcribed)
    if not first or not second:
        return False
    shared = len(first & second)
    return shared >= 0.8 * min(len(first), len(second)) and shared >= 0.4 * max(len(first), len(second))


def _same_measure(candidate: Candidate, item: Transcribed) -> bool:
    """Comparator and value agree; "done" and "at least 100%" say the same (all of it, finished)."""
    def shape(comparator, value, value_max):
        if comparator == DONE or (comparator == AT_LEAST and value == 100):
            return (DONE, None, None)
        return (comparator, value, value_max)

    return shape(candidate.comparator, candidate.value, candidate.value_max) == shape(
        item.comparator, item.value, item.value_max)


def matches(candidate: Candidate, item: Transcribed) -> bool:
    if candidate.kind != item.kind or not clauses_overlap(candidate.clause, item.clause):
        return False
    if item.kind == TASK:
        return True
    if not _same_measure(candidate, item):
        return False
    return candidate.due is None or item.due_year is None or candidate.due.year == item.due_year


def score(plan: str, candidates: list[Candidate], items: list[Transcribed]) -> Score:
    found = indicator_right = targets_found = 0
    for item in items:
        matching = [candidate for candidate in candidates if matches(candidate, item)]
        if not matching:
            continue
        found += 1
        if item.kind == TARGET:
            targets_found += 1
            indicator_right += any(candidate.indicator == item.indicator for candidate in matching)
    correct = sum(any(matches(candidate, item) for item in items) for candidate in candidates)
    return Score(plan, len(items), len(candidates), found, correct, indicator_right, targets_found)


def table(scores: list[Score]) -> str:
    lines = [f"{'plan':<40} {'transcribed':>11} {'candidates':>10} {'found':>6} {'correct':>7} {'recall':>7} "
             f"{'precision':>9} {'indicator':>9}"]
    for row in scores:
        indicator = row.indicator_right / row.targets_found if row.targets_found else 0
        lines.append(f"{row.plan:<40} {row.transcribed:>11} {row.candidates:>10} {row.found:>6} {row.correct:>7} "
                     f"{row.recall:>7.2f} {row.precision:>9.2f} {indicator:>9.2f}")
    return "\n".join(lines)
