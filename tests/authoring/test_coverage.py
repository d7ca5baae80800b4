"""Plan coverage: which units below a plan's issuer have issued a plan implementing it. Counted by hand."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from authoring.coverage import plan_coverage, unit_plans_coverage
from plans.models import Plan, PlanStatus
from tests.factories import MembershipFactory, PlanFactory, unit_make
from units.models import Membership, Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world(root):
    """Province P (plan 38) with: committee K, communes A, B, C, ward W, special zone Z (all expected); commune D
    closed in 2025; the Văn phòng V (an agency) and its department; cells under A."""
    p = unit_make(kind=UnitKind.PROVINCE, code="P")
    k = unit_make(parent=p, kind=UnitKind.COMMITTEE, code="P.K")
    a, b, c = (unit_make(parent=p, kind=UnitKind.COMMUNE, code=f"P.{n}") for n in "ABC")
    w = unit_make(parent=p, kind=UnitKind.WARD, code="P.W")
    z = unit_make(parent=p, kind=UnitKind.SPECIAL_ZONE, code="P.Z")
    d = unit_make(parent=p, kind=UnitKind.COMMUNE, code="P.D", closed_on=dt.date(2025, 6, 30))
    v = unit_make(parent=p, kind=UnitKind.AGENCY, code="P.V")
    unit_make(parent=v, kind=UnitKind.DEPARTMENT, code="P.V.1")
    unit_make(parent=a, kind=UnitKind.CELL, code="P.A.1")
    plan = PlanFactory(issuer=p, number="38-KH/TU", key="p-38")
    own_child = PlanFactory(issuer=p, number="86-KH/TU", key="p-86", parent=plan)  # P's own, same line
    PlanFactory(issuer=a, parent=plan, key="a-plan")  # issued
    PlanFactory(issuer=k, parent=own_child, key="k-plan")  # issued, implementing 86 (the same line)
    PlanFactory(issuer=b, parent=plan, key="b-draft", status=PlanStatus.DRAFT)  # a draft only
    PlanFactory(issuer=v, parent=plan, key="v-plan")  # the Văn phòng, not expected
    PlanFactory(issuer=d, parent=plan, key="d-plan")  # a closed commune's
    return type("World", (), dict(p=p, k=k, a=a, b=b, c=c, w=w, z=z, d=d, v=v, plan=plan))


def test_who_has_issued_a_plan_implementing_it(world, staff_user):
    c = plan_coverage(plan=world.plan, user=staff_user)
    # Expected: K, A, B, C, W, Z = 6 (not D, closed; not V, an agency; not the cells or the department).
    assert c.expected == 6
    # Issued: A (implementing 38) and K (implementing 86, P's own plan implementing 38) = 2.
    assert sorted(i.unit.code for i in c.issued) == ["P.A", "P.K"]
    # B has only a draft: not issued. C, W, Z have none. Not issued: 1 + 3 = 4.
    assert [i.unit.code for i in c.drafted] == ["P.B"]
    assert sorted(u.code for u in c.missing) == ["P.C", "P.W", "P.Z"]
    assert c.not_issued == 4
    # Issued by units not expected (the Văn phòng; the commune closed since): listed apart, not counted.
    assert [i.unit.code for i in c.others] == ["P.D", "P.V"]


def test_a_draft_and_an_issued_plan_of_one_unit_count_as_issued(world, staff_user):
    PlanFactory(issuer=world.b, parent=world.plan, key="b-plan")
    c = plan_coverage(plan=world.plan, user=staff_user)
    # B now has an issued plan beside its draft: 3 issued (A, B, K), 3 not issued (C, W, Z).
    assert (len(c.issued), c.not_issued) == (3, 3)


def test_only_the_units_the_reader_may_see(world):
    reviewer = MembershipFactory(unit=world.c, role=Membership.Role.REVIEWER).user
    c = plan_coverage(plan=world.plan, user=reviewer)
    # A reviewer of C sees C alone: 1 expected, none issued.
    assert (c.expected, len(c.issued), [u.code for u in c.missing], c.others) == (1, 0, ["P.C"], [])


def test_the_dashboard_folds_the_issuers_own_plans_into_one_line(world, staff_user):
    (c,) = unit_plans_coverage(unit=world.p, user=staff_user)
    # 38 and 86 are both P's; 86 implements 38, so the dashboard shows one panel, for 38.
    assert (c.plan, c.expected, len(c.issued), c.not_issued) == (world.plan, 6, 2, 4)


def test_the_dashboard_panel_says_it_in_words(client, world):
    reviewer = MembershipFactory(unit=world.p, role=Membership.Role.REVIEWER).user
    client.force_login(reviewer)
    html = client.get(reverse("compliance:plan-checks"), {"unit": "P"}).content.decode()
    assert "Kế hoạch thực hiện 38-KH/TU" in html
    assert "2 đã ban hành, 4 chưa ban hành" in html and "trong đó 1 mới có dự thảo" in html
    assert "?unit=P.A&amp;plan=a-plan" in html  # the issued plan, linked


def test_the_panel_is_out_of_reach_of_those_who_may_not_see_the_unit(client, world):
    reviewer = MembershipFactory(unit=world.c, role=Membership.Role.REVIEWER).user
    client.force_login(reviewer)
    assert client.get(reverse("compliance:plan-checks"), {"unit": "P"}).status_code == 404
    assert client.get(reverse("compliance:plan-checks"), {"unit": "P.C"}).status_code == 200


def test_the_panel_query_count(client, world, django_assert_max_num_queries):
    reviewer = MembershipFactory(unit=world.p, role=Membership.Role.REVIEWER).user
    client.force_login(reviewer)
    # Session and user; the unit; the issuer's plans, the plans implementing them, the expected units and which the
    # reader sees, the issuers' visibility; the cascade: child plans, targets and named units, unit values.
    with django_assert_max_num_queries(14):
        client.get(reverse("compliance:plan-checks"), {"unit": "P"})


def test_the_demo_province_is_honest_about_who_has_none(seeded, staff_user):
    dong_nai = Unit.objects.get(code="DN")
    (c,) = unit_plans_coverage(unit=dong_nai, user=staff_user)
    # 38-KH/TU (86-KH/TU folded in). Expected: 72 communes + 23 wards + 2 committees = 97. Issued: Đảng ủy xã Lộc
    # Ninh (38-KH/TU) and Đảng ủy UBND tỉnh (86-KH/TU) = 2. Not issued: 97 − 2 = 95. The Văn phòng Tỉnh ủy's plan
    # is listed apart.
    assert c.plan == Plan.objects.get(number="38-KH/TU")
    assert (c.expected, len(c.issued), c.not_issued) == (97, 2, 95)
    assert sorted(i.unit.code for i in c.issued) == ["DN.DUUBND", "DN.XP.LOCNINH"]
    assert [i.unit.code for i in c.others] == ["DN.VPTU"]


def test_the_plan_page_tag(world, rf, staff_user):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = staff_user
    html = Template("{% load authoring_checks %}{% plan_coverage plan %}").render(
        Context({"request": request, "plan": world.plan}))
    # 6 expected: A and K issued; B (draft), C, W, Z not.
    assert "2 đã ban hành, 4 chưa ban hành" in html and "mới có dự thảo" in html
