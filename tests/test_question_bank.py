"""The newest question bank reads fast and measures practice, and older rounds keep their version.

Checks on the texts themselves (DigCompEdu levels told apart by behaviour, not by a stock word),
and on how the newest version takes over from 2026.2 without touching rounds filled in on it.
"""

import re
import statistics

import pytest
from django.core.management import call_command

from digisnap.questionnaires.loader import BUNDLED_DIR, read_framework
from digisnap.questionnaires.models import Framework, Item
from digisnap.questionnaires.selectors import result_summary
from digisnap.questionnaires.services import framework_load, response_start, response_submit
from tests.conftest import BUNDLED_FRAMEWORK, answer_all, bundled_spec, page_text

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
LANGUAGES = ("nl", "en")
# Words that tell a level by how often or how carefully someone acts rather than by what they do.
STOCK_WORDS = {
    "nl": ("soms", "af en toe", "geregeld", "vaak", "meestal", "altijd", "bewust", "systematisch"),
    "en": (
        "sometimes",
        "occasionally",
        "regularly",
        "often",
        "usually",
        "always",
        "deliberately",
        "systematically",
    ),
}
PREVIOUS_VERSION = BUNDLED_DIR / "digisnap-2026.2.yaml"


def items():
    return [item for area in bundled_spec().areas for c in area.competences for item in c.items]


def statements(language: str, level: str | None = None) -> list[str]:
    """The six answer statements of every item (or one level's), in one language."""
    from digisnap.core.levels import LEVEL_BY_LABEL

    levels = [LEVEL_BY_LABEL[level].value] if level else list(range(1, 7))
    return [item.options[value][language] for item in items() for value in levels]


def every_text(language: str) -> list[str]:
    spec = bundled_spec()
    texts = [spec.name[language], spec.attribution[language]]
    for area in spec.areas:
        texts += [area.title[language], area.description[language]]
        for competence in area.competences:
            texts += [competence.title[language], competence.description[language]]
            texts += [step[language] for step in competence.next_steps.values()]
            for item in competence.items:
                texts += [item.text[language], *(o[language] for o in item.options.values())]
    return texts


def test_the_newest_bundled_version_is_2026_3():
    assert BUNDLED_FRAMEWORK.name == "digisnap-2026.3.yaml"
    assert bundled_spec().version == "2026.3"


@pytest.mark.parametrize("language", LANGUAGES)
def test_statements_average_at_most_sixteen_words(language):
    words = [len(text.split()) for text in statements(language)]
    assert len(words) == 30 * 6
    assert statistics.mean(words) <= 16


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_no_level_is_told_by_a_frequency_or_manner_word(language, level):
    texts = statements(language, level)
    for word in STOCK_WORDS[language]:
        using = [t for t in texts if re.search(rf"\b{word}\b", t, re.IGNORECASE)]
        assert len(using) <= len(texts) / 2, (word, using)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_no_level_is_told_by_a_stock_opening(language, level):
    # 2026.2 opened 21 of its 30 C1 statements with «Ik help collega's».
    openings = [" ".join(t.lower().split()[:3]) for t in statements(language, level)]
    most_common = max(set(openings), key=openings.count)
    assert openings.count(most_common) <= len(openings) / 4, most_common


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_repeats_a_word_by_slip(language):
    slips = [t for t in every_text(language) if re.search(r"\b(\w+) \1\b", t, re.IGNORECASE)]
    assert slips == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_item_asks_one_question_and_statements_ask_none(language):
    for item in items():
        text = item.text[language]
        assert text.endswith("?") and text.count("?") == 1, item.code
    assert [t for t in statements(language) if "?" in t] == []


def test_no_brand_names():
    for language in LANGUAGES:
        for text in every_text(language):
            assert not re.search(r"klascement|smartschool|google|microsoft", text, re.I), text


def test_areas_competences_and_next_steps_match_the_previous_version():
    """Rounds are compared by competence code, so the codes must not move between versions."""
    previous = read_framework(PREVIOUS_VERSION)

    def codes(spec):
        return [(a.code, [c.code for c in a.competences]) for a in spec.areas]

    assert codes(bundled_spec()) == codes(previous)
    for area in bundled_spec().areas:
        for competence in area.competences:
            assert sorted(competence.next_steps) == [2, 3, 4, 5, 6], competence.code


def test_every_statement_is_new_compared_with_2026_2():
    previous = {
        item.code: item
        for area in read_framework(PREVIOUS_VERSION).areas
        for c in area.competences
        for item in c.items
    }
    for item in items():
        for value, texts in item.options.items():
            assert texts["nl"] != previous[item.code].options[value]["nl"], item.code


@pytest.mark.usefixtures("without_framework")
def test_rounds_on_2026_2_keep_it_while_new_rounds_take_the_newest(
    teacher, teacher_client, digisnap, other_digisnap
):
    older, _created = framework_load(path=PREVIOUS_VERSION)
    earlier = response_start(user=teacher, digisnap=digisnap)
    answer_all(earlier, level=2)
    response_submit(response=earlier)
    unfinished = response_start(user=teacher, digisnap=other_digisnap)

    call_command("load_framework", verbosity=0)  # the newest bundled file: 2026.3
    newest = Framework.objects.get(is_current=True)
    assert newest.version == "2026.3"
    call_command("load_framework", verbosity=0)  # idempotent: nothing new
    assert Framework.objects.count() == 2

    earlier.refresh_from_db()
    unfinished.refresh_from_db()
    assert earlier.framework == older and unfinished.framework == older
    old_statement = Item.objects.get(competence__area__framework=older, code="1.1.1")
    page = page_text(teacher_client.get(f"/vragenlijst/{unfinished.pk}/deel/1/"))
    assert old_statement.options.get(level=2).text_nl in page

    later = response_start(user=teacher, digisnap=digisnap)
    assert later.framework == newest
    answer_all(later, level=3)
    summary = result_summary(response=response_submit(response=later))
    assert summary.previous == earlier
    assert {row.change for row in summary.competences} == {1}  # every competence matched by code
