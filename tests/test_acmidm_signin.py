"""Sign-in through ACM/IDM against a real OpenID provider running in the test process
(oidc-provider-mock): allauth's generic OpenID Connect client with PKCE, state and nonce; users
and rights from the claims; refusals that leave nobody signed in; RP-initiated logout."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client

from digisnap.accounts.models import User
from digisnap.rights.access import today
from digisnap.rights.models import Right, RightEvent
from digisnap.rights.services import director_register
from digisnap.schools.models import Institution
from tests import acmidm_helpers as acm
from tests.conftest import PASSWORD, make_user, nl, page_text

SUB = "acm-sub-0001"
LOGIN_URL = "/accounts/oidc/acmidm/login/"


@pytest.fixture(scope="module")
def issuer():
    with acm.provider_running() as url:
        yield url


@pytest.fixture
def configured(settings, issuer, db):
    acm.configure(settings, issuer)
    return issuer


def start(client: Client, **data) -> str:
    """Press the button: our POST answers with the provider's authorization URL."""
    response = client.post(LOGIN_URL, data)
    assert response.status_code == 302
    assert response["Location"].startswith(client_issuer(response["Location"]))
    return response["Location"]


def client_issuer(url: str) -> str:
    return url.split("/oauth2/")[0]


def sign_in(client: Client, issuer: str, values: dict, *, sub: str = SUB, **data):
    """The whole round trip; returns our answer to the callback."""
    acm.set_user(issuer, sub, values)
    callback = acm.authorize(start(client, **data), sub)
    return client.get(callback)


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_authorization_request_uses_pkce_s256_state_nonce_and_the_scopes(configured):
    query = acm.query_of(start(Client()))
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) >= 43
    assert query["state"] and query["nonce"]
    assert sorted(query["scope"].split()) == ["openid", "profile", "vo"]
    assert query["client_id"] == acm.CLIENT_ID
    assert query["response_type"] == "code"


def test_two_sign_ins_get_different_state_and_nonce(configured):
    first, second = acm.query_of(start(Client())), acm.query_of(start(Client()))
    assert first["state"] != second["state"]
    assert first["nonce"] != second["nonce"]


def test_first_sign_in_creates_the_user_and_the_right_and_lands_on_the_directors_home(
    configured, institution
):
    client = Client()
    response = sign_in(client, configured, acm.claims())
    assert response.status_code == 302
    assert response["Location"] == "/directie/"
    user = signed_in_user(client)
    assert (user.email, user.first_name, user.last_name) == (
        "dora.directeur@school.example",
        "Dora",
        "Directeur",
    )
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("acmidm", SUB)
    assert account.extra_data["userinfo"]["vo_id"] == "4f1c3b2a-0000-4000-8000-00000000abcd"
    right = Right.objects.get(user=user)
    assert (right.source, right.institution, right.starts_on) == ("acmidm", institution, today())
    assert right.synced_at is not None
    assert right.events.get().action == RightEvent.Action.GRANTED
    home = client.get("/directie/")
    assert home.status_code == 200
    assert nl("The digisnaps you administer") in page_text(home)
    # Not registered on a digisnap yet: the page leads to the registration.
    assert 'href="/directie/aanmelden/"' in page_text(home)


def test_second_sign_in_without_the_role_ends_the_right_and_the_report_pages_refuse(
    configured, digisnap
):
    client = Client()
    sign_in(client, configured, acm.claims())
    user = signed_in_user(client)
    director_register(user=user, digisnap=digisnap, first_name="Dora", last_name="D", on=today())
    assert client.get("/directie/rapportage/").status_code == 200

    client.post("/accounts/logout/")
    response = sign_in(client, configured, acm.claims(roles=None))
    assert response["Location"] == "/"
    assert signed_in_user(client) == user
    right = Right.objects.get(user=user)
    assert right.ended_at is not None
    assert [e.action for e in right.events.all()] == ["granted", "ended"]
    assert client.get("/directie/rapportage/").status_code == 404
    assert client.get(f"/directie/digisnap/{digisnap.pk}/teamsessie/").status_code == 404


def test_a_teacher_without_a_role_signs_in_and_goes_home(configured, db):
    client = Client()
    response = sign_in(client, configured, acm.claims(roles=None), sub="teacher-1")
    assert response["Location"] == "/"
    assert signed_in_user(client).email == "dora.directeur@school.example"
    assert not Right.objects.exists()


def test_an_unknown_institution_is_created_from_the_claims(configured, db):
    client = Client()
    values = acm.claims(roles="DigisnapBeheerder:98765", orgcode="98765", orgname="Nieuwe School")
    sign_in(client, configured, values)
    institution = Institution.objects.get(number="098765")
    assert institution.name == "Nieuwe School"
    assert Right.objects.get(user=signed_in_user(client)).institution == institution


def test_garbage_in_the_role_claim_never_breaks_the_sign_in(configured, institution):
    client = Client()
    roles = [None, ":", 42, {"x": 1}, "DigisnapBeheerder:012345", "x" * 5000]
    response = sign_in(client, configured, acm.claims(roles=roles))
    assert response.status_code == 302
    assert Right.objects.get(user=signed_in_user(client)).institution == institution


def test_a_next_page_is_kept_through_the_sign_in(configured, digisnap):
    client = Client()
    join = f"/join/{digisnap.code}/"
    response = sign_in(client, configured, acm.claims(), next=join)
    assert response["Location"] == join


def test_a_tampered_state_is_refused(configured, db):
    client = Client()
    acm.set_user(configured, SUB, acm.claims())
    callback = acm.authorize(start(client), SUB)
    response = client.get(acm.with_query(callback, state="tampered-state-value"))
    assert response.status_code == 401
    assert nl("Third-Party Login Failure") in page_text(response)
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_a_state_from_another_browser_is_refused(configured, db):
    acm.set_user(configured, SUB, acm.claims())
    callback = acm.authorize(start(Client()), SUB)
    other = Client()
    other.get("/")
    other.get(callback)
    assert signed_in_user(other) is None
    assert not User.objects.exists()


def test_a_wrong_nonce_is_refused(configured, db):
    """The provider puts the nonce it received into the ID token; one that is not ours fails."""
    client = Client()
    acm.set_user(configured, SUB, acm.claims())
    authorize_url = acm.with_query(start(client), nonce="a-nonce-we-never-sent")
    response = client.get(acm.authorize(authorize_url, SUB))
    assert response.status_code == 401
    assert nl("Third-Party Login Failure") in page_text(response)
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_a_nonce_of_another_sign_in_is_refused(configured, db):
    """A nonce we did send, but for another sign-in (a replayed ID token), fails too."""
    client = Client()
    acm.set_user(configured, SUB, acm.claims())
    earlier = acm.query_of(start(client))["nonce"]
    authorize_url = acm.with_query(start(client), nonce=earlier)
    client.get(acm.authorize(authorize_url, SUB))
    assert signed_in_user(client) is None


def test_another_target_group_is_refused_with_a_clear_page(configured, db):
    client = Client()
    response = sign_in(client, configured, acm.claims(group="LB"))
    assert response.status_code == 403
    assert nl("Sign-in refused") in page_text(response)
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_a_missing_target_group_is_refused(configured, db):
    values = acm.claims()
    del values["vo_doelgroepcode"]
    response = sign_in(Client(), configured, values)
    assert response.status_code == 403


def test_without_an_email_claim_the_person_is_asked_once_and_the_address_is_verified(
    configured, institution
):
    client = Client()
    response = sign_in(client, configured, acm.claims(email=None))
    assert response["Location"] == "/accounts/3rdparty/signup/"
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert 'name="email"' in form.content.decode()
    response = client.post("/accounts/3rdparty/signup/", {"email": "dora@school.example"})
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="dora@school.example")
    assert (user.first_name, user.last_name) == ("Dora", "Directeur")
    assert not EmailAddress.objects.get(user=user).verified
    assert signed_in_user(client) is None

    # The link in the e-mail verifies the address and completes the sign-in, rights included.
    [message] = mail.outbox
    assert message.to == ["dora@school.example"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body).group(1)
    response = client.post(link)
    assert response["Location"] == "/directie/"
    assert signed_in_user(client) == user
    assert EmailAddress.objects.get(user=user).verified
    assert Right.objects.get(user=user).source == Right.Source.ACMIDM

    # The next sign-in asks nothing.
    client = Client()
    response = sign_in(client, configured, acm.claims(email=None))
    assert response["Location"] == "/directie/"
    assert signed_in_user(client) == user
    assert User.objects.count() == 1


def test_an_unverified_asked_address_does_not_sign_in(configured, institution):
    client = Client()
    sign_in(client, configured, acm.claims(email=None))
    client.post("/accounts/3rdparty/signup/", {"email": "dora@school.example"})
    again = Client()
    sign_in(again, configured, acm.claims(email=None))
    assert signed_in_user(again) is None
    assert not Right.objects.exists()


def test_an_existing_local_account_with_a_verified_address_is_linked(configured, institution):
    local = make_user("dora.directeur@school.example", first_name="Dora")
    client = Client()
    sign_in(client, configured, acm.claims())
    assert signed_in_user(client) == local
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(uid=SUB).user == local
    assert Right.objects.get(user=local).source == Right.Source.ACMIDM
    # The local password still works.
    assert Client().login(email=local.email, password=PASSWORD)


def test_an_existing_local_account_with_an_unverified_address_is_never_taken_over(
    configured, institution
):
    squatter = User.objects.create_user("dora.directeur@school.example", PASSWORD)
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)
    client = Client()
    response = sign_in(client, configured, acm.claims())
    assert response["Location"] == "/accounts/3rdparty/signup/"
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert not Right.objects.exists()
    squatter.refresh_from_db()
    assert squatter.has_usable_password()


def test_sign_out_also_ends_the_provider_session(configured, institution):
    client = Client()
    sign_in(client, configured, acm.claims())
    id_token = client.session["acmidm_id_token"]
    response = client.post("/accounts/logout/")
    location = response["Location"]
    assert location.startswith(f"{configured}/oauth2/end_session?")
    query = acm.query_of(location)
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == "http://testserver/"
    assert signed_in_user(client) is None


def test_sign_out_after_a_password_sign_in_just_goes_home(configured, teacher_client):
    assert teacher_client.post("/accounts/logout/")["Location"] == "/"


def test_without_configuration_the_login_url_is_not_found(db):
    assert Client().post(LOGIN_URL).status_code == 404
    assert Client().get("/accounts/oidc/acmidm/login/callback/").status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "teacher", "staff"])
def test_with_configuration_anybody_may_start_a_sign_in(configured, persona, staff, teacher):
    client = Client()
    if persona != "anonymous":
        client.force_login({"teacher": teacher, "staff": staff}[persona])
    assert client.post(LOGIN_URL)["Location"].startswith(f"{configured}/oauth2/authorize?")
    # A GET only asks to confirm (allauth's default): nothing leaves for the provider.
    confirm = client.get(LOGIN_URL)
    assert confirm.status_code == 200
    assert "<form" in confirm.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "teacher"])
def test_a_callback_nobody_started_is_refused(configured, persona, teacher):
    client = Client()
    if persona == "teacher":
        client.force_login(teacher)
    response = client.get("/accounts/oidc/acmidm/login/callback/?code=x&state=y")
    assert response.status_code == 401
    assert SocialAccount.objects.count() == 0


def test_names_of_the_wrong_type_are_left_empty(configured, db):
    client = Client()
    sign_in(client, configured, {**acm.claims(), "given_name": ["Dora"], "family_name": 5})
    user = signed_in_user(client)
    assert (user.first_name, user.last_name) == ("", "")
