"""Digisnap codes: unambiguous when read off a projector, tolerant when typed, unique in any case."""

import re

import pytest
from django.db import IntegrityError, transaction

from digisnap.schools import services
from digisnap.schools.codes import ALPHABET, generate_code, normalize_code
from digisnap.schools.models import Digisnap
from digisnap.schools.selectors import digisnap_by_code
from digisnap.schools.services import digisnap_create

AMBIGUOUS = "0Oo1Il2Zz5Ss8Bb"
KNOWN_CODE = "Digisnap_K3m7Pq"


@pytest.fixture
def known(institution) -> Digisnap:
    return Digisnap.objects.create(institution=institution, name="Bekende code", code=KNOWN_CODE)


def test_the_alphabet_leaves_out_characters_that_look_alike():
    assert not set(AMBIGUOUS) & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET)


def test_generated_codes_have_the_prefix_and_six_unambiguous_characters():
    shape = re.compile(rf"^Digisnap_[{ALPHABET}]{{6}}$")
    codes = [generate_code() for _ in range(500)]
    for code in codes:
        assert shape.match(code), code
        assert not set(code.removeprefix("Digisnap_")) & set(AMBIGUOUS), code
    assert len(set(codes)) > 490  # random, not a counter or a constant


def test_a_new_digisnap_gets_a_generated_code(institution):
    created = digisnap_create(institution=institution, name="Studiedag")
    assert re.match(rf"^Digisnap_[{ALPHABET}]{{6}}$", created.code)
    assert digisnap_by_code(created.code) == created


@pytest.mark.parametrize(
    "typed",
    [
        "Digisnap_K3m7Pq",
        "  Digisnap_K3m7Pq  ",
        "K3m7Pq",
        "digisnap_K3m7Pq",
        "DIGISNAP_K3M7PQ",
        "k3m7pq",
        "K3M-7PQ",
        "K3m 7Pq",
        "Digisnap K3m7Pq",
        "digisnapK3m7Pq",
        "Digisnap_ K3m-7Pq",
    ],
)
def test_a_typed_code_finds_the_digisnap(known, typed):
    assert digisnap_by_code(typed) == known


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "hallo",
        "Digisnap_",
        "Digisnap_K3m7P",
        "Digisnap_K3m7Pq4",
        "Digisnap_K3m7P0",
        "Digisnap_K3m7P!",
        "Digisnap_K3m7Pr",  # well-formed, but no digisnap has it
        "Digisnap_K3m7Pq?next=/admin/",
    ],
)
def test_garbage_or_an_unknown_code_finds_nothing(known, typed):
    assert digisnap_by_code(typed) is None


def test_normalizing_keeps_the_typed_case_and_adds_the_prefix():
    assert normalize_code("k3M-7pQ") == "Digisnap_k3M7pQ"
    assert normalize_code(None) is None


def test_two_codes_that_differ_only_in_case_cannot_both_exist(known):
    with pytest.raises(IntegrityError), transaction.atomic():
        Digisnap.objects.create(
            institution=known.institution, name="Bijna dezelfde code", code="Digisnap_k3M7pQ"
        )
    assert Digisnap.objects.count() == 1


def test_creating_a_digisnap_retries_when_the_code_is_taken(known, monkeypatch):
    offered = iter(["Digisnap_k3m7pq", "Digisnap_Xy4Fr9"])
    calls = []

    def next_code() -> str:
        calls.append(1)
        return next(offered)

    monkeypatch.setattr(services, "generate_code", next_code)
    created = digisnap_create(institution=known.institution, name="Tweede studiedag")
    assert created.code == "Digisnap_Xy4Fr9"
    assert len(calls) == 2
    assert Digisnap.objects.count() == 2
    assert digisnap_by_code(KNOWN_CODE) == known


def test_creating_a_digisnap_gives_up_when_no_code_is_free(known, monkeypatch):
    monkeypatch.setattr(services, "generate_code", lambda: KNOWN_CODE)
    with pytest.raises(RuntimeError, match="free digisnap code"):
        digisnap_create(institution=known.institution, name="Pech")
    assert Digisnap.objects.count() == 1
