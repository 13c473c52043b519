"""Answers racing a submit or each other: the round's row lock orders them (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from digisnap.core.levels import Level
from digisnap.questionnaires.models import Item, Response
from digisnap.questionnaires.services import answers_save, response_start
from tests.conftest import answer_all, nl

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has one writer for the whole database"
    ),
]


def backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing its first look at the activity; refresh it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def save_in_another_connection(response: Response, levels: dict[int, int], outcome: list) -> None:
    try:
        answers_save(response=response, levels=levels)
        outcome.append("saved")
    except ValidationError as exc:
        outcome.extend(exc.messages)
    finally:
        connections.close_all()


def test_an_answer_that_arrives_during_a_submit_waits_and_is_then_refused(
    teacher, digisnap, framework
):
    draft = response_start(user=teacher, digisnap=digisnap)
    answer_all(draft, level=Level.B1)
    item = Item.objects.filter(competence__area__framework=framework).first()
    outcome: list[str] = []
    with transaction.atomic():
        # What response_submit holds while it scores: the round's row lock.
        Response.objects.select_for_update().get(pk=draft.pk)
        saver = threading.Thread(
            target=save_in_another_connection, args=(draft, {item.pk: Level.C2}, outcome)
        )
        saver.start()
        for _attempt in range(100_000):  # until the other connection waits on the round's lock
            if backends_waiting_for_a_lock():
                break
        else:
            pytest.fail("the answer never waited for the round's lock")
        assert outcome == [], "the answer did not wait for the submit"
        Response.objects.filter(pk=draft.pk).update(
            status=Response.Status.SUBMITTED, submitted_at=timezone.now()
        )
    saver.join()
    assert outcome == [nl("This questionnaire was already submitted.")]
    assert draft.answers.get(item=item).level == Level.B1


def test_an_older_click_that_waited_for_the_lock_does_not_overwrite_a_newer_one(
    teacher, digisnap, framework
):
    """The newer click's save holds the round's lock; the older one waits, then changes nothing."""
    draft = response_start(user=teacher, digisnap=digisnap)
    item = Item.objects.filter(competence__area__framework=framework).first()
    outcome: list = []

    def older_click() -> None:
        try:
            outcome.append(
                answers_save(response=draft, levels={item.pk: Level.A2}, sequences={item.pk: 100})
            )
        finally:
            connections.close_all()

    with transaction.atomic():
        assert answers_save(
            response=draft, levels={item.pk: Level.C1}, sequences={item.pk: 200}
        ) == {item.pk}
        saver = threading.Thread(target=older_click)
        saver.start()
        for _attempt in range(100_000):
            if backends_waiting_for_a_lock():
                break
        else:
            pytest.fail("the older save never waited for the round's lock")
    saver.join()
    assert outcome == [set()]  # nothing written
    answer = draft.answers.get(item=item)
    assert (answer.level, answer.sequence) == (Level.C1, 200)
