"""The lead unit reports and submits, the accepting office returns with a reason then accepts; every refusal
in Vietnamese-ready words, nothing half-written, every step audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.exceptions import ApplicationError
from core.models import AuditEvent
from plans.selectors import task_accepting_unit
from tasks.models import ProductFile, ProgressNote, TaskDecision, TaskRecord, TaskSubmission
from tasks.selectors import task_rows
from tasks.services import (
    ProductInput,
    task_accept,
    task_product_attach,
    task_progress_record,
    task_return,
    task_submit,
)
from tasks.status import State, Status
from tests.tasks.conftest import PDF

pytestmark = pytest.mark.django_db
DOC = ProductInput(document_number="12-BB/VPTU", document_summary="Biên bản nghiệm thu")


def _status(world, today=None):
    return task_rows(tasks=[world.task], today=today or world.today)[0].status


def test_the_issuing_committees_office_accepts_by_default(world):
    assert task_accepting_unit(task=world.task) == world.office
    world.task.accepting_unit = world.other
    assert task_accepting_unit(task=world.task) == world.other


def test_progress_then_submit_return_accept(world):
    # due today + 10: 10 days left ≤ 30, so at risk before anything is reported
    assert _status(world).code == Status.AT_RISK
    record = task_progress_record(task=world.task, by=world.clerk, on=world.today, text="Đã lắp đặt máy chủ",
                                  obstacles="Thiếu kinh phí", proposals="Bổ sung dự toán", version=0)
    assert record.state == State.IN_PROGRESS and record.version == 1
    task_progress_record(task=world.task, by=world.helper_clerk, on=world.today, text="Đã bố trí phòng máy")
    assert list(ProgressNote.objects.values_list("role", flat=True)) == ["lead", "cooperating"]
    record = task_submit(task=world.task, by=world.clerk, product=DOC, version=2)
    # submitted today, due today + 10: on time
    assert record.state == State.SUBMITTED and record.done_on == world.today
    assert _status(world).code == Status.DONE_ON_TIME
    record = task_return(task=world.task, by=world.acceptor, reason="Thiếu biên bản ký đủ thành phần")
    assert record.state == State.RETURNED and record.done_on is None
    assert _status(world).code == Status.AT_RISK
    task_submit(task=world.task, by=world.clerk, product=DOC)
    record = task_accept(task=world.task, by=world.acceptor)
    assert record.state == State.ACCEPTED
    status = _status(world)
    assert status.code == Status.ACCEPTED and status.late is False
    assert TaskSubmission.objects.filter(record=record).count() == 2
    assert list(TaskDecision.objects.values_list("action", flat=True)) == ["return", "accept"]
    events = AuditEvent.objects.filter(object_type="tasks.taskrecord", object_id=str(record.pk))
    assert events.count() == 7  # created, 2 progress notes, submit, return, submit, accept


def test_done_late_when_submitted_after_the_deadline(world):
    world.task.due_on = world.today - dt.timedelta(days=3)
    world.task.save()
    # 3 days past and not done: overdue
    assert _status(world).code == Status.OVERDUE
    task_submit(task=world.task, by=world.clerk, product=DOC)
    status = _status(world)
    assert status.code == Status.DONE_LATE and status.late is True and "3 " in status.reason


def test_acceptance_by_someone_outside_the_accepting_unit_is_refused(world):
    task_submit(task=world.task, by=world.clerk, product=DOC)
    with pytest.raises(ApplicationError, match="Văn phòng Tỉnh ủy thử"):
        task_accept(task=world.task, by=world.outsider)
    assert TaskRecord.objects.get().state == State.SUBMITTED
    assert not TaskDecision.objects.exists()


def test_whoever_reported_does_not_accept(world):
    from tests.factories import MembershipFactory
    from units.models import Membership

    MembershipFactory(user=world.clerk, unit=world.office, role=Membership.Role.REVIEWER)
    task_submit(task=world.task, by=world.clerk, product=DOC)
    with pytest.raises(ApplicationError):
        task_accept(task=world.task, by=world.clerk)
    task_accept(task=world.task, by=world.acceptor)


def test_progress_on_an_accepted_task_is_refused(world):
    task_submit(task=world.task, by=world.clerk, product=DOC)
    task_accept(task=world.task, by=world.acceptor)
    with pytest.raises(ApplicationError):
        task_progress_record(task=world.task, by=world.clerk, on=world.today, text="Thêm")
    assert not ProgressNote.objects.exists()


def test_a_date_before_the_plans_start_is_refused(world):
    before = dt.date(world.plan.year_start - 1, 12, 31)
    with pytest.raises(ValidationError) as caught:
        task_progress_record(task=world.task, by=world.clerk, on=before, text="Sớm")
    assert "on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        task_submit(task=world.task, by=world.clerk, product=ProductInput(
            document_number="1-BB", document_date=before, document_summary="x"))
    assert not ProgressNote.objects.exists() and not TaskSubmission.objects.exists()
    assert TaskRecord.objects.filter(state=State.SUBMITTED).count() == 0


def test_submit_needs_a_product_and_return_needs_a_reason(world):
    with pytest.raises(ValidationError) as caught:
        task_submit(task=world.task, by=world.clerk, product=ProductInput())
    assert "product" in caught.value.message_dict
    task_submit(task=world.task, by=world.clerk, product=ProductInput(link="https://vptu.example.vn/bb"))
    with pytest.raises(ValidationError):
        task_return(task=world.task, by=world.acceptor, reason="  ")
    assert TaskRecord.objects.get().state == State.SUBMITTED


def test_only_the_lead_and_cooperating_units_report(world):
    with pytest.raises(ApplicationError):
        task_progress_record(task=world.task, by=world.outsider, on=world.today, text="x")
    with pytest.raises(ApplicationError):
        task_submit(task=world.task, by=world.helper_clerk, product=DOC)


def test_a_stale_version_is_refused(world):
    task_progress_record(task=world.task, by=world.clerk, on=world.today, text="Một", version=0)
    with pytest.raises(ApplicationError) as caught:
        task_progress_record(task=world.task, by=world.clerk, on=world.today, text="Hai", version=0)
    assert caught.value.extra["code"] == "stale_version"
    assert ProgressNote.objects.count() == 1


def test_a_product_file_is_checked_like_evidence(world):
    with pytest.raises(ValidationError) as caught:
        task_product_attach(task=world.task, by=world.clerk, upload=SimpleUploadedFile("bb.pdf", b"MZ\x90\x00"))
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError):
        task_product_attach(task=world.task, by=world.clerk, upload=SimpleUploadedFile("bb.docx", PDF))
    assert not ProductFile.objects.exists()
    product = task_product_attach(task=world.task, by=world.clerk, upload=SimpleUploadedFile("Biên bản.pdf", PDF))
    assert product.content_type == "application/pdf"
    record = task_submit(task=world.task, by=world.clerk, product=ProductInput())
    assert record.state == State.SUBMITTED
