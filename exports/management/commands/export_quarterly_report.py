from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.periods import Quarter
from exports.pdf import libreoffice_binary
from exports.services import quarterly_report_files_write
from units.models import Unit


class Command(BaseCommand):
    help = _("Write the quarterly digital-transformation report of a unit's subtree: the body as a Word document, "
             "the annexes as an Excel workbook, and a PDF of each where LibreOffice is installed.")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="DN")
        parser.add_argument("--quarter", required=True, help="2026-Q3")
        parser.add_argument("--output-dir", required=True, type=Path, help="bao-cao/")
        parser.add_argument("--no-pdf", action="store_true", help=_("Skip the PDF copies even where LibreOffice is "
                                                                    "installed."))

    def handle(self, *args, unit, quarter, output_dir, no_pdf=False, **options):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(_("The unit %(code)s does not exist.") % {"code": unit})
        try:
            period = Quarter.parse(quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        output_dir.mkdir(parents=True, exist_ok=True)
        pdf = not no_pdf and libreoffice_binary() is not None
        files = quarterly_report_files_write(unit=found, quarter=period, folder=output_dir, pdf=pdf)
        for path in [files.document, files.workbook, *files.pdfs]:
            self.stdout.write(_("Written %(path)s.") % {"path": path})
        if not no_pdf and libreoffice_binary() is None:
            self.stdout.write(_("LibreOffice is not installed: no PDF was written."))
