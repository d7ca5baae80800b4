"""Who is told what when a report moves: reviewers of a submission, clerks of a decision (notifications app)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import notify
from reports.history import indicator_names
from reports.models import Report, ReportDecision
from units.access import unit_clerks, unit_reviewers


def _words(report: Report) -> dict[str, str]:
    return {"unit": report.unit.name, "month": f"{report.period.month:02d}/{report.period.year}"}


def submission_notify(*, report: Report, number: int, by) -> None:
    """The reviewers above the unit: a report waits for them."""
    words = _words(report)
    notify(recipients=unit_reviewers(unit=report.unit), key=f"report:{report.pk}:submission:{number}",
           kind=Notification.Kind.SUBMITTED, by=by,
           title=_("%(unit)s submitted its report for %(month)s") % words,
           body=_("The report of %(unit)s for %(month)s waits for your review.") % words,
           url=reverse("reports:detail", args=[report.pk]))


def decision_notify(*, report: Report, decision: ReportDecision, by) -> None:
    """The unit's clerks: their report was returned (with the reasons), reopened, or approved."""
    words = _words(report)
    if decision.action == ReportDecision.Action.APPROVE:
        kind = Notification.Kind.APPROVED
        title = _("The report of %(unit)s for %(month)s was approved") % words
        body = _("The figures of %(unit)s for %(month)s were approved and now count in the results.") % words
        url = reverse("reports:detail", args=[report.pk])
    else:
        kind = Notification.Kind.RETURNED
        title = (_("The report of %(unit)s for %(month)s was returned for correction")
                 if decision.action == ReportDecision.Action.RETURN
                 else _("The report of %(unit)s for %(month)s was reopened")) % words
        names = indicator_names()
        lines = [_("Reason: %(reason)s") % {"reason": decision.reason}] if decision.reason else []
        lines += [f"– {names.get(code, code)}: {text}" for code, text in decision.value_reasons.items()]
        body = "\n".join(lines)
        url = reverse("reports:form", args=[report.unit.code, report.period])
    notify(recipients=unit_clerks(unit=report.unit), key=f"report:{report.pk}:decision:{decision.pk}", kind=kind,
           title=title, body=body, url=url, by=by)
