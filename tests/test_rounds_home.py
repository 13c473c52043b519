"""The rounds on a teacher's home page: numbered and dated per digisnap, a new round only after a
confirmation, and a round in progress that its owner (and nobody else) may discard."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from digisnap.questionnaires.models import Answer, Response
from digisnap.questionnaires.services import (
    response_discard,
    response_start,
    response_submit,
)
from tests.conftest import answer_all, nl, page_text

BRUSSELS = datetime.timezone(datetime.timedelta(hours=1))
LAST_YEAR = datetime.datetime(2025, 11, 28, 10, 0, tzinfo=BRUSSELS)
TODAY = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=BRUSSELS)
CONFIRMED = {"confirmed": "yes"}


def discard_url(response: Response) -> str:
    return f"/vragenlijst/{response.pk}/verwijderen/"


def round_heading(number: int, date: str) -> str:
    return nl("Round %(number)s, %(date)s") % {"number": number, "date": date}


@pytest.fixture
def two_rounds(teacher, digisnap, framework) -> tuple[Response, Response]:
    """Round 1 submitted last year, round 2 in progress today."""
    with time_machine.travel(LAST_YEAR, tick=False):
        first = response_start(user=teacher, digisnap=digisnap)
        answer_all(first, level=3)
        response_submit(response=first)
    with time_machine.travel(TODAY, tick=False):
        second = response_start(user=teacher, digisnap=digisnap)
        answer_all(second, level=4)
    return first, second


def test_home_lists_each_round_with_its_number_and_date(teacher_client, two_rounds):
    first, second = two_rounds
    with time_machine.travel(TODAY, tick=False):
        text = page_text(teacher_client.get("/"))
    assert round_heading(1, "28 november 2025") in text
    assert round_heading(2, "29 november 2026") in text
    assert text.index(round_heading(2, "29 november 2026")) < text.index(
        round_heading(1, "28 november 2025")
    )
    assert f'href="/resultaat/{first.pk}/"' in text
    assert f'href="/vragenlijst/{second.pk}/"' in text
    assert f'href="{discard_url(second)}"' in text
    assert f'href="{discard_url(first)}"' not in text  # a submitted round is kept
    assert text.count('<li class="card">') == 1  # one card per digisnap


def test_home_shows_dates_in_the_chosen_language(teacher_client, two_rounds):
    teacher_client.cookies["django_language"] = "en"
    with time_machine.travel(TODAY, tick=False):
        text = page_text(teacher_client.get("/"))
    assert "Round 1, 28 November 2025" in text


def test_a_new_round_is_offered_when_the_last_round_is_submitted(teacher_client, submitted):
    text = page_text(teacher_client.get("/"))
    with translation.override("nl"):
        date = formats.date_format(timezone.localtime(submitted.submitted_at), "j F Y")
    assert round_heading(1, date) in text
    assert f'href="/resultaat/{submitted.pk}/nieuwe-ronde/"' in text
    assert nl("Start a new round") in text


def test_no_new_round_is_offered_while_one_is_in_progress(teacher_client, two_rounds):
    first, _second = two_rounds
    text = page_text(teacher_client.get("/"))
    assert f'href="/resultaat/{first.pk}/nieuwe-ronde/"' not in text


def test_no_new_round_is_offered_in_a_closed_digisnap(teacher_client, submitted):
    digisnap = submitted.digisnap
    digisnap.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    digisnap.save()
    text = page_text(teacher_client.get("/"))
    assert "nieuwe-ronde" not in text
    assert f'href="/resultaat/{submitted.pk}/"' in text


# Discarding a round in progress


def test_the_owner_is_asked_before_a_draft_is_discarded(teacher_client, two_rounds):
    _first, second = two_rounds
    page = teacher_client.get(discard_url(second))
    assert page.status_code == 200
    text = page_text(page)
    assert nl("Discard this round?") in text
    assert 'name="confirmed" value="yes"' in text
    assert Response.objects.filter(pk=second.pk).exists()


def test_a_post_without_the_confirmation_discards_nothing(teacher_client, two_rounds):
    _first, second = two_rounds
    assert teacher_client.post(discard_url(second)).status_code == 200
    assert Response.objects.filter(pk=second.pk).exists()


def test_the_owner_discards_a_draft_and_keeps_the_submitted_round(teacher_client, two_rounds):
    first, second = two_rounds
    response = teacher_client.post(discard_url(second), CONFIRMED, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert nl("Your round in progress was discarded.") in page_text(response)
    assert not Response.objects.filter(pk=second.pk).exists()
    assert not Answer.objects.filter(response_id=second.pk).exists()
    first.refresh_from_db()
    assert first.is_submitted
    assert first.answers.count() == 30


def test_discarding_twice_is_harmless(teacher_client, draft):
    teacher_client.post(discard_url(draft), CONFIRMED)
    assert teacher_client.post(discard_url(draft), CONFIRMED).status_code == 404
    assert not Response.objects.exists()


def test_a_submitted_round_cannot_be_discarded(teacher_client, submitted):
    assert teacher_client.get(discard_url(submitted)).status_code == 404
    assert teacher_client.post(discard_url(submitted), CONFIRMED).status_code == 404
    submitted.refresh_from_db()
    assert submitted.is_submitted


@pytest.mark.parametrize("outsider", ["other_teacher_client", "director_client", "staff_client"])
def test_nobody_else_may_discard_a_draft(request, outsider, draft):
    client = request.getfixturevalue(outsider)
    assert client.get(discard_url(draft)).status_code == 404
    assert client.post(discard_url(draft), CONFIRMED).status_code == 404
    assert Response.objects.filter(pk=draft.pk).exists()


def test_anonymous_is_sent_to_sign_in(anonymous_client, draft):
    response = anonymous_client.post(discard_url(draft), CONFIRMED)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={discard_url(draft)}"
    assert Response.objects.filter(pk=draft.pk).exists()


def test_the_service_refuses_a_round_submitted_meanwhile(draft):
    stale = Response.objects.get(pk=draft.pk)
    answer_all(draft)
    response_submit(response=draft)
    with pytest.raises(ValidationError) as refused:
        response_discard(response=stale)
    assert refused.value.messages == [nl("This round was submitted; a submitted round is kept.")]
    assert Response.objects.get(pk=draft.pk).is_submitted


def test_after_discarding_a_new_round_starts_empty(teacher, teacher_client, digisnap, draft):
    answer_all(draft)
    teacher_client.post(discard_url(draft), CONFIRMED)
    response = teacher_client.post(f"/join/{digisnap.code}/")
    fresh = Response.objects.get(user=teacher)
    assert response.url == f"/vragenlijst/{fresh.pk}/"
    assert not fresh.answers.exists()
