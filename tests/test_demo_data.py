"""`manage.py demo_data`: three demo schools, demo accounts, ~100 rounds; running it again changes nothing."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.questionnaires.management.commands.demo_data import ACCOUNTS, DEMO_PASSWORD
from digisnap.questionnaires.models import (
    Answer,
    AreaResult,
    CompetenceResult,
    Framework,
    Response,
)
from digisnap.schools.models import Digisnap, Institution, Membership, SchoolCommunity


def row_counts() -> dict[str, int]:
    models = (
        Framework,
        SchoolCommunity,
        Institution,
        Digisnap,
        Membership,
        User,
        EmailAddress,
        Response,
        Answer,
        CompetenceResult,
        AreaResult,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(db):
    call_command("demo_data", verbosity=0)


def test_running_it_twice_changes_nothing(demo, capsys):
    before = row_counts()
    call_command("demo_data")
    assert row_counts() == before
    assert "already present" in capsys.readouterr().out


def test_it_creates_three_digisnaps_with_about_a_hundred_submitted_rounds(demo):
    assert Digisnap.objects.count() == 3
    assert set(Digisnap.objects.values_list("code", flat=True)) == {
        "Digisnap_7EUVEN",
        "Digisnap_HEV7KR",
        "Digisnap_KEW3TW",
    }
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED)
    assert submitted.count() == 101  # 40 + 30 + 30 synthetic teachers, and the demo teacher
    assert not Response.objects.filter(status=Response.Status.DRAFT).exists()
    for digisnap in Digisnap.objects.all():
        assert submitted.filter(digisnap=digisnap).count() >= 30
    assert CompetenceResult.objects.count() == 101 * 22
    assert AreaResult.objects.count() == 101 * 6
    assert Answer.objects.count() == 101 * 30


@pytest.mark.parametrize("role", sorted(ACCOUNTS))
def test_the_demo_accounts_exist_with_a_verified_address_and_can_sign_in(demo, role):
    email = ACCOUNTS[role][0]
    assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)


def test_the_demo_admin_is_platform_staff_and_the_director_directs_all_three(demo):
    admin = User.objects.get(email=ACCOUNTS["admin"][0])
    assert admin.is_staff and admin.is_superuser
    director = User.objects.get(email=ACCOUNTS["director"][0])
    assert not director.is_staff
    roles = set(director.memberships.values_list("digisnap__code", "role"))
    assert {role for _code, role in roles} == {Membership.Role.DIRECTOR}
    assert len(roles) == 3


def test_the_demo_teacher_has_one_earlier_round_to_compare_with(demo):
    teacher = User.objects.get(email=ACCOUNTS["teacher"][0])
    earlier = Response.objects.get(user=teacher)
    assert earlier.is_submitted
    assert earlier.digisnap.code == "Digisnap_7EUVEN"
    assert earlier.submitted_at < timezone.now() - datetime.timedelta(days=300)
    assert earlier.competence_results.count() == 22
    client = Client()
    client.force_login(teacher)
    assert client.get(f"/resultaat/{earlier.pk}/").status_code == 200


def test_synthetic_teachers_cannot_sign_in(demo):
    synthetic = User.objects.filter(email__endswith="@synthetic.digisnap.invalid")
    assert synthetic.count() == 100
    assert not any(user.has_usable_password() for user in synthetic)


def test_every_demo_code_can_be_typed_back_in(db):
    from digisnap.schools.codes import normalize_code
    from digisnap.schools.selectors import digisnap_by_code

    call_command("demo_data", verbosity=0)
    for digisnap in Digisnap.objects.all():
        assert normalize_code(digisnap.code) == digisnap.code
        assert digisnap_by_code(digisnap.code.lower().replace("digisnap_", "")) == digisnap
