"""The demo's rights: the director administers the three demo digisnaps today, the user manager
manages the three schools, a former director's right expired; running again changes nothing."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from digisnap.accounts.models import User
from digisnap.questionnaires.management.commands.demo_data import ACCOUNTS, DEMO_PASSWORD
from digisnap.rights import access
from digisnap.rights.models import Right, RightEvent
from digisnap.schools.models import Digisnap, InstitutionManager, Membership
from tests.conftest import page_text


@pytest.fixture
def demo(db):
    call_command("demo_data", verbosity=0)


def account(role: str) -> User:
    return User.objects.get(email=ACCOUNTS[role][0])


def test_the_demo_director_administers_the_three_demo_digisnaps_today(demo):
    director = account("director")
    assert set(access.digisnaps_administered(director)) == set(Digisnap.objects.all())
    assert Digisnap.objects.count() == 3


def test_the_demo_user_manager_manages_the_three_schools_and_granted_the_rights(demo):
    manager = account("user_manager")
    assert InstitutionManager.objects.filter(user=manager).count() == 3
    assert set(Right.objects.values_list("granted_by", flat=True)) == {manager.pk}
    assert RightEvent.objects.filter(action="granted").count() == Right.objects.count() == 4


def test_the_former_director_is_refused_with_the_expired_message(demo):
    former = account("former_director")
    client = Client()
    assert client.login(email=former.email, password=DEMO_PASSWORD)
    answer = client.post(
        reverse("rights:director_register"),
        {"first_name": "Olga", "last_name": "Oud-Directeur", "code": "Digisnap_7EUVEN"},
    )
    assert answer.status_code == 403
    assert "Digisnap Beheerder" in page_text(answer)
    assert not Membership.objects.filter(user=former).exists()


def test_running_it_again_changes_nothing(demo, capsys):
    before = (Right.objects.count(), RightEvent.objects.count(), InstitutionManager.objects.count())
    call_command("demo_data", verbosity=0)
    call_command("demo_rights")
    assert "already present" in capsys.readouterr().out
    after = (Right.objects.count(), RightEvent.objects.count(), InstitutionManager.objects.count())
    assert after == before


def test_demo_rights_alone_waits_for_the_demo_data(db, capsys):
    call_command("demo_rights")
    assert "load the demo data first" in capsys.readouterr().out
    assert not Right.objects.exists()
