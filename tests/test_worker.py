"""The background worker (`manage.py worker`) runs tasks from the database and reports a heartbeat."""

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from digisnap.core.models import WorkerHeartbeat

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def double(value: int) -> int:
    return value * 2


@task()
def crash() -> None:
    raise RuntimeError("the printer is on fire")


@pytest.fixture
def database_tasks(settings, transactional_db):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_BACKEND = "database"


def run_worker():
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_worker_runs_an_enqueued_task_and_stores_its_result(database_tasks):
    result = double.enqueue(21)
    assert result.status == TaskResultStatus.READY
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 42


def test_a_crashed_task_is_marked_failed_with_the_reason(database_tasks):
    result = crash.enqueue()
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert "the printer is on fire" in result.errors[0].traceback


def test_worker_removes_its_heartbeat_when_it_stops(database_tasks):
    run_worker()
    assert not WorkerHeartbeat.objects.exists()


def test_worker_writes_a_heartbeat_while_it_runs(database_tasks, monkeypatch):
    seen = []
    from django_tasks_db.management.commands import db_worker

    original_run = db_worker.Worker.run

    def run_and_look(self):
        seen.extend(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
        original_run(self)

    monkeypatch.setattr(db_worker.Worker, "run", run_and_look)
    call_command(
        "worker", "--batch", "--no-startup-delay", "--no-reload", "--worker-id", "w1", verbosity=0
    )
    assert seen == ["w1"]


@pytest.fixture
def quick_reconnect(monkeypatch):
    """Reconnect at once, so the test does not wait out the real backoff."""
    from digisnap.core.management.commands import worker

    monkeypatch.setattr(worker, "FIRST_BACKOFF_SECONDS", 0.01)


def test_worker_keeps_running_across_a_database_outage_and_runs_the_task_afterwards(
    database_tasks, quick_reconnect, caplog
):
    result = double.enqueue(21)
    outage = {"queries_left_to_fail": 3}

    def drop_the_connection(execute, sql, params, many, context):
        # The worker's queries for tasks hit a database that went away (as after a restart).
        if "dbtaskresult" in sql.lower() and outage["queries_left_to_fail"]:
            outage["queries_left_to_fail"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_the_connection):
        run_worker()
    result.refresh()
    assert outage["queries_left_to_fail"] == 0
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 42)
    reconnects = [r for r in caplog.records if "Database unavailable" in r.getMessage()]
    assert len(reconnects) == 3
    assert "server closed the connection unexpectedly" in reconnects[0].getMessage()


def test_worker_reconnects_after_postgresql_ends_its_connection(database_tasks, quick_reconnect):
    if connection.vendor != "postgresql":
        pytest.skip("ends a real server connection; runs on PostgreSQL")
    result = double.enqueue(4)
    ended = []

    def end_the_connection(execute, sql, params, many, context):
        if "dbtaskresult" in sql.lower() and not ended:
            ended.append(True)
            with context["connection"].cursor() as cursor:  # as a database restart would
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(end_the_connection):
        run_worker()
    result.refresh()
    assert ended == [True]
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 8)


def test_an_error_that_is_not_the_database_still_stops_the_worker(database_tasks, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(DBTaskResult.objects, "ready", broken)
    with pytest.raises(ValueError, match="a bug"):
        run_worker()


@task()
def wait_until_swept(catalogue_import_id: int) -> str:
    """Stands in for a long task: the worker's heartbeat thread sweeps meanwhile."""
    from digisnap.learning.models import CatalogueImport

    for _attempt in range(200):
        status = CatalogueImport.objects.values_list("status", flat=True).get(
            pk=catalogue_import_id
        )
        if status == "failed":
            break
        threading.Event().wait(0.05)
    return status


def test_the_worker_sweeps_stuck_jobs_while_it_runs(database_tasks, settings, framework):
    from digisnap.learning.models import CatalogueImport
    from digisnap.learning.services import catalogue_import_create

    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    stuck = catalogue_import_create(kind="json", origin="x.json", payload=b"[]")
    CatalogueImport.objects.filter(pk=stuck.pk).update(
        status="running", attempts=1, started_at=long_ago, heartbeat_at=long_ago
    )
    result = wait_until_swept.enqueue(stuck.pk)
    run_worker()
    result.refresh()
    assert result.return_value == "failed"


def test_supervise_refuses_batch_mode(database_tasks):
    with pytest.raises(CommandError, match="--supervise"):
        call_command("worker", "--supervise", "--batch", verbosity=0)
