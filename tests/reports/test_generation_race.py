"""«Genereer» pressed twice at the same moment (a double click, two tabs of one form) makes one
report: the form's token is unique in the database, and the second press finds the first one's
report once it is committed (PostgreSQL; SQLite has one writer, so it cannot race)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from digisnap.reports import services
from digisnap.reports.models import Report, ReportEvent
from tests.reports.helpers import FORM, client_for, form_data
from tests.test_answers_save_race import backends_waiting_for_a_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has one writer for the whole database"
    ),
]


def request_in_another_connection(world, token: uuid.UUID, outcome: list) -> None:
    try:
        report = services.report_request(
            user=world.director,
            digisnap_ids=[world.a1.pk],
            title="Tweede druk",
            include_training=False,
            token=token,
        )
        outcome.append(report.pk)
    finally:
        connections.close_all()


def test_the_second_press_waits_for_the_first_and_gets_its_report(world):
    token = uuid.uuid4()
    outcome: list[int] = []
    with transaction.atomic():
        first = services.report_request(
            user=world.director,
            digisnap_ids=[world.a1.pk],
            title="Eerste druk",
            include_training=False,
            token=token,
        )
        other = threading.Thread(target=request_in_another_connection, args=(world, token, outcome))
        other.start()
        for _attempt in range(100_000):
            if backends_waiting_for_a_lock():
                break
        else:
            pytest.fail("the second press never waited for the first")
        assert outcome == []
    other.join()
    assert outcome == [first.pk]
    assert Report.objects.count() == 1
    assert Report.objects.get().title == "Eerste druk"
    assert ReportEvent.objects.filter(action="requested").count() == 1


def test_two_requests_of_one_form_at_the_same_moment_make_one_report(world):
    data = form_data(world.a1, world.a2, title="Dubbelklik")
    start = threading.Barrier(2)
    locations: list[str] = []

    def press():
        try:
            client = client_for(world.director)
            start.wait()
            answer = client.post(FORM, data)
            locations.append(answer["Location"])
        finally:
            connections.close_all()

    presses = [threading.Thread(target=press) for _ in range(2)]
    for thread in presses:
        thread.start()
    for thread in presses:
        thread.join()
    report = Report.objects.get()
    assert locations == [reverse("reports:report_job", args=[report.pk])] * 2
    assert ReportEvent.objects.filter(action="requested").count() == 1
    assert report.status == "done"
    assert report.attempts == 1
