"""Journey 4 on a phone (390 × 844, the team session's device): every page fits the width, the
first question is on the first screen of every part, and autosave never misleads — the last
click wins, a lost save is tried again, a refusal says why. axe-core in Dutch and English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, Route, expect

from digisnap.core.levels import Level
from digisnap.questionnaires.models import Answer, Area, Item, Response
from digisnap.questionnaires.services import response_start, response_submit
from tests.conftest import PASSWORD, answer_all, nl
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journey_teacher import (
    SAVED,
    SIGN_UP,
    START,
    SUBMIT,
    TO_OVERVIEW,
    either,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PARTS = 6
TEACHER_EMAIL = "telefoon.leerkracht@school.example"
ENGLISH = "English"


def is_autosave(request) -> bool:
    return request.url.endswith("/antwoord/") and request.method == "POST"


def on_phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


def sign_in_as(page: Page, live_server, user) -> None:
    """The session of a signed-in user, without the sign-in pages (tested in the journey)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def assert_fits_the_phone(page: Page, name: str) -> None:
    """No sideways scrolling: the page is no wider than the phone."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} ({page.url}) is {width} px wide on a phone"


def assert_first_question_on_first_screen(page: Page, position: int) -> None:
    legend = page.locator("fieldset.item legend").first
    box = legend.bounding_box()
    assert box is not None
    bottom = box["y"] + box["height"] + page.evaluate("window.scrollY")
    assert bottom <= PHONE["height"], (
        f"part {position}: the first question ends at {bottom:.0f} px, below the first screen"
    )


def check(page: Page, name: str) -> None:
    assert_fits_the_phone(page, name)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_journey_teacher_phone(page: Page, live_server, framework, digisnap, language) -> None:
    on_phone(page)
    areas = list(Area.objects.filter(framework=framework).order_by("position"))
    assert len(areas) == PARTS
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    page.goto(f"{live_server.url}/")
    if language == "en":
        page.get_by_role("button", name=ENGLISH).click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    check(page, "landing")
    page.goto(f"{live_server.url}/join/")
    check(page, "type the code")
    page.goto(f"{live_server.url}/accounts/login/")
    check(page, "sign-in")

    page.goto(f"{live_server.url}/join/{digisnap.code}/")
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    check(page, "sign-up")
    page.locator("input[name=email]").fill(TEACHER_EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_UP).click()
    expect(page).to_have_url(re.compile(rf"/join/{re.escape(digisnap.code)}/$"))
    check(page, "start")
    page.get_by_role("button", name=START).click()

    # The header folds its menu away on a phone; it opens without any script.
    menu = page.locator("details.menu-compact")
    expect(menu.get_by_role("link", name=re.compile("Mijn account|My account"))).to_be_hidden()
    menu.locator("summary").click()
    expect(menu.get_by_role("link", name=re.compile("Mijn account|My account"))).to_be_visible()
    menu.locator("summary").click()

    for position, area in enumerate(areas, start=1):
        expect(page).to_have_url(re.compile(rf"/deel/{re.escape(area.code)}/$"))
        assert_first_question_on_first_screen(page, position)
        check(page, f"part {position}")
        for fieldset in page.locator("fieldset.item").all():
            fieldset.locator("label").first.click()
            expect(fieldset.locator(".item-state")).to_have_text(SAVED)
        if position < PARTS:
            # The compact part list: choose the next part and go.
            page.locator("#go-part").select_option(f"area:{areas[position].code}")
            page.get_by_role("button", name=re.compile(r"^(Ga|Go)$")).click()

    page.get_by_role("button", name=TO_OVERVIEW).click()
    check(page, "overview")
    page.get_by_role("button", name=SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/resultaat/\d+/$"))
    check(page, "result")
    response = Response.objects.get(user__email=TEACHER_EMAIL)
    assert response.is_submitted
    total = Item.objects.filter(competence__area__framework=framework).count()
    assert response.answers.count() == total

    # Home: the round with its number and date; a new round asks first, then starts.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=re.compile(r"^(Ronde|Round) 1, \d"))).to_be_visible()
    check(page, "home")
    page.get_by_role("link", name=either("Start een nieuwe ronde", "Start a new round")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        either("Een nieuwe ronde starten?", "Start a new round?")
    )
    check(page, "new round confirmation")
    yes = either("Ja, start een nieuwe ronde", "Yes, start a new round")
    page.get_by_role("button", name=yes).click()
    expect(page).to_have_url(re.compile(r"/deel/1/$"))
    assert Response.objects.filter(user__email=TEACHER_EMAIL).count() == 2

    # The new round in progress can be discarded, after a confirmation; round 1 stays.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=re.compile(r"^(Ronde|Round) 2, \d"))).to_be_visible()
    page.get_by_role("link", name=either("Verwijder deze ronde", "Discard this round")).click()
    check(page, "discard confirmation")
    yes = either("Ja, verwijder deze ronde", "Yes, discard this round")
    page.get_by_role("button", name=yes).click()
    expect(page.get_by_role("heading", name=re.compile(r"^(Ronde|Round) 2, "))).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile(r"^(Ronde|Round) 1, \d"))).to_be_visible()
    check(page, "home after discarding")
    assert list(Response.objects.filter(user__email=TEACHER_EMAIL)) == [response]
    assert not page_errors, f"JavaScript errors: {page_errors}"


@pytest.fixture
def phone_draft(page: Page, live_server, teacher, digisnap, framework) -> Response:
    """The teacher, signed in on a phone, on the first part of a new round."""
    on_phone(page)
    draft = response_start(user=teacher, digisnap=digisnap)
    sign_in_as(page, live_server, teacher)
    page.goto(f"{live_server.url}/vragenlijst/{draft.pk}/deel/1/")
    page.wait_for_load_state("load")  # autosave.js (deferred) listens from here on
    return draft


def first_item(page: Page) -> int:
    return int(page.locator("fieldset.item").first.get_attribute("id").removeprefix("item-"))


def test_two_quick_clicks_the_last_one_is_stored(page: Page, phone_draft) -> None:
    """The first click's save is held back until the second's has been stored: it arrives last
    at the server, and must not overwrite the later choice."""
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        if not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/antwoord/", hold_the_first)
    item = first_item(page)
    with page.expect_response(lambda r: is_autosave(r.request)) as second:
        page.locator(f"label[for='item-{item}-{Level.A2}']").click()
        page.locator(f"label[for='item-{item}-{Level.C1}']").click()
    assert second.value.json()["stored"] is True
    assert Answer.objects.get(response=phone_draft, item_id=item).level == Level.C1
    with page.expect_response(lambda r: is_autosave(r.request)) as first:
        held[0].continue_()
    assert first.value.json() == {"saved": True, "stored": False, "answered": 1}
    assert Answer.objects.get(response=phone_draft, item_id=item).level == Level.C1
    expect(page.locator(f"#item-{item}-{Level.C1}")).to_be_checked()
    expect(page.locator(f"#item-{item}-state")).to_have_text(SAVED)


def test_a_lost_save_is_tried_again_and_ends_saved(page: Page, phone_draft) -> None:
    attempts: list[str] = []

    def fail_once(route: Route) -> None:
        attempts.append(route.request.post_data or "")
        if len(attempts) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/antwoord/", fail_once)
    item = first_item(page)
    page.locator(f"label[for='item-{item}-{Level.B1}']").click()
    state = page.locator(f"#item-{item}-state")
    expect(state).to_have_class(re.compile(r"\bfailed\b"))
    expect(page.locator(f"#item-{item}")).to_have_class(re.compile(r"\bsave-failed\b"))
    expect(state).to_have_text(SAVED)  # the retry after a second
    expect(page.locator(f"#item-{item}")).not_to_have_class(re.compile(r"\bsave-failed\b"))
    assert len(attempts) == 2
    assert Answer.objects.get(response=phone_draft, item_id=item).level == Level.B1
    assert_accessible(page)


def test_a_save_waits_for_the_connection_and_goes_when_it_is_back(page: Page, phone_draft) -> None:
    item = first_item(page)
    page.context.set_offline(True)
    page.locator(f"label[for='item-{item}-{Level.B2}']").click()
    state = page.locator(f"#item-{item}-state")
    expect(state).to_have_class(re.compile(r"\bfailed\b"))
    assert not Answer.objects.filter(response=phone_draft).exists()
    page.context.set_offline(False)
    expect(state).to_have_text(SAVED)
    assert Answer.objects.get(response=phone_draft, item_id=item).level == Level.B2


def test_a_save_refused_because_the_round_was_submitted_says_so(page: Page, phone_draft) -> None:
    answer_all(phone_draft, level=Level.B1)
    response_submit(response=phone_draft)  # e.g. in another tab
    item = first_item(page)
    page.locator(f"label[for='item-{item}-{Level.A1}']").click()
    state = page.locator(f"#item-{item}-state")
    expect(state).to_have_text(nl("This questionnaire was already submitted."))
    expect(state).to_have_class(re.compile(r"\bfailed\b"))
    assert Answer.objects.get(response=phone_draft, item_id=item).level == Level.B1


def test_a_save_refused_because_the_teacher_was_signed_out_says_so(page: Page, phone_draft) -> None:
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # signed out in another tab
    item = first_item(page)
    page.locator(f"label[for='item-{item}-{Level.A1}']").click()
    expect(page.locator(f"#item-{item}-state")).to_have_text(
        nl("You are signed out. Sign in again; your other answers are kept.")
    )


def test_leaving_with_an_unsaved_answer_asks_first(page: Page, phone_draft) -> None:
    page.route("**/antwoord/", lambda route: route.abort("internetdisconnected"))
    item = first_item(page)
    page.locator(f"label[for='item-{item}-{Level.B1}']").click()
    expect(page.locator(f"#item-{item}-state")).to_have_class(re.compile(r"\bfailed\b"))
    dialogs: list[str] = []

    def dismiss(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)  # the dialog event arrives asynchronously
    assert dialogs == ["beforeunload"]


def test_without_javascript_the_phone_menu_and_part_list_work(
    browser, live_server, teacher, digisnap, framework
) -> None:
    """The folded menu is a <details>, the part list a <select> with a submit button."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False, locale="nl-BE"
    )
    try:
        page = context.new_page()
        draft = response_start(user=teacher, digisnap=digisnap)
        sign_in_as(page, live_server, teacher)
        page.goto(f"{live_server.url}/vragenlijst/{draft.pk}/deel/1/")
        assert_first_question_on_first_screen(page, 1)
        menu = page.locator("details.menu-compact")
        menu.locator("summary").click()
        expect(menu.get_by_role("button", name=re.compile("Afmelden|Sign out"))).to_be_visible()
        item = first_item(page)
        page.locator(f"label[for='item-{item}-{Level.B2}']").click()
        third = Area.objects.get(framework=framework, position=3)
        page.locator("#go-part").select_option(f"area:{third.code}")
        page.get_by_role("button", name=re.compile(r"^(Ga|Go)$")).click()
        expect(page).to_have_url(re.compile(rf"/deel/{re.escape(third.code)}/$"))
        assert Answer.objects.get(response=draft, item_id=item).level == Level.B2
    finally:
        context.close()
