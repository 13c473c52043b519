"""POST /vragenlijst/<pk>/antwoord/: every answer is saved the moment it is given."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from digisnap.core.levels import Level
from digisnap.questionnaires import services
from digisnap.questionnaires.models import Answer, Item
from digisnap.questionnaires.services import framework_load
from tests.conftest import MINI_FRAMEWORK, nl


@pytest.fixture
def item(framework) -> Item:
    return Item.objects.get(code="2.1.1")


def autosave_url(response) -> str:
    return f"/vragenlijst/{response.pk}/antwoord/"


def test_it_saves_an_answer_and_returns_the_progress(teacher_client, draft, item):
    response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.B2})
    assert response.status_code == 200
    assert response.json() == {"saved": True, "stored": True, "answered": 1}
    assert draft.answers.get().level == Level.B2


def test_i_dont_know_is_an_answer(teacher_client, draft, item):
    response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.UNKNOWN})
    assert response.json()["answered"] == 1
    assert draft.answers.get(item=item).level == Level.UNKNOWN


def test_a_change_of_mind_overwrites_the_answer(teacher_client, draft, item):
    teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.A2})
    response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.C1})
    assert response.json() == {"saved": True, "stored": True, "answered": 1}
    assert Answer.objects.filter(response=draft, item=item).count() == 1
    assert draft.answers.get(item=item).level == Level.C1


def test_the_progress_counts_every_answered_question(teacher_client, draft):
    items = Item.objects.order_by("position")[:3]
    counts = [
        teacher_client.post(autosave_url(draft), {"item": i.pk, "level": 3}).json()["answered"]
        for i in items
    ]
    assert counts == [1, 2, 3]


@pytest.mark.parametrize(
    "data",
    [
        {"level": "3"},
        {"item": "x", "level": "3"},
        {"item": "ITEM"},
        {"item": "ITEM", "level": ""},
        {"item": "ITEM", "level": "drie"},
    ],
)
def test_incomplete_or_malformed_input_is_refused(teacher_client, draft, item, data):
    data = {key: str(item.pk) if value == "ITEM" else value for key, value in data.items()}
    response = teacher_client.post(autosave_url(draft), data)
    assert response.status_code == 400
    assert response.json()["error"] == nl("Choose one of the answers.")
    assert not draft.answers.exists()


@pytest.mark.parametrize("level", [7, -1, 99])
def test_a_level_outside_a1_to_c2_is_refused(teacher_client, draft, item, level):
    response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": level})
    assert response.status_code == 400
    assert response.json()["error"] == nl("Choose one of the answers.")
    assert not draft.answers.exists()


def test_an_unknown_item_is_refused(teacher_client, draft):
    response = teacher_client.post(autosave_url(draft), {"item": 999999, "level": 3})
    assert response.status_code == 409
    assert not draft.answers.exists()


def test_an_item_of_another_framework_is_refused(teacher_client, draft, framework_file):
    other, _created = framework_load(path=framework_file(MINI_FRAMEWORK), make_current=False)
    foreign = Item.objects.get(competence__area__framework=other)
    response = teacher_client.post(autosave_url(draft), {"item": foreign.pk, "level": 3})
    assert response.status_code == 409
    assert response.json()["error"] == nl("This question is not part of your questionnaire.")
    assert not draft.answers.exists()


def test_a_submitted_round_keeps_its_answers(teacher_client, submitted, item):
    response = teacher_client.post(autosave_url(submitted), {"item": item.pk, "level": 1})
    assert response.status_code == 409
    assert response.json()["error"] == nl("This questionnaire was already submitted.")
    assert submitted.answers.get(item=item).level == Level.B2


def test_get_is_not_allowed(teacher_client, draft):
    assert teacher_client.get(autosave_url(draft)).status_code == 405


def test_a_signed_out_teacher_reads_why_in_json(anonymous_client, draft, item):
    response = anonymous_client.post(autosave_url(draft), {"item": item.pk, "level": 3})
    assert response.status_code == 403
    assert response.json()["error"] == nl(
        "You are signed out. Sign in again; your other answers are kept."
    )
    assert not draft.answers.exists()


def test_the_later_click_wins_when_the_earlier_arrives_last(teacher_client, draft, item):
    later = teacher_client.post(
        autosave_url(draft), {"item": item.pk, "level": Level.C1, "sequence": 2000}
    )
    earlier = teacher_client.post(
        autosave_url(draft), {"item": item.pk, "level": Level.A2, "sequence": 1000}
    )
    assert later.json() == {"saved": True, "stored": True, "answered": 1}
    # The earlier click is not an error for the teacher: a newer choice is already saved.
    assert earlier.json() == {"saved": True, "stored": False, "answered": 1}
    answer = draft.answers.get(item=item)
    assert (answer.level, answer.sequence) == (Level.C1, 2000)


def test_a_newer_click_overwrites_an_older_one(teacher_client, draft, item):
    teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.A2, "sequence": 1})
    teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.B1, "sequence": 2})
    assert draft.answers.get(item=item).level == Level.B1


def test_ordering_is_per_question(teacher_client, draft, item):
    other = Item.objects.get(code="2.1.2")
    teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.C1, "sequence": 9})
    response = teacher_client.post(
        autosave_url(draft), {"item": other.pk, "level": Level.A1, "sequence": 5}
    )
    assert response.json()["stored"] is True
    assert dict(draft.answers.values_list("item_id", "level")) == {
        item.pk: Level.C1,
        other.pk: Level.A1,
    }


@pytest.mark.parametrize("sequence", ["", "abc", "-5", "1e9", "9" * 19])
def test_a_malformed_sequence_counts_as_chosen_now(teacher_client, draft, item, sequence):
    teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.A2, "sequence": 7})
    response = teacher_client.post(
        autosave_url(draft), {"item": item.pk, "level": Level.B2, "sequence": sequence}
    )
    assert response.json()["stored"] is True
    assert draft.answers.get(item=item).level == Level.B2


def test_a_sequence_from_the_future_cannot_lock_the_answer(teacher_client, draft, item):
    future = services.clock_ms() + 10 * 365 * 24 * 3600 * 1000
    teacher_client.post(
        autosave_url(draft), {"item": item.pk, "level": Level.A2, "sequence": future}
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.C2})
    assert draft.answers.get(item=item).level == Level.C2


def test_the_page_form_overrides_an_autosave_that_arrives_after_it(teacher_client, draft, item):
    """The page form posts what the screen shows; a click made before it and delayed loses."""
    clicked = services.clock_ms()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=1)):
        teacher_client.post(
            f"/vragenlijst/{draft.pk}/deel/2/", {f"item-{item.pk}": Level.B1, "go": "stop"}
        )
    teacher_client.post(
        autosave_url(draft), {"item": item.pk, "level": Level.A1, "sequence": clicked}
    )
    assert draft.answers.get(item=item).level == Level.B1


def test_it_rejects_another_teacher(other_teacher_client, draft, item):
    response = other_teacher_client.post(autosave_url(draft), {"item": item.pk, "level": 3})
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_saving_an_answer_takes_a_fixed_number_of_queries(
    teacher_client, draft, item, django_assert_num_queries
):
    # session, user, own round (access check), lock the round, one upsert, progress count, and
    # the savepoint around the write — however many answers; the framework's item ids are read
    # once per process (the warm-up requests below)
    for other in Item.objects.exclude(pk=item.pk)[:20]:
        teacher_client.post(autosave_url(draft), {"item": other.pk, "level": 3})
    with django_assert_num_queries(8):
        response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": 4})
    assert response.json()["answered"] == 21
