"""Imports keep one source's catalogue in step with its file: idempotent, updating, deactivating."""

from decimal import Decimal

import pytest
import time_machine

from digisnap.learning.models import Training
from digisnap.learning.services import training_deactivate, training_reactivate
from tests.catalogue_helpers import csv_file, json_file, run_import, training

pytestmark = pytest.mark.usefixtures("framework")

FILE = [training(1), training(2), training(3)]


def counts(done) -> tuple[int, int, int, int, int]:
    return (done.added, done.updated, done.unchanged, done.deactivated, done.refused)


def state(**filters) -> dict[str, tuple]:
    return {
        t.external_id: (t.title, t.state, t.updated_at, t.deactivated_at)
        for t in Training.objects.filter(**filters)
    }


def codes(external_id: str) -> list[str]:
    return sorted(
        Training.objects.get(external_id=external_id).competences.values_list(
            "competence_code", flat=True
        )
    )


def test_importing_the_same_file_again_changes_nothing():
    with time_machine.travel("2026-09-01 10:00 +02:00", tick=False):
        assert counts(run_import(json_file(FILE))) == (3, 0, 0, 0, 0)
    before = state()
    with time_machine.travel("2026-09-02 10:00 +02:00", tick=False):
        again = run_import(json_file(FILE))
    assert (again.status, counts(again)) == ("done", (0, 0, 3, 0, 0))
    assert state() == before  # updated_at not bumped


def test_the_same_data_as_csv_is_just_as_unchanged():
    run_import(csv_file(FILE), kind="csv", source="Test")
    assert counts(run_import(csv_file(FILE), kind="csv", source="Test")) == (0, 0, 3, 0, 0)


def test_a_changed_row_is_updated_and_its_competences_are_resynced():
    with time_machine.travel("2026-09-01 10:00 +02:00", tick=False):
        run_import(json_file(FILE))
    untouched = Training.objects.get(external_id="t-1").updated_at
    changed = [
        training(1),
        training(2, title="Nieuwe titel", cost_eur="30", competences=["2.3", "4.1"]),
        training(3),
    ]
    with time_machine.travel("2026-09-02 10:00 +02:00", tick=False):
        done = run_import(json_file(changed))
    assert counts(done) == (0, 1, 2, 0, 0)
    second = Training.objects.get(external_id="t-2")
    assert (second.title, second.cost_eur) == ("Nieuwe titel", Decimal("30"))
    assert second.updated_at.date().isoformat() == "2026-09-02"
    assert codes("t-2") == ["2.3", "4.1"]
    assert Training.objects.get(external_id="t-1").updated_at == untouched


def test_a_new_sample_flag_counts_as_an_update():
    run_import(json_file(FILE))
    assert counts(run_import(json_file(FILE, sample=True))) == (0, 3, 0, 0, 0)
    assert not Training.objects.filter(is_sample=False).exists()


def test_a_row_missing_from_the_file_is_deactivated_not_deleted():
    run_import(json_file(FILE))
    with time_machine.travel("2026-09-03 08:00 +02:00", tick=False):
        done = run_import(json_file(FILE[:2]))
    assert counts(done) == (0, 0, 2, 1, 0)
    gone = Training.objects.get(external_id="t-3")
    assert gone.state == "missing"
    assert gone.deactivated_at.date().isoformat() == "2026-09-03"
    assert codes("t-3") == ["2.1", "2.3"]
    assert counts(run_import(json_file(FILE[:2]))) == (0, 0, 2, 0, 0)


def test_a_row_that_comes_back_is_reactivated_and_counted_as_updated():
    run_import(json_file(FILE))
    run_import(json_file(FILE[:2]))
    done = run_import(json_file(FILE))
    assert counts(done) == (0, 1, 2, 0, 0)
    back = Training.objects.get(external_id="t-3")
    assert (back.state, back.deactivated_at) == ("active", None)


def test_an_import_never_touches_another_sources_trainings():
    run_import(json_file(FILE, source="KlasCement"))
    klascement = state(source="KlasCement")
    done = run_import(json_file([training(1, title="Andere bron")], source="Andere"))
    assert counts(done) == (1, 0, 0, 0, 0)  # the same external id, but another source
    assert Training.objects.get(source="Andere").title == "Andere bron"
    assert counts(run_import(json_file([training(9)], source="Andere"))) == (1, 0, 0, 1, 0)
    assert state(source="KlasCement") == klascement


def test_a_training_staff_deactivated_stays_inactive_when_the_feed_still_has_it():
    run_import(json_file(FILE))
    training_deactivate(training=Training.objects.get(external_id="t-2"))
    assert counts(run_import(json_file(FILE))) == (0, 0, 3, 0, 0)
    assert not Training.objects.get(external_id="t-2").is_active
    done = run_import(json_file([training(1), training(2, title="Nieuw"), training(3)]))
    assert counts(done) == (0, 1, 2, 0, 0)
    kept = Training.objects.get(external_id="t-2")
    assert (kept.title, kept.state) == ("Nieuw", "staff")


def test_staff_can_reactivate_and_the_next_import_deactivates_a_dropped_row_again():
    run_import(json_file(FILE))
    run_import(json_file(FILE[:2]))
    training_reactivate(training=Training.objects.get(external_id="t-3"))
    assert Training.objects.get(external_id="t-3").is_active
    assert counts(run_import(json_file(FILE[:2]))) == (0, 0, 2, 1, 0)


def test_staff_deactivation_of_a_dropped_row_makes_it_stay_inactive_when_it_returns():
    run_import(json_file(FILE))
    run_import(json_file(FILE[:2]))
    training_deactivate(training=Training.objects.get(external_id="t-3"))
    run_import(json_file(FILE))
    assert Training.objects.get(external_id="t-3").state == "staff"
