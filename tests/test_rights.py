"""Rights «Digisnap Beheerder»: granted, changed and ended through the services, each logged and
(when granted) e-mailed; valid only between their dates in Europe/Brussels, checked on every
request, so a right that ends stops working at midnight without a new sign-in."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from digisnap.core.models import OutgoingMail
from digisnap.rights import access
from digisnap.rights.models import Right
from digisnap.rights.services import right_change, right_end, right_grant
from digisnap.schools.models import Institution, InstitutionManager, Membership
from digisnap.schools.services import digisnap_create
from tests.conftest import make_user

BRUSSELS = ZoneInfo("Europe/Brussels")
D = datetime.date
MARCH_1 = D(2026, 3, 1)
MARCH_31 = D(2026, 3, 31)


@pytest.fixture
def manager(institution):
    user = make_user("beheerder@test.example", first_name="Bea", last_name="Beheer")
    InstitutionManager.objects.create(user=user, institution=institution)
    return user


@pytest.fixture
def director(db):
    return make_user("directie@test.example", first_name="Dirk", last_name="Directeur")


def grant(director, institution, manager, starts_on=MARCH_1, ends_on=MARCH_31):
    [right] = right_grant(
        users=[director],
        institution=institution,
        starts_on=starts_on,
        ends_on=ends_on,
        reason="Nieuwe directeur",
        granted_by=manager,
    )
    return right


def test_a_grant_gives_each_user_a_right_logs_it_and_mails_them(institution, manager, director):
    other = make_user("adjunct@test.example")
    rights = right_grant(
        users=[director, other],
        institution=institution,
        starts_on=D(2026, 3, 1),
        ends_on=D(2026, 6, 30),
        reason="Directieteam",
        granted_by=manager,
    )
    assert [r.user for r in rights] == [director, other]
    for right in rights:
        assert right.kind == Right.Kind.DIGISNAP_BEHEERDER
        assert right.source == Right.Source.LOCAL
        [event] = right.events.all()
        assert (event.action, event.by, event.reason) == ("granted", manager, "Directieteam")
        assert (event.starts_on, event.ends_on) == (D(2026, 3, 1), D(2026, 6, 30))
    mails = OutgoingMail.objects.filter(template="rights/email/right_granted")
    assert sorted(mails.values_list("recipient", flat=True)) == [
        "adjunct@test.example",
        "directie@test.example",
    ]
    assert mails.first().context["institution"] == str(institution)


@pytest.mark.parametrize(
    ("users", "starts_on", "ends_on", "reason"),
    [
        (0, D(2026, 3, 1), D(2026, 3, 31), "x"),  # nobody
        (26, D(2026, 3, 1), D(2026, 3, 31), "x"),  # more than 25
        (1, D(2026, 3, 31), D(2026, 3, 1), "x"),  # ends before it starts
        (1, None, D(2026, 3, 1), "x"),
        (1, D(2026, 3, 1), None, "x"),
        (1, D(2026, 3, 1), D(2026, 3, 31), "  "),  # no reason
    ],
)
def test_a_grant_refuses_what_is_incomplete(
    institution, manager, users, starts_on, ends_on, reason
):
    people = [make_user(f"p{i}@test.example") for i in range(users)]
    with pytest.raises(ValidationError):
        right_grant(
            users=people,
            institution=institution,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            granted_by=manager,
        )
    assert not Right.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_twenty_five_users_at_once_is_the_limit(institution, manager):
    people = [make_user(f"p{i}@test.example") for i in range(25)]
    assert (
        len(
            right_grant(
                users=people,
                institution=institution,
                starts_on=D(2026, 3, 1),
                ends_on=D(2026, 3, 1),  # one day is enough
                reason="Teamdag",
                granted_by=manager,
            )
        )
        == 25
    )


def test_a_change_moves_the_end_and_is_logged(institution, manager, director):
    right = grant(director, institution, manager)
    right_change(right=right, ends_on=D(2026, 4, 30), reason="Verlengd", changed_by=manager)
    right.refresh_from_db()
    assert right.ends_on == D(2026, 4, 30)
    assert [e.action for e in right.events.all()] == ["granted", "changed"]
    assert right.events.last().ends_on == D(2026, 4, 30)
    with pytest.raises(ValidationError):
        right_change(right=right, ends_on=D(2026, 2, 1), reason="Te vroeg", changed_by=manager)


@time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS), tick=False)
def test_an_ended_right_stops_at_once_and_ending_twice_is_harmless(institution, manager, director):
    right = grant(director, institution, manager)
    assert access.has_valid_right(director, institution)
    right_end(right=right, reason="Vertrokken", ended_by=manager)
    right_end(right=right, reason="Nog eens", ended_by=manager)
    assert not access.has_valid_right(director, institution)
    assert [e.action for e in right.events.all()] == ["granted", "ended"]
    with pytest.raises(ValidationError):
        right_change(right=right, ends_on=D(2026, 4, 30), reason="Terug", changed_by=manager)


def test_the_log_is_append_only(institution, manager, director):
    event = grant(director, institution, manager).events.get()
    event.reason = "Anders"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


@pytest.mark.parametrize(
    ("moment", "valid"),
    [
        (datetime.datetime(2026, 2, 28, 23, 59, 59, tzinfo=BRUSSELS), False),
        (datetime.datetime(2026, 3, 1, 0, 0, tzinfo=BRUSSELS), True),  # 23:00 UTC the day before
        (datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=BRUSSELS), True),  # 21:59 UTC
        (datetime.datetime(2026, 4, 1, 0, 0, tzinfo=BRUSSELS), False),  # summer time: 22:00 UTC
    ],
)
def test_a_right_is_valid_between_its_dates_in_brussels(
    institution, manager, director, moment, valid
):
    grant(director, institution, manager)
    with time_machine.travel(moment, tick=False):
        assert access.today() == moment.date()
        assert access.has_valid_right(director, institution) is valid


def test_today_is_the_brussels_date_not_utc():
    # 23:30 UTC on 31 March is already 1 April in Brussels (summer time, UTC+2).
    with time_machine.travel(
        datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC), tick=False
    ):
        assert access.today() == D(2026, 4, 1)


@pytest.fixture
def registered(institution, digisnap, manager, director):
    grant(director, institution, manager)
    Membership.objects.create(user=director, digisnap=digisnap, role=Membership.Role.DIRECTOR)
    return director


def test_a_director_administers_a_registered_digisnap_only_with_a_valid_right(
    institution, digisnap, registered
):
    unregistered = digisnap_create(institution=institution, name="Testschool avond")
    assert list(access.digisnaps_administered(registered, on=D(2026, 3, 15))) == [digisnap]
    assert access.digisnap_for_director(registered, digisnap.pk, on=D(2026, 3, 15)) == digisnap
    assert not access.digisnaps_administered(registered, on=D(2026, 4, 1)).exists()
    with pytest.raises(Http404):
        access.digisnap_for_director(registered, digisnap.pk, on=D(2026, 4, 1))
    with pytest.raises(Http404):
        access.digisnap_for_director(registered, unregistered.pk, on=D(2026, 3, 15))


def test_a_right_on_another_institution_administers_nothing(community, digisnap, manager, director):
    other = Institution.objects.create(community=community, number="054321", name="Andere school")
    grant(director, other, manager)
    Membership.objects.create(user=director, digisnap=digisnap, role=Membership.Role.DIRECTOR)
    assert not access.digisnaps_administered(director, on=D(2026, 3, 15)).exists()


def test_a_teacher_membership_with_a_right_administers_nothing(
    institution, digisnap, manager, director
):
    grant(director, institution, manager)
    Membership.objects.create(user=director, digisnap=digisnap, role=Membership.Role.TEACHER)
    assert not access.digisnaps_administered(director, on=D(2026, 3, 15)).exists()


def test_anonymous_visitors_administer_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert not access.digisnaps_administered(AnonymousUser()).exists()
    assert access.has_valid_right(AnonymousUser(), Institution(pk=1)) is False
    with pytest.raises(Http404):
        access.institution_for_user_manager(AnonymousUser(), 1)


def test_only_its_user_managers_reach_an_institution(community, institution, manager, director):
    other = Institution.objects.create(community=community, number="054321", name="Andere school")
    assert access.institution_for_user_manager(manager, institution.pk) == institution
    for user, pk in [(manager, other.pk), (director, institution.pk), (manager, 999999)]:
        with pytest.raises(Http404):
            access.institution_for_user_manager(user, pk)


def test_an_expired_right_stops_working_at_midnight_without_a_new_sign_in(
    client, digisnap, registered
):
    """Signed in on the last day; the same session is refused one second after midnight."""
    client.force_login(registered)
    with time_machine.travel(
        datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=BRUSSELS), tick=False
    ):
        assert access.digisnaps_administered(registered).exists()
        assert access.digisnap_for_director(registered, digisnap.pk) == digisnap
    with time_machine.travel(datetime.datetime(2026, 4, 1, 0, 0, 1, tzinfo=BRUSSELS), tick=False):
        assert not access.digisnaps_administered(registered).exists()
        with pytest.raises(Http404):
            access.digisnap_for_director(registered, digisnap.pk)


def test_the_grant_e_mail_names_the_right_the_institution_and_the_period(
    settings, institution, manager, director
):
    from django.core import mail as outbox

    from digisnap.core.mail import mail_message

    settings.SITE_URL = "https://digisnap.test"
    grant(director, institution, manager)
    queued = OutgoingMail.objects.get(recipient=director.email)
    message = mail_message(mail=queued)
    assert "Digisnap Beheerder" in message.subject and str(institution) in message.subject
    assert "1 maart 2026" in message.body and "31 maart 2026" in message.body
    assert "Nieuwe directeur" in message.body
    assert "https://digisnap.test/directie/aanmelden/" in message.body
    assert outbox.outbox == []  # sent by the worker once the grant commits
