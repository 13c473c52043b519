"""The task worker: django-tasks-db's db_worker, plus a heartbeat that /healthz reads."""

import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from digisnap.core.health import heartbeat_beat, heartbeat_stop


class Command(DbWorkerCommand):
    help = "Run the background task worker (with a heartbeat for /healthz)."

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        stop = threading.Event()
        started_at = timezone.now()

        def beat() -> None:
            while True:
                close_old_connections()
                heartbeat_beat(worker_id=worker_id, started_at=started_at)
                if stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                    break
            heartbeat_stop(worker_id=worker_id)
            connection.close()

        thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
