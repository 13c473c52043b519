"""The claims of an ACM/IDM sign-in as Digisnap reads them (DESIGN.md §6): the e-mail address
from `vo_email` or `email` without the `:<orgcode>` suffix, the claims from userinfo or the ID
token, a nonce tied to allauth's state."""

from __future__ import annotations

import pytest

from digisnap.accounts.acmidm.claims import claims_of, email_from_claims, nonce_for_state


@pytest.mark.parametrize(
    ("claims", "email"),
    [
        ({"vo_email": "jan@school.be:012345"}, "jan@school.be"),
        ({"vo_email": "jan@school.be"}, "jan@school.be"),
        ({"vo_email": " jan@school.be:12345 "}, "jan@school.be"),
        ({"email": "jan@school.be:012345"}, "jan@school.be"),
        ({"vo_email": "vo@school.be", "email": "ander@school.be"}, "vo@school.be"),
        ({"vo_email": "geen adres", "email": "ander@school.be"}, "ander@school.be"),
        ({"vo_email": "jan@school.be:abc"}, None),
        ({"vo_email": ""}, None),
        ({"vo_email": None}, None),
        ({"vo_email": ["jan@school.be"]}, None),
        ({}, None),
    ],
)
def test_the_email_address_is_read_without_the_orgcode_suffix(claims, email):
    assert email_from_claims(claims) == email


def test_userinfo_is_preferred_over_the_id_token():
    data = {"userinfo": {"sub": "u"}, "id_token": {"sub": "i"}}
    assert claims_of(data) == {"sub": "u"}
    assert claims_of({"id_token": {"sub": "i"}}) == {"sub": "i"}
    assert claims_of({"userinfo": "garbage"}) == {}
    assert claims_of("garbage") == {}


def test_the_nonce_is_tied_to_the_state_and_not_guessable_from_it():
    assert nonce_for_state("abc") == nonce_for_state("abc")
    assert nonce_for_state("abc") != nonce_for_state("abd")
    assert "abc" not in nonce_for_state("abc")
    assert len(nonce_for_state("abc")) == 64
