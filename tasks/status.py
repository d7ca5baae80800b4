"""A task's status, computed from its deadline and what was reported, with the reason in words: the one rule.

The board, the unit page, the dashboard, the API, the reminders and the quarterly workbook all read
`task_status`; a unit's colour is `unit_colour` over its tasks' statuses.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import date_format


class State(models.TextChoices):
    """What the lead unit and the accepting unit have done with the task (stored)."""

    NOT_STARTED = "not_started", gettext_lazy("Not started")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    SUBMITTED = "submitted", gettext_lazy("Done, awaiting acceptance")
    RETURNED = "returned", gettext_lazy("Returned for more work")
    ACCEPTED = "accepted", gettext_lazy("Accepted")


class Status(models.TextChoices):
    """Where the task stands against its deadline (computed, never stored)."""

    ON_TRACK = "on_track", gettext_lazy("On track")
    AT_RISK = "at_risk", gettext_lazy("At risk")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    DONE_ON_TIME = "done_on_time", gettext_lazy("Done on time")
    DONE_LATE = "done_late", gettext_lazy("Done late")
    ACCEPTED = "accepted", gettext_lazy("Accepted")


class Colour(models.TextChoices):
    GREEN = "green", gettext_lazy("Green")
    YELLOW = "yellow", gettext_lazy("Yellow")
    RED = "red", gettext_lazy("Red")


DONE = (Status.DONE_ON_TIME, Status.DONE_LATE, Status.ACCEPTED)
COLOUR_RULE = gettext_lazy(
    "Green: none of the unit's tasks is overdue or at risk. Yellow: nothing overdue, but a task is due within "
    "%(days)s days and not reported done. Red: at least one task is past its deadline and not reported done.")


@dataclass(frozen=True, slots=True)
class TaskStatus:
    code: str
    reason: str
    late: bool | None = None  # for a task reported done: whether after its deadline

    @property
    def label(self) -> str:
        return Status(self.code).label

    @property
    def is_done(self) -> bool:
        return self.code in DONE


def task_status(*, due_on: dt.date | None, state: str, done_on: dt.date | None, today: dt.date,
                at_risk_days: int, accepted_on: dt.date | None = None) -> TaskStatus:
    """The status of one occurrence of a task on `today`.

    Done means the lead unit submitted its product (on `done_on`) and it was not returned; it is on time when
    `done_on` is on or before the deadline. Not done: overdue after the deadline, at risk from `at_risk_days`
    days before it, on track before that or when the task has no deadline.
    """
    if state in (State.SUBMITTED, State.ACCEPTED) and done_on is not None:
        late = due_on is not None and done_on > due_on
        words = {"done": date_format(done_on), "due": date_format(due_on) if due_on else "",
                 "days": (done_on - due_on).days if late else 0}
        if due_on is None:
            timing = _("done on %(done)s, the task has no deadline") % words
        elif late:
            timing = _("done on %(done)s, %(days)s days after the deadline %(due)s") % words
        else:
            timing = _("done on %(done)s, by the deadline %(due)s") % words
        if state == State.ACCEPTED:
            reason = _("Product accepted on %(accepted)s; %(timing)s.") % {
                "accepted": date_format(accepted_on) if accepted_on else "—", "timing": timing}
            return TaskStatus(Status.ACCEPTED, reason, late)
        reason = _("Reported %(timing)s; awaiting acceptance.") % {"timing": timing}
        return TaskStatus(Status.DONE_LATE if late else Status.DONE_ON_TIME, reason, late)
    returned = _(" The product was returned for more work.") if state == State.RETURNED else ""
    if due_on is None:
        return TaskStatus(Status.ON_TRACK, _("No fixed deadline: ongoing work.") + returned)
    days_left = (due_on - today).days
    words = {"due": date_format(due_on), "days": abs(days_left)}
    if days_left < 0:
        return TaskStatus(Status.OVERDUE, _("%(days)s days past the deadline %(due)s and not reported done.")
                          % words + returned)
    if days_left <= at_risk_days:
        return TaskStatus(Status.AT_RISK, _("%(days)s days left to the deadline %(due)s and not reported done.")
                          % words + returned)
    return TaskStatus(Status.ON_TRACK, _("%(days)s days left to the deadline %(due)s.") % words + returned)


def unit_colour(statuses) -> str:
    """Red if any task is overdue, yellow if any is at risk, green otherwise (the central tracker's rule)."""
    codes = {status.code for status in statuses}
    if Status.OVERDUE in codes:
        return Colour.RED
    if Status.AT_RISK in codes:
        return Colour.YELLOW
    return Colour.GREEN
