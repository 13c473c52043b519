"""Two platform admins approving the same request at once create one set (PostgreSQL row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from digisnap.schools import services
from digisnap.schools.models import AccessRequest, Digisnap, Institution, InstitutionManager
from tests.conftest import make_user
from tests.test_answers_save_race import backends_waiting_for_a_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has one writer for the whole database"
    ),
]


def submitted_request() -> AccessRequest:
    return services.access_request_submit(
        institution_number="045678",
        school_name="Sint-Jozef",
        community=None,
        community_name="Scholengemeenschap Noord",
        education_level="secundair",
        first_name="Greet",
        last_name="Goossens",
        function="directeur",
        email="greet@school.example",
        language="nl",
        lists=["Dag", "Avond"],
    )


def approve_in_another_connection(pk: int, admin, outcome: list) -> None:
    try:
        services.access_request_approve(
            access_request=AccessRequest.objects.get(pk=pk), decided_by=admin
        )
        outcome.append("approved")
    except services.AccessRequestAlreadyDecided:
        outcome.append("already decided")
    finally:
        connections.close_all()


def test_a_second_approval_waits_for_the_first_and_then_changes_nothing():
    access_request = submitted_request()
    first, second = (make_user(f"beheer-{n}@test.example", is_staff=True) for n in ("een", "twee"))
    outcome: list[str] = []
    with transaction.atomic():
        services.access_request_approve(access_request=access_request, decided_by=first)
        other = threading.Thread(
            target=approve_in_another_connection, args=(access_request.pk, second, outcome)
        )
        other.start()
        for _attempt in range(100_000):
            if backends_waiting_for_a_lock():
                break
        else:
            pytest.fail("the second approval never waited for the first")
        assert outcome == []
    other.join()
    assert outcome == ["already decided"]
    assert Institution.objects.count() == 1
    assert Digisnap.objects.count() == 2
    assert InstitutionManager.objects.count() == 1
    assert AccessRequest.objects.get().decided_by == first


def test_two_admins_at_the_same_moment_create_one_set():
    access_request = submitted_request()
    admins = [make_user(f"beheer-{n}@test.example", is_staff=True) for n in range(2)]
    outcome: list[str] = []
    start = threading.Barrier(2)

    def approve(admin):
        start.wait()
        approve_in_another_connection(access_request.pk, admin, outcome)

    threads = [threading.Thread(target=approve, args=(admin,)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome) == ["already decided", "approved"]
    assert Digisnap.objects.count() == 2
    assert InstitutionManager.objects.count() == 1
