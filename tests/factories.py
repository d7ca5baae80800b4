"""Factories that keep the domain's invariants: units live in the tree, a target's plan is issued above its units."""

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from core.periods import DueKind
from plans.models import Plan
from targets.models import Comparator, Counts, Indicator, IndicatorGroup, Measure, Rollup, Target
from units.models import Membership, Unit, UnitKind
from units.services import unit_create, unit_national_root_ensure

_codes = itertools.count(1)


def unit_make(*, parent: Unit | None = None, kind: str = UnitKind.COMMUNE, code: str | None = None,
              name: str | None = None, **extra) -> Unit:
    parent = parent or unit_national_root_ensure()
    number = next(_codes)
    return unit_create(
        code=code or f"T{number:04d}", name=name or f"Đơn vị thử {number}", kind=kind,
        parent=Unit.objects.get(pk=parent.pk), by=None, **extra,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("pw-test-2026")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.LazyFunction(lambda: unit_make())
    role = Membership.Role.CLERK


class IndicatorGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorGroup
        django_get_or_create = ["code"]

    code = "ung_dung_so"
    name = "Ứng dụng số"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"chi_tieu_{n}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    group = factory.SubFactory(IndicatorGroupFactory)
    measure = Measure.RATIO
    rollup = Rollup.SUM_RATIO
    numerator_label = "Số văn bản được ký số"
    denominator_label = "Tổng số văn bản"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    key = factory.Sequence(lambda n: f"ke-hoach-{n}")
    number = factory.Sequence(lambda n: f"{n}-KH/TU")
    title = factory.Sequence(lambda n: f"Kế hoạch chuyển đổi số {n}")
    issuer = factory.LazyFunction(lambda: unit_make(kind=UnitKind.PROVINCE))
    year_start = 2026
    year_end = 2026


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    indicator = factory.SubFactory(IndicatorFactory)
    comparator = Comparator.AT_LEAST
    value = 100
    due_kind = DueKind.YEAR
    due_on = dt.date(2026, 12, 31)
    clause = "100% văn bản không mật được ký số"
    applies_to_kinds = factory.LazyFunction(list)
    # Kinds given: the units of those kinds count; none: every unit under the scope unit.
    counts = factory.LazyAttribute(lambda target: Counts.KINDS if target.applies_to_kinds else Counts.ALL)
