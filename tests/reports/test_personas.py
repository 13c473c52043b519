"""Who may choose which digisnaps for a directors' report, and who may open a report: only
digisnaps administered today (a valid right AND registered), and only reports every digisnap of
which the reader administers today — checked on the form, the service and every download."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from digisnap.reports.access import report_for_viewer, reports_for_viewer
from digisnap.reports.models import Report
from digisnap.reports.services import report_request
from digisnap.rights.services import right_end
from digisnap.schools.models import Membership
from tests.conftest import make_user, nl, page_text
from tests.reports.helpers import (
    FORM,
    client_for,
    form_data,
    grant,
    register,
    teacher_of,
    user_manager_of,
)

NOT_ADMINISTERED = (
    "You can only choose digisnaps you administer today. Reload the page to see them."
)
REPORT_URLS = ("report_job", "report_status", "report_pdf", "report_xlsx", "report_view")


def checkbox(digisnap) -> str:
    return f'id="digisnap-{digisnap.pk}"'


def ask(user, *digisnaps):
    return report_request(
        user=user,
        digisnap_ids=[digisnap.pk for digisnap in digisnaps],
        title="Rapport",
        include_training=False,
        token=uuid.uuid4(),
    )


@pytest.fixture
def made(world, generate) -> Report:
    """A report over a1 and b1, made by the director."""
    generate(client_for(world.director), world.a1, world.b1, title="Geheim rapport")
    return Report.objects.get()


# Who may choose which digisnaps


def test_a_director_with_a_valid_right_who_registered_sees_and_may_choose_them(world):
    page = page_text(client_for(world.director).get(FORM))
    for digisnap in (world.a1, world.a2, world.b1, world.c1):
        assert checkbox(digisnap) in page
    assert ask(world.director, world.a1, world.a2, world.b1).status == "queued"


def test_an_expired_right_takes_the_school_s_digisnaps_off_the_form_and_refuses_them(world):
    expired = make_user("verlopen@test.example")
    grant(expired, world.school_a, starts=-60, ends=-1)
    grant(expired, world.school_b)
    register(expired, world.a1, world.b1)
    client = client_for(expired)
    page = page_text(client.get(FORM))
    assert checkbox(world.a1) not in page
    assert checkbox(world.b1) in page
    answer = client.post(FORM, form_data(world.a1, world.b1))
    assert answer.status_code == 400
    assert f'id="id_digisnaps_error">{nl(NOT_ADMINISTERED)}' in page_text(answer)
    with pytest.raises(ValidationError):
        ask(expired, world.a1)
    assert not Report.objects.exists()


def test_a_right_that_has_not_started_yet_counts_as_none(world):
    future = register(make_user("toekomst@test.example"), world.a1)
    grant(future, world.school_a, starts=1, ends=30)
    assert client_for(future).get(FORM).status_code == 404
    with pytest.raises(ValidationError):
        ask(future, world.a1)


def test_registered_without_a_right_is_refused(world):
    unentitled = register(make_user("zonder-recht@test.example"), world.a1)
    assert client_for(unentitled).get(FORM).status_code == 404
    assert client_for(unentitled).post(FORM, form_data(world.a1)).status_code == 404
    with pytest.raises(ValidationError):
        ask(unentitled, world.a1)


def test_a_right_without_registering_on_the_digisnap_is_refused_for_that_digisnap(world):
    partial = register(make_user("half@test.example"), world.a1)
    grant(partial, world.school_a)
    page = page_text(client_for(partial).get(FORM))
    assert checkbox(world.a1) in page
    assert checkbox(world.a2) not in page
    answer = client_for(partial).post(FORM, form_data(world.a1, world.a2))
    assert answer.status_code == 400
    assert nl(NOT_ADMINISTERED) in page_text(answer)


def test_digisnaps_of_another_community_are_refused_together(world):
    with pytest.raises(ValidationError) as refused:
        ask(world.director, world.b1, world.c1)
    assert "digisnaps" in refused.value.message_dict
    assert ask(world.director, world.c1).community == world.zuid


def test_a_digisnap_of_a_school_the_director_has_nothing_to_do_with_is_refused(world):
    stranger = register(make_user("elders@test.example"), world.c1)
    grant(stranger, world.school_c)
    answer = client_for(stranger).post(FORM, form_data(world.a1))
    assert answer.status_code == 400
    assert checkbox(world.a1) not in page_text(answer)
    assert not Report.objects.exists()


def test_a_teacher_of_the_digisnap_is_refused(world):
    teacher = teacher_of(world.a1)
    client = client_for(teacher)
    assert client.get(reverse("reports:report")).status_code == 404
    assert client.get(FORM).status_code == 404
    assert client.post(FORM, form_data(world.a1)).status_code == 404
    with pytest.raises(ValidationError):
        ask(teacher, world.a1)


def test_anonymous_visitors_are_sent_to_sign_in(world):
    answer = client_for(None).get(FORM)
    assert answer.status_code == 302
    assert answer["Location"] == f"/accounts/login/?next={FORM}"
    assert client_for(None).post(FORM, form_data(world.a1)).status_code == 302
    assert not Report.objects.exists()


def test_a_user_manager_without_a_right_is_refused(world):
    manager = user_manager_of(world.school_a)
    register(manager, world.a1)  # even registered: the right is what counts
    assert client_for(manager).get(FORM).status_code == 404
    with pytest.raises(ValidationError):
        ask(manager, world.a1)


def test_a_platform_admin_without_a_right_is_refused(world, staff):
    assert client_for(staff).get(FORM).status_code == 404


# Who may open a report


def test_the_maker_and_a_co_director_of_every_digisnap_may_open_it(world, made):
    co_director_of_both = register(make_user("beide@test.example"), world.a1, world.b1)
    grant(co_director_of_both, world.school_a)
    grant(co_director_of_both, world.school_b)
    for user in (world.director, co_director_of_both):
        client = client_for(user)
        for name in REPORT_URLS:
            answer = client.get(reverse(f"reports:{name}", args=[made.pk]))
            assert answer.status_code == 200, (user, name)
            assert "no-store" in answer["Cache-Control"]


def test_someone_else_s_report_is_not_found_for_anybody_else(world, made, staff):
    # The co-director administers a1 but not b1: the report is not theirs to read.
    outsiders = [
        world.co_director,
        teacher_of(world.a1),
        user_manager_of(world.school_a),
        staff,
    ]
    for user in outsiders:
        client = client_for(user)
        for name in REPORT_URLS:
            assert client.get(reverse(f"reports:{name}", args=[made.pk])).status_code == 404
        assert client.post(reverse("reports:report_retry", args=[made.pk])).status_code == 404
        assert made not in reports_for_viewer(user)
    assert "Geheim rapport" not in page_text(client_for(world.co_director).get(FORM))
    anonymous = client_for(None).get(reverse("reports:report_pdf", args=[made.pk]))
    assert anonymous.status_code == 302


def test_a_report_over_a_digisnap_whose_right_ended_since_is_gone(world, made):
    client = client_for(world.director)
    assert "Geheim rapport" in page_text(client.get(FORM))
    right = world.director.rights.get(institution=world.school_b)
    right_end(right=right, ended_by=None, reason="Andere school")
    page = page_text(client.get(FORM))
    assert "Geheim rapport" not in page  # gone from the archive
    for name in REPORT_URLS:
        assert client.get(reverse(f"reports:{name}", args=[made.pk])).status_code == 404
    with pytest.raises(Http404):
        report_for_viewer(world.director, made.pk)


def test_a_report_over_a_digisnap_the_director_unregistered_from_is_gone(world, made):
    Membership.objects.filter(
        user=world.director, digisnap=world.b1, role=Membership.Role.DIRECTOR
    ).delete()
    client = client_for(world.director)
    assert client.get(reverse("reports:report_pdf", args=[made.pk])).status_code == 404
    assert "Geheim rapport" not in page_text(client.get(FORM))
