"""Shared fixtures: fast settings for tests, the bundled framework, and named personas."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Framework, Response
from digisnap.questionnaires.services import framework_load
from digisnap.schools.models import Digisnap, Institution, SchoolCommunity
from digisnap.schools.services import digisnap_create

BUNDLED_FRAMEWORK = (
    Path(__file__).resolve().parent.parent
    / "digisnap"
    / "questionnaires"
    / "frameworks"
    / "digisnap-2026.1.yaml"
)
PASSWORD = "Een-sterk-wachtwoord-42"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tasks run inside the request; cheap password hashing; a clean cache per test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_BACKEND = "immediate"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def framework(db) -> Framework:
    loaded, _created = framework_load(path=BUNDLED_FRAMEWORK)
    return loaded


def make_user(email: str, **extra) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email, PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def community(db) -> SchoolCommunity:
    return SchoolCommunity.objects.create(name="Scholengemeenschap Test")


@pytest.fixture
def institution(community) -> Institution:
    return Institution.objects.create(community=community, number="012345", name="Testschool")


@pytest.fixture
def digisnap(institution) -> Digisnap:
    return digisnap_create(institution=institution, name="Testschool studiedag")


@pytest.fixture
def teacher(db) -> User:
    """Fills in the questionnaire; owns their responses."""
    return make_user("leerkracht@test.example", first_name="Lien", last_name="Leerkracht")


@pytest.fixture
def other_teacher(db) -> User:
    """Another teacher of the same school: must never see the first teacher's answers."""
    return make_user("collega@test.example", first_name="Cas", last_name="Collega")


@pytest.fixture
def teacher_client(teacher) -> Client:
    client = Client()
    client.force_login(teacher)
    return client


@pytest.fixture
def other_teacher_client(other_teacher) -> Client:
    client = Client()
    client.force_login(other_teacher)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def draft(teacher, digisnap, framework) -> Response:
    from digisnap.questionnaires.services import response_start

    return response_start(user=teacher, digisnap=digisnap)


def answer_all(response: Response, level: int = 3) -> None:
    """Answer every item of the response's framework with the same level."""
    from digisnap.questionnaires.models import Item
    from digisnap.questionnaires.services import answer_save

    for item_id in Item.objects.filter(
        competence__area__framework_id=response.framework_id
    ).values_list("pk", flat=True):
        answer_save(response=response, item_id=item_id, level=level)


@pytest.fixture
def submitted(draft) -> Response:
    from digisnap.questionnaires.services import response_submit

    answer_all(draft, level=4)
    return response_submit(response=draft)
