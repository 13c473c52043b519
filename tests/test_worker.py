"""The background worker (`manage.py worker`) runs tasks from the database and reports a heartbeat."""

import pytest
from django.core.management import call_command
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
