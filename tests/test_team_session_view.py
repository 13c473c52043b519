"""The team-session page on the projector: a large QR code of the join link, the short code and
live counts (joined / busy / submitted) from a JSON endpoint — for the digisnap's director with a
valid right only; counts only, never names or answers."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from digisnap.accounts.models import User
from digisnap.questionnaires.services import answers_save, response_start
from digisnap.rights.services import right_end
from digisnap.schools.models import Institution
from digisnap.schools.services import digisnap_create, membership_join
from tests.conftest import make_user
from tests.test_director_home import client_for, grant, registered


def page_url(digisnap) -> str:
    return reverse("reports:team_session", args=[digisnap.pk])


def counts_url(digisnap) -> str:
    return reverse("reports:team_session_counts", args=[digisnap.pk])


@pytest.fixture
def boss(digisnap) -> User:
    user = registered(make_user("sessie-baas@test.example"), digisnap)
    grant(user, digisnap.institution)
    return user


def test_the_projector_page_shows_qr_code_code_link_and_counts(boss, digisnap):
    response = client_for(boss).get(page_url(digisnap))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg class="team-qr" role="img" aria-label=' in page
    assert 'id="qr-path"' in page
    assert "<?xml" not in page
    assert digisnap.code in page
    assert digisnap.get_join_url() in page
    assert f'data-team-counts-url="{counts_url(digisnap)}"' in page
    assert 'src="/static/digisnap/teamsession.js"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "no-store" in response.headers["Cache-Control"]


def test_the_qr_code_is_the_join_link(boss, digisnap):
    from digisnap.core.qr import qr_svg

    page = client_for(boss).get(page_url(digisnap)).content.decode()
    path = qr_svg(digisnap.get_join_url()).split('<path d="', 1)[1].split('"', 1)[0]
    assert path in page


def test_the_counts_endpoint_follows_the_session(boss, digisnap, framework):
    client = client_for(boss)
    assert client.get(counts_url(digisnap)).json() == {"joined": 0, "busy": 0, "submitted": 0}
    teacher = make_user("scant@test.example", first_name="Sofie")
    membership_join(user=teacher, digisnap=digisnap)
    round_ = response_start(user=teacher, digisnap=digisnap)
    assert client.get(counts_url(digisnap)).json() == {"joined": 1, "busy": 0, "submitted": 0}
    item = framework.areas.first().competences.first().items.first()
    answers_save(response=round_, levels={item.pk: 2})
    response = client.get(counts_url(digisnap))
    assert response.json() == {"joined": 1, "busy": 1, "submitted": 0}
    assert "no-store" in response.headers["Cache-Control"]
    assert "Sofie" not in response.content.decode()
    assert "Sofie" not in client.get(page_url(digisnap)).content.decode()


def test_the_counts_are_json_numbers_only(boss, digisnap, submitted):
    membership_join(user=submitted.user, digisnap=digisnap)
    body = json.loads(client_for(boss).get(counts_url(digisnap)).content)
    assert set(body) == {"joined", "busy", "submitted"}
    assert all(isinstance(value, int) for value in body.values())
    assert body["submitted"] == 1


def test_only_get_is_allowed(boss, digisnap):
    client = client_for(boss)
    assert client.post(page_url(digisnap)).status_code == 405
    assert client.post(counts_url(digisnap)).status_code == 405


# Personas: who gets the page and the counts


def _expired(digisnap) -> User:
    user = registered(make_user("verlopen@test.example"), digisnap)
    grant(user, digisnap.institution, starts=-60, ends=-1)
    return user


def _ended(digisnap) -> User:
    """A right valid by its dates, ended early by the user manager: it stops at once."""
    user = registered(make_user("beeindigd@test.example"), digisnap)
    right = grant(user, digisnap.institution)
    right_end(right=right, reason="Vertrokken naar een andere school", ended_by=user)
    return user


def _without_right(digisnap) -> User:
    return registered(make_user("zonder-recht@test.example"), digisnap)


def _teacher(digisnap) -> User:
    user = make_user("gewoon-leerkracht@test.example")
    membership_join(user=user, digisnap=digisnap)
    return user


def _other_director(digisnap) -> User:
    elsewhere = Institution.objects.create(number="088888", name="Andere school")
    theirs = digisnap_create(institution=elsewhere, name="Andere studiedag")
    user = registered(make_user("andere-directeur@test.example"), theirs)
    grant(user, elsewhere)
    return user


def _right_on_other_institution_registered_here(digisnap) -> User:
    user = _other_director(digisnap)
    registered(user, digisnap)
    return user


def _staff(digisnap) -> User:
    return make_user("platform@test.example", is_staff=True, is_superuser=True)


REFUSED = {
    "expired right": _expired,
    "right ended early": _ended,
    "registered without right": _without_right,
    "teacher": _teacher,
    "other institution's director": _other_director,
    "right elsewhere, registered here": _right_on_other_institution_registered_here,
    "platform admin": _staff,
}


@pytest.mark.parametrize("url", [page_url, counts_url], ids=["page", "counts"])
@pytest.mark.parametrize("persona", REFUSED.values(), ids=REFUSED.keys())
def test_nobody_else_learns_the_digisnap_exists(digisnap, persona, url):
    assert client_for(persona(digisnap)).get(url(digisnap)).status_code == 404


@pytest.mark.parametrize("url", [page_url, counts_url], ids=["page", "counts"])
def test_the_director_with_a_valid_right_is_allowed(boss, digisnap, url):
    assert client_for(boss).get(url(digisnap)).status_code == 200


@pytest.mark.parametrize("url", [page_url, counts_url], ids=["page", "counts"])
def test_anonymous_visitors_sign_in_first(digisnap, url):
    response = Client().get(url(digisnap))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_an_unknown_digisnap_is_a_404(boss):
    assert client_for(boss).get(reverse("reports:team_session", args=[999999])).status_code == 404


# Session, user, the digisnap (access), its counts in one query.
COUNTS_QUERIES = 4


def test_the_counts_endpoint_takes_a_constant_number_of_queries(
    boss, digisnap, django_assert_num_queries
):
    client = client_for(boss)
    for n in range(3):
        membership_join(user=make_user(f"vast{n}@test.example"), digisnap=digisnap)
    with django_assert_num_queries(COUNTS_QUERIES):
        assert client.get(counts_url(digisnap)).json()["joined"] == 3
