"""The role claim of ACM/IDM (`<prefix>_digisnap_rol_3d`) read defensively: the documented
formats give rights, anything else is logged and ignored — a sign-in never fails on it."""

from __future__ import annotations

import logging

import pytest

from digisnap.rights.acmidm import MAX_ROLES, ParsedRole, orgcode_normalise, roles_parse

RIGHT = "DigisnapBeheerder"


def parse(value, **kwargs):
    return roles_parse(value, right_name=RIGHT, **kwargs)


def test_a_single_string_gives_one_right():
    assert parse("DigisnapBeheerder:012345") == [ParsedRole(RIGHT, "", "012345")]


def test_a_right_with_a_context_keeps_the_context():
    assert parse("DigisnapBeheerder-ictcoordinator:012345") == [
        ParsedRole(RIGHT, "ictcoordinator", "012345")
    ]


def test_a_list_gives_every_institution_in_the_order_sent():
    assert parse(["DigisnapBeheerder:012345", "DigisnapBeheerder-directie:054321"]) == [
        ParsedRole(RIGHT, "", "012345"),
        ParsedRole(RIGHT, "directie", "054321"),
    ]


def test_the_same_role_twice_counts_once():
    assert parse(["DigisnapBeheerder:012345", "DigisnapBeheerder:12345"]) == [
        ParsedRole(RIGHT, "", "012345")
    ]


@pytest.mark.parametrize(
    ("orgcode", "stored"),
    [("012345", "012345"), ("12345", "012345"), ("1", "000001"), ("0012345", "012345")],
)
def test_an_orgcode_is_kept_as_the_stored_instellingsnummer(orgcode, stored):
    assert parse(f"DigisnapBeheerder:{orgcode}") == [ParsedRole(RIGHT, "", stored)]
    assert orgcode_normalise(orgcode) == stored


def test_the_last_colon_separates_the_orgcode():
    assert parse("DigisnapBeheerder:extra:012345") == []
    assert roles_parse("Digisnap:Beheerder:012345", right_name="Digisnap:Beheerder") == [
        ParsedRole("Digisnap:Beheerder", "", "012345")
    ]


def test_spaces_around_a_role_are_tolerated():
    assert parse("  DigisnapBeheerder:012345 ") == [ParsedRole(RIGHT, "", "012345")]


def test_another_right_name_is_ignored():
    assert parse(["AndereToepassing:012345", "DigisnapBeheerderX:012345"]) == []


def test_the_configured_right_name_is_the_one_read():
    assert roles_parse("Beheerder:012345", right_name="Beheerder") == [
        ParsedRole("Beheerder", "", "012345")
    ]


def test_an_unknown_context_is_ignored_when_contexts_are_listed():
    value = ["DigisnapBeheerder-onbekend:012345", "DigisnapBeheerder-directie:054321"]
    assert parse(value, contexts={"directie"}) == [ParsedRole(RIGHT, "directie", "054321")]


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        ":",
        "DigisnapBeheerder",
        "DigisnapBeheerder:",
        ":012345",
        "DigisnapBeheerder:abc",
        "DigisnapBeheerder:000000",
        "DigisnapBeheerder:1234567",
        "DigisnapBeheerder:-12345",
        "DigisnapBeheerder:12 345",
        "DigisnapBeheerder:١٢٣٤٥",  # Arabic-Indic digits are digits to Python, not to us
        "DigisnapBeheerder-:012345",
        "DigisnapBeheerder-ict coördinator:012345",
        "DigisnapBeheerder:012345" + " " * 300,
        [],
        [None, 12345, 1.5, True, {"role": "DigisnapBeheerder:012345"}, ["x"], b"x:1"],
        12345,
        {"DigisnapBeheerder": "012345"},
    ],
)
def test_garbage_is_ignored(value):
    assert parse(value) == []


def test_garbage_beside_a_good_role_leaves_the_good_role(caplog):
    with caplog.at_level(logging.INFO, logger="digisnap.rights.acmidm"):
        roles = parse([None, ":", "DigisnapBeheerder:012345", 42])
    assert roles == [ParsedRole(RIGHT, "", "012345")]
    assert len(caplog.records) == 3


def test_ten_thousand_entries_are_cut_to_the_cap(caplog):
    value = [f"DigisnapBeheerder:{n:06d}" for n in range(1, 10_001)]
    with caplog.at_level(logging.WARNING, logger="digisnap.rights.acmidm"):
        roles = parse(value)
    assert len(roles) == MAX_ROLES
    assert roles[0] == ParsedRole(RIGHT, "", "000001")
    assert "10000 entries" in caplog.text


def test_ten_thousand_garbage_entries_give_nothing():
    assert parse([":"] * 10_000) == []
