"""What must always hold for access requests is refused by the database itself."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from digisnap.schools.models import AccessRequest, AccessRequestEvent, InstitutionManager
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def row(**changes) -> AccessRequest:
    values = {
        "institution_number": "045678",
        "school_name": "Sint-Jozef",
        "community_name": "Noord",
        "education_level": "secundair",
        "first_name": "Greet",
        "last_name": "Goossens",
        "function": "directeur",
        "email": "greet@school.example",
        "lists": ["Dag"],
    }
    return AccessRequest(**(values | changes))


@pytest.mark.parametrize(
    "changes",
    [
        {"institution_number": "45678"},  # leading zero lost
        {"institution_number": "04567a"},
        {"community_name": ""},  # neither an existing community nor a new name
        {"status": "rejected", "decided_at": timezone.now(), "reason": ""},
        {"status": "approved", "decided_at": timezone.now()},  # without an institution
        {"status": "rejected", "reason": "Dubbel"},  # decided without a date
        {"decided_at": timezone.now()},  # pending with a date
    ],
)
def test_the_database_refuses(changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        row(**changes).save()


def test_both_a_community_and_a_new_name_is_refused(community):
    with pytest.raises(IntegrityError), transaction.atomic():
        row(community=community).save()


def test_a_sound_request_is_stored(community):
    row().save()
    row(community=community, community_name="").save()
    assert AccessRequest.objects.count() == 2


def test_a_user_manager_is_recorded_once_per_institution(institution):
    user = make_user("beheerder@test.example")
    InstitutionManager.objects.create(user=user, institution=institution)
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionManager.objects.create(user=user, institution=institution)


def test_the_decision_log_is_append_only():
    access_request = row()
    access_request.save()
    event = AccessRequestEvent.objects.create(access_request=access_request, action="submitted")
    event.reason = "changed afterwards"
    with pytest.raises(ValueError):
        event.save()
