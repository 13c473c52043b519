"""The user manager's staff list: CSV in and out, the search filters, the grant service."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from digisnap.core.models import OutgoingMail
from digisnap.rights.models import Right, StaffMember
from digisnap.rights.usermgmt_csv import staff_csv_read, staff_csv_write
from digisnap.rights.usermgmt_selectors import StaffFilters, staff_search
from digisnap.rights.usermgmt_services import staff_add_teachers, staff_import, staff_right_grant
from digisnap.schools.models import Institution, InstitutionManager, Membership
from tests.conftest import make_user

D = datetime.date
HEADER = "voornaam;achternaam;e-mail;categorie;begindatum;einddatum\n"


@pytest.fixture
def manager(institution):
    user = make_user("beheerder@test.example")
    InstitutionManager.objects.create(user=user, institution=institution)
    return user


def member(institution, email, **extra) -> StaffMember:
    fields = {"first_name": "Katrien", "last_name": "Bernaerts", "category": "medewerker"} | extra
    return StaffMember.objects.create(institution=institution, email=email, **fields)


# Reading an upload


def test_an_upload_with_semicolons_is_read():
    data = HEADER + "Katrien;Bernaerts;K.B@school.example;Medewerker;25/07/2022;25/07/2032\n"
    result = staff_csv_read(data.encode("utf-8-sig"))
    assert result.errors == []
    [row] = result.rows
    assert (row.email, row.category, row.employed_from) == (
        "k.b@school.example",
        StaffMember.Category.EMPLOYEE,
        D(2022, 7, 25),
    )


def test_an_upload_with_commas_and_accents_is_read():
    data = HEADER.replace(";", ",") + "Zoë,Çelik,zoe@school.example,Leraar,2023-09-01,\n"
    result = staff_csv_read(data.encode("utf-8"))
    assert result.errors == []
    assert (result.rows[0].first_name, result.rows[0].last_name) == ("Zoë", "Çelik")


def test_an_upload_names_each_wrong_cell_by_row_and_column_and_keeps_nothing():
    data = (
        HEADER
        + "Katrien;Bernaerts;katrien@school.example;Medewerker;25/07/2022;25/07/2032\n"
        + ";Peeters;geen-adres;Kok;31/02/2022;\n"
        + "Jan;Janssens;katrien@school.example;Leraar;01/09/2023;01/09/2022\n"
    )
    result = staff_csv_read(data.encode())
    assert result.rows == []
    cells = {(error.row, error.column) for error in result.errors}
    assert cells == {
        (3, "voornaam"),
        (3, "e-mail"),
        (3, "categorie"),
        (3, "begindatum"),
        (4, "e-mail"),  # the same address as on line 2
        (4, "einddatum"),  # before the begin date
    }


def test_an_upload_without_the_columns_or_not_in_utf8_is_refused():
    assert staff_csv_read(b"naam;adres\nA;B\n").errors[0].row == 1
    assert staff_csv_read("voornaam;Zoë".encode("latin-1")).errors


def test_an_import_adds_and_updates_by_email(institution):
    member(institution, "katrien@school.example", first_name="Kathy")
    rows = staff_csv_read(
        (
            HEADER
            + "Katrien;Bernaerts;KATRIEN@school.example;Directie;;\n"
            + "Jan;Janssens;jan@school.example;Leraar;;\n"
        ).encode()
    ).rows
    staff_import(institution=institution, rows=rows)
    assert sorted(StaffMember.objects.values_list("first_name", "category")) == [
        ("Jan", "leraar"),
        ("Katrien", "directie"),
    ]


# Writing a download


def test_a_download_is_utf8_with_a_bom_and_semicolons(institution):
    member(institution, "zoe@school.example", first_name="Zoë", employed_from=D(2022, 7, 25))
    data = staff_csv_write(StaffMember.objects.all())
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "voornaam;achternaam;e-mail;categorie;begindatum;einddatum"
    assert lines[1] == "Zoë;Bernaerts;zoe@school.example;Medewerker;25/07/2022;"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_download_neutralises_cells_that_start_a_formula(institution, start):
    member(
        institution, "f@school.example", first_name=f"{start}HYPERLINK(1)", last_name=f"{start}2"
    )
    line = staff_csv_write(StaffMember.objects.all()).decode("utf-8-sig").splitlines()[1]
    assert line.startswith(f"'{start}HYPERLINK(1);'{start}2;")


def test_a_download_reads_back_as_an_upload(institution):
    member(institution, "katrien@school.example", employed_from=D(2022, 7, 25))
    assert staff_csv_read(staff_csv_write(StaffMember.objects.all())).errors == []


# The search


def test_the_filters_of_the_manual(institution):
    old = member(
        institution, "old@school.example", first_name="Katrien", employed_from=D(2010, 9, 1)
    )
    new = member(
        institution,
        "new@school.example",
        first_name="Jan",
        last_name="Peeters",
        category="leraar",
        employed_from=D(2023, 9, 1),
        employed_until=D(2024, 6, 30),
    )

    def found(**filters):
        return list(staff_search(institution=institution, filters=StaffFilters(**filters)))

    assert found() == [old, new]
    assert found(category="leraar") == [new]
    assert found(first_name="atri") == [old]
    assert found(last_name="PEE") == [new]
    assert found(employed_from=("before", D(2020, 1, 1))) == [old]
    assert found(employed_from=("after", D(2020, 1, 1))) == [new]
    assert found(employed_from=("on", D(2023, 9, 1))) == [new]
    assert found(employed_until=("before", D(2025, 1, 1))) == [new]
    today = datetime.date.today()
    assert found(modified=("after", today - datetime.timedelta(days=2))) == [old, new]
    assert found(modified=("before", today - datetime.timedelta(days=2))) == []


def test_the_search_shows_only_the_institutions_own_staff(institution):
    other = Institution.objects.create(number="099999", name="Andere school")
    member(other, "elders@school.example")
    assert list(staff_search(institution=institution, filters=StaffFilters())) == []


def test_teachers_who_joined_are_added_once(institution, digisnap):
    teacher = make_user("leerkracht@test.example", first_name="Lien", last_name="Leerkracht")
    Membership.objects.create(user=teacher, digisnap=digisnap)
    assert staff_add_teachers(institution=institution) == 1
    assert staff_add_teachers(institution=institution) == 0
    added = StaffMember.objects.get()
    assert (added.user, added.category, added.last_name) == (teacher, "leraar", "Leerkracht")


# The grant


def test_a_grant_makes_accounts_and_invites_those_without_one(institution, manager):
    with_account = make_user("heeft@school.example")
    people = [
        member(institution, "heeft@school.example", user=with_account),
        member(institution, "nieuw@school.example", first_name="Nina"),
    ]
    rights = staff_right_grant(
        institution=institution,
        staff=people,
        starts_on=D(2026, 9, 1),
        ends_on=D(2027, 8, 31),
        reason="ICT-coördinator",
        granted_by=manager,
    )
    assert len(rights) == 2
    assert {r.user.email for r in rights} == {"heeft@school.example", "nieuw@school.example"}
    new_user = Right.objects.get(user__email="nieuw@school.example").user
    assert not new_user.has_usable_password()
    mails = OutgoingMail.objects.order_by("pk")
    assert [(m.recipient, m.template) for m in mails] == [
        ("nieuw@school.example", "rights/usermgmt/email/invitation"),
        ("heeft@school.example", "rights/email/right_granted"),
        ("nieuw@school.example", "rights/email/right_granted"),
    ]


def test_a_grant_refuses_26_people(institution, manager):
    people = [member(institution, f"p{i}@school.example") for i in range(26)]
    with pytest.raises(ValidationError):
        staff_right_grant(
            institution=institution,
            staff=people,
            starts_on=D(2026, 9, 1),
            ends_on=D(2027, 8, 31),
            reason="Te veel",
            granted_by=manager,
        )
    assert not Right.objects.exists()


def test_a_grant_refuses_staff_of_another_institution(institution, manager):
    other = Institution.objects.create(number="099999", name="Andere school")
    with pytest.raises(ValidationError):
        staff_right_grant(
            institution=institution,
            staff=[member(other, "elders@school.example")],
            starts_on=D(2026, 9, 1),
            ends_on=D(2027, 8, 31),
            reason="Niet de mijne",
            granted_by=manager,
        )
    assert not Right.objects.exists()
