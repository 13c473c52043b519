"""The task worker: django-tasks-db's db_worker, plus a heartbeat that /healthz reads."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from digisnap.core.health import heartbeat_beat, heartbeat_stop

logger = logging.getLogger(__name__)


class Command(DbWorkerCommand):
    help = "Run the background task worker (with a heartbeat for /healthz)."

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        started_at = timezone.now()
        stop = threading.Event()
        heartbeat_beat(worker_id=worker_id, started_at=started_at)

        def beat() -> None:
            while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    heartbeat_beat(worker_id=worker_id, started_at=started_at)
                except DatabaseError:  # a missed beat shows as "stale"; try again next time
                    logger.warning("Worker heartbeat could not be written.", exc_info=True)
                finally:
                    connection.close()

        thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
            heartbeat_stop(worker_id=worker_id)
