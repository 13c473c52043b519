"""A team session behind one school address gets in; a password guesser on one e-mail does not."""

from django.test import Client

from digisnap.accounts.models import User
from tests.conftest import PASSWORD, make_user

TEAM = 150


def test_a_team_of_150_signs_in_from_one_address_within_a_minute(db):
    emails = [f"leerkracht{n}@school.example" for n in range(TEAM)]
    for email in emails:
        make_user(email)
    refused = []
    for email in emails:
        client = Client(REMOTE_ADDR="198.51.100.20")
        response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
        if response.status_code != 302 or "_auth_user_id" not in client.session:
            refused.append((email, response.status_code))
    assert refused == []


def test_a_team_of_150_signs_up_from_one_address_within_a_minute(db):
    statuses = {
        Client(REMOTE_ADDR="198.51.100.20")
        .post(
            "/accounts/signup/",
            {"email": f"nieuw{n}@school.example", "password1": PASSWORD},
        )
        .status_code
        for n in range(TEAM)
    }
    assert statuses == {302}
    assert User.objects.filter(email__endswith="@school.example").count() == TEAM


def test_teachers_who_mistype_their_password_once_still_get_in(db):
    emails = [f"leerkracht{n}@school.example" for n in range(TEAM)]
    for email in emails:
        make_user(email)
    signed_in = 0
    for email in emails:
        client = Client(REMOTE_ADDR="198.51.100.20")
        client.post("/accounts/login/", {"login": email, "password": "typfout"})
        client.post("/accounts/login/", {"login": email, "password": PASSWORD})
        signed_in += "_auth_user_id" in client.session
    assert signed_in == TEAM


def test_a_password_guesser_on_one_email_is_stopped_even_with_the_right_password(teacher):
    guesser = Client()
    for attempt in range(5):
        guesser.post("/accounts/login/", {"login": teacher.email, "password": f"fout{attempt}"})
    response = guesser.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    assert "_auth_user_id" not in guesser.session
    assert response.status_code in (200, 429)


def test_a_password_guesser_switching_sessions_and_addresses_is_still_stopped(teacher):
    for attempt in range(5):
        Client(REMOTE_ADDR=f"203.0.113.{attempt}").post(
            "/accounts/login/", {"login": teacher.email, "password": f"fout{attempt}"}
        )
    guesser = Client(REMOTE_ADDR="203.0.113.99")
    guesser.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    assert "_auth_user_id" not in guesser.session


def test_a_colleague_at_the_guessers_address_still_signs_in(teacher, other_teacher):
    for attempt in range(5):
        Client().post("/accounts/login/", {"login": teacher.email, "password": f"fout{attempt}"})
    colleague = Client()
    colleague.post("/accounts/login/", {"login": other_teacher.email, "password": PASSWORD})
    assert colleague.session["_auth_user_id"] == str(other_teacher.pk)
