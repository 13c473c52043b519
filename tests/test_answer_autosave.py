"""POST /vragenlijst/<pk>/antwoord/: every answer is saved the moment it is given."""

import pytest

from digisnap.core.levels import Level
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
    assert response.json() == {"saved": True, "answered": 1}
    assert draft.answers.get().level == Level.B2


def test_i_dont_know_is_an_answer(teacher_client, draft, item):
    response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.UNKNOWN})
    assert response.json()["answered"] == 1
    assert draft.answers.get(item=item).level == Level.UNKNOWN


def test_a_change_of_mind_overwrites_the_answer(teacher_client, draft, item):
    teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.A2})
    response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": Level.C1})
    assert response.json() == {"saved": True, "answered": 1}
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


def test_anonymous_is_sent_to_sign_in(anonymous_client, draft, item):
    response = anonymous_client.post(autosave_url(draft), {"item": item.pk, "level": 3})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert not draft.answers.exists()


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
