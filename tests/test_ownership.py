"""A teacher only ever reaches their own rounds (questionnaires.access): every response URL,
every refused role, and the rule itself."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from digisnap.questionnaires.access import response_for_owner
from digisnap.questionnaires.models import Answer, Item, Response
from tests.conftest import answer_all

# (method, URL with {pk}, the round it needs)
RESPONSE_URLS = [
    ("get", "/vragenlijst/{pk}/", "draft"),
    ("get", "/vragenlijst/{pk}/deel/1/", "draft"),
    ("post", "/vragenlijst/{pk}/deel/1/", "draft"),
    ("post", "/vragenlijst/{pk}/antwoord/", "draft"),
    ("get", "/vragenlijst/{pk}/overzicht/", "draft"),
    ("post", "/vragenlijst/{pk}/overzicht/", "draft"),
    ("get", "/resultaat/{pk}/", "submitted"),
    ("get", "/resultaat/{pk}/pdf/", "submitted"),
    ("get", "/resultaat/{pk}/nieuwe-ronde/", "submitted"),
    ("post", "/resultaat/{pk}/nieuwe-ronde/", "submitted"),
    ("get", "/vragenlijst/{pk}/verwijderen/", "draft"),
    ("post", "/vragenlijst/{pk}/verwijderen/", "draft"),
]


def call(client, method: str, url: str):
    item = Item.objects.order_by("position").first()
    data = {"item": item.pk, "level": 1, f"item-{item.pk}": 1, "go": "next", "confirmed": "yes"}
    return client.post(url, data) if method == "post" else client.get(url)


def own_round(request, name: str) -> Response:
    """The teacher's round; a draft is complete, so it could be submitted by whoever may."""
    response = request.getfixturevalue(name)
    if not response.is_submitted:
        answer_all(response, level=2)
    return response


def unchanged_state() -> tuple:
    return (
        list(Response.objects.order_by("pk").values_list("pk", "status", "current_area")),
        list(Answer.objects.order_by("pk").values_list("pk", "level")),
    )


@pytest.mark.parametrize("outsider", ["other_teacher_client", "director_client", "staff_client"])
@pytest.mark.parametrize(("method", "url", "round_"), RESPONSE_URLS)
def test_anybody_else_gets_not_found_and_changes_nothing(request, outsider, method, url, round_):
    """Another teacher, the school's director and a platform admin alike: a round is private."""
    response = own_round(request, round_)
    client = request.getfixturevalue(outsider)
    before = unchanged_state()
    assert call(client, method, url.format(pk=response.pk)).status_code == 404
    assert unchanged_state() == before


# Answered in JSON for autosave.js: a signed-out teacher reads why beside the question.
SCRIPT_URLS = {"/vragenlijst/{pk}/antwoord/"}


@pytest.mark.parametrize(("method", "url", "round_"), RESPONSE_URLS)
def test_anonymous_is_sent_to_sign_in_and_changes_nothing(
    request, anonymous_client, method, url, round_
):
    response = own_round(request, round_)
    before = unchanged_state()
    target = url.format(pk=response.pk)
    answer = call(anonymous_client, method, target)
    if url in SCRIPT_URLS:
        assert answer.status_code == 403
        assert answer.json()["error"]
    else:
        assert answer.status_code == 302
        assert answer.url == f"/accounts/login/?next={target}"
    assert unchanged_state() == before


OWNER_OUTCOMES = {
    ("get", "/vragenlijst/{pk}/"): (302, "/vragenlijst/{pk}/overzicht/"),  # all answered
    ("get", "/vragenlijst/{pk}/deel/1/"): (200, None),
    ("post", "/vragenlijst/{pk}/deel/1/"): (302, "/vragenlijst/{pk}/deel/2/"),
    ("post", "/vragenlijst/{pk}/antwoord/"): (200, None),
    ("get", "/vragenlijst/{pk}/overzicht/"): (200, None),
    ("post", "/vragenlijst/{pk}/overzicht/"): (302, "/resultaat/{pk}/"),
    ("get", "/resultaat/{pk}/"): (200, None),
    ("get", "/resultaat/{pk}/pdf/"): (200, None),
    ("get", "/resultaat/{pk}/nieuwe-ronde/"): (200, None),  # asks to confirm
    ("post", "/resultaat/{pk}/nieuwe-ronde/"): (302, "/vragenlijst/{new}/"),
    ("get", "/vragenlijst/{pk}/verwijderen/"): (200, None),  # asks to confirm
    ("post", "/vragenlijst/{pk}/verwijderen/"): (302, "/"),
}


@pytest.mark.parametrize(("method", "url", "round_"), RESPONSE_URLS)
def test_the_owner_is_served(request, teacher_client, method, url, round_):
    response = own_round(request, round_)
    answer = call(teacher_client, method, url.format(pk=response.pk))
    status, location = OWNER_OUTCOMES[(method, url)]
    assert answer.status_code == status
    if location:
        newest = Response.objects.order_by("-pk").first()  # none left after a discard
        new = newest.pk if newest else None
        assert answer["Location"] == location.format(pk=response.pk, new=new)


def test_a_round_that_does_not_exist_is_not_found(teacher_client, db):
    assert teacher_client.get("/vragenlijst/999999/").status_code == 404
    assert teacher_client.get("/resultaat/999999/").status_code == 404


def test_a_round_in_another_state_is_not_found(teacher, draft):
    with pytest.raises(Http404):
        response_for_owner(teacher, draft.pk, state=Response.Status.SUBMITTED)
    assert response_for_owner(teacher, draft.pk, state=Response.Status.DRAFT) == draft


def test_an_anonymous_visitor_owns_no_round(draft):
    with pytest.raises(Http404):
        response_for_owner(AnonymousUser(), draft.pk)


@pytest.mark.parametrize("path", ["/vragenlijst/abc/", "/resultaat/1e3/", "/vragenlijst/-1/"])
def test_a_round_number_that_is_not_a_number_is_not_found(teacher_client, draft, path):
    assert teacher_client.get(path).status_code == 404


@pytest.mark.parametrize("suffix", ["", "deel/1/", "overzicht/"])
def test_a_round_number_too_large_for_the_database_is_not_found(teacher_client, draft, suffix):
    assert teacher_client.get(f"/vragenlijst/{'9' * 30}/{suffix}").status_code == 404
    assert teacher_client.get(f"/resultaat/{'9' * 30}/pdf/").status_code == 404
