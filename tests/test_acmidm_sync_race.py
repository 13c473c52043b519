"""Two ACM/IDM sign-ins of one person at the same moment (two tabs, a double click on the
provider's page) add the right once: the sync holds a lock on the person while it compares
(PostgreSQL; SQLite has one writer, so it cannot race)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from digisnap.rights.models import Right
from tests.conftest import make_user
from tests.test_acmidm_sync import MORNING, role, sync
from tests.test_answers_save_race import backends_waiting_for_a_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has one writer for the whole database"
    ),
]


@pytest.fixture
def director(db):
    return make_user("acm.race@test.example", first_name="Ann", last_name="Acm")


def sync_in_another_connection(user, errors: list) -> None:
    try:
        sync(user, [role("012345")], now=MORNING)
    except Exception as error:  # noqa: BLE001 — reported to the test below
        errors.append(error)
    finally:
        connections.close_all()


def test_two_sign_ins_at_once_add_the_right_once(director, institution):
    errors: list[Exception] = []
    with transaction.atomic():
        sync(director, [role("012345")], now=MORNING)
        other = threading.Thread(target=sync_in_another_connection, args=(director, errors))
        other.start()
        for _attempt in range(100_000):
            if backends_waiting_for_a_lock():
                break
        else:
            pytest.fail("the second sign-in never waited for the first")
    other.join()
    assert errors == []
    assert Right.objects.filter(user=director, source=Right.Source.ACMIDM).count() == 1
