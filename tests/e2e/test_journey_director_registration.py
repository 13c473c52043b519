"""Journey 5, a director registers: signed in, the home page links the registration; a wrong code
first (the error beside the field), then the digisnap's code → «Je bent succesvol aangemeld…» and
a DIRECTOR membership at once, still signed in. A former director with an expired right is told
so. Checked with axe-core on every page.

The registration part ends at «END OF THE REGISTRATION PART»; the director's home and team
session follow from there (helper "director")."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from digisnap.questionnaires.services import answers_save, response_start
from digisnap.rights.access import today
from digisnap.rights.services import right_grant
from digisnap.schools.models import InstitutionManager, Membership
from digisnap.schools.services import membership_join
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def either(dutch: str, english: str) -> re.Pattern[str]:
    """Dutch is the default language; English while a translation is missing."""
    return re.compile(f"{re.escape(dutch)}|{re.escape(english)}")


SIGN_IN = either("Aanmelden", "Sign In")
SIGN_OUT = either("Afmelden", "Sign out")
REGISTER_LINK = either(
    "Aanmelden bij een digisnap als directielid", "Register on a digisnap as director"
)
REGISTER = either("Aanmelden", "Register")
WRONG = either("We kennen deze code niet", "We don't know this code")
SUCCESS = either(
    "Je bent succesvol aangemeld bij Digisnap", "You successfully registered on Digisnap"
)
EXPIRED = either("eindigde op", "ended on")
DIRECTOR_MENU = either("Directie", "Director")
REPORT = either("Rapportage en leersuggesties", "Report and learning suggestions")
TEAM_SESSION = either("Teamsessie", "Team session")
QR = either("QR-code van de link om deel te nemen", "QR code of the link to take part")
DIRECTOR_EMAIL = "directie.journey@test.example"
FORMER_EMAIL = "oud-directie.journey@test.example"


def sign_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page.get_by_role("button", name=SIGN_OUT)).to_be_visible()


def test_journey_director_registration(
    page: Page, live_server, community, institution, digisnap, framework
) -> None:
    manager = make_user("beheerder.journey@test.example")
    InstitutionManager.objects.create(user=manager, institution=institution)
    director = make_user(DIRECTOR_EMAIL, first_name="Dirk", last_name="Directeur")
    now = today()
    right_grant(
        users=[director],
        institution=institution,
        starts_on=now - datetime.timedelta(days=1),
        ends_on=now + datetime.timedelta(days=30),
        reason="Directeur",
        granted_by=manager,
    )
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    # 1. Signed in, the home page links the registration; the page is prefilled.
    sign_in(page, live_server, DIRECTOR_EMAIL)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=REGISTER_LINK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REGISTER_LINK)
    expect(page.locator("[name=first_name]")).to_have_value("Dirk")
    expect(page.locator("#id_email")).to_have_value(DIRECTOR_EMAIL)
    assert_accessible(page)

    # 2. A wrong code: the error beside the field, the names kept.
    code = page.locator("[name=code]")
    code.fill("Digisnap_ZZZZZZ")
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page.locator("#id_code_error")).to_have_text(WRONG)
    expect(code).to_have_attribute("aria-describedby", re.compile("id_code_error"))
    expect(page.locator("[name=last_name]")).to_have_value("Directeur")
    assert_accessible(page)

    # 3. The digisnap's code, typed loosely: registered at once, still signed in.
    page.locator("[name=code]").fill(digisnap.code.lower().replace("_", " "))
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page.get_by_text(SUCCESS)).to_be_visible()
    expect(page.get_by_text(f"'{digisnap.name}' ({digisnap.code})")).to_be_visible()
    expect(page.get_by_role("button", name=SIGN_OUT)).to_be_visible()
    assert Membership.objects.filter(
        user=director, digisnap=digisnap, role=Membership.Role.DIRECTOR
    ).exists()
    assert_accessible(page)
    assert page_errors == []
    # END OF THE REGISTRATION PART — the director's home and the team session follow here.

    # From here on a refused script or style (the CSP) shows as a console error too.
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # 4. The registration lands on the director's home: the digisnap per school community with
    # its code, join link and participation counts; the menu leads here from now on.
    expect(page).to_have_url(re.compile(r"/directie/$"))
    expect(page.get_by_role("heading", level=2, name=community.name)).to_be_visible()
    card = page.locator(f"[data-digisnap='{digisnap.pk}']")
    expect(card).to_contain_text(digisnap.code)
    expect(card).to_contain_text(digisnap.get_join_url())
    expect(card.locator("[data-count=joined]")).to_have_text("0")
    page.goto(live_server.url + "/")
    page.get_by_role("navigation").get_by_role("link", name=DIRECTOR_MENU).click()
    expect(page).to_have_url(re.compile(r"/directie/$"))
    assert_accessible(page)

    # 5. The tile «Leerroutes» leads to «Rapportage en leersuggesties», which comes later.
    page.get_by_role("link", name=REPORT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REPORT)
    assert_accessible(page)
    page.go_back()

    # 6. The team session on the projector: a large QR code, the code, and counts that update by
    # themselves while teachers join and answer — numbers only, never who.
    page.locator(f"[data-digisnap='{digisnap.pk}']").get_by_role("link", name=TEAM_SESSION).click()
    expect(page.get_by_role("img", name=QR)).to_be_visible()
    expect(page.locator(".team-code")).to_have_text(digisnap.code)
    assert_accessible(page)
    teacher = make_user("teamsessie.journey@test.example", first_name="Tine")
    membership_join(user=teacher, digisnap=digisnap)
    expect(page.locator("[data-count=joined]")).to_have_text("1", timeout=15_000)
    round_ = response_start(user=teacher, digisnap=digisnap)
    item = framework.areas.first().competences.first().items.first()
    answers_save(response=round_, levels={item.pk: 3})
    expect(page.locator("[data-count=busy]")).to_have_text("1", timeout=15_000)
    expect(page.locator("[data-count=submitted]")).to_have_text("0")
    assert teacher.email not in page.content()
    assert "Tine" not in page.content()
    assert page_errors == []
    assert console_errors == []


def test_journey_expired_right_is_refused(page: Page, live_server, institution, digisnap) -> None:
    former = make_user(FORMER_EMAIL, first_name="Olga", last_name="Oud")
    now = today()
    right_grant(
        users=[former],
        institution=institution,
        starts_on=now - datetime.timedelta(days=400),
        ends_on=now - datetime.timedelta(days=30),
        reason="Vroegere directeur",
        granted_by=None,
    )
    sign_in(page, live_server, FORMER_EMAIL)
    page.goto(live_server.url + "/directie/aanmelden/")
    page.locator("[name=code]").fill(digisnap.code)
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page.locator("#id_code_error")).to_contain_text(EXPIRED)
    assert_accessible(page)
    assert not Membership.objects.filter(user=former).exists()


ACM_BUTTON = either("Aanmelden via ACM Vlaanderen", "Sign in with ACM Vlaanderen")
DIRECTOR_HOME = either("De digisnaps die je beheert", "The digisnaps you administer")
ACM_SUB = "acm-journey-director"


@pytest.fixture(scope="module")
def acm_issuer():
    from tests.acmidm_helpers import provider_running

    with provider_running() as issuer:
        yield issuer


def test_journey_director_registration_through_acmidm(
    page: Page, live_server, settings, acm_issuer, community, institution, digisnap
) -> None:
    """The same journey, signed in through the government's ACM/IDM (a real OpenID provider in
    the test process): the right comes from the role claim, no user manager grants it."""
    from tests import acmidm_helpers as acm

    acm.configure(settings, acm_issuer)
    acm.set_user(
        acm_issuer,
        ACM_SUB,
        acm.claims(
            given_name="Acma",
            family_name="Directeur",
            email="acma.directeur@school.example:012345",
            roles=[f"DigisnapBeheerder-ictcoordinator:{institution.number}"],
        ),
    )
    # The provider's own pages load a stylesheet from a CDN; answer it locally, empty, so
    # nothing leaves the machine.
    page.route(
        "https://cdn.jsdelivr.net/**",
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    # 1. The sign-in page offers the ACM/IDM button.
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name=ACM_BUTTON).click()

    # 2. At the provider the person signs in (the mock asks for the subject only).
    expect(page).to_have_url(re.compile(re.escape(acm_issuer) + "/oauth2/authorize"))
    page.get_by_placeholder("sub").fill(ACM_SUB)
    page.get_by_role("button", name="Authorize").click()

    # 3. Back at Digisnap, signed in, on the director's home: the right came with the sign-in.
    expect(page).to_have_url(re.compile(r"/directie/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(DIRECTOR_HOME)
    expect(page.get_by_role("button", name=SIGN_OUT)).to_be_visible()
    assert_accessible(page)

    # 4. Not registered on a digisnap yet: the director's home leads to the registration with
    # the digisnap's code, prefilled from the claims.
    page.get_by_role("link", name=REGISTER_LINK).click()
    expect(page.locator("[name=first_name]")).to_have_value("Acma")
    expect(page.locator("#id_email")).to_have_value("acma.directeur@school.example")
    assert_accessible(page)
    page.locator("[name=code]").fill(digisnap.code)
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page.get_by_text(SUCCESS)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/directie/$"))
    expect(page.locator(f"[data-digisnap='{digisnap.pk}']")).to_contain_text(digisnap.code)
    assert_accessible(page)

    # 5. Signing out ends the provider's session too and comes back home, signed out.
    page.get_by_role("button", name=SIGN_OUT).click()
    expect(page).to_have_url(re.compile(re.escape(acm_issuer) + "/oauth2/end_session"))
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("link", name=SIGN_IN).first).to_be_visible()
    assert page_errors == []
