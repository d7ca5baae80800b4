"""Building the quarterly report (the body as .docx, the annexes as .xlsx): directly (the command) or as a background
job with a status row."""

import logging
import tempfile
from pathlib import Path
from typing import NamedTuple

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.models import AuditEvent
from core.outbox import enqueue_after_commit
from core.periods import Quarter
from core.services import audit_record
from exports.document import write_document
from exports.models import ExportJob
from exports.pdf import pdf_convert
from exports.workbook import export_data, write_workbook
from units.access import user_can_oversee
from units.models import Unit

logger = logging.getLogger(__name__)


class ReportFiles(NamedTuple):
    document: Path  # the body (.docx)
    workbook: Path  # the annexes (.xlsx)
    pdfs: list[Path]  # a PDF of each, where LibreOffice is installed and they were asked for


def quarterly_report_write(*, unit: Unit, quarter: Quarter, path: Path, progress=None) -> Path:
    """The annexes alone, as a workbook at `path`."""
    write_workbook(export_data(unit=unit, quarter=quarter), path, progress=progress)
    return path


def quarterly_report_files_write(*, unit: Unit, quarter: Quarter, folder: Path, progress=None,
                                 pdf: bool = False) -> ReportFiles:
    """The body and its annexes into `folder`, both from one reading of the figures so they cannot disagree."""
    progress = progress or (lambda percent: None)
    data = export_data(unit=unit, quarter=quarter)
    workbook = Path(folder) / export_file_name(unit=unit, quarter=quarter, extension="xlsx")
    document = Path(folder) / export_file_name(unit=unit, quarter=quarter, extension="docx")
    write_workbook(data, workbook, progress=lambda percent: progress(percent * 85 // 100))
    write_document(data, document)
    progress(90)
    pdfs = pdf_convert(paths=[document, workbook], folder=Path(folder)) if pdf else []
    return ReportFiles(document, workbook, pdfs)


def export_file_name(*, unit: Unit, quarter: Quarter, extension: str = "xlsx") -> str:
    kind = "phu-luc" if extension == "xlsx" else "bao-cao"
    return f"{kind}-cds-{unit.code.lower().replace('.', '-')}-{quarter.year}-q{quarter.quarter}.{extension}"


@transaction.atomic
def export_job_create(*, unit: Unit, quarter: Quarter, by) -> ExportJob:
    """Queue the report for a unit's subtree; built after commit by a worker (in-process without Redis)."""
    if not user_can_oversee(user=by, unit=unit):
        raise ApplicationError(_("Only reviewers of this unit can export its report."))
    job = ExportJob.objects.create(unit=unit, year=quarter.year, quarter=quarter.quarter, requested_by=by)
    audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=job,
                 changes={"unit": [None, unit.code], "quarter": [None, str(quarter)]})
    # By name: the task calls this module back, and a module-level import each way would be a cycle.
    enqueue_after_commit("exports.tasks.build_export", job.pk)
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Build one queued job: the body and the annexes; progress is saved as it goes so the page can show it."""
    job = ExportJob.objects.select_related("unit").get(pk=job_id)
    if job.state == ExportJob.State.DONE:
        return job  # a retried task finds the work done
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, progress=0)
    quarter = Quarter(job.year, job.quarter)

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=min(percent, 99))

    try:
        with tempfile.TemporaryDirectory() as folder:
            files = quarterly_report_files_write(unit=job.unit, quarter=quarter, folder=Path(folder),
                                                 progress=progress)
            for field, path in ((job.file, files.workbook), (job.document, files.document)):
                with open(path, "rb") as handle:
                    field.save(path.name, File(handle), save=False)
        job.state, job.progress, job.finished_at = ExportJob.State.DONE, 100, timezone.now()
        job.save(update_fields=["file", "document", "state", "progress", "finished_at"])
    except Exception as exc:
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error=str(exc)[:2000],
                                                   finished_at=timezone.now())
        raise
    return job
