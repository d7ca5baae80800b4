from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from compliance.services import compliance_compute
from core.periods import month_parse


class Command(BaseCommand):
    help = _("Compute every unit's compliance for one month, synchronously, and make it the current result.")

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-05")

    def handle(self, *args, period, **options):
        try:
            month = month_parse(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        run = compliance_compute(period=month)
        if run is None:
            self.stdout.write(_("%(month)s is being computed by another process; it will compute once more when "
                                "it finishes.") % {"month": month.strftime("%m/%Y")})
            return
        self.stdout.write(_("%(month)s: %(count)s results computed.") % {
            "month": month.strftime("%m/%Y"), "count": run.results})
