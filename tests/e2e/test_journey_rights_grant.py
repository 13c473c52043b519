"""Journey: the user manager of a school searches the staff list, chooses two people and grants
them «Digisnap Beheerder» in three steps (the right, the details, the confirmation); one of them
has no account yet and is invited. Checked with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from digisnap.core.models import OutgoingMail
from digisnap.rights.models import Right, StaffMember
from digisnap.schools.models import InstitutionManager
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def either(dutch: str, english: str) -> re.Pattern[str]:
    """Dutch is the default language; English while a translation is missing."""
    return re.compile(f"{re.escape(dutch)}|{re.escape(english)}")


SIGN_IN = either("Aanmelden", "Sign In")
SEARCH = either("Zoek", "Search")
GRANT = either("Ken een recht toe aan de gekozen mensen", "Grant a right to the chosen people")
NEXT = either("Verder", "Next")
CONFIRM = either("Bevestig", "Confirm")
MANAGER_EMAIL = "beheerder.journey@test.example"


def test_journey_rights_grant(page: Page, live_server, institution, settings) -> None:
    settings.SITE_URL = live_server.url
    manager = make_user(MANAGER_EMAIL)
    InstitutionManager.objects.create(user=manager, institution=institution)
    for first, last, email in [
        ("Katrien", "Bernaerts", "katrien@school.example"),
        ("Karel", "Claes", "karel@school.example"),
        ("Jan", "Janssens", "jan@school.example"),
    ]:
        StaffMember.objects.create(
            institution=institution, first_name=first, last_name=last, email=email
        )
    make_user("karel@school.example")  # Karel has an account; Katrien is invited to make one
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(MANAGER_EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()

    # 1. The staff list, searched on «Ka» in the first name: Jan is left out.
    page.goto(f"{live_server.url}/gebruikersbeheer/{institution.pk}/")
    assert_accessible(page)
    page.locator("[name=first_name]").fill("Ka")
    page.get_by_role("button", name=SEARCH, exact=True).click()
    expect(page.get_by_label("Katrien Bernaerts")).to_be_visible()
    expect(page.get_by_label("Karel Claes")).to_be_visible()
    expect(page.get_by_label("Jan")).to_have_count(0)
    assert_accessible(page)

    # 2. Two people chosen; step 1 shows the right and what it allows.
    page.get_by_label("Katrien").check()
    page.get_by_label("Karel").check()
    page.get_by_role("button", name=GRANT).click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("1")
    expect(page.locator("[name=kind]")).to_have_value("digisnap_beheerder")
    assert_accessible(page)
    page.get_by_role("button", name=NEXT).click()

    # 3. Step 2: the details; an end before the begin is refused beside the field.
    page.locator("[name=starts_on]").fill("2026-09-01")
    page.locator("[name=ends_on]").fill("2026-08-01")
    page.locator("[name=reason]").fill("Directie en ICT-coördinator")
    page.get_by_role("button", name=NEXT).click()
    expect(page.locator("#id_ends_on_error")).to_be_visible()
    assert_accessible(page)
    page.locator("[name=ends_on]").fill("2027-08-31")
    page.get_by_role("button", name=NEXT).click()

    # 4. Step 3: the summary, then the confirmation.
    expect(page.get_by_text("Directie en ICT-coördinator")).to_be_visible()
    expect(page.get_by_text("31/08/2027")).to_be_visible()
    assert_accessible(page)
    assert not Right.objects.exists()
    page.get_by_role("button", name=CONFIRM).click()

    # 5. The rights page lists both; each is e-mailed, Katrien also invited.
    expect(page).to_have_url(re.compile(rf"/gebruikersbeheer/{institution.pk}/rechten/$"))
    assert_accessible(page)
    assert sorted(Right.objects.values_list("user__email", flat=True)) == [
        "karel@school.example",
        "katrien@school.example",
    ]
    templates = sorted(OutgoingMail.objects.values_list("recipient", "template"))
    assert templates == [
        ("karel@school.example", "rights/email/right_granted"),
        ("katrien@school.example", "rights/email/right_granted"),
        ("katrien@school.example", "rights/usermgmt/email/invitation"),
    ]
    assert page_errors == []
