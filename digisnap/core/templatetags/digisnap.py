"""Template helpers shared by every app."""

from django import template

register = template.Library()


@register.filter
def t(obj, field: str) -> str:
    """The active language's text of a translated field: {{ area|t:"title" }}."""
    return obj.t(field)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(part, whole) -> int:
    return round(100 * part / whole) if whole else 0
