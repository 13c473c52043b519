"""Journey 1, access request: the public form (one mistake first, then fixed) → the status page →
a platform admin approves in the review queue → the join link from the codes e-mail opens sign-up
and the questionnaire for a new teacher. Checked with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from digisnap.schools.models import AccessRequest, Digisnap
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def either(dutch: str, english: str) -> re.Pattern[str]:
    """Dutch is the default language; English while a translation is missing."""
    return re.compile(f"{re.escape(dutch)}|{re.escape(english)}")


ASK = either("Vraag Digisnap aan voor je school", "Ask for Digisnap for your school")
SEND = either("Verstuur de aanvraag", "Send the request")
SIGN_IN = either("Aanmelden", "Sign In")
SIGN_OUT = either("Afmelden", "Sign out")
SIGN_UP = either("Registreren", "Sign Up")
QUEUE = either("Toegangsaanvragen", "Access requests")
APPROVE = either("Goedkeuren", "Approve")
START = either("Start de vragenlijst", "Start the questionnaire")
SCHOOL = "Sint-Jozefscollege Journey"
ADMIN_EMAIL = "beheer.journey@test.example"
TEACHER_EMAIL = "nieuwe.collega@school.example"


def test_journey_access_request(page: Page, live_server, framework, settings) -> None:
    settings.SITE_URL = live_server.url  # the links in the e-mails point at this server
    make_user(ADMIN_EMAIL, is_staff=True)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    # 1. The home page links to the form.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=ASK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ASK)
    assert_accessible(page)

    # 2. A mistake first: letters in the instellingsnummer. The error is beside the field and
    # everything typed is kept.
    page.locator("[name=institution_number]").fill("04A678")
    page.locator("[name=school_name]").fill(SCHOOL)
    page.locator("[name=community_name]").fill("Scholengemeenschap Journey")
    page.locator("[name=education_level]").select_option("secundair")
    page.locator("[name=first_name]").fill("Greet")
    page.locator("[name=last_name]").fill("Goossens")
    page.locator("[name=function]").fill("directeur")
    page.locator("[name=email]").fill("greet@school.example")
    page.locator("[name=lists]").fill("Dag\nAvond")
    page.get_by_role("button", name=SEND).click()
    number = page.locator("[name=institution_number]")
    expect(number).to_have_attribute("aria-describedby", re.compile("id_institution_number_error"))
    expect(page.locator("#id_institution_number_error")).to_be_visible()
    expect(page.locator("[name=school_name]")).to_have_value(SCHOOL)
    expect(page.locator("[name=lists]")).to_have_value("Dag\nAvond")
    assert_accessible(page)
    assert not AccessRequest.objects.exists()

    # 3. Fixed: the status page, reached by its private link; the confirmation e-mail has it.
    number.fill("045678")
    page.get_by_role("button", name=SEND).click()
    access_request = AccessRequest.objects.get()
    expect(page).to_have_url(re.compile(re.escape(access_request.get_absolute_url()) + "$"))
    expect(page.get_by_text(f"{SCHOOL} Avond")).to_be_visible()
    assert_accessible(page)
    (confirmation,) = mail.outbox
    assert access_request.get_status_url() in confirmation.body

    # 4. The platform admin signs in, finds the request in the queue and approves it.
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(ADMIN_EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    page.get_by_role("link", name=QUEUE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUEUE)
    assert_accessible(page)
    page.get_by_role("link", name=SCHOOL).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SCHOOL)
    assert_accessible(page)
    page.get_by_role("button", name=APPROVE).click()
    expect(page.get_by_role("button", name=APPROVE)).to_have_count(0)
    assert Digisnap.objects.count() == 2
    assert_accessible(page)
    page.get_by_role("button", name=SIGN_OUT).click()
    expect(page.get_by_role("button", name=SIGN_OUT)).to_have_count(0)

    # 5. The codes e-mail: a join link per digisnap; a new teacher opens one.
    codes = mail.outbox[-1]
    assert codes.to == ["greet@school.example"]
    dag = Digisnap.objects.get(name=f"{SCHOOL} Dag")
    assert dag.code in codes.body
    join_url = re.search(rf"{re.escape(live_server.url)}/join/{dag.code}/", codes.body).group(0)
    page.goto(join_url)
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    assert_accessible(page)
    page.locator("input[name=email]").fill(TEACHER_EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_UP).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(dag.name)
    assert_accessible(page)
    page.get_by_role("button", name=START).click()
    expect(page).to_have_url(re.compile(r"/vragenlijst/\d+/deel/"))
    assert_accessible(page)
    assert page_errors == []
