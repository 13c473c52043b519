"""The «Sign in with ACM Vlaanderen» button, shown only when ACM/IDM is configured."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def acmidm_login() -> dict | None:
    if not settings.ACMIDM_ENABLED:
        return None
    return {
        "url": reverse("openid_connect_login", kwargs={"provider_id": settings.ACMIDM_PROVIDER_ID}),
        "label": settings.ACMIDM_BUTTON_LABEL,
    }
