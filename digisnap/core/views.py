import functools
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from digisnap.core.health import health_status


@never_cache
@require_safe
def healthz(request):
    status = health_status()
    healthy = status["database"] == "ok" and status["worker"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "fail", **status}, status=200 if healthy else 503
    )


@functools.cache
def _favicon_bytes() -> bytes:
    return (Path(__file__).parent / "static" / "digisnap" / "favicon.ico").read_bytes()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers and bookmarks ask for /favicon.ico whatever the page links; the same icon."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
