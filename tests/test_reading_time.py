"""The start page states how long the questionnaire takes, measured on the framework's own texts."""

import math

import pytest
from django.utils import translation

from digisnap.questionnaires.selectors import (
    CHOOSING_SECONDS_PER_ITEM,
    READING_WORDS_PER_MINUTE,
    framework_reading_time,
)
from digisnap.questionnaires.services import framework_load
from tests.conftest import MINI_FRAMEWORK, bundled_spec, page_text


def nl_plural(singular: str, plural: str, number: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, number)


def en_plural(singular: str, plural: str, number: int) -> str:
    with translation.override("en"):
        return translation.ngettext(singular, plural, number)


def counted_by_hand(language: str) -> tuple[int, int, int]:
    """(questions, parts, minutes) of the bundled file, counted here in Python, not in SQL."""
    spec = bundled_spec()
    items = [item for area in spec.areas for c in area.competences for item in c.items]
    words = sum(
        len(text[language].split())
        for item in items
        for text in [item.text, *item.options.values()]
    )
    seconds = words * 60 / READING_WORDS_PER_MINUTE + len(items) * CHOOSING_SECONDS_PER_ITEM
    return len(items), len(spec.areas), math.ceil(seconds / 60)


def questions_line(render, items: int, areas: int) -> str:
    return render(
        "%(items)s question in %(areas)s parts.", "%(items)s questions in %(areas)s parts.", items
    ) % {"items": items, "areas": areas}


def minutes_line(render, minutes: int) -> str:
    return render(
        "Reading and choosing takes about %(minutes)s minute.",
        "Reading and choosing takes about %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def test_the_start_page_states_the_measured_reading_time(teacher_client, digisnap, framework):
    items, areas, minutes = counted_by_hand("nl")
    text = page_text(teacher_client.get(f"/join/{digisnap.code}/"))
    assert questions_line(nl_plural, items, areas) in text
    assert minutes_line(nl_plural, minutes) in text
    assert "twintig minuten" not in text


def test_in_english_the_time_is_measured_on_the_english_texts(teacher_client, digisnap, framework):
    items, areas, minutes = counted_by_hand("en")
    text = page_text(teacher_client.get(f"/join/{digisnap.code}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert questions_line(en_plural, items, areas) in text
    assert minutes_line(en_plural, minutes) in text


def test_the_landing_page_promises_the_same_minutes(anonymous_client, framework):
    _items, _areas, minutes = counted_by_hand("nl")
    text = page_text(anonymous_client.get("/"))
    promise = nl_plural(
        "With Digisnap you map your own digital skills as a teacher in about %(minutes)s minute.",
        "With Digisnap you map your own digital skills as a teacher in about %(minutes)s minutes.",
        minutes,
    )
    assert promise % {"minutes": minutes} in text


def test_the_newest_question_bank_keeps_the_promise_of_twenty_minutes(framework):
    for language in ("nl", "en"):
        assert framework_reading_time(framework=framework, language=language).minutes <= 20


def test_words_are_counted_in_the_database_as_python_splits_them(db, framework_file):
    longer = MINI_FRAMEWORK.replace('"a1"', '"Ik lees mijn berichten op het leerplatform."')
    mini, _created = framework_load(path=framework_file(longer), make_current=False)
    reading = framework_reading_time(framework=mini, language="nl")
    assert (reading.items, reading.areas) == (1, 1)
    assert reading.words == 1 + 7 + 5  # «Vraag», the longer A1, and the five one-word options
    assert reading.minutes == 1


@pytest.mark.usefixtures("without_framework")
def test_without_a_question_bank_nothing_is_promised(teacher_client, anonymous_client, digisnap):
    start = teacher_client.get(f"/join/{digisnap.code}/")
    assert start.status_code == 200
    assert "minuten" not in page_text(start)
    landing = anonymous_client.get("/")
    assert landing.status_code == 200
    assert "minuten" not in page_text(landing)
