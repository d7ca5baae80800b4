from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.periods import Quarter
from exports.services import quarterly_report_write
from units.models import Unit


class Command(BaseCommand):
    help = _("Write the quarterly digital-transformation report of a unit's subtree as an Excel workbook.")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="DN")
        parser.add_argument("--quarter", required=True, help="2026-Q1")
        parser.add_argument("--output", required=True, type=Path, help="bao-cao.xlsx")

    def handle(self, *args, unit, quarter, output, **options):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(_("The unit %(code)s does not exist.") % {"code": unit})
        try:
            period = Quarter.parse(quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        quarterly_report_write(unit=found, quarter=period, path=output)
        self.stdout.write(_("Written %(path)s.") % {"path": output})
