"""The import runs as a background task: enqueued on commit, idempotent, a crash is recorded."""

import pytest
from django.core.management import call_command

from digisnap.learning import services
from digisnap.learning.models import CatalogueImport, Training
from digisnap.learning.services import catalogue_import_create, catalogue_import_request
from digisnap.learning.tasks import catalogue_import_task
from tests.catalogue_helpers import json_file, training

pytestmark = pytest.mark.usefixtures("framework")


def queued(*trainings) -> CatalogueImport:
    return catalogue_import_create(
        kind="json", origin="upload.json", payload=json_file(list(trainings) or [training()])
    )


def test_the_task_runs_a_queued_import():
    catalogue_import = queued(training(1), training(2))
    result = catalogue_import_task.enqueue(catalogue_import.pk)
    assert result.return_value == "done"
    catalogue_import.refresh_from_db()
    assert (catalogue_import.status, catalogue_import.added) == ("done", 2)
    assert catalogue_import.finished_at is not None


def test_a_requested_import_is_enqueued_only_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        catalogue_import = catalogue_import_request(
            kind="json", origin="upload.json", payload=json_file([training()])
        )
        assert CatalogueImport.objects.get().status == "queued"
    assert len(callbacks) == 1
    catalogue_import.refresh_from_db()
    assert catalogue_import.status == "done"


def test_a_done_import_is_not_run_again():
    catalogue_import = queued(training(1))
    catalogue_import_task.enqueue(catalogue_import.pk)
    Training.objects.update(title="Met de hand veranderd")
    assert catalogue_import_task.enqueue(catalogue_import.pk).return_value == "done"
    catalogue_import.refresh_from_db()
    assert (catalogue_import.added, catalogue_import.unchanged) == (1, 0)
    assert Training.objects.get().title == "Met de hand veranderd"


def test_a_crash_inside_the_task_marks_the_import_failed_with_the_reason(monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "catalogue_apply", crash)
    catalogue_import = queued(training(1))
    assert catalogue_import_task.enqueue(catalogue_import.pk).return_value == "failed"
    catalogue_import.refresh_from_db()
    assert catalogue_import.status == "failed"
    assert catalogue_import.error == "RuntimeError: the disk is full"
    assert not Training.objects.exists()


def test_a_crash_halfway_through_the_catalogue_changes_rolls_all_of_them_back(monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("constraint")

    from digisnap.learning.models import TrainingCompetence

    monkeypatch.setattr(TrainingCompetence.objects, "bulk_create", crash)
    catalogue_import = queued(training(1))
    catalogue_import_task.enqueue(catalogue_import.pk)
    catalogue_import.refresh_from_db()
    assert catalogue_import.status == "failed"
    assert not Training.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_background_worker_runs_a_requested_import(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    catalogue_import = catalogue_import_request(
        kind="json", origin="upload.json", payload=json_file([training()])
    )
    assert CatalogueImport.objects.get().status == "queued"
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    catalogue_import.refresh_from_db()
    assert (catalogue_import.status, catalogue_import.added) == ("done", 1)
