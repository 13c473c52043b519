"""Join-code guessing is limited per guesser (session, account) and per address, never locking a
school out: a teacher with the right link always gets in (digisnap/core/ratelimit.py)."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_user, nl, page_text

WRONG = ["Digisnap_Xy4Fr9", "Digisnap_Xy4Fr7", "Digisnap_Xy4Fr6", "Digisnap_Xy4Fr4"]


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.JOIN_CODE_ATTEMPTS = 3
    settings.JOIN_CODE_ADDRESS_ATTEMPTS = 5
    settings.JOIN_CODE_WINDOW_SECONDS = 900


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(make_user(email))
    return client


def use_up_the_address(count: int = 5) -> None:
    """Wrong guesses from the shared address, each from a fresh session (no cookies kept).

    The first five are answered; later ones are sent to sign-up without an answer.
    """
    for attempt in range(count):
        expected = 200 if attempt < 5 else 302
        assert Client().post("/join/", {"code": WRONG[attempt % 4]}).status_code == expected


def test_a_guesser_who_signs_out_and_in_again_keeps_their_count(db, digisnap):
    guesser = Client()
    user = make_user("gokker@test.example")
    guesser.force_login(user)
    for code in WRONG[:3]:
        guesser.post("/join/", {"code": code})
    guesser.logout()
    assert (
        guesser.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code
        == 302
    )
    assert guesser.get(f"/join/{digisnap.code}/").status_code == 429


def test_an_account_is_counted_across_sessions(db, digisnap):
    user = make_user("gokker@test.example")
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    for code in WRONG[:2]:
        first.post("/join/", {"code": code})
    second.post("/join/", {"code": WRONG[2]})
    refused = second.post("/join/", {"code": digisnap.code})
    assert refused.status_code == 429
    assert nl("Too many wrong codes. Wait a quarter of an hour and try again.") in page_text(
        refused
    )


def test_new_accounts_from_one_address_get_one_guess_each_once_the_address_is_used_up(db, digisnap):
    first = signed_in("eerste@test.example")
    for code in WRONG[:3]:
        assert first.post("/join/", {"code": code}).status_code == 200
    second = signed_in("tweede@test.example")
    for code in WRONG[:2]:
        assert second.post("/join/", {"code": code}).status_code == 200
    # The address has had its five wrong guesses: the second guesser is stopped early.
    assert second.post("/join/", {"code": digisnap.code}).status_code == 429
    third = signed_in("derde@test.example")
    assert third.post("/join/", {"code": WRONG[3]}).status_code == 200
    assert third.post("/join/", {"code": digisnap.code}).status_code == 429


def test_anonymous_visitors_at_a_used_up_address_cannot_tell_good_codes_from_bad(db, digisnap):
    use_up_the_address()
    good = Client().post("/join/", {"code": digisnap.code})
    bad = Client().post("/join/", {"code": WRONG[0]})
    good_link = Client().get(f"/join/{digisnap.code}/")
    bad_link = Client().get(f"/join/{WRONG[0]}/")
    assert (
        good.status_code == bad.status_code == good_link.status_code == bad_link.status_code == 302
    )
    assert good.url == good_link.url == f"/accounts/signup/?next=%2Fjoin%2F{digisnap.code}%2F"
    assert bad.url == bad_link.url == f"/accounts/signup/?next=%2Fjoin%2F{WRONG[0]}%2F"


def test_a_fresh_teacher_with_the_right_link_gets_in_at_a_used_up_address(db, digisnap, framework):
    use_up_the_address(20)
    teacher = Client()
    signup = teacher.get(f"/join/{digisnap.code}/", follow=True)
    text = page_text(signup)
    assert nl("Sign in or create an account to continue with this code.") in text
    created = teacher.post(
        signup.redirect_chain[-1][0],
        {"email": "nieuw@test.example", "password1": PASSWORD},
    )
    assert created.status_code == 302
    assert created.url == f"/join/{digisnap.code}/"
    joined = teacher.get(created.url)
    assert joined.status_code == 200
    assert digisnap.name in page_text(joined)
    started = teacher.post(created.url)
    assert started.status_code == 302
    assert started.url.startswith("/vragenlijst/")


def test_a_signed_in_teacher_who_has_not_guessed_gets_in_at_a_used_up_address(db, digisnap):
    use_up_the_address(20)
    teacher = signed_in("collega@test.example")
    response = teacher.post("/join/", {"code": f"digisnap {digisnap.code[-6:].lower()}"})
    assert response.status_code == 302
    assert response.url == f"/join/{digisnap.code}/"
    assert teacher.get(response.url).status_code == 200


def test_a_typed_text_that_cannot_be_a_code_is_refused_at_once_at_a_used_up_address(db, digisnap):
    use_up_the_address()
    response = Client().post("/join/", {"code": "hallo"})
    assert response.status_code == 200
    assert nl("We don't know this code. Check it with your school.") in page_text(response)
