"""Journey 4, teacher: join link → sign up → questionnaire with autosave → stop → sign in again →
resume → submit → result with the competence rose → PDF. Checked with axe-core on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from digisnap.core.levels import Level
from digisnap.questionnaires.models import Answer, Area, Response
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def either(dutch: str, english: str) -> re.Pattern[str]:
    """Dutch is the default language; English while a translation is missing."""
    return re.compile(f"{re.escape(dutch)}|{re.escape(english)}")


SIGN_UP = either("Registreren", "Sign Up")
SIGN_IN = either("Aanmelden", "Sign In")
SIGN_OUT = either("Afmelden", "Sign out")
START = either("Start de vragenlijst", "Start the questionnaire")
NEXT = either("Volgende deel", "Next part")
STOP = either("Opslaan en later verdergaan", "Save and continue later")
TO_OVERVIEW = either("Naar het overzicht", "To the overview")
SUBMIT = either("Mijn antwoorden indienen", "Submit my answers")
CONTINUE = either("Verder waar je was", "Continue where you left off")
UNKNOWN = either("Ik ken dit niet", "I don't know this")
SAVED = either("Antwoord bewaard.", "Answer saved.")
STOPPED = either("Je antwoorden zijn bewaard", "Your answers are saved")
OVERVIEW = either("Overzicht en indienen", "Overview and submit")
RESULT = either("Jouw resultaat", "Your result")
ROSE = either("Jouw competentieroos", "Your competence rose")
STRONGEST = either("Jouw sterkste competenties", "Your strongest competences")
DOWNLOAD_PDF = either("Download als PDF", "Download as PDF")

TEACHER_EMAIL = "nieuwe.leerkracht@school.example"
TOTAL_ITEMS = 30
PARTS = 6


def part_label(position: int) -> re.Pattern[str]:
    return re.compile(rf"(Deel {position} van {PARTS}|Part {position} of {PARTS})\b")


class Journey:
    """The browser page plus what the teacher did so far: answers given, pages scanned by axe."""

    def __init__(self, page: Page, areas: list[Area]) -> None:
        self.page = page
        self.areas = areas
        self.chosen: dict[int, int] = {}
        self.scanned: set[str] = set()

    def scan(self, name: str) -> None:
        """Run axe-core once per distinct page of the journey."""
        if name not in self.scanned:
            self.scanned.add(name)
            assert_accessible(self.page)

    def progress_value(self) -> int:
        return int(self.page.locator("#progress").evaluate("el => el.value"))

    def expect_on_part(self, position: int) -> None:
        area = self.areas[position - 1]
        expect(self.page).to_have_url(re.compile(rf"/deel/{re.escape(area.code)}/$"))
        expect(self.page.get_by_text(part_label(position))).to_be_visible()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(f"{area.code}.")

    def item_ids(self) -> list[int]:
        ids = self.page.locator("fieldset.item").evaluate_all("els => els.map(el => el.id)")
        return [int(value.removeprefix("item-")) for value in ids]

    def answer(self, item_id: int, level: int) -> None:
        """Click the option's label; wait until autosave answered and the progress bar moved."""
        page, level = self.page, int(level)
        before = self.progress_value()
        is_new = item_id not in self.chosen
        if level == Level.UNKNOWN:
            label = page.locator(f"#item-{item_id}").locator("label").filter(has_text=UNKNOWN)
        else:
            label = page.locator(f"label[for='item-{item_id}-{level}']")
        with page.expect_response(
            lambda r: r.url.endswith("/antwoord/") and r.request.method == "POST"
        ) as saved:
            label.click()
        assert saved.value.ok, f"autosave answered {saved.value.status}"
        self.chosen[item_id] = level
        expect(page.locator(f"#item-{item_id}-{level}")).to_be_checked()
        expect(page.locator(f"#item-{item_id}-state")).to_have_text(SAVED)
        expected = before + 1 if is_new else before
        expect(page.locator("#progress")).to_have_js_property("value", expected)
        expect(page.locator("[data-answered]")).to_have_text(str(expected))

    def answer_part(self, *, unknown: int | None = None, skip: set[int] = frozenset()) -> None:
        """Answer every question on this part with a spread of levels (A1…C2)."""
        for item_id in self.item_ids():
            if item_id in skip:
                continue
            level = Level.UNKNOWN if item_id == unknown else len(self.chosen) % 6 + 1
            self.answer(item_id, level)

    def expect_answers_checked(self, item_ids: list[int]) -> None:
        for item_id in item_ids:
            expect(self.page.locator(f"#item-{item_id}-{self.chosen[item_id]}")).to_be_checked()


def test_journey_teacher(page: Page, live_server, framework, digisnap) -> None:
    areas = list(Area.objects.filter(framework=framework).order_by("position"))
    assert len(areas) == PARTS
    journey = Journey(page, areas)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(loaded.url))

    # 1. The join link leads straight to sign-up, which names the digisnap being joined.
    page.goto(f"{live_server.url}/join/{digisnap.code}/")
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    expect(page.get_by_role("note")).to_contain_text(digisnap.name)
    journey.scan("sign-up")
    page.locator("input[name=email]").fill(TEACHER_EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_UP).click()

    # 2. The start page of the digisnap.
    expect(page).to_have_url(re.compile(rf"/join/{re.escape(digisnap.code)}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(digisnap.name)
    journey.scan("start")
    page.get_by_role("button", name=START).click()

    # 3. The first question: at most three screens from the link.
    journey.expect_on_part(1)
    page.wait_for_load_state("load")
    assert loads and loads[-1] == page.url, loads
    assert len(loads) <= 3, (
        f"{len(loads)} screens from the join link to the first question: {loads}"
    )
    expect(page.locator("#progress")).to_have_js_property("value", 0)
    journey.scan("question page")

    # Parts 1–3 with autosave; the progress bar grows with every answer.
    answered_per_part: dict[int, list[int]] = {}
    for position in (1, 2, 3):
        journey.expect_on_part(position)
        answered_per_part[position] = journey.item_ids()
        journey.answer_part()
        if position < 3:
            page.get_by_role("button", name=NEXT).click()
    answered_before_stop = len(journey.chosen)
    assert journey.progress_value() == answered_before_stop > 0

    # Stop half-way, sign out.
    page.get_by_role("button", name=STOP).click()
    expect(page.get_by_role("status")).to_contain_text(STOPPED)
    expect(page.get_by_role("link", name=CONTINUE)).to_be_visible()
    journey.scan("home")
    page.get_by_role("button", name=SIGN_OUT).click()
    expect(page.get_by_role("button", name=SIGN_OUT)).to_have_count(0)
    journey.scan("landing")

    # Sign in again with the same account; resume exactly where we stopped.
    page.get_by_role("link", name=SIGN_IN).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    journey.scan("sign-in")
    page.locator("input[name=login]").fill(TEACHER_EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    page.get_by_role("link", name=CONTINUE).click()
    journey.expect_on_part(3)
    journey.expect_answers_checked(answered_per_part[3])
    expect(page.locator("#progress")).to_have_js_property("value", answered_before_stop)

    # Part 4: one answer given through autosave only survives a reload.
    page.get_by_role("button", name=NEXT).click()
    journey.expect_on_part(4)
    first_item = journey.item_ids()[0]
    journey.answer(first_item, 2)
    page.reload()
    journey.expect_on_part(4)
    journey.expect_answers_checked([first_item])
    expect(page.locator("#progress")).to_have_js_property("value", answered_before_stop + 1)
    assert Answer.objects.filter(
        response__user__email=TEACHER_EMAIL, item_id=first_item, level=2
    ).exists()
    journey.answer_part(skip={first_item})

    # Parts 5 and 6; one question gets «ik ken dit niet».
    for position in (5, 6):
        page.get_by_role("button", name=NEXT).click()
        journey.expect_on_part(position)
        journey.answer_part(unknown=journey.item_ids()[0] if position == 5 else None)
    assert len(journey.chosen) == TOTAL_ITEMS
    assert journey.progress_value() == TOTAL_ITEMS

    # Overview and submit.
    page.get_by_role("button", name=TO_OVERVIEW).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERVIEW)
    expect(page.locator("#progress")).to_have_js_property("value", TOTAL_ITEMS)
    journey.scan("overview")
    page.get_by_role("button", name=SUBMIT).click()

    # The result: a summary of three competences to start with, the rose (an image of its own)
    # with its tables, the strongest competences.
    expect(page.get_by_role("heading", level=1)).to_have_text(RESULT)
    expect(page.locator(".result-summary .focus-step")).to_have_count(3)
    expect(page.get_by_role("heading", name=ROSE)).to_be_visible()
    expect(page.locator("img.rose-image")).to_be_visible()
    assert page.locator("img.rose-image").evaluate("image => image.naturalWidth") > 0
    expect(page.locator("table")).to_have_count(1 + PARTS)  # per area + per competence of each
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(PARTS)
    expect(page.locator(".strengths-line")).to_contain_text(STRONGEST)
    journey.scan("result")

    # The PDF of the result.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=DOWNLOAD_PDF).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:4] == b"%PDF"

    response = Response.objects.get(user__email=TEACHER_EMAIL)
    assert response.status == Response.Status.SUBMITTED
    saved = dict(response.answers.values_list("item_id", "level"))
    assert saved == journey.chosen
    assert Level.UNKNOWN in saved.values()
    assert not page_errors, f"JavaScript errors: {page_errors}"


def test_assert_accessible_reports_serious_violations(page: Page) -> None:
    """The axe helper is not vacuous: a page with an unlabeled field and image fails it."""
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
        '<h1>x</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<input type="text"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "label (critical)" in message
    assert "at img:" in message
