"""Creating communities, institutions, digisnaps with a fixed code, and verified accounts."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from digisnap.accounts.services import user_create_verified
from digisnap.schools.models import Digisnap
from digisnap.schools.services import community_create, digisnap_create, institution_create


def test_an_institution_keeps_its_number_with_leading_zeros(community):
    created = institution_create(community=community, number="4321", name="Kleine school")
    assert created.number == "004321"
    assert created.community == community


def test_an_institution_number_with_letters_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        institution_create(number="12a45", name="Verkeerde school")
    assert set(refused.value.message_dict) == {"number"}


def test_two_communities_cannot_share_a_name(db):
    community_create(name="Scholengemeenschap Noord")
    with pytest.raises(ValidationError) as refused:
        community_create(name="Scholengemeenschap Noord")
    assert set(refused.value.message_dict) == {"name"}


def test_a_digisnap_can_get_a_fixed_code(institution):
    created = digisnap_create(institution=institution, name="Demo", code="Digisnap_7EUVEN")
    assert Digisnap.objects.get(pk=created.pk).code == "Digisnap_7EUVEN"


@pytest.mark.parametrize("code", ["7EUVEN", "Digisnap_7EUVE0", "digisnap_7EUVEN", "Digisnap_7EU"])
def test_a_fixed_code_outside_the_alphabet_or_shape_is_refused(institution, code):
    with pytest.raises(ValidationError) as refused:
        digisnap_create(institution=institution, name="Demo", code=code)
    assert set(refused.value.message_dict) == {"code"}
    assert not Digisnap.objects.exists()


def test_a_fixed_code_that_is_taken_in_any_case_is_refused(institution):
    digisnap_create(institution=institution, name="Eerste", code="Digisnap_7EUVEN")
    with pytest.raises(ValidationError) as refused:
        digisnap_create(institution=institution, name="Tweede", code="Digisnap_7euven")
    assert set(refused.value.message_dict) == {"code"}
    assert Digisnap.objects.count() == 1


def test_a_verified_account_can_sign_in_at_once(db):
    user = user_create_verified(email="nieuw@test.example", password="Een-sterk-wachtwoord-42")
    assert user.emailaddress_set.get().verified
    assert Client().login(email="nieuw@test.example", password="Een-sterk-wachtwoord-42")


def test_a_verified_account_without_a_password_cannot_sign_in_with_one(db):
    user = user_create_verified(email="zonder@test.example", password=None)
    assert not user.has_usable_password()
