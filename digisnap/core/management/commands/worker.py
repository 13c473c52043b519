"""The task worker: django-tasks-db's db_worker, plus a heartbeat that /healthz reads, the sweep
that fails stuck jobs, a reconnect when the database drops, and an optional supervisor."""

import logging
import os
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from digisnap.core.health import heartbeat_beat, heartbeat_stop
from digisnap.core.jobs import jobs_sweep
from digisnap.core.supervise import supervise

logger = logging.getLogger(__name__)

FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0


class ResilientWorker(Worker):
    """db_worker's loop, started again after the database drops instead of ending the process."""

    def run(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            started = time.monotonic()
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as exc:
                if not self.running:
                    raise
                # A loop that ran a while before failing starts the backoff again from short.
                if time.monotonic() - started > MAX_BACKOFF_SECONDS:
                    backoff = FIRST_BACKOFF_SECONDS
                logger.warning(
                    "Database unavailable (%s: %s); reconnecting in %.1f s.",
                    type(exc).__name__,
                    str(exc).strip().splitlines()[0] if str(exc).strip() else "",
                    backoff,
                )
                connection.close_if_unusable_or_obsolete()
                connection.close()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


class Command(DbWorkerCommand):
    help = "Run the background task worker (with a heartbeat for /healthz and the job sweep)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--supervise",
            action="store_true",
            help="Run the worker in a child process and start it again whenever it stops.",
        )

    def handle(self, *args, **options):
        if options["supervise"]:
            if options["batch"]:
                raise CommandError("--supervise restarts a worker for ever; it takes no --batch.")
            argv = [arg for arg in sys.argv if arg != "--supervise"]
            sys.exit(supervise([sys.executable, *argv]))
        worker_id = options["worker_id"]
        started_at = timezone.now()
        stop = threading.Event()
        heartbeat_beat(worker_id=worker_id, started_at=started_at)

        def beat() -> None:
            while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    heartbeat_beat(worker_id=worker_id, started_at=started_at)
                    jobs_sweep()
                except DatabaseError:  # a missed beat shows as "stale"; try again next time
                    logger.warning("Worker heartbeat could not be written.", exc_info=True)
                finally:
                    connection.close()

        thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
        thread.start()
        try:
            self.run_worker(**options)
        finally:
            stop.set()
            thread.join(timeout=5)
            try:
                heartbeat_stop(worker_id=worker_id)
            except DatabaseError:  # the row goes stale on its own
                logger.warning("Worker heartbeat could not be removed.", exc_info=True)

    def run_worker(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        """db_worker's handle() builds its Worker by name with no hook for a subclass, so this
        builds ours from the same options."""
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
