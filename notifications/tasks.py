from celery import shared_task

from notifications.services import notification_email_send


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def notification_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)
