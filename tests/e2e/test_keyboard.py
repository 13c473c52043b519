"""Keyboard only (WCAG 2.1.1): a teacher answers and moves on without a mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from digisnap.questionnaires.models import Answer
from digisnap.questionnaires.services import response_start
from tests.conftest import PASSWORD
from tests.e2e.test_journey_teacher import NEXT, SAVED, SIGN_IN

pytestmark = pytest.mark.e2e


def test_questionnaire_works_with_the_keyboard_alone(
    page: Page, live_server, teacher, digisnap, framework
) -> None:
    draft = response_start(user=teacher, digisnap=digisnap)
    page.goto(f"{live_server.url}/accounts/login/?next=/vragenlijst/{draft.pk}/")
    page.locator("input[name=login]").focus()
    page.keyboard.type(teacher.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/deel/1/$"))
    page.wait_for_load_state("load")  # autosave.js (deferred) listens from here on
    expect(page.get_by_role("button", name=SIGN_IN)).to_have_count(0)

    # Tab from the last part button into the first question, then choose with the arrow keys.
    page.get_by_role("button", name=re.compile("Overzicht en indienen|Overview and submit")).focus()
    page.keyboard.press("Tab")
    first = page.locator("fieldset.item input[type=radio]").first
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("fieldset.item .item-state").first).to_contain_text(SAVED)
    checked = page.locator("fieldset.item").first.locator("input:checked")
    expect(checked).to_have_value("2")
    expect(checked).to_be_focused()

    page.get_by_role("button", name=NEXT).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/deel/2/$"))
    assert Answer.objects.filter(response=draft).count() == 1
