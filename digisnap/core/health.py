"""Liveness of what the product needs: the database and at least one task worker."""

from __future__ import annotations

import datetime
import os
import socket

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from digisnap.core.models import WorkerHeartbeat


def heartbeat_beat(*, worker_id: str, started_at: datetime.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def health_status() -> dict:
    """Database reachable, and a worker seen within three heartbeat intervals."""
    status: dict = {"database": "ok", "worker": "missing", "worker_last_seen": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = (
            WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        )
    except DatabaseError as exc:
        status["database"] = f"error: {exc.__class__.__name__}"
        status["worker"] = "unknown"
        return status
    if last is not None:
        status["worker_last_seen"] = last.isoformat()
        fresh = timezone.now() - last <= datetime.timedelta(
            seconds=3 * settings.WORKER_HEARTBEAT_SECONDS
        )
        status["worker"] = "ok" if fresh else "stale"
    if settings.TASKS_BACKEND == "immediate":
        status["worker"] = "ok"  # tasks run inside the request; no worker is needed
    return status
