"""The shared job mechanism, seen through the catalogue import: claim once, progress, heartbeat,
sweep of stuck jobs, retry, crashes, and messages in the language of who started the job."""

import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone, translation

from digisnap.core import jobs
from digisnap.core.jobs import JobFailed, JobNotRetryable, job_retry, job_run, jobs_sweep
from digisnap.learning.models import CatalogueImport, Training
from digisnap.learning.services import catalogue_import_create, catalogue_import_run
from digisnap.learning.tasks import catalogue_import_task
from tests.catalogue_helpers import json_file, training

pytestmark = pytest.mark.usefixtures("framework")

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def limits(settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 120
    settings.JOB_TIME_LIMIT_SECONDS = 1800


def queued(*trainings, language: str = "nl") -> CatalogueImport:
    with translation.override(language):
        return catalogue_import_create(
            kind="json", origin="upload.json", payload=json_file(list(trainings) or [training()])
        )


def running_since(
    started: datetime.datetime, *, heartbeat: datetime.datetime, language: str = "en"
) -> CatalogueImport:
    """An import a worker claimed at `started` and last reported on at `heartbeat`."""
    catalogue_import = queued(training(1), language=language)
    CatalogueImport.objects.filter(pk=catalogue_import.pk).update(
        status="running", attempts=1, started_at=started, heartbeat_at=heartbeat, progress=70
    )
    catalogue_import.refresh_from_db()
    return catalogue_import


def test_a_job_whose_heartbeat_stopped_is_failed_with_the_reason_and_runs_when_retried(limits):
    stuck = running_since(NOON, heartbeat=NOON + datetime.timedelta(minutes=1))
    with time_machine.travel(NOON + datetime.timedelta(minutes=3, seconds=1), tick=False):
        assert jobs_sweep() == 1
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert stuck.finished_at is not None
    assert stuck.error == (
        "The worker stopped while working on this: no sign of life for 120 seconds. "
        "You can try again."
    )
    assert stuck.retryable

    retried = catalogue_import_task.enqueue(job_retry(job=stuck).pk)
    assert retried.return_value == "done"
    stuck.refresh_from_db()
    assert (stuck.status, stuck.added, stuck.attempts, stuck.error) == ("done", 1, 2, "")


def test_a_job_with_a_fresh_heartbeat_is_left_running(limits):
    alive = running_since(NOON, heartbeat=NOON + datetime.timedelta(minutes=1))
    with time_machine.travel(NOON + datetime.timedelta(minutes=3), tick=False):
        assert jobs_sweep() == 0
    alive.refresh_from_db()
    assert alive.status == "running"


def test_a_job_past_the_time_limit_is_failed_with_the_reason_and_runs_when_retried(limits):
    late = NOON + datetime.timedelta(minutes=30, seconds=1)
    slow = running_since(NOON, heartbeat=late)
    with time_machine.travel(late, tick=False):
        assert jobs_sweep() == 1
    slow.refresh_from_db()
    assert slow.status == "failed"
    assert slow.error.startswith("This took longer than the limit of 30 minutes")

    catalogue_import_task.enqueue(job_retry(job=slow).pk)
    slow.refresh_from_db()
    assert (slow.status, slow.added) == ("done", 1)


def test_the_sweep_writes_its_reason_in_the_language_of_who_started_the_job(limits, monkeypatch):
    def reason_in_the_active_language():
        return f"stopped ({translation.get_language()})"

    monkeypatch.setattr(jobs, "_silent_reason", reason_in_the_active_language)
    dutch = running_since(NOON, heartbeat=NOON, language="nl")
    english = running_since(NOON, heartbeat=NOON, language="en")
    with translation.override("nl"), time_machine.travel(NOON + datetime.timedelta(hours=1)):
        assert jobs_sweep() == 2
    dutch.refresh_from_db()
    english.refresh_from_db()
    assert (dutch.error, english.error) == ("stopped (nl)", "stopped (en)")


def test_the_sweep_command_fails_stuck_jobs_and_says_how_many(limits, capsys):
    running_since(NOON, heartbeat=NOON)
    call_command("jobs_sweep")
    assert capsys.readouterr().out.strip() == "swept=1"
    assert CatalogueImport.objects.get().status == "failed"


def test_a_job_delivered_twice_runs_once():
    catalogue_import = queued(training(1))
    calls = []

    def work(job, progress):
        calls.append(job.pk)
        # The same task delivered again while this one runs finds the job claimed.
        again = job_run(job=CatalogueImport.objects.get(pk=job.pk), work=work)
        assert again.status == "running"
        return {"added": 1}

    job_run(job=catalogue_import, work=work)
    job_run(job=catalogue_import, work=work)
    assert calls == [catalogue_import.pk]
    assert (catalogue_import.status, catalogue_import.attempts) == ("done", 1)


def test_a_crash_is_logged_and_stored_as_failed_with_the_reason(caplog):
    def crash(job, progress):
        raise ZeroDivisionError("division by zero")

    failed = job_run(job=queued(), work=crash)
    assert (failed.status, failed.error) == ("failed", "ZeroDivisionError: division by zero")
    assert "crashed" in caplog.text


def test_a_failure_the_work_explains_is_stored_as_it_is():
    def refuse(job, progress):
        raise JobFailed("The feed answered HTTP 503.")

    failed = job_run(job=queued(), work=refuse)
    assert (failed.status, failed.error) == ("failed", "The feed answered HTTP 503.")


def test_progress_and_step_are_visible_while_the_work_runs():
    seen = []

    def work(job, progress):
        progress(40, "Halfway")
        seen.append(CatalogueImport.objects.values_list("status", "progress", "step").get())
        return {}

    done = job_run(job=queued(), work=work)
    assert seen == [("running", 40, "Halfway")]
    assert (done.status, done.progress) == ("done", 100)


def test_an_import_reports_its_steps():
    steps = []
    original = jobs.job_run

    def recording_run(*, job, work):
        def recording_work(job, progress):
            def record(percent, step):
                steps.append((percent, step))
                progress(percent, step)

            return work(job, record)

        return original(job=job, work=recording_work)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("digisnap.learning.services.job_run", recording_run)
        with translation.override("en"):
            catalogue_import = queued(training(1), language="en")
            catalogue_import_run(catalogue_import=catalogue_import)
    assert steps == [
        (5, "Reading the file"),
        (30, "Checking the rows"),
        (70, "Applying the changes to the catalogue"),
    ]


def test_a_job_the_sweep_failed_while_it_ran_is_not_brought_back(limits):
    def work(job, progress):
        long_ago = timezone.now() - datetime.timedelta(hours=1)
        CatalogueImport.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
        jobs_sweep()
        return {"added": 5}

    swept = job_run(job=queued(language="en"), work=work)
    assert (swept.status, swept.added) == ("failed", 0)
    assert "no sign of life for 120 seconds" in swept.error


def test_work_that_reports_progress_after_being_swept_stops(limits):
    reached = []

    def work(job, progress):
        CatalogueImport.objects.filter(pk=job.pk).update(status="failed", finished_at=NOON)
        progress(50, "Still going")
        reached.append("after the progress call")
        return {}

    stopped = job_run(job=queued(), work=work)
    assert reached == []
    assert stopped.status == "failed"


def test_only_a_failed_job_can_be_retried():
    done = job_run(job=queued(), work=lambda job, progress: {})
    with pytest.raises(JobNotRetryable):
        job_retry(job=done)
    done.refresh_from_db()
    assert (done.status, done.attempts) == ("done", 1)


def test_a_retry_is_enqueued_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    failed = job_run(job=queued(training(1)), work=lambda job, progress: {"status": "failed"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job_retry(job=failed)
    assert failed.status == "queued"
    assert len(callbacks) == 1
    assert not Training.objects.exists()
    callbacks[0]()
    failed.refresh_from_db()
    assert (failed.status, failed.added) == ("done", 1)


@pytest.mark.parametrize(
    ("language", "problem"),
    [
        ("en", "«nope» is not a web address starting with http:// or https://."),
        ("nl", "«nope» is geen webadres dat begint met http:// of https://."),
    ],
)
def test_the_worker_writes_problems_in_the_language_of_who_started_the_import(language, problem):
    catalogue_import = queued(training(1, url="nope"), language=language)
    other = "nl" if language == "en" else "en"
    with translation.override(other):  # the worker's own language does not matter
        refused = catalogue_import_run(catalogue_import=catalogue_import)
    assert refused.status == "refused"
    assert [error["message"] for error in refused.errors] == [problem]


def test_an_import_records_the_language_of_who_started_it():
    assert queued(language="en").language == "en"
    assert queued(language="nl").language == "nl"


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_stays_fresh_while_work_reports_no_progress(monkeypatch, framework):
    monkeypatch.setattr(jobs, "job_beat_interval", lambda: 0.05)
    catalogue_import = queued()
    beaten = threading.Event()

    def quiet_work(job, progress):
        claimed_at = CatalogueImport.objects.values_list("heartbeat_at", flat=True).get()
        for _attempt in range(200):
            latest = CatalogueImport.objects.values_list("heartbeat_at", flat=True).get()
            if latest > claimed_at:
                beaten.set()
                break
            threading.Event().wait(0.05)
        return {}

    job_run(job=catalogue_import, work=quiet_work)
    assert beaten.is_set()
