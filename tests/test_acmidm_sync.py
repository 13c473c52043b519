"""Rights from ACM/IDM synced at each sign-in in one transaction: new ones added (source
ACMIDM), those sent again kept, those no longer sent ended — every change in the event log, and
rights granted in Digisnap never touched."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from digisnap.rights import access
from digisnap.rights.acmidm import ParsedRole
from digisnap.rights.models import Right, RightEvent
from digisnap.rights.services import ACMIDM_ENDS_ON, right_grant, rights_sync_acmidm
from digisnap.schools.models import Institution
from tests.conftest import make_user

BRUSSELS = ZoneInfo("Europe/Brussels")
MORNING = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS)
NEXT_DAY = MORNING + datetime.timedelta(days=1)


def role(orgcode: str, context: str = "") -> ParsedRole:
    return ParsedRole("DigisnapBeheerder", context, orgcode)


@pytest.fixture
def user(db):
    return make_user("acm.directie@test.example", first_name="Ann", last_name="Acm")


def sync(user, roles, *, now=MORNING, org_names=None):
    return rights_sync_acmidm(user=user, roles=roles, org_names=org_names or {}, now=now)


def test_a_new_role_adds_an_acmidm_right_from_today(user, institution):
    [right] = sync(user, [role("012345")])
    assert right.source == Right.Source.ACMIDM
    assert right.institution == institution
    assert (right.starts_on, right.ends_on) == (MORNING.date(), ACMIDM_ENDS_ON)
    assert right.synced_at == MORNING
    assert "DigisnapBeheerder:012345" in right.reason
    assert list(right.events.values_list("action", "by")) == [(RightEvent.Action.GRANTED, None)]
    assert access.has_valid_right(user, institution, on=MORNING.date())


def test_a_role_sent_again_keeps_the_right_and_marks_it_synced(user, institution):
    [first] = sync(user, [role("012345")])
    [again] = sync(user, [role("012345", "ictcoordinator")], now=NEXT_DAY)
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.synced_at == NEXT_DAY
    assert again.starts_on == MORNING.date()
    assert again.events.count() == 1
    assert Right.objects.filter(user=user).count() == 1


def test_a_role_no_longer_sent_ends_the_right_with_a_logged_event(user, institution):
    [right] = sync(user, [role("012345")])
    assert sync(user, [], now=NEXT_DAY) == []
    right.refresh_from_db()
    assert right.ended_at is not None
    assert right.synced_at == NEXT_DAY
    assert list(right.events.values_list("action", flat=True)) == [
        RightEvent.Action.GRANTED,
        RightEvent.Action.ENDED,
    ]
    assert not access.has_valid_right(user, institution, on=NEXT_DAY.date())


def test_a_role_sent_after_it_was_ended_is_a_new_right(user, institution):
    [first] = sync(user, [role("012345")])
    sync(user, [], now=NEXT_DAY)
    [second] = sync(user, [role("012345")], now=NEXT_DAY + datetime.timedelta(hours=1))
    assert second.pk != first.pk
    assert access.has_valid_right(user, institution, on=NEXT_DAY.date())


def test_local_rights_are_never_touched(user, institution):
    [local] = right_grant(
        users=[user],
        institution=institution,
        starts_on=MORNING.date(),
        ends_on=MORNING.date() + datetime.timedelta(days=30),
        reason="Directeur",
        granted_by=None,
    )
    assert sync(user, [], now=NEXT_DAY) == []
    sync(user, [role("012345")], now=NEXT_DAY)
    sync(user, [], now=NEXT_DAY)
    local.refresh_from_db()
    assert local.ended_at is None
    assert local.synced_at is None
    assert local.events.count() == 1
    assert access.has_valid_right(user, institution, on=NEXT_DAY.date())


def test_several_institutions_add_one_right_each_and_end_only_the_dropped_one(user, institution):
    other = Institution.objects.create(number="054321", name="Andere school")
    sync(user, [role("012345"), role("054321"), role("012345", "directie")])
    rights = Right.objects.filter(user=user, ended_at__isnull=True)
    assert sorted(rights.values_list("institution__number", flat=True)) == ["012345", "054321"]
    sync(user, [role("054321")], now=NEXT_DAY)
    assert access.has_valid_right(user, other, on=NEXT_DAY.date())
    assert not access.has_valid_right(user, institution, on=NEXT_DAY.date())


def test_an_unknown_institution_is_created_from_the_organisation_claims(user, db):
    [right] = sync(user, [role("099999")], org_names={"099999": "Nieuwe School"})
    assert (right.institution.number, right.institution.name) == ("099999", "Nieuwe School")


def test_an_unknown_institution_without_a_name_gets_its_number(user, db):
    [right] = sync(user, [role("088888")])
    assert right.institution.name == "Instelling 088888"


def test_no_roles_create_no_institution(user, db):
    sync(user, [])
    assert not Institution.objects.exists()


def test_other_users_rights_are_not_touched(user, institution):
    other = make_user("andere.acm@test.example")
    [theirs] = sync(other, [role("012345")])
    sync(user, [], now=NEXT_DAY)
    theirs.refresh_from_db()
    assert theirs.ended_at is None
