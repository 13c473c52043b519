"""Gebruikersbeheer pages, tried by the institution's user manager, the user manager of another
institution, a teacher and an anonymous visitor — also with hidden ids edited in the forms."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from digisnap.rights.models import Right, RightEvent, StaffMember
from digisnap.rights.services import right_grant
from digisnap.schools.models import Institution, InstitutionManager
from tests.conftest import make_user, nl, page_text

D = datetime.date


@pytest.fixture
def manager(institution):
    user = make_user("beheerder@test.example")
    InstitutionManager.objects.create(user=user, institution=institution)
    return user


@pytest.fixture
def other_institution(db):
    return Institution.objects.create(number="099999", name="Andere school")


@pytest.fixture
def other_manager(other_institution):
    user = make_user("andere-beheerder@test.example")
    InstitutionManager.objects.create(user=user, institution=other_institution)
    return user


@pytest.fixture
def katrien(institution):
    return StaffMember.objects.create(
        institution=institution,
        first_name="Katrien",
        last_name="Bernaerts",
        email="katrien@school.example",
        category="medewerker",
    )


@pytest.fixture
def jan(institution):
    return StaffMember.objects.create(
        institution=institution,
        first_name="Jan",
        last_name="Janssens",
        email="jan@school.example",
        category="leraar",
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def url(name, institution, **extra):
    return reverse(f"usermgmt:{name}", kwargs={"pk": institution.pk, **extra})


GET_PAGES = ["staff_list", "staff_download", "staff_template", "staff_upload", "rights"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_it_serves_the_user_manager(client, manager, institution, name):
    assert signed_in(client, manager).get(url(name, institution)).status_code == 200


@pytest.mark.parametrize("name", GET_PAGES)
def test_it_refuses_the_user_manager_of_another_institution(
    client, other_manager, institution, name
):
    assert signed_in(client, other_manager).get(url(name, institution)).status_code == 404


@pytest.mark.parametrize("name", GET_PAGES)
def test_it_refuses_a_teacher_and_platform_staff(client, institution, name):
    for user in (make_user("leerkracht@test.example"), make_user("s@test.example", is_staff=True)):
        assert signed_in(client, user).get(url(name, institution)).status_code == 404


@pytest.mark.parametrize("name", GET_PAGES)
def test_it_sends_an_anonymous_visitor_to_sign_in(client, institution, name):
    response = client.get(url(name, institution))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_searches_and_downloads_the_result(client, manager, institution, katrien, jan):
    client = signed_in(client, manager)
    page = client.get(url("staff_list", institution), {"first_name": "atri"})
    assert page.context["staff"].count() == 1
    download = client.get(url("staff_download", institution), {"category": "leraar"})
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    body = download.content.decode("utf-8-sig")
    assert "Janssens" in body and "Bernaerts" not in body


def test_the_upload_reports_errors_per_row_and_column(client, manager, institution):
    data = b"voornaam;achternaam;e-mail;categorie;begindatum;einddatum\nA;B;geen;Leraar;;\n"
    response = signed_in(client, manager).post(
        url("staff_upload", institution), {"file": SimpleUploadedFile("p.csv", data)}
    )
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "e-mail")]
    assert not StaffMember.objects.exists()


def test_the_upload_adds_the_people(client, manager, institution):
    data = b"voornaam;achternaam;e-mail;categorie;begindatum;einddatum\nA;B;a@b.example;Leraar;;\n"
    response = signed_in(client, manager).post(
        url("staff_upload", institution), {"file": SimpleUploadedFile("p.csv", data)}
    )
    assert response.status_code == 302
    assert StaffMember.objects.get().institution == institution


def grant_post(client, institution, staff, step, **fields):
    return client.post(
        url("grant", institution),
        {"staff": [m.pk for m in staff], "step": str(step), **fields},
    )


DETAILS = {
    "kind": "digisnap_beheerder",
    "starts_on": "2026-09-01",
    "ends_on": "2027-08-31",
    "reason": "ICT-coördinator",
}


def test_it_grants_in_three_steps(client, manager, institution, katrien, jan):
    client = signed_in(client, manager)
    step1 = grant_post(client, institution, [katrien, jan], 0)
    assert step1.context["step"] == 1
    assert "Digisnap Beheerder" in step1.content.decode()
    step2 = grant_post(client, institution, [katrien, jan], 1, kind="digisnap_beheerder")
    assert step2.context["step"] == 2
    step3 = grant_post(client, institution, [katrien, jan], 2, **DETAILS)
    assert step3.context["step"] == 3
    assert "ICT-coördinator" in step3.content.decode()
    assert not Right.objects.exists()
    done = grant_post(client, institution, [katrien, jan], 3, **DETAILS)
    assert done.status_code == 302
    assert done["Location"] == url("rights", institution)
    assert sorted(Right.objects.values_list("user__email", flat=True)) == [
        "jan@school.example",
        "katrien@school.example",
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"starts_on": ""},
        {"ends_on": ""},
        {"ends_on": "2026-09-01"},  # the end must come after the begin
        {"ends_on": "2026-08-01"},
    ],
)
def test_the_details_are_required_and_the_end_comes_after_the_begin(
    client, manager, institution, katrien, change
):
    client = signed_in(client, manager)
    for step in (2, 3):
        response = grant_post(client, institution, [katrien], step, **(DETAILS | change))
        assert response.status_code == 400
        assert response.context["step"] == 2
    assert not Right.objects.exists()


def test_it_refuses_26_people_with_a_clear_message(client, manager, institution):
    people = [
        StaffMember.objects.create(
            institution=institution, first_name="P", last_name=str(i), email=f"p{i}@s.example"
        )
        for i in range(26)
    ]
    client = signed_in(client, manager)
    response = grant_post(client, institution, people, 3, **DETAILS)
    assert response.status_code == 302
    page = client.get(response["Location"])
    refusal = nl("You chose %(chosen)d people; choose at most %(max)d at once.")
    assert refusal % {"chosen": 26, "max": 25} in page_text(page)
    assert not Right.objects.exists()
    assert grant_post(client, institution, people[:25], 0).status_code == 200


def test_it_refuses_a_hidden_id_of_another_institutions_staff(
    client, manager, institution, other_institution, katrien
):
    stranger = StaffMember.objects.create(
        institution=other_institution, first_name="X", last_name="Y", email="x@elders.example"
    )
    client = signed_in(client, manager)
    for step in (0, 1, 2, 3):
        assert (
            grant_post(client, institution, [katrien, stranger], step, **DETAILS).status_code == 404
        )
    assert not Right.objects.exists()


def test_the_other_manager_cannot_grant_on_this_institution(
    client, other_manager, institution, katrien
):
    client = signed_in(client, other_manager)
    assert grant_post(client, institution, [katrien], 3, **DETAILS).status_code == 404
    assert not Right.objects.exists()


@pytest.fixture
def right(institution, manager):
    [granted] = right_grant(
        users=[make_user("katrien@school.example")],
        institution=institution,
        starts_on=D(2026, 9, 1),
        ends_on=D(2027, 8, 31),
        reason="ICT-coördinator",
        granted_by=manager,
    )
    return granted


def test_the_manager_extends_and_ends_a_right_with_its_history(client, manager, institution, right):
    client = signed_in(client, manager)
    detail = url("right_detail", institution, right_pk=right.pk)
    assert client.get(url("rights", institution)).context["rights"].get() == right
    extended = client.post(
        detail, {"action": "change", "change-ends_on": "2028-08-31", "change-reason": "Verlengd"}
    )
    assert extended.status_code == 302
    ended = client.post(detail, {"action": "end", "end-reason": "Vertrokken"})
    assert ended.status_code == 302
    right.refresh_from_db()
    assert right.ends_on == D(2028, 8, 31)
    assert right.ended_at is not None
    assert list(RightEvent.objects.filter(right=right).values_list("action", "reason")) == [
        ("granted", "ICT-coördinator"),
        ("changed", "Verlengd"),
        ("ended", "Vertrokken"),
    ]
    page = client.get(detail).content.decode()
    assert "Verlengd" in page and "Vertrokken" in page


def test_a_change_needs_a_reason(client, manager, institution, right):
    response = signed_in(client, manager).post(
        url("right_detail", institution, right_pk=right.pk),
        {"action": "change", "change-ends_on": "2028-08-31", "change-reason": ""},
    )
    assert response.status_code == 400
    assert RightEvent.objects.filter(right=right).count() == 1


def test_a_right_of_another_institution_is_not_found(
    client, other_manager, other_institution, right
):
    client = signed_in(client, other_manager)
    detail = url("right_detail", other_institution, right_pk=right.pk)
    assert client.get(detail).status_code == 404
    response = client.post(detail, {"action": "end", "end-reason": "Kwaad opzet"})
    assert response.status_code == 404
    right.refresh_from_db()
    assert right.ended_at is None


@pytest.mark.parametrize("name", ["staff_list", "staff_download", "rights"])
def test_a_list_takes_the_same_queries_for_10_or_100_people(client, manager, institution, name):
    def people(count):
        StaffMember.objects.all().delete()
        StaffMember.objects.bulk_create(
            StaffMember(
                institution=institution, first_name="P", last_name=str(i), email=f"{i}@s.example"
            )
            for i in range(count)
        )
        right_grant(
            users=[make_user(f"r{count}-{i}@s.example") for i in range(count // 10)],
            institution=institution,
            starts_on=D(2026, 9, 1),
            ends_on=D(2027, 8, 31),
            reason="Schaal",
            granted_by=manager,
        )

    client = signed_in(client, manager)
    counts = []
    for count in (10, 100):
        people(count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(name, institution)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_right_from_acmidm_is_shown_but_not_changed_here(client, manager, institution, right):
    Right.objects.filter(pk=right.pk).update(source=Right.Source.ACMIDM)
    client = signed_in(client, manager)
    detail = url("right_detail", institution, right_pk=right.pk)
    assert "ACM/IDM" in client.get(detail).content.decode()
    response = client.post(detail, {"action": "end", "end-reason": "Hier niet"})
    assert response.status_code == 403
    right.refresh_from_db()
    assert right.ended_at is None


def test_an_edited_hidden_right_kind_is_refused(client, manager, institution, katrien):
    response = grant_post(
        signed_in(client, manager), institution, [katrien], 3, **(DETAILS | {"kind": "god"})
    )
    assert response.status_code == 400
    assert not Right.objects.exists()


def test_the_upload_refuses_a_file_over_2_mb(client, manager, institution):
    data = b"voornaam;achternaam;e-mail;categorie;begindatum;einddatum\n" + b"x" * 2_100_000
    response = signed_in(client, manager).post(
        url("staff_upload", institution), {"file": SimpleUploadedFile("p.csv", data)}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not StaffMember.objects.exists()
