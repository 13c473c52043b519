"""Template helpers shared by every app."""

import base64

from django import template
from django.utils import translation

from digisnap.core.charts import AREA_COLOURS

register = template.Library()


@register.filter
def t(obj, field: str) -> str:
    """The active language's text of a translated field: {{ area|t:"title" }} (also on a dict
    of values, such as a selector's .values() row)."""
    if isinstance(obj, dict):
        language = (translation.get_language() or "nl")[:2]
        return obj.get(f"{field}_{language}") or obj.get(f"{field}_nl", "")
    return obj.t(field)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def area_colour(position: int) -> str:
    """The colour of an area (by its 1-based position) in the charts."""
    return AREA_COLOURS[(position - 1) % len(AREA_COLOURS)]


@register.filter
def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
