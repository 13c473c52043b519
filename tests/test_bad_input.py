"""No 500 on bad input in the teacher's views: what a hand-made request sends is refused politely."""

import pytest

from digisnap.core.levels import Level
from digisnap.questionnaires.models import Item
from tests.conftest import nl, page_text

# Each is text a browser can send as an answer; none of them is one of the levels offered.
NOT_A_LEVEL = [
    "²",  # "²".isdigit() is True, int("²") raises
    "٣",  # an Arabic-Indic three: int("٣") == 3, still not what the form offered
    "9" * 5000,  # a huge number
    "7",
    "B2",
    "\x00",
]


def first_items(area_code: str = "1") -> list[Item]:
    return list(Item.objects.filter(competence__area__code=area_code).order_by("position"))


def page_url(response, area_code: str = "1") -> str:
    return f"/vragenlijst/{response.pk}/deel/{area_code}/"


def autosave_url(response) -> str:
    return f"/vragenlijst/{response.pk}/antwoord/"


@pytest.mark.parametrize("value", NOT_A_LEVEL)
def test_the_page_marks_an_answer_that_is_not_a_level_and_saves_the_others(
    teacher_client, draft, value
):
    bad, good, *_rest = first_items()
    data = {f"item-{bad.pk}": value, f"item-{good.pk}": "5", "go": "next"}
    response = teacher_client.post(page_url(draft), data)
    assert response.status_code == 400
    assert f'<fieldset class="item has-error" id="item-{bad.pk}"' in response.content.decode()
    assert nl("Choose one of the answers.") in page_text(response)
    assert dict(draft.answers.values_list("item_id", "level")) == {good.pk: 5}


def test_the_page_shows_again_what_was_chosen_next_to_the_refused_answer(teacher_client, draft):
    bad, good, *_rest = first_items()
    data = {f"item-{bad.pk}": "²", f"item-{good.pk}": "2", "go": "next"}
    html = teacher_client.post(page_url(draft), data).content.decode()
    assert f'id="item-{good.pk}-2" value="2" data-item="{good.pk}" checked' in html
    assert f'data-item="{bad.pk}" checked' not in html


@pytest.mark.parametrize(
    "data",
    [
        {},  # no answers and no button
        {"go": ""},
        {"item-abc": "3", "go": "next"},
        {"item-": "3", "item-99999999999999999999": "3", "go": "next"},
        {"go": "area:" + "9" * 1000},
    ],
)
def test_the_page_takes_missing_or_unknown_fields_without_an_error(teacher_client, draft, data):
    response = teacher_client.post(page_url(draft), data)
    assert response.status_code == 302
    assert not draft.answers.exists()


def test_an_empty_answer_leaves_the_question_open(teacher_client, draft):
    first, second, *_rest = first_items()
    data = {f"item-{first.pk}": "", f"item-{second.pk}": "4", "go": "next"}
    assert teacher_client.post(page_url(draft), data).status_code == 302
    assert dict(draft.answers.values_list("item_id", "level")) == {second.pk: 4}


@pytest.mark.parametrize("area_code", ["9", "1.1", "x" * 500])
def test_a_wrong_part_is_not_found(teacher_client, draft, area_code):
    assert teacher_client.get(page_url(draft, area_code)).status_code == 404
    assert teacher_client.post(page_url(draft, area_code), {"go": "next"}).status_code == 404


@pytest.mark.parametrize("value", NOT_A_LEVEL + [""])
def test_the_autosave_refuses_a_level_that_is_not_offered(teacher_client, draft, value):
    item = first_items()[0]
    response = teacher_client.post(autosave_url(draft), {"item": item.pk, "level": value})
    assert response.status_code == 400
    assert response.json()["error"] == nl("Choose one of the answers.")
    assert not draft.answers.exists()


@pytest.mark.parametrize("value", ["²", "", "9" * 5000, "0", "1e3"])
def test_the_autosave_refuses_an_item_that_is_not_a_question_number(teacher_client, draft, value):
    response = teacher_client.post(autosave_url(draft), {"item": value, "level": Level.B1})
    assert response.status_code == 400
    assert not draft.answers.exists()


def test_the_autosave_refuses_a_request_without_fields(teacher_client, draft):
    response = teacher_client.post(autosave_url(draft))
    assert response.status_code == 400
    assert response.json()["error"] == nl("Choose one of the answers.")


def test_the_autosave_refuses_a_question_number_that_does_not_exist(teacher_client, draft):
    response = teacher_client.post(autosave_url(draft), {"item": 2**31 - 1, "level": Level.B1})
    assert response.status_code == 409
    assert not draft.answers.exists()
