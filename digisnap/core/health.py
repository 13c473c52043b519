"""Liveness of what the product needs: the database and at least one task worker, and how long
queued work has been waiting."""

from __future__ import annotations

import datetime
import os
import socket

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from digisnap.core.models import WorkerHeartbeat, job_models


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


def _fresh_since() -> datetime.datetime:
    """A worker seen within three heartbeat intervals is alive."""
    return timezone.now() - datetime.timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)


def workers_alive() -> int:
    return WorkerHeartbeat.objects.filter(seen_at__gte=_fresh_since()).count()


def oldest_queued_seconds() -> int | None:
    """Age of the oldest work waiting for a worker: a task not yet picked up, or a job never run.

    A retried job counts through its new task, so its first creation does not inflate the age.
    """
    now = timezone.now()
    waiting = [
        DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"],
        *(
            model.objects.filter(status=model.Status.QUEUED, attempts=0).aggregate(
                oldest=Min("created_at")
            )["oldest"]
            for model in job_models()
        ),
    ]
    oldest = min((moment for moment in waiting if moment is not None), default=None)
    return None if oldest is None else max(0, int((now - oldest).total_seconds()))


def health_status() -> dict:
    """Database reachable, and a worker seen within three heartbeat intervals."""
    status: dict = {
        "database": "ok",
        "worker": "missing",
        "worker_last_seen": None,
        "workers_alive": None,
        "oldest_queued_seconds": None,
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = (
            WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        )
        status["workers_alive"] = workers_alive()
        status["oldest_queued_seconds"] = oldest_queued_seconds()
    except DatabaseError as exc:
        status["database"] = f"error: {exc.__class__.__name__}"
        status["worker"] = "unknown"
        return status
    if last is not None:
        status["worker_last_seen"] = last.isoformat()
        status["worker"] = "ok" if last >= _fresh_since() else "stale"
    if settings.TASKS_BACKEND == "immediate":
        status["worker"] = "ok"  # tasks run inside the request; no worker is needed
    return status
