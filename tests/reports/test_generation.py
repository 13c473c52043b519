"""Generating a directors' report as a background job: progress the page polls, a failure with
its reason and «Opnieuw proberen», the time limit of the shared sweep, and «Genereer» pressed
twice with the same form making one report."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from digisnap.core.jobs import JobFailed, jobs_sweep
from digisnap.reports import services
from digisnap.reports.models import Report, ReportEvent
from digisnap.reports.tasks import report_generate_task
from tests.conftest import nl, page_text
from tests.reports.helpers import FORM, client_for, form_data

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
FAILED_TEXT = "The report could not be made."


def job_url(report: Report, name: str = "report_job") -> str:
    return reverse(f"reports:{name}", args=[report.pk])


def queued(world, *digisnaps) -> Report:
    """A report asked for whose task has not run (no on-commit in a test's transaction)."""
    return services.report_request(
        user=world.director,
        digisnap_ids=[d.pk for d in digisnaps or (world.a1,)],
        title="Wachtend",
        include_training=True,
        token=uuid.uuid4(),
    )


def test_a_queued_report_shows_its_progress_bar_and_the_status_polls_it(world):
    report = queued(world)
    client = client_for(world.director)
    page = page_text(client.get(job_url(report)))
    assert '<progress id="job-progress" max="100" value="0"' in page
    assert f'data-job-status-url="{job_url(report, "report_status")}"' in page
    assert 'src="/static/digisnap/job.js"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert reverse("reports:report_pdf", args=[report.pk]) not in page
    status = client.get(job_url(report, "report_status"))
    assert status.json()["in_progress"] is True
    assert status.json()["progress"] == 0
    assert "no-store" in status["Cache-Control"]
    # Not downloadable before it is done.
    for name in ("report_pdf", "report_xlsx", "report_view"):
        assert client.get(job_url(report, name)).status_code == 404


def test_the_work_reports_real_progress_steps_to_the_job(world, monkeypatch):
    seen: list[tuple[int, str, int]] = []
    build = services.report_build

    def watching(*, spec, progress):
        def record(percent, step):
            progress(percent, step)
            stored = Report.objects.values_list("progress", flat=True).get()
            seen.append((percent, step, stored))

        return build(spec=spec, progress=record)

    monkeypatch.setattr(services, "report_build", watching)
    report = queued(world)
    assert report_generate_task.enqueue(report.pk).return_value == "done"
    assert len(seen) >= 3
    assert [percent for percent, _step, _stored in seen] == sorted(p for p, _s, _t in seen)
    assert all(percent == stored for percent, _step, stored in seen)  # visible while it runs
    assert all(step for _percent, step, _stored in seen)


def test_a_failure_shows_its_reason_and_a_retry_that_makes_the_report(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*, spec, progress):
        progress(10, "Optellen")
        raise JobFailed("De grafieken konden niet getekend worden.")

    monkeypatch.setattr(services, "report_build", broken)
    report = queued(world, world.a1, world.b1)
    assert report_generate_task.enqueue(report.pk).return_value == "failed"
    report.refresh_from_db()
    assert report.error == "De grafieken konden niet getekend worden."
    assert (report.pdf.name, report.respondents) == ("", None)

    client = client_for(world.director)
    page = page_text(client.get(job_url(report)))
    assert f"{nl(FAILED_TEXT)} De grafieken konden niet getekend worden." in page
    assert f'action="{job_url(report, "report_retry")}"' in page
    archive = page_text(client.get(FORM))
    assert f'href="{job_url(report)}"' in archive  # the archive leads to the failure

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(job_url(report, "report_retry"))
    assert answer.status_code == 302
    assert answer["Location"] == job_url(report)
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == ("done", 2, "")
    assert report.respondents == 10
    assert client.get(job_url(report, "report_pdf")).status_code == 200
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", "by"))
    assert actions == [
        ("requested", world.director.pk),
        ("failed", world.director.pk),
        ("retried", world.director.pk),
        ("done", world.director.pk),
    ]
    assert ReportEvent.objects.get(action="failed").outcome == (
        "De grafieken konden niet getekend worden."
    )


def test_a_crash_is_stored_as_failed_with_its_reason(world, monkeypatch):
    def crashing(*, spec, progress):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(services, "report_build", crashing)
    report = queued(world)
    report_generate_task.enqueue(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == ("failed", "RuntimeError: schijf vol")


def test_only_a_failed_report_can_be_tried_again(world, django_capture_on_commit_callbacks):
    report = queued(world)
    report_generate_task.enqueue(report.pk)
    client = client_for(world.director)
    answer = client.post(job_url(report, "report_retry"), follow=True)
    assert nl("Only a report that failed can be tried again.") in page_text(answer)
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 1)


def test_a_task_delivered_twice_generates_once(world):
    report = queued(world)
    report_generate_task.enqueue(report.pk)
    report_generate_task.enqueue(report.pk)
    report.refresh_from_db()
    assert report.attempts == 1
    assert ReportEvent.objects.filter(report=report, action="done").count() == 1


@pytest.fixture
def limits(settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 120
    settings.JOB_TIME_LIMIT_SECONDS = 1800


def running_since(report: Report, started: datetime.datetime, heartbeat: datetime.datetime):
    Report.objects.filter(pk=report.pk).update(
        status="running", attempts=1, started_at=started, heartbeat_at=heartbeat, progress=40
    )


def test_a_report_past_the_time_limit_is_failed_by_the_sweep_and_can_be_retried(
    world, limits, django_capture_on_commit_callbacks
):
    report = queued(world)
    late = NOON + datetime.timedelta(minutes=30, seconds=1)
    running_since(report, NOON, heartbeat=late)
    with time_machine.travel(late, tick=False):
        assert jobs_sweep() == 1
    report.refresh_from_db()
    assert report.status == "failed"
    assert report.error.startswith("Dit duurde langer dan") or report.error.startswith(
        "This took longer than the limit of 30 minutes"
    )
    client = client_for(world.director)
    page = page_text(client.get(job_url(report)))
    assert report.error in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(report, "report_retry"))
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 2)


def test_the_job_page_fails_a_report_whose_worker_went_silent(world, limits):
    report = queued(world)
    # Rights follow today's date, so this story happens now.
    now = timezone.now()
    running_since(report, now, heartbeat=now)
    client = client_for(world.director)
    with time_machine.travel(now + datetime.timedelta(minutes=3), tick=False):
        status = client.get(job_url(report, "report_status")).json()
    assert (status["status"], status["in_progress"]) == ("failed", False)
    assert status["error"]


def test_pressing_genereer_twice_with_the_same_form_makes_one_report(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.director)
    data = form_data(world.a1, world.a2, title="Eén keer")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(FORM, data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(FORM, data)
    report = Report.objects.get()
    assert first["Location"] == second["Location"] == job_url(report)
    assert report.attempts == 1
    assert ReportEvent.objects.filter(action="requested").count() == 1


def test_a_token_of_someone_else_s_form_does_not_give_their_report(world):
    report = queued(world)
    with pytest.raises(Exception):  # noqa: B017 — the database refuses the duplicate token
        services.report_request(
            user=world.co_director,
            digisnap_ids=[world.a1.pk],
            title="Overgenomen",
            include_training=False,
            token=report.token,
        )
    assert Report.objects.get() == report


def test_the_report_is_written_in_the_language_of_who_asked_for_it(world, generate):
    client = client_for(world.director)
    client.cookies["django_language"] = "en"
    generate(client, world.a1, title="")
    report = Report.objects.get()
    assert (report.language, report.title) == ("en", "Directors' report")
    actions = ReportEvent.objects.filter(report=report).values_list("action", flat=True)
    assert list(actions) == ["requested", "done"]
