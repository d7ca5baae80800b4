import datetime as dt

import pytest
from django.utils import timezone

from core.periods import DueKind
from plans.models import PlanTask
from tests.factories import MembershipFactory, PlanFactory, UserFactory, unit_make
from units.models import Membership, UnitKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(root, settings, tmp_path):
    return world_build(settings=settings, media=tmp_path)


def world_build(*, settings, media):
    """A province whose office accepts the tasks its plan gives a department, with a cooperating department."""
    settings.MEDIA_ROOT = media
    today = timezone.localdate()
    province = unit_make(kind=UnitKind.PROVINCE, code="P", name="Tỉnh ủy thử")
    office = unit_make(parent=province, kind=UnitKind.AGENCY, code="P.VP", name="Văn phòng Tỉnh ủy thử")
    lead = unit_make(parent=office, kind=UnitKind.DEPARTMENT, code="P.VP.CDS", name="Phòng Chuyển đổi số")
    helper = unit_make(parent=office, kind=UnitKind.DEPARTMENT, code="P.VP.QT", name="Phòng Quản trị")
    other = unit_make(parent=province, kind=UnitKind.AGENCY, code="P.BTC", name="Ban Tổ chức thử")
    plan = PlanFactory(issuer=province, year_start=today.year - 1, year_end=today.year + 1, source_text="Kế hoạch")
    task = PlanTask.objects.create(
        plan=plan, number=1, title="Nâng cấp Trung tâm tích hợp dữ liệu", lead_unit=lead, due_kind=DueKind.DATE,
        due_on=today + dt.timedelta(days=10), due_text="trong 10 ngày", expected_output="Biên bản nghiệm thu",
        responsible_person="Trưởng phòng CĐS", contributions={"P.VP.QT": "Bố trí mặt bằng"})
    task.cooperating_units.set([helper])

    def member(username, unit, role):
        user = UserFactory(username=username)
        MembershipFactory(user=user, unit=unit, role=role)
        return user

    return type("World", (), dict(
        today=today, province=province, office=office, lead=lead, helper=helper, other=other, plan=plan,
        task=task,
        clerk=member("vanthu.cds", lead, Membership.Role.CLERK),
        helper_clerk=member("vanthu.qt", helper, Membership.Role.CLERK),
        acceptor=member("vanphong", office, Membership.Role.REVIEWER),
        outsider=member("bantochuc", other, Membership.Role.REVIEWER),
    ))
