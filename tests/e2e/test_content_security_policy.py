"""The Content-Security-Policy breaks nothing: the main pages of every role, Django's admin
included, load and work in Chromium without one violation of the policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from digisnap.questionnaires.services import response_start, response_submit
from tests.conftest import PASSWORD, answer_all, make_user
from tests.e2e.test_journey_teacher import SAVED, SIGN_IN, UNKNOWN

pytestmark = pytest.mark.e2e

# Reports every violation to the test: the browser fires this event for each blocked script,
# style or other resource, before any of the page's own scripts run.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${document.location.pathname}`
  );
});
"""


class PolicyWatch:
    """Every CSP violation the browser saw, from the event and from the console."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.violations: list[str] = []
        page.expose_function("reportCspViolation", self._report)
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _report(self, violation: str) -> None:
        self.violations.append(violation)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_the_teachers_pages_keep_to_the_policy(
    page: Page, live_server, teacher, digisnap, framework
) -> None:
    watch = PolicyWatch(page)
    watch.visit("/")
    watch.visit("/accounts/login/")
    watch.visit("/accounts/signup/")
    watch.visit("/accounts/password/reset/")
    sign_in(page, teacher.email)
    watch.visit("/accounts/email/")

    draft = response_start(user=teacher, digisnap=digisnap)
    watch.visit(f"/vragenlijst/{draft.pk}/deel/1/")
    page.locator("fieldset.item").first.get_by_label(UNKNOWN).check()
    expect(page.locator("fieldset.item .item-state").first).to_have_text(
        SAVED
    )  # autosave.js ran under the policy

    answer_all(draft, level=4)
    result = response_submit(response=draft)
    watch.visit(f"/resultaat/{result.pk}/")
    rose = page.locator("img.rose-image")  # a same-origin image: img-src 'self'
    expect(rose).to_be_visible()
    assert rose.evaluate("image => image.complete && image.naturalWidth > 0")
    swatch = page.locator(".legend .swatch").first
    assert swatch.bounding_box()["width"] < 40  # the legend's own size, not the rose's

    assert watch.violations == []


def test_the_staff_pages_and_the_admin_keep_to_the_policy(
    page: Page, live_server, digisnap
) -> None:
    staff = make_user("beheer@test.example", is_staff=True, is_superuser=True)
    watch = PolicyWatch(page)
    sign_in(page, staff.email)

    watch.visit("/beheer/catalogus/")
    watch.visit("/admin/")
    watch.visit("/admin/schools/digisnap/")
    watch.visit(f"/admin/schools/digisnap/{digisnap.pk}/change/")
    watch.visit("/admin/schools/digisnap/add/")
    watch.visit(f"/admin/accounts/user/{staff.pk}/change/")

    assert watch.violations == []
