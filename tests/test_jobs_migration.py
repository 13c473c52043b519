"""Migration 0004_catalogue_import_job keeps every import and maps it onto the job model."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from digisnap.learning.models import CatalogueImport

BEFORE = [("learning", "0003_training_state")]
AFTER = [("learning", "0004_catalogue_import_job")]
MORNING = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_imports_keep_their_data_and_a_stuck_one_can_be_swept():
    old = migrate(BEFORE).get_model("learning", "CatalogueImport")
    rows = {
        status: old.objects.create(kind="json", origin=f"{status}.json", status=status, added=3)
        for status in ("queued", "running", "done", "refused", "failed")
    }
    old.objects.filter(status__in=["done", "refused"]).update(finished_at=MORNING)
    old.objects.filter(status="failed").update(
        errors=[{"row": 0, "field": "", "message": "HTTP 500"}]
    )
    try:
        migrate(AFTER)
        imports = {item.status: item for item in CatalogueImport.objects.all()}
        assert {status: item.pk for status, item in imports.items()} == {
            status: row.pk for status, row in rows.items()
        }
        assert all(item.added == 3 for item in imports.values())
        assert (imports["done"].progress, imports["done"].finished_at) == (100, MORNING)
        assert imports["failed"].error == "HTTP 500"
        assert imports["failed"].finished_at == imports["failed"].created_at
        assert imports["failed"].retryable
        assert imports["running"].heartbeat_at == imports["running"].created_at
        assert (imports["queued"].attempts, imports["queued"].started_at) == (0, None)
        assert {item.language for item in imports.values()} == {"nl"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
