"""Telling people what happened to the reports they care about: in the portal, and by e-mail after commit."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditEvent
from core.outbox import enqueue_after_commit
from core.services import audit_record
from notifications.models import Notification, NotificationPreference
from notifications.selectors import notifications_for, users_wanting_email

EMAIL_TASK = "notifications.tasks.notification_email"


@transaction.atomic
def notify(*, recipients: Iterable, key: str, kind: str, title: str, body: str = "", url: str = "",
           email: bool = True, by=None) -> list[Notification]:
    """One notification per recipient for the event `key`; a recipient already told of it is not told again.

    The one who caused the event (`by`) is not told of it. E-mails are queued with the notifications and sent
    after commit (core.outbox), so a rolled-back decision tells nobody anything.
    """
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if by is not None:
        people.pop(by.pk, None)
    created = []
    for user in people.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(recipient=user, kind=kind, key=key[:200],
                                                           title=title[:300], body=body, url=url[:500])
        except IntegrityError:
            continue  # this event was already told to this person
        created.append(notification)
    if created:
        audit_record(actor=by, action=AuditEvent.Action.CREATE, instance=created[0],
                     changes={"key": [None, key], "recipients": [None, [n.recipient_id for n in created]]})
    if email:
        wanting = {user.pk for user in users_wanting_email(users=[n.recipient for n in created])}
        for notification in created:
            if notification.recipient_id in wanting:
                enqueue_after_commit(EMAIL_TASK, notification.pk)
    return created


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification, at most once: the row is claimed before sending, released if sending fails.

    Not atomic on purpose: the claim must be committed before the mail leaves, so that a second delivery of the
    same job (a retry, the outbox drain) finds it claimed and sends nothing.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not users_wanting_email(users=[notification.recipient]):
        return False  # turned off (or the address removed) since the event
    base = settings.PORTAL_BASE_URL.rstrip("/")
    link = f"{base}{notification.url}" if notification.url else ""
    footer = _("You get this e-mail as a copy of a notification on the portal; to stop them: %(url)s") % {
        "url": f"{base}{reverse('notifications:preferences')}"}
    text = "\n\n".join(part for part in (notification.body, link, footer) if part)
    try:
        send_mail(notification.title, text, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@transaction.atomic
def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read: the given ones, or all. Another person's ids are ignored."""
    unread = notifications_for(user=user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    marked = list(unread.values_list("pk", flat=True))
    if not marked:
        return 0
    Notification.objects.filter(pk__in=marked).update(read_at=timezone.now())
    audit_record(actor=user, action=AuditEvent.Action.UPDATE, instance=Notification.objects.get(pk=marked[0]),
                 changes={"read": [None, marked]})
    return len(marked)


@transaction.atomic
def notification_preference_set(*, user, email: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    if preference.email != email:
        audit_record(actor=user, action=AuditEvent.Action.UPDATE, instance=preference,
                     changes={"email": [preference.email, email]},
                     note=_("E-mail notifications turned on") if email else _("E-mail notifications turned off"))
        preference.email = email
        preference.full_clean()
        preference.save(update_fields=["email"])
    return preference
