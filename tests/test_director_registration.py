"""A director registers on a digisnap with its code and a valid right for its institution: a
DIRECTOR membership at once, no sign-out. Every refusal has its own message."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from digisnap.rights.services import right_end, right_grant
from digisnap.schools.models import Institution, InstitutionManager, Membership
from tests.conftest import make_user, nl, page_text

BRUSSELS = ZoneInfo("Europe/Brussels")
URL = reverse("rights:director_register")
D = datetime.date
MARCH_1 = D(2026, 3, 1)
MARCH_31 = D(2026, 3, 31)
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def manager(institution):
    user = make_user("beheerder@test.example")
    InstitutionManager.objects.create(user=user, institution=institution)
    return user


def person(email: str, **extra):
    user = make_user(email, **extra)
    client = Client()
    client.force_login(user)
    return user, client


def give_right(user, institution, manager, starts_on=MARCH_1, ends_on=MARCH_31):
    [right] = right_grant(
        users=[user],
        institution=institution,
        starts_on=starts_on,
        ends_on=ends_on,
        reason="Directie",
        granted_by=manager,
    )
    return right


def register(client, code, first_name="Dirk", last_name="Directeur"):
    return client.post(URL, {"first_name": first_name, "last_name": last_name, "code": code})


def is_director(user, digisnap) -> bool:
    return Membership.objects.filter(
        user=user, digisnap=digisnap, role=Membership.Role.DIRECTOR
    ).exists()


def test_the_page_is_prefilled_with_the_account(db):
    user, client = person("dirk@test.example", first_name="Dirk", last_name="Directeur")
    text = page_text(client.get(URL))
    assert nl("Register on a digisnap as director") in text
    assert 'value="dirk@test.example"' in text
    assert 'value="Dirk"' in text and 'value="Directeur"' in text
    assert "disabled" in text  # the e-mail address is the account's, not typed


def test_anonymous_visitors_sign_in_first(anonymous_client, digisnap):
    answer = anonymous_client.get(URL)
    assert answer.status_code == 302
    assert answer["Location"] == f"/accounts/login/?next={URL}"
    assert register(anonymous_client, digisnap.code).status_code == 302


def test_a_director_with_a_valid_right_registers_at_once(institution, digisnap, manager):
    user, client = person("dirk@test.example")
    give_right(user, institution, manager)
    answer = register(client, digisnap.code.lower().replace("_", " "), first_name=" Dirk ")
    assert answer.status_code == 302
    assert is_director(user, digisnap)
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Dirk", "Directeur")
    text = page_text(client.get(answer["Location"], follow=True))
    expected = nl("You successfully registered on Digisnap '%(name)s' (%(code)s).") % {
        "name": digisnap.name,
        "code": digisnap.code,
    }
    assert expected in text
    # still signed in: the same session opens the page again
    assert client.get(URL).status_code == 200


def test_registering_twice_is_harmless(institution, digisnap, manager):
    user, client = person("dirk@test.example")
    give_right(user, institution, manager)
    assert register(client, digisnap.code).status_code == 302
    assert register(client, digisnap.code).status_code == 302
    assert Membership.objects.filter(user=user, role=Membership.Role.DIRECTOR).count() == 1


def test_a_wrong_code_says_so(digisnap):
    _user, client = person("dirk@test.example")
    answer = register(client, "Digisnap_ZZZZZZ")
    assert answer.status_code == 200
    assert nl("We don't know this code. Check it in the e-mail with your school's codes.") in (
        page_text(answer)
    )


def test_wrong_codes_are_limited_like_the_join_code(settings, institution, digisnap, manager):
    settings.JOIN_CODE_ATTEMPTS = 3
    user, client = person("dirk@test.example")
    give_right(user, institution, manager)
    for _attempt in range(3):
        assert register(client, "Digisnap_ZZZZZZ").status_code == 200
    answer = register(client, digisnap.code)  # even the right code now waits
    assert answer.status_code == 429
    assert nl("Too many wrong codes. Wait a quarter of an hour and try again.") in page_text(answer)
    assert not is_director(user, digisnap)


def test_without_a_right_the_director_is_told_to_ask_for_one(institution, digisnap):
    user, client = person("dirk@test.example")
    answer = register(client, digisnap.code)
    assert answer.status_code == 403
    expected = nl(
        "You have no right «Digisnap Beheerder» for %(institution)s, so you cannot register "
        "on its digisnap. Ask your school's user manager for this right."
    ) % {"institution": institution}
    assert expected in page_text(answer)
    assert not is_director(user, digisnap)


def test_an_expired_right_is_refused_with_its_end_date(institution, digisnap, manager):
    user, client = person("dirk@test.example")
    give_right(user, institution, manager, starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 28))
    answer = register(client, digisnap.code)
    assert answer.status_code == 403
    text = page_text(answer)
    assert "28 februari 2026" in text
    assert not is_director(user, digisnap)


def test_an_ended_right_is_refused(institution, digisnap, manager):
    user, client = person("dirk@test.example")
    right = give_right(user, institution, manager)
    right_end(right=right, reason="Vertrokken", ended_by=manager)
    answer = register(client, digisnap.code)
    assert answer.status_code == 403
    assert not is_director(user, digisnap)


def test_a_right_that_starts_later_is_refused_with_its_start(institution, digisnap, manager):
    user, client = person("dirk@test.example")
    give_right(user, institution, manager, starts_on=D(2026, 4, 1), ends_on=D(2026, 6, 30))
    answer = register(client, digisnap.code)
    assert answer.status_code == 403
    assert "1 april 2026" in page_text(answer)


def test_a_right_on_another_institution_does_not_count(community, digisnap, manager):
    other = Institution.objects.create(community=community, number="054321", name="Andere")
    user, client = person("dirk@test.example")
    give_right(user, other, manager)
    assert register(client, digisnap.code).status_code == 403
    assert not is_director(user, digisnap)


def test_the_user_manager_of_another_institution_may_not_register(community, digisnap):
    other = Institution.objects.create(community=community, number="054321", name="Andere")
    user, client = person("ander@test.example")
    InstitutionManager.objects.create(user=user, institution=other)
    assert register(client, digisnap.code).status_code == 403
    assert not is_director(user, digisnap)


def test_a_teacher_of_the_digisnap_without_a_right_may_not_register(
    teacher_client, teacher, digisnap
):
    Membership.objects.create(user=teacher, digisnap=digisnap)
    assert register(teacher_client, digisnap.code).status_code == 403
    assert not is_director(teacher, digisnap)


def test_registered_without_a_right_stays_refused(digisnap):
    user, client = person("dirk@test.example")
    Membership.objects.create(user=user, digisnap=digisnap, role=Membership.Role.DIRECTOR)
    assert register(client, digisnap.code).status_code == 403


def test_a_right_that_ends_today_works_until_midnight(institution, digisnap, manager):
    user, client = person("dirk@test.example")
    give_right(user, institution, manager, ends_on=D(2026, 3, 10))
    with time_machine.travel(
        datetime.datetime(2026, 3, 10, 23, 59, 59, tzinfo=BRUSSELS), tick=False
    ):
        assert register(client, digisnap.code).status_code == 302
    with time_machine.travel(datetime.datetime(2026, 3, 11, 0, 0, 1, tzinfo=BRUSSELS), tick=False):
        assert register(client, digisnap.code).status_code == 403


def test_the_home_page_links_the_registration_for_signed_in_users(teacher_client, anonymous_client):
    assert URL in page_text(teacher_client.get("/"))
    assert URL not in page_text(anonymous_client.get("/"))
