"""/healthz: the database answers and a task worker was seen within three heartbeats; it also
says how many workers are alive and how long the oldest queued work has waited."""

import datetime

import pytest
import time_machine
from django_tasks import task

from digisnap.core.health import heartbeat_beat, heartbeat_stop
from digisnap.core.models import WorkerHeartbeat

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def database_tasks(settings):
    """As in production: tasks go to the database and need a running worker."""
    settings.TASKS_BACKEND = "database"
    settings.WORKER_HEARTBEAT_SECONDS = 10


@task()
def waiting_task() -> None:
    """Enqueued and never run: no worker in these tests."""


def beat_at(moment: datetime.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        heartbeat_beat(worker_id="worker-1", started_at=moment)


def test_without_a_worker_it_is_unhealthy(anonymous_client, database_tasks, db):
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "database": "ok",
        "worker": "missing",
        "worker_last_seen": None,
        "workers_alive": 0,
        "oldest_queued_seconds": None,
    }


def test_a_fresh_heartbeat_makes_it_healthy(anonymous_client, database_tasks, db):
    beat_at(NOON)
    with time_machine.travel(NOON + datetime.timedelta(seconds=29), tick=False):
        response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["worker"]) == ("ok", "ok", "ok")
    assert datetime.datetime.fromisoformat(body["worker_last_seen"]) == NOON


def test_a_heartbeat_of_exactly_three_intervals_ago_still_counts(
    anonymous_client, database_tasks, db
):
    beat_at(NOON)
    with time_machine.travel(NOON + datetime.timedelta(seconds=30), tick=False):
        assert anonymous_client.get("/healthz").status_code == 200


def test_an_old_heartbeat_is_stale(anonymous_client, database_tasks, db):
    beat_at(NOON)
    with time_machine.travel(NOON + datetime.timedelta(seconds=31), tick=False):
        response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["database"] == "ok"


def test_the_newest_of_several_workers_counts(anonymous_client, database_tasks, db):
    beat_at(NOON)
    later = NOON + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        heartbeat_beat(worker_id="worker-2", started_at=later)
        assert anonymous_client.get("/healthz").status_code == 200
    assert WorkerHeartbeat.objects.count() == 2


def test_a_worker_that_stopped_cleanly_is_missing(anonymous_client, database_tasks, db):
    beat_at(NOON)
    heartbeat_stop(worker_id="worker-1")
    with time_machine.travel(NOON, tick=False):
        assert anonymous_client.get("/healthz").json()["worker"] == "missing"


def test_beating_again_updates_the_one_row_of_a_worker(database_tasks, db):
    beat_at(NOON)
    beat_at(NOON + datetime.timedelta(seconds=10))
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.seen_at == NOON + datetime.timedelta(seconds=10)


def test_tasks_run_in_the_request_need_no_worker(anonymous_client, db):
    response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "ok"


def test_it_is_never_cached_and_only_answers_get(anonymous_client, db):
    response = anonymous_client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert anonymous_client.post("/healthz").status_code == 405


def test_when_the_database_is_down_it_says_so_with_503(db, anonymous_client, monkeypatch):
    from django.db import OperationalError

    class DownDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("digisnap.core.health.connection", DownDatabase())
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_it_answers_head_requests_for_load_balancers(anonymous_client, db):
    assert anonymous_client.head("/healthz").status_code == 200


def test_it_counts_the_workers_with_a_fresh_heartbeat(anonymous_client, database_tasks, db):
    beat_at(NOON)
    with time_machine.travel(NOON + datetime.timedelta(seconds=25), tick=False):
        heartbeat_beat(worker_id="worker-2", started_at=NOON)
        heartbeat_beat(worker_id="worker-3", started_at=NOON)
    with time_machine.travel(NOON + datetime.timedelta(seconds=40), tick=False):
        body = anonymous_client.get("/healthz").json()
    assert (body["worker"], body["workers_alive"]) == ("ok", 2)


def test_it_says_how_old_the_oldest_waiting_task_is(anonymous_client, database_tasks, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(NOON, tick=False):
        waiting_task.enqueue()
    with time_machine.travel(NOON + datetime.timedelta(seconds=30), tick=False):
        waiting_task.enqueue()
    with time_machine.travel(NOON + datetime.timedelta(seconds=95), tick=False):
        body = anonymous_client.get("/healthz").json()
    assert body["oldest_queued_seconds"] == 95


def test_a_job_that_never_ran_counts_as_waiting_from_its_creation(
    anonymous_client, database_tasks, db, framework
):
    from digisnap.learning.services import catalogue_import_create

    with time_machine.travel(NOON, tick=False):
        catalogue_import_create(kind="json", origin="x.json", payload=b"[]")
    with time_machine.travel(NOON + datetime.timedelta(minutes=2), tick=False):
        body = anonymous_client.get("/healthz").json()
    assert body["oldest_queued_seconds"] == 120


def test_with_nothing_waiting_the_oldest_queued_age_is_empty(anonymous_client, db):
    assert anonymous_client.get("/healthz").json()["oldest_queued_seconds"] is None
