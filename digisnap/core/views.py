from django.http import JsonResponse
from django.views.decorators.cache import never_cache
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
