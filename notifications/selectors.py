from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from notifications.models import Notification, NotificationPreference


def notifications_for(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody else's, staff included."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notifications_unread_count(*, user) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()


def email_wanted(*, user) -> bool:
    """Whether the user gets notifications by e-mail: yes unless they turned it off, and only with an address."""
    if not user.email:
        return False
    return not NotificationPreference.objects.filter(user=user, email=False).exists()


def users_wanting_email(*, users) -> list:
    """Of the given users, those with an address who did not turn e-mail off, in the order given."""
    off = set(NotificationPreference.objects.filter(user__in=[u.pk for u in users], email=False)
              .values_list("user_id", flat=True))
    return [user for user in users if user.email and user.pk not in off]


def users_by_ids(ids) -> list:
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True).order_by("pk"))
