"""Who may use a link, for templates: the links are shown only to those `units.access` lets through."""

from django import template

from units.access import user_oversees_any, user_reviews_any

register = template.Library()


@register.filter
def reviews_any(user) -> bool:
    return user_reviews_any(user=user)


@register.filter
def oversees_any(user) -> bool:
    return user_oversees_any(user=user)
