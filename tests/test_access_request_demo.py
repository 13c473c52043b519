"""The demo data has one pending access request and makes the demo director a user manager."""

import pytest
from django.core.management import call_command

from digisnap.accounts.models import User
from digisnap.schools.models import AccessRequest, InstitutionManager


@pytest.fixture
def demo(db):
    call_command("demo_data", verbosity=0)


def test_one_request_waits_in_the_review_queue(demo, staff_client):
    pending = AccessRequest.objects.get()
    assert pending.status == AccessRequest.Status.PENDING
    assert pending.school_name in staff_client.get("/beheer/aanvragen/").content.decode()


def test_the_demo_director_manages_the_first_demo_school(demo):
    director = User.objects.get(email="directie@digisnap.example")
    manager = InstitutionManager.objects.get(user=director)
    assert manager.institution.number == "012345"


def test_running_it_again_adds_no_second_request(demo):
    call_command("demo_data", verbosity=0)
    assert AccessRequest.objects.count() == 1
