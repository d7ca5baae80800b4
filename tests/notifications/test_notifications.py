"""Notifications: told once per event and person, e-mailed at most once, read only by their recipient."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_email_send, notification_preference_set, notify
from notifications.tasks import notification_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tell(*people, key="report:1:decision:1", by=None):
    return notify(recipients=people, key=key, kind=Notification.Kind.APPROVED, title="Đã duyệt",
                  body="Số liệu đã được duyệt.", url="/reports/1/", by=by)


def test_an_event_is_told_once_per_person_and_emailed_once(django_capture_on_commit_callbacks):
    clerk, reviewer = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(_tell(clerk, reviewer, by=reviewer)) == 1  # whoever caused it is not told
        assert _tell(clerk) == []  # the same event again (a retried request): nothing new
    assert Notification.objects.get().recipient == clerk
    assert [m.to for m in mail.outbox] == [[clerk.email]]
    assert mail.outbox[0].body == (
        "Số liệu đã được duyệt.\n\nhttp://localhost:8000/reports/1/\n\n"
        "Bạn nhận thư này như bản sao của một thông báo trên cổng; để không nhận nữa: "
        "http://localhost:8000/notifications/preferences/")
    # The same e-mail job delivered twice (a broker retry, the outbox drain): the second sends nothing.
    assert notification_email.delay(Notification.objects.get().pk).get() is False
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(object_type="notifications.notification").count() == 1


def test_a_failed_send_is_released_for_the_retry(monkeypatch):
    clerk = UserFactory()
    told = _tell(clerk)[0]

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("notifications.services.send_mail", broken)
    with pytest.raises(ConnectionError):
        notification_email_send(notification_id=told.pk)
    told.refresh_from_db()
    assert told.emailed_at is None
    monkeypatch.undo()
    assert notification_email_send(notification_id=told.pk) is True
    assert len(mail.outbox) == 1


def test_email_turned_off_after_the_event_is_not_sent(django_capture_on_commit_callbacks):
    clerk, no_address = UserFactory(), UserFactory(email="")
    told = _tell(clerk, no_address)
    notification_preference_set(user=clerk, email=False)
    assert [notification_email_send(notification_id=n.pk) for n in told] == [False, False]
    assert mail.outbox == []


def test_the_preference_page_turns_email_off_and_on_audited(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Gửi cả thông báo cho tôi qua thư điện tử" in page and "checked" in page
    client.post(reverse("notifications:preferences"), {})
    assert NotificationPreference.objects.get(user=user).email is False
    assert "checked" not in client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("notifications:preferences"), {"email": "on"})
    assert NotificationPreference.objects.get(user=user).email is True
    notes = AuditEvent.objects.filter(object_type="notifications.notificationpreference").order_by("id")
    assert [event.note for event in notes] == ["Đã tắt nhận thông báo qua thư điện tử",
                                               "Đã bật nhận thông báo qua thư điện tử"]


def test_read_all_and_one_persons_ids_do_not_reach_another(client):
    clerk, other = UserFactory(), UserFactory()
    mine = _tell(clerk, key="a")[0]
    _tell(clerk, key="b")
    theirs = _tell(other, key="a")[0]
    client.force_login(clerk)
    client.post(reverse("notifications:read"), {"id": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count('class="notification unread"') == 2
    client.post(reverse("notifications:read"), {})
    assert not Notification.objects.filter(recipient=clerk, read_at=None).exists()
    assert Notification.objects.filter(recipient=other, read_at=None).count() == 1
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_the_api_lists_only_ones_own_and_marks_them_read(client):
    clerk, other = UserFactory(), UserFactory()
    first = _tell(clerk, key="a")[0]
    _tell(clerk, key="b")
    theirs = _tell(other, key="a")[0]
    client.force_login(clerk)
    listing = client.get("/api/v1/notifications/").json()
    assert listing["count"] == 2 and {row["title"] for row in listing["results"]} == {"Đã duyệt"}
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{first.pk}/read/").json() == {"marked": 1, "unread": 1}
    assert client.post("/api/v1/notifications/read/", {"ids": [theirs.pk]}, content_type="application/json"
                       ).json() == {"marked": 0, "unread": 1}
    assert client.post("/api/v1/notifications/read/", {}, content_type="application/json"
                       ).json() == {"marked": 1, "unread": 0}
    client.logout()
    assert client.get("/api/v1/notifications/").status_code in (401, 403)
