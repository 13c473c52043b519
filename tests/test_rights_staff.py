"""The platform admin's rights page: name a user manager for an institution, see a user's rights
with their source and history. Staff only; the Django admin shows rights read-only."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from digisnap.rights.models import Right
from digisnap.rights.services import right_change, right_grant
from digisnap.schools.models import InstitutionManager
from tests.conftest import make_user, page_text

OVERVIEW = reverse("rights:staff_overview")


@pytest.fixture
def staff(db):
    user = make_user("admin@test.example", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def granted(institution):
    manager = make_user("beheerder@test.example")
    InstitutionManager.objects.create(user=manager, institution=institution)
    director = make_user("directie@test.example")
    [right] = right_grant(
        users=[director],
        institution=institution,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
        reason="Nieuwe directeur",
        granted_by=manager,
    )
    right_change(
        right=right, ends_on=datetime.date(2026, 6, 30), reason="Verlengd", changed_by=manager
    )
    return right


def test_staff_names_a_user_manager_by_e_mail_and_instellingsnummer(staff, institution, teacher):
    answer = staff.post(OVERVIEW, {"email": "LEERKRACHT@test.example", "institution": "12345"})
    assert answer.status_code == 302
    assert InstitutionManager.objects.filter(user=teacher, institution=institution).exists()
    # naming again is harmless
    staff.post(OVERVIEW, {"email": teacher.email, "institution": "012345"})
    assert InstitutionManager.objects.filter(user=teacher).count() == 1
    assert teacher.email in page_text(staff.get(OVERVIEW))


def test_an_unknown_user_or_institution_is_said_beside_its_field(staff, institution):
    answer = staff.post(OVERVIEW, {"email": "niemand@test.example", "institution": "999999"})
    assert answer.status_code == 200
    text = page_text(answer)
    assert 'id="id_email_error"' in text and 'id="id_institution_error"' in text
    assert 'aria-invalid="true"' in text
    assert not InstitutionManager.objects.exists()


def test_staff_removes_a_user_manager(staff, institution, teacher):
    manager = InstitutionManager.objects.create(user=teacher, institution=institution)
    answer = staff.post(reverse("rights:staff_manager_remove", args=[manager.pk]))
    assert answer.status_code == 302
    assert not InstitutionManager.objects.exists()


def test_staff_finds_a_user_and_sees_the_rights_with_source_and_history(staff, granted):
    text = page_text(staff.get(OVERVIEW, {"q": "directie@"}))
    url = reverse("rights:staff_user", args=[granted.user.pk])
    assert url in text
    text = page_text(staff.get(url))
    assert "Digisnap Beheerder" in text
    assert str(granted.institution) in text
    assert granted.get_source_display() in text
    assert "Nieuwe directeur" in text and "Verlengd" in text  # the whole history
    assert "beheerder@test.example" in text  # who granted and changed it


def test_an_ac_mid_right_shows_its_source(staff, institution, teacher):
    right_grant(
        users=[teacher],
        institution=institution,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        reason="Uit ACM/IDM",
        granted_by=None,
        source=Right.Source.ACMIDM,
    )
    text = page_text(staff.get(reverse("rights:staff_user", args=[teacher.pk])))
    assert "ACM/IDM" in text


@pytest.mark.parametrize("persona", ["teacher", "user_manager", "director"])
def test_nobody_but_staff_reaches_the_pages(persona, institution, granted, teacher):
    user = {
        "teacher": teacher,
        "user_manager": InstitutionManager.objects.get(institution=institution).user,
        "director": granted.user,
    }[persona]
    client = Client()
    client.force_login(user)
    assert client.get(OVERVIEW).status_code == 403
    assert client.post(OVERVIEW, {"email": user.email, "institution": "012345"}).status_code == 403
    assert client.get(reverse("rights:staff_user", args=[user.pk])).status_code == 403
    assert InstitutionManager.objects.filter(user=user).count() == (persona == "user_manager")


def test_anonymous_visitors_sign_in_first(anonymous_client, granted):
    answer = anonymous_client.get(OVERVIEW)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_the_admin_shows_rights_read_only(staff, granted):
    change = reverse("admin:rights_right_change", args=[granted.pk])
    answer = staff.get(change)
    assert answer.status_code == 200
    assert "Verlengd" in page_text(answer)  # the log, inline
    assert staff.post(change, {"reason": "Anders"}).status_code == 403
    assert staff.get(reverse("admin:rights_right_add")).status_code == 403
    assert staff.get(reverse("admin:rights_right_delete", args=[granted.pk])).status_code == 403
    assert staff.get(reverse("admin:rights_right_changelist")).status_code == 200
    assert Right.objects.get().reason == "Nieuwe directeur"
