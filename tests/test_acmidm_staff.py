"""A platform admin sees per user where each right came from (granted in Digisnap or ACM/IDM)
and when an ACM/IDM right was last synced; the Django admin lists the sync time too."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from digisnap.rights.acmidm import ParsedRole
from digisnap.rights.services import right_grant, rights_sync_acmidm
from tests.conftest import make_user, nl, page_text

SYNCED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def staff_client(db):
    client = Client()
    client.force_login(make_user("admin.acm@test.example", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def director(institution):
    user = make_user("acm.staff.directie@test.example")
    right_grant(
        users=[user],
        institution=institution,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        reason="Lokaal toegekend",
        granted_by=None,
    )
    rights_sync_acmidm(
        user=user,
        roles=[ParsedRole("DigisnapBeheerder", "", "054321")],
        org_names={"054321": "ACM-school"},
        now=SYNCED,
    )
    return user


def shown(moment: datetime.datetime) -> str:
    with translation.override("nl"):
        return date_filter(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def test_staff_sees_each_rights_source_and_the_last_sync(staff_client, director):
    response = staff_client.get(reverse("rights:staff_user", args=[director.pk]))
    text = page_text(response)
    assert text.count('data-source="local"') == 1
    assert text.count('data-source="acmidm"') == 1
    assert nl("granted in Digisnap") in text
    assert nl("Last synced") in text
    assert shown(SYNCED) in text
    assert "ACM-school" in text


def test_an_ended_acmidm_right_shows_when_it_was_last_synced(staff_client, director):
    later = SYNCED + datetime.timedelta(days=1)
    rights_sync_acmidm(user=director, roles=[], org_names={}, now=later)
    text = page_text(staff_client.get(reverse("rights:staff_user", args=[director.pk])))
    assert shown(later) in text
    assert nl("No longer sent by ACM/IDM.") in text


def test_the_admin_lists_the_sync_time(staff_client, director):
    text = page_text(staff_client.get(reverse("admin:rights_right_changelist")))
    assert "column-synced_at" in text


def test_others_do_not_reach_the_page(director, teacher_client):
    url = reverse("rights:staff_user", args=[director.pk])
    assert teacher_client.get(url).status_code == 403
