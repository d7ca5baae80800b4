from celery import shared_task

from exports.services import export_job_run


@shared_task(acks_late=True)
def build_export(job_id: int) -> int:
    return export_job_run(job_id=job_id).progress
