"""Journey: a teacher opens their result, reads the learning routes and suggestions, and marks a
suggested training as planned. Checked with axe-core before and after."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from digisnap.learning.models import SuggestionMark, Training, TrainingCompetence
from digisnap.questionnaires.models import Item
from digisnap.questionnaires.services import answers_save, response_start, response_submit
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journey_teacher import SIGN_IN, either

pytestmark = pytest.mark.e2e

VIEW_RESULT = either("Bekijk jouw resultaat", "View your result")
ROUTES = either("Leerroutes", "Learning routes")
SUGGESTIONS = either("Leersuggesties", "Learning suggestions")
PLAN = either("Dit plan ik", "I plan this")
PLANNED = either("gepland", "planned")
PLANS = either("Jouw plannen", "Your plans")
SHOW_TRAININGS = either("Toon 1 opleiding", "Show 1 training")
ENGLISH = re.compile("^English$")
NEDERLANDS = re.compile("^Nederlands$")
REASON = either(
    "Voorgesteld voor competentie 2.1, van A2 naar B1",
    "Suggested for competence 2.1, from A2 to B1",
)


@pytest.fixture
def teacher_with_result(teacher, digisnap, framework):
    """Every competence at B1, except 2.1 at A2: the teacher should start with 2.1."""
    response = response_start(user=teacher, digisnap=digisnap)
    for item in Item.objects.filter(
        competence__area__framework_id=response.framework_id
    ).select_related("competence"):
        level = 2 if item.competence.code == "2.1" else 3
        answers_save(response=response, levels={item.pk: level})
    return response_submit(response=response)


@pytest.fixture
def catalogue(db):
    training = Training.objects.create(
        source="Voorbeeldcatalogus",
        external_id="vb-e2e",
        title="Digitale bronnen vinden en beoordelen",
        provider="Academie Digitaal Lesgeven (fictief)",
        url="https://example.org/opleidingen/vb-e2e",
        level_from=2,
        level_to=4,
        format=Training.Format.ONLINE,
        duration_minutes=90,
        language="nl",
        is_sample=True,
    )
    TrainingCompetence.objects.create(training=training, competence_code="2.1")
    return training


def test_journey_learning_routes(
    page: Page, live_server, teacher, teacher_with_result, catalogue
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(teacher.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()

    page.get_by_role("link", name=VIEW_RESULT).click()
    expect(page).to_have_url(re.compile(rf"/resultaat/{teacher_with_result.pk}/$"))
    expect(page.get_by_role("heading", name=ROUTES)).to_be_visible()
    expect(page.get_by_role("heading", name=SUGGESTIONS)).to_be_visible()
    assert_accessible(page)

    # The full list of suggestions is folded away; the summary already names the training.
    expect(page.locator(".focus-training").first).to_contain_text(catalogue.title)
    suggestion = page.locator(f"#training-{catalogue.pk}")
    expect(suggestion).to_be_hidden()
    page.locator("#leersuggesties summary").filter(has_text=SHOW_TRAININGS).click()
    expect(suggestion).to_be_visible()
    expect(suggestion.get_by_role("link", name=catalogue.title)).to_have_attribute(
        "href", catalogue.url
    )
    expect(suggestion).to_contain_text(REASON)
    expect(suggestion).to_contain_text(either("voorbeeld", "sample"))

    suggestion.get_by_role("button", name=PLAN).click()
    expect(page).to_have_url(
        re.compile(rf"/resultaat/{teacher_with_result.pk}/#training-{catalogue.pk}$")
    )
    suggestion = page.locator(f"#training-{catalogue.pk}")
    expect(suggestion.get_by_role("button", name=PLAN)).to_have_attribute("aria-pressed", "true")
    expect(suggestion).to_contain_text(PLANNED)
    expect(page.get_by_role("heading", name=PLANS)).to_be_visible()
    assert_accessible(page)

    mark = SuggestionMark.objects.get(user=teacher, training=catalogue)
    assert (mark.status, mark.competence_code) == ("planned", "2.1")

    # The same page in English, with the folded sections opened, is accessible too.
    page.get_by_role("button", name=ENGLISH).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    for summary in page.locator("details.result-details > summary").all():
        if summary.evaluate("element => !element.parentElement.open"):
            summary.click()
    assert_accessible(page)
    page.get_by_role("button", name=NEDERLANDS).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jouw resultaat")
