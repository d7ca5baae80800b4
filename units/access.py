"""Who may see, enter, review and export which units: every scoping rule of the portal, written once.

Roles come from `Membership` (clerk, reviewer, viewer of a unit). A reviewer or viewer acts on the whole
subtree of their unit; a clerk on their unit alone. Staff (the portal's administrators) see every unit and
may oversee it (export, remind, import for it), but decisions on reports are the assigned reviewers' alone:
an administrator approves nothing unless a membership makes them a reviewer. Queries filter in the database,
so "not yours" and "missing" read the same.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from units.models import Membership, Unit
from units.selectors import unit_ancestor_paths


def sees_all(user) -> bool:
    """The staff rule: administrators see and oversee every unit."""
    return bool(user.is_authenticated and user.is_staff)


def membership_paths(*, user, roles: list[str] | None = None) -> list[str]:
    """The paths of the user's units (for the given roles), read once per request and kept on the user object."""
    paths = getattr(user, "_membership_paths", None)
    if paths is None:
        paths = list(Membership.objects.filter(user=user).values_list("role", "unit__path"))
        user._membership_paths = paths
    return [path for role, path in paths if roles is None or role in roles]


def subtree_condition(paths: list[str], *, field: str = "path") -> Q | None:
    """A filter for everything under any of the paths, or None when there are none."""
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def units_visible_to(*, user) -> QuerySet[Unit]:
    """Every unit the user may read: the subtrees of their memberships, or everything for staff."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if sees_all(user):
        return Unit.objects.all()
    condition = subtree_condition(membership_paths(user=user))
    return Unit.objects.filter(condition) if condition is not None else Unit.objects.none()


def units_enterable_by(*, user) -> QuerySet[Unit]:
    """The units whose monthly figures the user enters (as their clerk)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user, memberships__role=Membership.Role.CLERK).distinct()


def user_can_enter(*, user, unit: Unit) -> bool:
    return bool(user.is_authenticated) and Membership.objects.filter(
        user=user, unit=unit, role=Membership.Role.CLERK).exists()


def user_can_review(*, user, unit: Unit) -> bool:
    """Who approves, returns and reopens a unit's reports: a reviewer of the unit or of a unit above it."""
    return bool(user.is_authenticated) and Membership.objects.filter(
        user=user, role=Membership.Role.REVIEWER, unit__path__in=unit_ancestor_paths(unit)).exists()


def user_can_oversee(*, user, unit: Unit) -> bool:
    """Who exports a unit's quarterly report, reminds its clerks and imports figures for it: reviewers and staff."""
    return sees_all(user) or user_can_review(user=user, unit=unit)


def review_roots(*, user) -> QuerySet[Unit]:
    """The units at the top of what the user oversees: the units they review, or the provinces for staff."""
    if sees_all(user):
        return Unit.objects.filter(depth__lte=2).order_by("path")
    return Unit.objects.filter(memberships__user=user, memberships__role=Membership.Role.REVIEWER).distinct()


def user_reviews_any(*, user) -> bool:
    """Whether the user reviews some unit, so has a review queue (the link to it is shown to them only)."""
    return bool(user.is_authenticated) and bool(membership_paths(user=user, roles=[Membership.Role.REVIEWER]))


def user_oversees_any(*, user) -> bool:
    """Whether the user exports, reminds or imports for some unit (`user_can_oversee` somewhere): reviewers, staff."""
    return sees_all(user) or user_reviews_any(user=user)


def unit_reviewers(*, unit: Unit) -> QuerySet:
    """The people who decide on the unit's reports (the same rule as `user_can_review`), to be told of a submission."""
    return get_user_model().objects.filter(
        is_active=True, memberships__role=Membership.Role.REVIEWER,
        memberships__unit__path__in=unit_ancestor_paths(unit)).distinct().order_by("pk")


def unit_clerks(*, unit: Unit) -> QuerySet:
    """The people who enter the unit's figures (the same rule as `user_can_enter`), to be told of a decision."""
    return get_user_model().objects.filter(
        is_active=True, memberships__role=Membership.Role.CLERK, memberships__unit=unit).distinct().order_by("pk")


def user_can_author_plan(*, user, issuer: Unit) -> bool:
    """Who writes, issues and amends a committee's plans in the portal: its Văn phòng reviewers, i.e. those who may
    review the issuer (assigned reviewers of it or of a unit above it), and staff."""
    return sees_all(user) or user_can_review(user=user, unit=issuer)
