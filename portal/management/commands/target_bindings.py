"""Per plan, each target and the units it binds in a month: what the engine will expect and judge."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import month_parse
from plans.models import Plan
from targets.binding import units_bound_by_target

LISTED = 8  # units named in full; beyond that, the first ones and a count


class Command(BaseCommand):
    help = _("List, per plan, each target with its scope and the units it binds in a month.")

    def add_arguments(self, parser):
        parser.add_argument("--month", help=_("The month, as 2026-10 (default: this month)."))

    def handle(self, *args, **options):
        period = self._month(options.get("month"))
        bound = units_bound_by_target(period=period)
        plans = Plan.objects.issued().filter(targets__isnull=False).distinct().select_related("issuer").order_by("pk")
        for plan in plans:
            self.stdout.write(f"\n{plan.short_label} ({plan.source_name or plan.key})")
            for target in plan.targets.select_related("indicator", "scope_unit", "plan__issuer", "superseded_by"):
                units = bound.get(target.pk, [])
                self.stdout.write(f"  T{target.position} {target.indicator.code} {target.value_label} "
                                  f"({target.due_label}) · {target.scope_label}")
                if target.superseded_by_id:
                    self.stdout.write("    " + _("gives way to T%(n)s") % {"n": target.superseded_by.position})
                    continue
                names = ", ".join(unit.code for unit in units[:LISTED])
                more = len(units) - LISTED
                line = names + (_(" … and %(count)s more") % {"count": more} if more > 0 else "")
                self.stdout.write("    → " + (f"{len(units)}: {line}" if units else _("binds no open unit")))

    def _month(self, value: str | None) -> dt.date:
        if not value:
            return timezone.localdate().replace(day=1)
        try:
            return month_parse(value)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
