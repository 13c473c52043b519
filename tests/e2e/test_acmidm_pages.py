"""The ACM/IDM pages outside the director's journey, in a real browser with axe-core: the e-mail
step when the provider sends no address, and the refusal for another target group."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from digisnap.accounts.models import User
from tests import acmidm_helpers as acm
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

ACM_BUTTON = re.compile("Aanmelden via ACM Vlaanderen|Sign in with ACM Vlaanderen")
REFUSED = re.compile("Aanmelden geweigerd|Sign-in refused")


@pytest.fixture(scope="module")
def acm_issuer():
    with acm.provider_running() as issuer:
        yield issuer


def sign_in_at_provider(page: Page, live_server, issuer: str, sub: str) -> None:
    page.route(
        "https://cdn.jsdelivr.net/**",
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name=ACM_BUTTON).click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_without_an_address_the_email_step_is_accessible(
    page: Page, live_server, settings, acm_issuer, institution
) -> None:
    acm.configure(settings, acm_issuer)
    acm.set_user(acm_issuer, "acm-e2e-no-email", acm.claims(email=None))
    sign_in_at_provider(page, live_server, acm_issuer, "acm-e2e-no-email")
    expect(page).to_have_url(re.compile(r"/accounts/3rdparty/signup/$"))
    assert_accessible(page)
    page.locator("input[name=email]").fill("geen.adres@school.example")
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    assert_accessible(page)
    assert User.objects.filter(email="geen.adres@school.example").exists()


def test_another_target_group_gets_an_accessible_refusal(
    page: Page, live_server, settings, acm_issuer, db
) -> None:
    acm.configure(settings, acm_issuer)
    acm.set_user(acm_issuer, "acm-e2e-other-group", acm.claims(group="LB"))
    sign_in_at_provider(page, live_server, acm_issuer, "acm-e2e-other-group")
    expect(page.get_by_role("heading", level=1)).to_have_text(REFUSED)
    assert_accessible(page)
    assert not User.objects.exists()
