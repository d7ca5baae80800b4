import importlib

import pytest
from django.apps import apps

from core.models import AuditEvent
from core.services import audit_record

pytestmark = pytest.mark.django_db


def test_an_event_keeps_its_authors_name_as_it_was(django_user_model):
    user = django_user_model.objects.create_user("nv.binh", first_name="Trần Văn Bình")
    event = audit_record(actor=user, action=AuditEvent.Action.UPDATE, instance=user)
    user.first_name = "Trần Văn Bình (đã chuyển công tác)"
    user.save()
    user.delete()

    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == "Trần Văn Bình"


def test_an_event_without_an_author_reads_as_the_system(django_user_model):
    event = audit_record(actor=None, action=AuditEvent.Action.LOAD, instance=django_user_model.objects.create())
    assert event.actor_name == ""
    assert event.actor_label == "Hệ thống"


def test_the_migration_names_the_authors_of_past_events(django_user_model):
    user = django_user_model.objects.create_user("nv.an")
    named = django_user_model.objects.create_user("nv.hoa", first_name="Lê Thị Hoa")
    events = [audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=named)
              for actor in (user, named, None)]
    AuditEvent.objects.update(actor_name="")  # as every event was before the field existed

    importlib.import_module("core.migrations.0003_audit_event_actor_name").actor_names_backfill(apps, None)

    assert [AuditEvent.objects.get(pk=e.pk).actor_name for e in events] == ["nv.an", "Lê Thị Hoa", ""]
