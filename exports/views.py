from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from core.periods import Quarter
from exports.models import ExportJob
from exports.services import export_job_create
from units.access import units_visible_to


@require_POST
@login_required
def export_create(request):
    unit = get_object_or_404(units_visible_to(user=request.user), code=request.POST.get("unit", ""))
    try:
        quarter = Quarter.parse(request.POST.get("quarter", ""))
        job = export_job_create(unit=unit, quarter=quarter, by=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(request.POST.get("next") or "compliance:dashboard")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(request.POST.get("next") or "compliance:dashboard")
    return redirect("exports:job", pk=job.pk)


@login_required
def export_status(request, pk: int):
    job = get_object_or_404(ExportJob.objects.filter(requested_by=request.user).select_related("unit"), pk=pk)
    template = "exports/_job_status.html" if request.htmx else "exports/job.html"
    return render(request, template, {"job": job, "quarter": Quarter(job.year, job.quarter)})


DOWNLOADS = {
    "file": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_required
def export_download(request, pk: int, part: str = "file"):
    """One of the job's files: the annexes (`file`) or the body (`document`)."""
    job = get_object_or_404(ExportJob.objects.filter(requested_by=request.user, state=ExportJob.State.DONE), pk=pk)
    stored = getattr(job, part)
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1],
                        content_type=DOWNLOADS[part])
