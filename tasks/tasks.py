from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from tasks.models import TaskReminder
from tasks.reminders import task_reminders_send


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def send_task_reminder(reminder_id: int) -> int:
    reminder = TaskReminder.objects.filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    return send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, reminder.recipients)


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def remind_tasks_daily() -> int:
    return task_reminders_send(today=timezone.localdate()).sent
