"""Counts read right in both languages («1 vraag», «2 vragen»), and the site has its icon."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from digisnap.questionnaires.models import Item
from digisnap.questionnaires.services import answers_save, response_submit
from tests.conftest import answer_all, nl_plural, page_text

IN_PROGRESS = (
    "In progress: %(answered)s question answered.",
    "In progress: %(answered)s questions answered.",
)
STILL_OPEN = (
    "%(count)d question still needs an answer.",
    "%(count)d questions still need an answer.",
)


def _items(draft, count: int) -> list[int]:
    return list(
        Item.objects.filter(competence__area__framework_id=draft.framework_id)
        .order_by("position")
        .values_list("pk", flat=True)[:count]
    )


@pytest.mark.parametrize("answered", [1, 2])
def test_home_counts_answered_questions_with_the_right_form(teacher_client, draft, answered):
    answers_save(response=draft, levels=dict.fromkeys(_items(draft, answered), 3))
    text = page_text(teacher_client.get("/"))
    assert nl_plural(*IN_PROGRESS, answered) % {"answered": answered} in text


@pytest.mark.parametrize(("answered", "expected"), [(1, "1 question answered"), (2, "2 questions")])
def test_home_in_english_says_question_or_questions(teacher, draft, answered, expected):
    answers_save(response=draft, levels=dict.fromkeys(_items(draft, answered), 3))
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(teacher)
    assert f"In progress: {expected}" in page_text(client.get("/"))


@pytest.mark.parametrize("open_questions", [1, 2])
def test_submitting_names_the_open_questions_with_the_right_form(draft, open_questions):
    answer_all(draft)
    draft.answers.filter(item_id__in=_items(draft, open_questions)).delete()
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        response_submit(response=draft)
    assert refused.value.messages == [
        nl_plural(*STILL_OPEN, open_questions) % {"count": open_questions}
    ]


def test_singular_and_plural_differ_in_english():
    with translation.override("en"):
        assert translation.ngettext(*STILL_OPEN, 1) % {"count": 1} == (
            "1 question still needs an answer."
        )
        assert translation.ngettext(*STILL_OPEN, 2) % {"count": 2} == (
            "2 questions still need an answer."
        )


def test_favicon_ico_is_served_to_everybody(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO signature
    assert "max-age=86400" in response["Cache-Control"]


def test_pages_link_the_svg_and_png_icons_and_they_are_served(client, db):
    text = client.get("/").content.decode()
    for name in ("favicon.svg", "favicon-32.png", "apple-touch-icon.png"):
        assert f"/static/digisnap/{name}" in text
        served = client.get(f"/static/digisnap/{name}")
        assert served.status_code == 200
