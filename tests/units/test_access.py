"""Every scoping rule from units/access.py, denied then allowed, for each role."""

from django.contrib.auth.models import AnonymousUser

from tests.factories import MembershipFactory, UserFactory
from units.access import (
    review_roots,
    units_enterable_by,
    units_visible_to,
    user_can_author_plan,
    user_can_enter,
    user_can_oversee,
    user_can_review,
)
from units.models import Membership


def _member(unit, role):
    return MembershipFactory(unit=unit, role=role).user


def test_a_clerk_enters_their_unit_only_and_reviews_nothing(tree):
    clerk = _member(tree.w1, Membership.Role.CLERK)
    assert not user_can_enter(user=clerk, unit=tree.w2)
    assert not user_can_enter(user=clerk, unit=tree.c1)  # not even the cell under their ward
    assert user_can_enter(user=clerk, unit=tree.w1)
    assert not user_can_review(user=clerk, unit=tree.w1)
    assert list(units_enterable_by(user=clerk)) == [tree.w1]
    assert set(units_visible_to(user=clerk)) == {tree.w1, tree.c1}


def test_a_reviewer_reviews_their_subtree_and_not_a_sibling(tree):
    reviewer = _member(tree.w1, Membership.Role.REVIEWER)
    assert not user_can_review(user=reviewer, unit=tree.w2)
    assert not user_can_review(user=reviewer, unit=tree.province)
    assert user_can_review(user=reviewer, unit=tree.w1) and user_can_review(user=reviewer, unit=tree.c1)
    assert not user_can_enter(user=reviewer, unit=tree.w1)
    assert user_can_oversee(user=reviewer, unit=tree.c1) and not user_can_oversee(user=reviewer, unit=tree.w2)
    assert list(review_roots(user=reviewer)) == [tree.w1]


def test_a_viewer_sees_without_reviewing(tree):
    viewer = _member(tree.province, Membership.Role.VIEWER)
    assert tree.c1 in units_visible_to(user=viewer)
    assert not user_can_review(user=viewer, unit=tree.c1)
    assert not review_roots(user=viewer).exists()


def test_staff_see_and_oversee_every_unit_but_neither_enter_nor_decide(tree):
    staff = UserFactory(is_staff=True)
    assert user_can_oversee(user=staff, unit=tree.c1) and user_can_oversee(user=staff, unit=tree.closed)
    assert set(units_visible_to(user=staff)) >= {tree.province, tree.w1, tree.w2, tree.c1, tree.closed}
    assert not user_can_enter(user=staff, unit=tree.w1)
    # Approving and returning stay with the assigned reviewers.
    assert not user_can_review(user=staff, unit=tree.c1)
    MembershipFactory(user=staff, unit=tree.w1, role=Membership.Role.REVIEWER)
    assert user_can_review(user=staff, unit=tree.c1)
    assert tree.province in review_roots(user=staff)


def test_anonymous_and_unattached_users_get_nothing(tree):
    for user in (AnonymousUser(), UserFactory()):
        assert not units_visible_to(user=user).exists()
        assert not units_enterable_by(user=user).exists()
        assert not user_can_review(user=user, unit=tree.w1)
        assert not user_can_oversee(user=user, unit=tree.w1)
        assert not user_can_enter(user=user, unit=tree.w1)


def test_a_plan_is_written_by_the_issuers_reviewers_and_staff(tree, staff_user):
    clerk = _member(tree.province, Membership.Role.CLERK)
    viewer = _member(tree.province, Membership.Role.VIEWER)
    ward_reviewer = _member(tree.w1, Membership.Role.REVIEWER)
    office = _member(tree.province, Membership.Role.REVIEWER)
    # Denied: the committee's clerk and viewer, and a reviewer of a unit below it.
    assert not user_can_author_plan(user=clerk, issuer=tree.province)
    assert not user_can_author_plan(user=viewer, issuer=tree.province)
    assert not user_can_author_plan(user=ward_reviewer, issuer=tree.province)
    assert not user_can_author_plan(user=AnonymousUser(), issuer=tree.province)
    # Allowed: the committee's reviewers (for it and the units below), the ward's for the ward, and staff.
    assert user_can_author_plan(user=office, issuer=tree.province)
    assert user_can_author_plan(user=office, issuer=tree.w1)
    assert user_can_author_plan(user=ward_reviewer, issuer=tree.w1)
    assert user_can_author_plan(user=staff_user, issuer=tree.province)
