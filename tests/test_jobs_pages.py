"""The job pieces of the staff import pages: the JSON status, the progress partial, «Try again»,
and the plain notice when no worker is alive to take a waiting import."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from digisnap.core.health import heartbeat_beat
from digisnap.learning.models import CatalogueImport
from digisnap.learning.services import catalogue_import_create
from tests.catalogue_helpers import json_file, run_import, training
from tests.conftest import nl, page_text

pytestmark = pytest.mark.usefixtures("framework")

NO_WORKER = "No background worker is running right now: this waits until one starts."
NO_WORKER_LOG = "No background worker is running: the queued imports wait until one starts."


@pytest.fixture
def database_tasks(settings):
    """As in production: imports wait in the queue for a worker."""
    settings.TASKS_BACKEND = "database"


@pytest.fixture
def queued_import(db) -> CatalogueImport:
    return catalogue_import_create(kind="json", origin="x.json", payload=json_file([training()]))


def running(catalogue_import: CatalogueImport, *, heartbeat=None, step="Checking the rows"):
    now = timezone.now()
    CatalogueImport.objects.filter(pk=catalogue_import.pk).update(
        status="running",
        attempts=1,
        started_at=now,
        heartbeat_at=heartbeat or now,
        progress=30,
        step=step,
    )
    catalogue_import.refresh_from_db()
    return catalogue_import


def status_url(catalogue_import) -> str:
    return reverse("catalogue:import_status", args=[catalogue_import.pk])


def detail_url(catalogue_import) -> str:
    return reverse("catalogue:import_detail", args=[catalogue_import.pk])


def test_staff_read_the_status_of_a_running_import_as_json(staff_client, queued_import):
    running(queued_import)
    response = staff_client.get(status_url(queued_import), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "running",
        "status_display": "running",
        "in_progress": True,
        "progress": 30,
        "step": "Checking the rows",
        "error": "",
        "waiting_for_worker": False,
    }


def test_the_status_of_a_finished_import_says_it_is_no_longer_in_progress(staff_client):
    done = run_import(json_file([training()]))
    body = staff_client.get(status_url(done)).json()
    assert (body["status"], body["in_progress"], body["progress"]) == ("done", False, 100)


def test_reading_the_status_fails_a_job_whose_worker_died(staff_client, queued_import, settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 120
    running(queued_import, heartbeat=timezone.now() - datetime.timedelta(minutes=5))
    body = staff_client.get(status_url(queued_import)).json()
    assert (body["status"], body["in_progress"]) == ("failed", False)
    assert "120" in body["error"]


def test_the_status_is_refused_to_a_teacher_and_sends_anonymous_visitors_to_sign_in(
    teacher_client, anonymous_client, queued_import
):
    assert teacher_client.get(status_url(queued_import)).status_code == 403
    response = anonymous_client.get(status_url(queued_import))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_status_of_an_unknown_import_is_404(staff_client):
    assert staff_client.get(reverse("catalogue:import_status", args=[999])).status_code == 404


def test_the_status_answers_only_reads(staff_client, queued_import):
    assert staff_client.post(status_url(queued_import)).status_code == 405


def test_a_running_import_shows_a_progress_bar_with_its_step_and_polls_its_status(
    staff_client, queued_import
):
    running(queued_import)
    response = staff_client.get(detail_url(queued_import))
    html = response.content.decode()
    assert re.search(r'<progress id="job-progress" max="100" value="30"', html)
    assert '<label for="job-progress">' in html
    assert re.search(r'role="status" aria-live="polite" data-job-text>[^<]*Checking the rows', html)
    assert f'data-job-status-url="{status_url(queued_import)}"' in html
    assert 'src="/static/digisnap/job.js"' in html
    assert "<script>" not in html  # no inline script: the page works under a strict CSP


def test_a_failed_import_shows_the_reason_and_a_try_again_button(staff_client, queued_import):
    CatalogueImport.objects.filter(pk=queued_import.pk).update(
        status="failed", error="HTTP 503", finished_at=timezone.now()
    )
    response = staff_client.get(detail_url(queued_import))
    html = response.content.decode()
    assert "<progress" not in html
    assert re.search(r'role="alert">[^<]*HTTP 503', html)
    assert f'action="{reverse("catalogue:import_retry", args=[queued_import.pk])}"' in html


def test_retrying_runs_the_same_import_again(
    staff_client, queued_import, django_capture_on_commit_callbacks
):
    CatalogueImport.objects.filter(pk=queued_import.pk).update(
        status="failed", error="HTTP 503", finished_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("catalogue:import_retry", args=[queued_import.pk]))
    assert response.url == detail_url(queued_import)
    queued_import.refresh_from_db()
    assert (queued_import.status, queued_import.added, queued_import.error) == ("done", 1, "")


def test_the_retry_is_refused_to_a_teacher_and_sends_anonymous_visitors_to_sign_in(
    teacher_client, anonymous_client, queued_import
):
    CatalogueImport.objects.filter(pk=queued_import.pk).update(
        status="failed", error="HTTP 503", finished_at=timezone.now()
    )
    retry = reverse("catalogue:import_retry", args=[queued_import.pk])
    assert teacher_client.post(retry).status_code == 403
    assert anonymous_client.post(retry).status_code == 302
    queued_import.refresh_from_db()
    assert queued_import.status == "failed"


def test_a_waiting_import_says_plainly_that_no_worker_is_running(
    staff_client, queued_import, database_tasks
):
    detail = page_text(staff_client.get(detail_url(queued_import)))
    assert nl(NO_WORKER) in detail
    assert "data-job-waiting hidden" not in detail
    log = page_text(staff_client.get(reverse("catalogue:imports")))
    assert nl(NO_WORKER_LOG) in log
    assert staff_client.get(status_url(queued_import)).json()["waiting_for_worker"] is True


def test_with_a_live_worker_the_notice_stays_hidden(staff_client, queued_import, database_tasks):
    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    html = staff_client.get(detail_url(queued_import)).content.decode()
    assert "data-job-waiting hidden" in html
    assert nl(NO_WORKER_LOG) not in page_text(staff_client.get(reverse("catalogue:imports")))
    assert staff_client.get(status_url(queued_import)).json()["waiting_for_worker"] is False


def test_a_running_import_needs_no_notice_even_without_a_worker_row(
    staff_client, queued_import, database_tasks
):
    running(queued_import)
    assert "data-job-waiting hidden" in staff_client.get(detail_url(queued_import)).content.decode()
