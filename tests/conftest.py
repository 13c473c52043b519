"""Shared fixtures: fast settings for tests, the bundled framework, and named personas."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from digisnap.accounts.models import User
from digisnap.accounts.services import user_create_verified
from digisnap.questionnaires.loader import FrameworkSpec, latest_bundled, read_framework
from digisnap.questionnaires.models import Framework, Response
from digisnap.questionnaires.selectors import framework_item_ids
from digisnap.questionnaires.services import framework_load
from digisnap.schools.models import Digisnap, Institution, SchoolCommunity
from digisnap.schools.services import digisnap_create

BUNDLED_FRAMEWORK = latest_bundled()
PASSWORD = "Een-sterk-wachtwoord-42"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tasks run inside the request; cheap password hashing; a clean memory cache per test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_BACKEND = "immediate"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # A memory cache keeps cache queries out of pinned query counts; tests of the shared cache
    # itself switch to the database cache (tests/test_shared_cache.py).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    framework_item_ids.cache_clear()  # ids are reused across rolled-back tests
    yield
    cache.clear()


@functools.cache
def bundled_spec() -> FrameworkSpec:
    """The bundled framework file, read once per test session."""
    return read_framework(BUNDLED_FRAMEWORK)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the bundled framework once: every test's transaction starts with it and rolls back to it.

    Reloading the YAML for each test took about 40 % of the suite's time.
    """
    with django_db_blocker.unblock():
        framework_load(path=BUNDLED_FRAMEWORK)


@pytest.fixture
def framework(db) -> Framework:
    """The bundled framework, current; loaded again only when a transactional test flushed it."""
    spec = bundled_spec()
    loaded = Framework.objects.filter(
        slug=spec.slug, version=spec.version, checksum=spec.checksum
    ).first()
    if loaded is None:
        loaded, _created = framework_load(path=BUNDLED_FRAMEWORK)
    return loaded


@pytest.fixture
def without_framework(db) -> None:
    """No framework at all, as on a fresh installation (undone when the test's transaction ends)."""
    Framework.objects.all().delete()
    framework_item_ids.cache_clear()


def make_user(email: str, **extra) -> User:
    return user_create_verified(email=email, password=PASSWORD, **extra)


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
    from digisnap.questionnaires.services import answers_save

    item_ids = Item.objects.filter(competence__area__framework_id=response.framework_id)
    answers_save(
        response=response, levels=dict.fromkeys(item_ids.values_list("pk", flat=True), level)
    )


@pytest.fixture
def submitted(draft) -> Response:
    from digisnap.questionnaires.services import response_submit

    answer_all(draft, level=4)
    return response_submit(response=draft)


def nl(message: str) -> str:
    """The Dutch text a teacher reads for a message of the code (Dutch is the default language)."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(message)


def nl_plural(singular: str, plural: str, count: int) -> str:
    """The Dutch singular or plural form a reader sees for `count` (ngettext in Dutch)."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.ngettext(singular, plural, count)


def page_text(response) -> str:
    """The page as a person reads it: HTML entities such as &#x27; decoded."""
    import html

    return html.unescape(response.content.decode())


# The smallest valid framework file: one area, one competence, one item. Tests break it on purpose.
MINI_FRAMEWORK = """\
slug: mini
version: "1"
name: {nl: "Mini", en: "Mini"}
attribution: {nl: "Bron", en: "Source"}
areas:
  - code: "1"
    title: {nl: "Domein", en: "Area"}
    description: {nl: "Over het domein", en: "About the area"}
    competences:
      - code: "1.1"
        title: {nl: "Competentie", en: "Competence"}
        description: {nl: "Over de competentie", en: "About the competence"}
        items:
          - code: "1.1.1"
            text: {nl: "Vraag", en: "Question"}
            options:
              A1: {nl: "a1", en: "a1"}
              A2: {nl: "a2", en: "a2"}
              B1: {nl: "b1", en: "b1"}
              B2: {nl: "b2", en: "b2"}
              C1: {nl: "c1", en: "c1"}
              C2: {nl: "c2", en: "c2"}
"""


@pytest.fixture
def framework_file(tmp_path):
    """Write framework YAML text into a file and return its path."""

    def write(text: str, name: str = "framework.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def other_digisnap(institution) -> Digisnap:
    """A second digisnap of the same school, e.g. the one the other teacher filled in."""
    return digisnap_create(institution=institution, name="Testschool teamvergadering")


@pytest.fixture
def director(digisnap) -> User:
    """A director of the teacher's digisnap (a DIRECTOR membership, no staff): sees aggregates
    in later issues, never a teacher's own round."""
    from digisnap.schools.models import Membership

    user = make_user("directie@test.example", first_name="Dirk", last_name="Directeur")
    Membership.objects.create(user=user, digisnap=digisnap, role=Membership.Role.DIRECTOR)
    return user


@pytest.fixture
def staff(db) -> User:
    """A platform admin: manages the platform, yet never sees a teacher's own round."""
    return make_user("beheer@test.example", is_staff=True, is_superuser=True)


@pytest.fixture
def director_client(director) -> Client:
    client = Client()
    client.force_login(director)
    return client


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client
