"""Journey: a teacher opens «Mijn account», downloads their data as JSON and CSV, and deletes
their account after typing their e-mail address. Checked with axe-core on every page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Answer, Response
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journey_teacher import SIGN_IN, either

pytestmark = pytest.mark.e2e

MY_ACCOUNT = either("Mijn account", "My account")
AS_JSON = either("Downloaden als JSON", "Download as JSON")
AS_CSV = either("Downloaden als CSV (rekenblad)", "Download as CSV (spreadsheet)")
DELETE = either("Mijn account en gegevens verwijderen", "Delete my account and data")
DELETE_FOR_GOOD = either(
    "Mijn account en gegevens voorgoed verwijderen", "Delete my account and data for good"
)
CONFIRMATION = either("Je e-mailadres of je wachtwoord", "Your e-mail address or your password")
WRONG = either("Dat is niet je e-mailadres", "That is neither your e-mail address")
DELETED = either(
    "Je account en al je gegevens zijn verwijderd.", "Your account and all your data are deleted."
)


@pytest.fixture
def teacher_with_round(teacher, submitted):
    return submitted


def test_journey_account_download_and_delete(
    page: Page, live_server, teacher, other_teacher, teacher_with_round
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(teacher.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()

    page.get_by_role("navigation").get_by_role("link", name=MY_ACCOUNT).click()
    expect(page).to_have_url(re.compile(r"/mijn-account/$"))
    expect(page.get_by_role("heading", level=1, name=MY_ACCOUNT)).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=AS_JSON).click()
    download = download_info.value
    assert re.fullmatch(
        r"digisnap-mijn-gegevens-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename
    )
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert [one["round"] for one in data["rounds"]] == [teacher_with_round.pk]
    assert len(data["rounds"][0]["answers"]) == teacher_with_round.answers.count()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=AS_CSV).click()
    assert download_info.value.suggested_filename.endswith(".csv")

    page.get_by_role("link", name=DELETE).click()
    expect(page).to_have_url(re.compile(r"/mijn-account/verwijderen/$"))
    assert_accessible(page)

    page.get_by_label(CONFIRMATION).fill("iemand-anders@test.example")
    page.get_by_role("button", name=DELETE_FOR_GOOD).click()
    expect(page.locator(".errorlist")).to_contain_text(WRONG)
    expect(page.get_by_label(CONFIRMATION)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert User.objects.filter(pk=teacher.pk).exists()

    page.get_by_label(CONFIRMATION).fill(teacher.email)
    page.get_by_role("button", name=DELETE_FOR_GOOD).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("status")).to_contain_text(DELETED)
    expect(page.get_by_role("navigation").get_by_role("link", name=SIGN_IN)).to_be_visible()
    assert_accessible(page)

    assert not User.objects.filter(pk=teacher.pk).exists()
    assert not Response.objects.filter(pk=teacher_with_round.pk).exists()
    assert not Answer.objects.filter(response_id=teacher_with_round.pk).exists()
    assert User.objects.filter(pk=other_teacher.pk).exists()
