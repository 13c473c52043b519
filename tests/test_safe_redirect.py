"""Forms that send you back go only to a path on this site; a bad `next` never gives a 500."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from digisnap.core.http import safe_next_url
from digisnap.learning.models import SuggestionMark, Training
from tests.catalogue_helpers import json_file, run_import, training
from tests.conftest import make_user

UNSAFE = [
    "foo",
    "questionnaires:home",
    "../admin/",
    "//evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "",
]


@pytest.mark.parametrize("target", UNSAFE)
def test_an_unsafe_or_non_path_next_falls_back_to_the_named_page(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next_url(request, "catalogue:trainings") == reverse("catalogue:trainings")


def test_a_path_on_this_site_is_kept_with_its_query_and_anchor():
    request = RequestFactory().post("/x/", {"next": "/beheer/catalogus/?q=a&page=2#t-1"})
    assert safe_next_url(request, "catalogue:trainings") == "/beheer/catalogus/?q=a&page=2#t-1"


@pytest.fixture
def active_training(framework) -> Training:
    run_import(json_file([training(1)]))
    return Training.objects.get()


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("foo", "/"),
        ("/resultaat/1/\r\nSet-Cookie: x=1", "/resultaat/1/%0D%0ASet-Cookie:%20x=1"),
    ],
)
def test_a_teacher_marking_with_a_bad_next_is_sent_home_or_to_the_escaped_path(
    teacher, teacher_client, active_training, target, location
):
    answer = teacher_client.post(
        reverse("learning:mark", args=[active_training.pk]),
        {"status": "planned", "competence_code": "2.1", "next": target},
    )
    assert (answer.status_code, answer["Location"]) == (302, location)
    assert SuggestionMark.objects.get(user=teacher).status == "planned"


@pytest.mark.parametrize("action", ["catalogue:deactivate", "catalogue:reactivate"])
def test_staff_with_a_bad_next_go_back_to_the_catalogue(client, active_training, action):
    client.force_login(make_user("beheer@test.example", is_staff=True))
    answer = client.post(reverse(action, args=[active_training.pk]), {"next": "foo"})
    assert (answer.status_code, answer["Location"]) == (302, reverse("catalogue:trainings"))


def test_a_teacher_with_a_bad_next_is_still_refused_the_staff_action(
    teacher_client, active_training
):
    answer = teacher_client.post(
        reverse("catalogue:deactivate", args=[active_training.pk]), {"next": "foo"}
    )
    assert answer.status_code == 403
    assert Training.objects.get().is_active
