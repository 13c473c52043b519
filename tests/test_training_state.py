"""A training's state is one field, and the database refuses a training that breaks its rules."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from digisnap.learning.models import Training
from digisnap.learning.services import training_deactivate, training_reactivate

VALID = {
    "source": "Test",
    "external_id": "t-1",
    "title": "Opleiding",
    "provider": "Aanbieder",
    "url": "https://example.org/t/1",
    "level_from": 1,
    "level_to": 3,
    "format": "online",
    "language": "nl",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"state": "missing"},  # inactive without a date
        {"state": "active", "deactivated_at": timezone.now()},
        {"state": "gone", "deactivated_at": timezone.now()},
        {"level_from": 0, "level_to": 3},
        {"level_to": 7},
        {"duration_minutes": 200_001},
        {"cost_eur": Decimal("999999.99")},
        {"cost_eur": Decimal("-1")},
    ],
)
def test_the_database_refuses_a_training_that_breaks_a_rule(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Training.objects.create(**{**VALID, **fields})


@pytest.mark.django_db
def test_the_largest_allowed_duration_and_cost_are_stored():
    stored = Training.objects.create(**VALID, duration_minutes=200_000, cost_eur=Decimal("100000"))
    assert (stored.duration_minutes, stored.cost_eur) == (200_000, Decimal("100000"))


@pytest.mark.django_db
def test_staff_deactivation_keeps_the_date_an_import_missed_the_training():
    missed_at = timezone.now() - timezone.timedelta(days=3)
    training = Training.objects.create(**VALID, state="missing", deactivated_at=missed_at)
    training_deactivate(training=training)
    training.refresh_from_db()
    assert (training.state, training.deactivated_at) == ("staff", missed_at)
    training_reactivate(training=training)
    training.refresh_from_db()
    assert (training.state, training.deactivated_at, training.is_active) == ("active", None, True)


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_the_three_old_fields_into_one_state():
    executor = MigrationExecutor(connection)
    executor.migrate([("learning", "0002_import_sample_and_deactivation")])
    old = executor.loader.project_state(
        [("learning", "0002_import_sample_and_deactivation")]
    ).apps.get_model("learning", "Training")
    earlier = timezone.now() - timezone.timedelta(days=2)
    rows = {
        "active": {"is_active": True, "deactivation": "staff", "deactivated_at": earlier},
        "staff": {"is_active": False, "deactivation": "staff", "deactivated_at": None},
        "missing": {"is_active": False, "deactivation": "missing", "deactivated_at": earlier},
        "no-reason": {"is_active": False, "deactivation": "", "deactivated_at": earlier},
        "huge": {"is_active": True, "duration_minutes": 3_000_000, "cost_eur": Decimal("500000")},
    }
    for external_id, fields in rows.items():
        old.objects.create(**{**VALID, "external_id": external_id, **fields})

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = {t.external_id: t for t in Training.objects.all()}
    assert {key: t.state for key, t in migrated.items()} == {
        "active": "active",
        "staff": "staff",
        "missing": "missing",
        "no-reason": "missing",
        "huge": "active",
    }
    assert migrated["active"].deactivated_at is None
    assert migrated["staff"].deactivated_at == migrated["staff"].updated_at
    assert migrated["missing"].deactivated_at == earlier
    assert (migrated["huge"].duration_minutes, migrated["huge"].cost_eur) == (None, None)
