from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.models import Conflict
from portal.seeding import PlanLoadResult, seed_plans_load


class Command(BaseCommand):
    help = _("Load the seed units, indicator catalogue and plans; running it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help=_("Plan files to load (default: every seed plan)."))

    def handle(self, *args, files, **options):
        report = seed_plans_load(plan_paths=files or None)
        for name, result in report.loaded:
            line = _("%(name)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
                "name": name, "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
            }
            if isinstance(result, PlanLoadResult) and result.plan_key:
                line += _(", %(targets)s targets, %(tasks)s tasks") % {"targets": result.targets, "tasks": result.tasks}
            self.stdout.write(line)
            for where, message, status in getattr(result, "conflicts", []):
                label = _("RESOLVED") if status == Conflict.RESOLVED else _("CONFLICT")
                for part in message.splitlines():
                    self.stdout.write(self.style.WARNING(f"  {label} {name}, {where}: {part}"))
        for error in report.errors:
            self.stderr.write(self.style.ERROR(_("NOT LOADED %(error)s") % {"error": error}))
        if report.errors:
            raise CommandError(_("%(count)s file(s) were not loaded; nothing from them was written.")
                               % {"count": len(report.errors)})
