"""Who may use the access request pages: anonymous may request, only platform admins see the
queue and decide, and a poster is for staff and the institution's own user managers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from digisnap.schools import services
from digisnap.schools.models import AccessRequest, Institution, InstitutionManager
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db) -> AccessRequest:
    return services.access_request_submit(
        institution_number="045678",
        school_name="Sint-Jozef",
        community=None,
        community_name="Scholengemeenschap Noord",
        education_level="secundair",
        first_name="Greet",
        last_name="Goossens",
        function="directeur",
        email="greet@school.example",
        language="nl",
        lists=["Dag"],
    )


@pytest.fixture
def manager(institution) -> Client:
    """The user manager of the digisnap's institution."""
    user = make_user("lokale-beheerder@test.example")
    InstitutionManager.objects.create(user=user, institution=institution)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_manager(db) -> Client:
    """The user manager of another school."""
    other = Institution.objects.create(number="099999", name="Andere school")
    user = make_user("andere-beheerder@test.example")
    InstitutionManager.objects.create(user=user, institution=other)
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_may_request(anonymous_client):
    assert anonymous_client.get(reverse("schools:request_new")).status_code == 200


def test_anonymous_is_sent_to_sign_in_for_the_queue(anonymous_client):
    answer = anonymous_client.get(reverse("schools:queue"))
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["teacher_client", "other_teacher_client", "director_client"])
def test_the_queue_and_decisions_refuse_everybody_but_staff(request, persona, pending):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("schools:queue")).status_code == 403
    assert client.get(reverse("schools:detail", args=[pending.pk])).status_code == 403
    assert client.post(reverse("schools:approve", args=[pending.pk])).status_code == 403
    reject = client.post(reverse("schools:reject", args=[pending.pk]), {"reason": "x"})
    assert reject.status_code == 403
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.PENDING


def test_a_user_manager_may_not_decide(manager, pending):
    assert manager.post(reverse("schools:approve", args=[pending.pk])).status_code == 403


def test_staff_see_the_queue_and_decide(staff_client, pending):
    assert staff_client.get(reverse("schools:queue")).status_code == 200
    assert staff_client.get(reverse("schools:detail", args=[pending.pk])).status_code == 200
    assert staff_client.post(reverse("schools:approve", args=[pending.pk])).status_code == 302
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.APPROVED


def test_the_menu_links_the_queue_for_staff_only(staff_client, teacher_client):
    queue = reverse("schools:queue")
    assert queue in staff_client.get("/").content.decode()
    assert queue not in teacher_client.get("/").content.decode()


def test_the_status_page_needs_only_the_private_link(pending, teacher_client):
    assert teacher_client.get(pending.get_absolute_url()).status_code == 200
    assert teacher_client.get(pending.get_absolute_url() + "x/").status_code == 404


# Posters


def poster_url(digisnap) -> str:
    return reverse("schools:poster", args=[digisnap.pk])


def test_the_user_manager_downloads_posters_of_their_own_institution(manager, digisnap):
    answer = manager.get(poster_url(digisnap))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_staff_download_any_poster(staff_client, digisnap):
    assert staff_client.get(poster_url(digisnap)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["other_manager", "teacher_client", "other_teacher_client", "director_client"]
)
def test_anybody_else_gets_404_for_a_poster(request, persona, digisnap):
    client = request.getfixturevalue(persona)
    assert client.get(poster_url(digisnap)).status_code == 404


def test_anonymous_signs_in_for_a_poster(anonymous_client, digisnap):
    answer = anonymous_client.get(poster_url(digisnap))
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_the_approved_requester_downloads_the_new_posters(staff, pending):
    services.access_request_approve(access_request=pending, decided_by=staff)
    client = Client()
    client.force_login(InstitutionManager.objects.get().user)
    digisnap = InstitutionManager.objects.get().institution.digisnaps.get()
    assert client.get(poster_url(digisnap)).status_code == 200
