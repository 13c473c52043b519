"""Template helpers shared by every app."""

import base64

from django import template
from django.utils import translation

from digisnap.core.charts import AREA_COLOURS
from digisnap.core.jobs import job_waiting_for_worker

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
def duration(minutes: int | None) -> str:
    """Minutes as hours and minutes: 720 → «12 u», 90 → «1 u 30 min», 45 → «45 min» (Dutch);
    «12 h», «1 h 30 min», «45 min» in English. Empty for an unknown duration."""
    if minutes is None or minutes == "":
        return ""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return translation.gettext("%(hours)d h %(minutes)d min") % {
            "hours": hours,
            "minutes": rest,
        }
    if hours:
        return translation.gettext("%(hours)d h") % {"hours": hours}
    return translation.gettext("%(minutes)d min") % {"minutes": rest}


@register.filter
def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.inclusion_tag("core/_job_progress.html", takes_context=True)
def job_progress(context, job, *, status_url: str, retry_url: str = "", failed_text: str = ""):
    """The polling progress bar of a background job, or its failure with «Try again»:
    {% job_progress job status_url=... retry_url=... failed_text=... %}."""
    return {
        "job": job,
        "status_url": status_url,
        "retry_url": retry_url,
        "failed_text": failed_text or translation.gettext("This did not finish."),
        "waiting_for_worker": job_waiting_for_worker(job),
        "csrf_token": context.get("csrf_token"),
    }
