"""The «Sign in with ACM Vlaanderen» button: on the sign-in page and in the join flow, only when
ACM/IDM is configured, and it carries the page the person was going to."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import acmidm_helpers as acm
from tests.conftest import nl, page_text

BUTTON = re.compile(r'<form method="post" action="/accounts/oidc/acmidm/login/">')


@pytest.fixture
def configured(settings, db):
    # Rendering the button needs no provider; the address is never contacted here.
    acm.configure(settings, "http://127.0.0.1:18199")


def test_without_configuration_no_button_shows(db):
    for url in ("/accounts/login/", "/accounts/signup/"):
        page = page_text(Client().get(url))
        assert not BUTTON.search(page)
        assert nl("Sign in with ACM Vlaanderen") not in page


def test_the_sign_in_page_shows_the_button(configured):
    page = page_text(Client().get("/accounts/login/"))
    assert BUTTON.search(page)
    assert nl("Sign in with ACM Vlaanderen") in page


def test_the_button_keeps_the_next_page(configured):
    page = page_text(Client().get("/accounts/login/?next=/directie/"))
    form = page[BUTTON.search(page).start() :].split("</form>")[0]
    assert '<input type="hidden" name="next" value="/directie/">' in form


def test_the_join_flow_offers_the_button_and_comes_back_to_the_digisnap(configured, digisnap):
    client = Client()
    response = client.get(f"/join/{digisnap.code}/")
    assert response.status_code == 302
    page = page_text(client.get(response["Location"]))
    assert nl("Sign in with ACM Vlaanderen") in page
    form = page[BUTTON.search(page).start() :].split("</form>")[0]
    assert f'name="next" value="/join/{digisnap.code}/"' in form


def test_the_label_comes_from_the_configuration(configured, settings):
    settings.ACMIDM_BUTTON_LABEL = "Aanmelden met je schoolaccount"
    page = page_text(Client().get("/accounts/login/"))
    assert "Aanmelden met je schoolaccount" in page


def test_signed_in_users_are_not_shown_the_sign_in_page(configured, teacher_client):
    assert teacher_client.get("/accounts/login/")["Location"] == "/"


def test_the_policy_lets_the_sign_in_form_go_to_the_provider_only_when_configured(db, settings):
    before = form_action(Client().get("/accounts/login/"))
    assert before == "'self'"
    acm.configure(settings, "http://127.0.0.1:18199")
    after = form_action(Client().get("/accounts/login/"))
    assert after == "'self' http://127.0.0.1:18199"


def form_action(response) -> str:
    """The form-action directive of the response's policy, wherever it stands in the header."""
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    [sources] = [d.removeprefix("form-action ") for d in directives if d.startswith("form-action ")]
    return sources


def test_settings_allow_the_issuers_origin_in_form_action(tmp_path):
    from tests.test_acmidm_settings import settings_of_csp

    directives = settings_of_csp(
        tmp_path,
        ACMIDM_ISSUER="https://authenticatie-ti.vlaanderen.be/op",
        ACMIDM_CLIENT_ID="c",
        ACMIDM_CLIENT_SECRET="s",
    )
    assert directives["form-action"] == ["'self'", "https://authenticatie-ti.vlaanderen.be"]


def test_a_provider_that_cannot_be_reached_gives_an_error_page_not_a_500(db, settings):
    acm.configure(settings, "http://127.0.0.1:18198")  # nothing listens there
    response = Client().post("/accounts/oidc/acmidm/login/")
    assert response.status_code == 401
    assert nl("Third-Party Login Failure") in page_text(response)
