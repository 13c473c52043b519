"""Who may use every URL: a persona matrix checked cell by cell, and a walk of the URLconf that
fails when a URL pattern has no row — adding a URL means deciding who may use it.

A row: the URL's name → how to build its arguments (and its POST data) → per method, what each
persona gets. Personas: anonymous, teacher (owns the rounds), other_teacher, director (a DIRECTOR
membership of the teacher's digisnap, no staff) and staff (platform admin). To add a URL, add a
row to MATRIX; the helpers below (everybody, signed_in, owner_only, staff_only) name the usual
shapes. The Django admin is covered by one namespace rule, requested on every admin pattern
without arguments and on ADMIN_SAMPLES for those with arguments.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone

from digisnap.core.models import WorkerHeartbeat
from digisnap.learning.models import CatalogueImport, Training, TrainingCompetence
from digisnap.questionnaires.models import Item, Response
from digisnap.questionnaires.services import answers_save, framework_load, response_submit
from digisnap.reports.models import Report
from digisnap.schools.models import Institution, Membership, SchoolCommunity
from digisnap.schools.services import (
    access_request_approve,
    access_request_submit,
    digisnap_create,
    membership_join,
)
from tests.conftest import BUNDLED_FRAMEWORK, make_user

PERSONAS = ("anonymous", "teacher", "other_teacher", "director", "staff")


@dataclass(frozen=True)
class Redirect:
    """A 302 to `to`, or to an address that starts with it when `prefix` (a new round's number).

    {url} is the address requested; {draft}, {submitted}, … name the world's objects.
    """

    to: str
    prefix: bool = False


SIGN_IN = Redirect("/accounts/login/?next={url}")
ADMIN_SIGN_IN = Redirect("/admin/login/?next={url}")
SIGN_UP_FIRST = Redirect("/accounts/signup/?next=", prefix=True)
HOME = Redirect("/")

Expected = int | Redirect
Cells = dict[str, Expected]


def everybody(expected: Expected) -> Cells:
    return dict.fromkeys(PERSONAS, expected)


def signed_in(expected: Expected, *, anonymous: Expected = SIGN_IN) -> Cells:
    """Any signed-in user is served alike (their own things); anonymous visitors sign in."""
    return {**everybody(expected), "anonymous": anonymous}


def owner_only(expected: Expected) -> Cells:
    """The teacher's own round: anybody else gets 404, so its existence is not revealed."""
    return {**signed_in(404), "teacher": expected}


def staff_only(expected: Expected) -> Cells:
    return {**signed_in(403), "staff": expected}


@dataclass(frozen=True)
class World:
    """What the rows refer to; built once per module, every cell rolls back its changes."""

    users: dict[str, Any]
    objects: dict[str, Any]

    @property
    def names(self) -> dict[str, Any]:
        return {name: getattr(obj, "pk", obj) for name, obj in self.objects.items()}


@dataclass(frozen=True)
class Row:
    get: Cells | None = None
    post: Cells | None = None
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    url: str = ""  # for a pattern without a name, which reverse() cannot build


def draft_kwargs(world: World) -> dict[str, Any]:
    return {"pk": world.objects["draft"].pk}


def submitted_kwargs(world: World) -> dict[str, Any]:
    return {"pk": world.objects["submitted"].pk}


def pending_request_kwargs(world: World) -> dict[str, Any]:
    return {"pk": world.objects["pending_request"].pk}


def one_answer(world: World) -> dict[str, Any]:
    item = world.objects["item"]
    return {"item": item.pk, "level": 2, f"item-{item.pk}": 2, "go": "next"}


def report_kwargs(world: World) -> dict[str, Any]:
    return {"pk": world.objects["report"].pk}


def managed_institution_kwargs(world: World) -> dict[str, Any]:
    return {"pk": world.objects["approved_request"].institution_id}


MATRIX: dict[str, Row] = {
    # core and Django's own
    "healthz": Row(get=everybody(200), post=everybody(405)),
    "favicon": Row(get=everybody(200), post=everybody(405)),
    "set_language": Row(
        get=everybody(HOME), post=everybody(HOME), data=lambda w: {"language": "en"}
    ),
    # questionnaires: the teacher's journey
    "questionnaires:home": Row(get=everybody(200)),
    "questionnaires:join_by_code": Row(
        get=everybody(200),
        post=everybody(Redirect("/join/{code}/")),
        data=lambda w: {"code": w.objects["digisnap"].code},
    ),
    "questionnaires:join": Row(
        get=signed_in(200, anonymous=SIGN_UP_FIRST),
        post=signed_in(Redirect("/vragenlijst/", prefix=True), anonymous=SIGN_UP_FIRST),
        kwargs=lambda w: {"code": w.objects["digisnap"].code},
    ),
    "questionnaires:questionnaire": Row(
        get=owner_only(Redirect("/vragenlijst/{draft}/overzicht/")), kwargs=draft_kwargs
    ),
    "questionnaires:page": Row(
        get=owner_only(200),
        post=owner_only(Redirect("/vragenlijst/{draft}/deel/2/")),
        kwargs=lambda w: {**draft_kwargs(w), "area_code": "1"},
        data=one_answer,
    ),
    "questionnaires:answer": Row(
        get=everybody(405),
        # JSON for the autosave script: a signed-out teacher reads why, not a sign-in page.
        post={**owner_only(200), "anonymous": 403},
        kwargs=draft_kwargs,
        data=one_answer,
    ),
    "questionnaires:review": Row(
        get=owner_only(200), post=owner_only(Redirect("/resultaat/{draft}/")), kwargs=draft_kwargs
    ),
    "questionnaires:result": Row(get=owner_only(200), kwargs=submitted_kwargs),
    "questionnaires:result_pdf": Row(get=owner_only(200), kwargs=submitted_kwargs),
    "questionnaires:result_rose": Row(get=owner_only(200), kwargs=submitted_kwargs),
    "questionnaires:new_round": Row(
        get=owner_only(200),  # the confirmation page
        post=owner_only(Redirect("/vragenlijst/", prefix=True)),
        kwargs=submitted_kwargs,
        data=lambda w: {"confirmed": "yes"},
    ),
    "questionnaires:discard": Row(
        get=owner_only(200),  # the confirmation page
        post=owner_only(HOME),
        kwargs=draft_kwargs,
        data=lambda w: {"confirmed": "yes"},
    ),
    # learning: a teacher's marks on suggestions, and the staff catalogue
    "learning:mark": Row(
        get=signed_in(405),
        post=signed_in(HOME),
        kwargs=lambda w: {"pk": w.objects["training"].pk},
        data=lambda w: {"status": "planned", "competence_code": "2.1"},
    ),
    "catalogue:trainings": Row(get=staff_only(200)),
    "catalogue:deactivate": Row(
        get=staff_only(405),
        post=staff_only(Redirect("/beheer/catalogus/")),
        kwargs=lambda w: {"pk": w.objects["training"].pk},
    ),
    "catalogue:reactivate": Row(
        get=staff_only(405),
        post=staff_only(Redirect("/beheer/catalogus/")),
        kwargs=lambda w: {"pk": w.objects["training"].pk},
    ),
    "catalogue:import": Row(get=staff_only(200), post=staff_only(200)),  # no file: the form again
    "catalogue:feed": Row(get=staff_only(405), post=staff_only(404)),  # no feed configured
    "catalogue:imports": Row(get=staff_only(200)),
    "catalogue:import_detail": Row(
        get=staff_only(200), kwargs=lambda w: {"pk": w.objects["failed_import"].pk}
    ),
    "catalogue:import_status": Row(
        get=staff_only(200),
        post=staff_only(405),
        kwargs=lambda w: {"pk": w.objects["failed_import"].pk},
    ),
    "catalogue:import_retry": Row(
        get=staff_only(405),
        post=staff_only(Redirect("/beheer/catalogus/imports/{failed_import}/")),  # queued again
        kwargs=lambda w: {"pk": w.objects["failed_import"].pk},
    ),
    # schools: the access request (public), its review queue (staff), a digisnap's poster
    "schools:request_new": Row(
        get=everybody(200), post=everybody(400), data=lambda w: {"school_name": "Matrix"}
    ),
    "schools:request_status": Row(
        get=everybody(200), kwargs=lambda w: {"token": w.objects["pending_request"].token}
    ),
    "schools:queue": Row(get=staff_only(200)),
    "schools:detail": Row(get=staff_only(200), kwargs=pending_request_kwargs),
    "schools:approve": Row(
        get=staff_only(405),
        post=staff_only(Redirect("/beheer/aanvragen/{pending_request}/")),
        kwargs=pending_request_kwargs,
    ),
    "schools:reject": Row(
        get=staff_only(405),
        post=staff_only(Redirect("/beheer/aanvragen/{pending_request}/")),
        kwargs=pending_request_kwargs,
        data=lambda w: {"reason": "Matrix"},
    ),
    "schools:codes_resend": Row(
        get=staff_only(405),
        post=staff_only(Redirect("/beheer/aanvragen/{approved_request}/")),
        kwargs=lambda w: {"pk": w.objects["approved_request"].pk},
    ),
    "schools:mail_retry": Row(
        get=staff_only(405),
        post=staff_only(Redirect("/beheer/aanvragen/{approved_request}/")),
        kwargs=lambda w: {
            "pk": w.objects["approved_request"].pk,
            "mail_pk": w.objects["approved_request"].codes_mail_id,
        },
    ),
    # The user manager of the institution may download it too: tests/test_access_request_personas.py
    "schools:poster": Row(
        get={**signed_in(404), "staff": 200}, kwargs=lambda w: {"pk": w.objects["digisnap"].pk}
    ),
    # rights: a director registers with a code (no right here, so refused); the staff's page
    "rights:director_register": Row(
        get=signed_in(200),
        post=signed_in(403),  # nobody in the world holds a right «Digisnap Beheerder»
        data=lambda w: {"first_name": "Mia", "last_name": "Matrix", "code": w.objects["code"]},
    ),
    "rights:staff_overview": Row(get=staff_only(200), post=staff_only(200)),  # no data: errors
    "rights:staff_user": Row(get=staff_only(200), kwargs=lambda w: {"pk": w.users["teacher"].pk}),
    "rights:staff_manager_remove": Row(
        get=staff_only(405), post=staff_only(404), kwargs=lambda w: {"pk": 999999}
    ),
    # reports: the director's home and team session; nobody in the world holds a right, so the
    # director persona administers nothing (personas with a right: tests/test_team_session_view.py)
    "reports:home": Row(get=signed_in(200), post=signed_in(405)),
    "reports:report": Row(get=signed_in(404)),
    # The directors' report: the world's report was made by the director persona, who no
    # longer administers its digisnap (no right), so it is gone for everybody; the personas
    # with a right: tests/reports/test_personas.py
    "reports:directors_report": Row(get=signed_in(404), post=signed_in(404)),
    "reports:report_job": Row(get=signed_in(404), post=signed_in(405), kwargs=report_kwargs),
    "reports:report_status": Row(get=signed_in(404), post=signed_in(405), kwargs=report_kwargs),
    "reports:report_retry": Row(get=signed_in(405), post=signed_in(404), kwargs=report_kwargs),
    "reports:report_pdf": Row(get=signed_in(404), post=signed_in(405), kwargs=report_kwargs),
    "reports:report_xlsx": Row(get=signed_in(404), post=signed_in(405), kwargs=report_kwargs),
    "reports:report_view": Row(get=signed_in(404), post=signed_in(405), kwargs=report_kwargs),
    "reports:team_session": Row(
        get=signed_in(404), post=signed_in(405), kwargs=lambda w: {"pk": w.objects["digisnap"].pk}
    ),
    "reports:team_session_counts": Row(
        get=signed_in(404), kwargs=lambda w: {"pk": w.objects["digisnap"].pk}
    ),
    # rights: the user manager's Gebruikersbeheer. No persona manages the approved request's
    # institution, so everybody signed in is refused (404); the manager's own way through is
    # in tests/test_usermgmt_personas.py.
    "usermgmt:staff_list": Row(
        get=signed_in(404), post=everybody(405), kwargs=managed_institution_kwargs
    ),
    "usermgmt:staff_download": Row(
        get=signed_in(404), post=everybody(405), kwargs=managed_institution_kwargs
    ),
    "usermgmt:staff_template": Row(
        get=signed_in(404), post=everybody(405), kwargs=managed_institution_kwargs
    ),
    "usermgmt:staff_upload": Row(
        get=signed_in(404), post=signed_in(404), kwargs=managed_institution_kwargs
    ),
    "usermgmt:grant": Row(
        get=everybody(405), post=signed_in(404), kwargs=managed_institution_kwargs
    ),
    "usermgmt:rights": Row(
        get=signed_in(404), post=everybody(405), kwargs=managed_institution_kwargs
    ),
    "usermgmt:right_detail": Row(
        get=signed_in(404),
        post=signed_in(404),
        kwargs=lambda w: {**managed_institution_kwargs(w), "right_pk": 999999},
    ),
    # «Mijn account»: everybody signed in reaches only their own account and data (no argument
    # names another person). Deleting needs the person's own e-mail address or password: the
    # teacher's address deletes the teacher and nobody else; a platform admin is refused.
    "myaccount:home": Row(
        get=signed_in(200),
        post=signed_in(Redirect("/mijn-account/")),
        data=lambda w: {"first_name": "Matrix", "last_name": "Persona"},
    ),
    "myaccount:export_json": Row(get=signed_in(200), post=everybody(405)),
    "myaccount:export_csv": Row(get=signed_in(200), post=everybody(405)),
    "myaccount:delete": Row(
        get=signed_in(200),
        post={**signed_in(200), "teacher": HOME, "staff": 403},
        data=lambda w: {"confirmation": w.users["teacher"].email},
    ),
    # allauth: sign-in, sign-up, e-mail and password pages
    "account_login": Row(get=signed_in(HOME, anonymous=200)),
    "account_logout": Row(get=signed_in(200, anonymous=HOME), post=everybody(HOME)),
    "account_inactive": Row(get=everybody(200)),
    "account_signup": Row(get=signed_in(HOME, anonymous=200)),
    "account_reauthenticate": Row(get=signed_in(200)),
    "account_request_reauthentication_code": Row(get=signed_in(200)),
    "account_confirm_reauthentication_code": Row(
        get=signed_in(Redirect("/accounts/reauthenticate/code/"))
    ),
    "account_email": Row(get=signed_in(200)),
    "account_email_verification_sent": Row(get=everybody(200)),
    "account_change_password": Row(get=signed_in(200)),
    "account_set_password": Row(get=signed_in(Redirect("/accounts/password/change/"))),
    "account_reset_password": Row(get=everybody(200)),
    "account_confirm_login_code": Row(get=signed_in(HOME, anonymous=Redirect("/accounts/login/"))),
    "account_confirm_email": Row(get=everybody(200), kwargs=lambda w: {"key": "geen-sleutel"}),
    "account_reset_password_from_key_done": Row(get=everybody(200)),
    "account_reset_password_from_key": Row(
        get=everybody(200), kwargs=lambda w: {"uidb36": "zz", "key": "geen-sleutel"}
    ),
    "account_reset_password_done": Row(get=everybody(200)),
    # allauth's social accounts: sign-in through ACM/IDM (tests/test_acmidm_signin.py runs these
    # with the provider configured; unconfigured, as here, the provider does not exist).
    "openid_connect_login": Row(
        get=everybody(404), post=everybody(404), kwargs=lambda w: {"provider_id": "acmidm"}
    ),
    "openid_connect_callback": Row(get=everybody(404), kwargs=lambda w: {"provider_id": "acmidm"}),
    "socialaccount_login_cancelled": Row(get=everybody(200)),
    "socialaccount_login_error": Row(get=everybody(401)),
    "socialaccount_signup": Row(get=everybody(Redirect("/accounts/login/"))),
    "socialaccount_connections": Row(get=signed_in(200)),
    "accounts/social/login/cancelled/": Row(
        get=everybody(301), url="/accounts/social/login/cancelled/"
    ),
    "accounts/social/login/error/": Row(get=everybody(301), url="/accounts/social/login/error/"),
    "accounts/social/signup/": Row(get=everybody(301), url="/accounts/social/signup/"),
    "accounts/social/connections/": Row(get=everybody(301), url="/accounts/social/connections/"),
}

# The Django admin: staff only; everybody else is sent to the admin's own sign-in page.
ADMIN_NAMESPACE = "admin"
ADMIN_RULE: Cells = {**everybody(ADMIN_SIGN_IN), "staff": 200}
ADMIN_EXCEPTIONS: dict[str, Row] = {
    "admin:login": Row(get={**everybody(200), "staff": Redirect("/admin/")}),
    "admin:logout": Row(get={**everybody(Redirect("/admin/")), "staff": 405}),  # POST only
    "admin:autocomplete": Row(get={**ADMIN_RULE, "staff": 403}),  # needs a field to complete
    # Frameworks, trainings, imports and task results come from files and workers, not forms.
    "admin:questionnaires_framework_add": Row(get={**ADMIN_RULE, "staff": 403}),
    "admin:learning_training_add": Row(get={**ADMIN_RULE, "staff": 403}),
    "admin:learning_catalogueimport_add": Row(get={**ADMIN_RULE, "staff": 403}),
    "admin:django_tasks_database_dbtaskresult_add": Row(get={**ADMIN_RULE, "staff": 403}),
    # Access requests come from the public form and are decided on the review queue.
    "admin:schools_accessrequest_add": Row(get={**ADMIN_RULE, "staff": 403}),
    # Rights are granted, changed and ended on the user manager's pages, each logged.
    "admin:rights_right_add": Row(get={**ADMIN_RULE, "staff": 403}),
    "admin:rights_rightevent_add": Row(get={**ADMIN_RULE, "staff": 403}),
    # Directors' reports are made from the director's form; their log is append-only.
    "admin:reports_report_add": Row(get={**ADMIN_RULE, "staff": 403}),
    "admin:reports_reportevent_add": Row(get={**ADMIN_RULE, "staff": 403}),
}
ADMIN_SAMPLES: dict[str, Row] = {
    "admin:accounts_user_change": Row(
        get=ADMIN_RULE, kwargs=lambda w: {"object_id": w.users["teacher"].pk}
    ),
    "admin:auth_user_password_change": Row(
        get=ADMIN_RULE, kwargs=lambda w: {"id": w.users["teacher"].pk}
    ),
    "admin:schools_digisnap_change": Row(
        get=ADMIN_RULE, kwargs=lambda w: {"object_id": w.objects["digisnap"].pk}
    ),
    "admin:app_list": Row(get=ADMIN_RULE, kwargs=lambda w: {"app_label": "schools"}),
    "admin/(?P<url>.*)$": Row(get={**ADMIN_RULE, "staff": 404}, url="/admin/onbekend/"),
}


# Walking the URLconf


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name with its namespaces, or the route of a pattern without a name
    namespace: str
    route: str
    takes_arguments: bool = field(compare=False)


def url_patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    """Every pattern of a URLconf, through every include, with its full name and route."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Pattern(
                key=name or route,
                namespace=namespace,
                route=route,
                takes_arguments="<" in route or "(?P" in route,
            )


def unlisted(patterns: list[Pattern]) -> list[str]:
    """The patterns nobody decided on: neither a row nor a namespace rule covers them."""
    return sorted(
        {p.key for p in patterns if p.key not in MATRIX and p.namespace != ADMIN_NAMESPACE}
    )


def project_patterns() -> list[Pattern]:
    return list(url_patterns(get_resolver()))


def admin_rows() -> dict[str, Row]:
    """The admin rule on every admin pattern without arguments, plus the samples with some."""
    rows = {
        p.key: ADMIN_EXCEPTIONS.get(p.key, Row(get=ADMIN_RULE))
        for p in project_patterns()
        if p.namespace == ADMIN_NAMESPACE and not p.takes_arguments
    }
    return rows | ADMIN_SAMPLES


def all_rows() -> dict[str, Row]:
    return MATRIX | admin_rows()


def cells() -> Iterator[tuple[str, str, str]]:
    for name, row in all_rows().items():
        for method in ("get", "post"):
            expected = getattr(row, method)
            for persona in expected or ():
                yield name, method, persona


def test_every_url_pattern_has_a_row_in_the_matrix():
    assert unlisted(project_patterns()) == []


def test_a_url_added_without_a_row_fails_the_check():
    def view(request):
        raise AssertionError("never called")

    urlconf = [
        path("", include(settings.ROOT_URLCONF)),
        path("nieuw/", view, name="nieuw"),
        path("naamloos/<int:pk>/", view),
    ]
    patterns = list(url_patterns(URLResolver(RegexPattern(r"^/"), urlconf)))
    assert unlisted(patterns) == ["naamloos/<int:pk>/", "nieuw"]


def test_every_row_names_a_url_that_exists():
    keys = {p.key for p in project_patterns()}
    assert set(MATRIX) - keys == set()
    assert set(ADMIN_SAMPLES) | set(ADMIN_EXCEPTIONS) <= keys


def test_every_persona_is_decided_for_every_method_of_a_row():
    for name, row in all_rows().items():
        for method in ("get", "post"):
            expected = getattr(row, method)
            assert expected is None or set(expected) == set(PERSONAS), (name, method)


def test_the_admin_rule_is_checked_on_patterns_with_and_without_arguments():
    admin = [p for p in project_patterns() if p.namespace == ADMIN_NAMESPACE]
    rows = admin_rows()
    assert all(p.key in rows for p in admin if not p.takes_arguments)
    sampled = {p.key for p in admin if p.takes_arguments and p.key in rows}
    assert sampled == set(ADMIN_SAMPLES)


# The cells


def build_world() -> World:
    framework, _created = framework_load(path=BUNDLED_FRAMEWORK)
    community = SchoolCommunity.objects.create(name="Scholengemeenschap Matrix")
    institution = Institution.objects.create(community=community, number="054321", name="Matrix")
    digisnap = digisnap_create(institution=institution, name="Matrix studiedag")
    other_digisnap = digisnap_create(institution=institution, name="Matrix teamvergadering")
    users = {
        "teacher": make_user("matrix-leerkracht@test.example"),
        "other_teacher": make_user("matrix-collega@test.example"),
        "director": make_user("matrix-directie@test.example"),
        "staff": make_user("matrix-beheer@test.example", is_staff=True, is_superuser=True),
    }
    teacher = users["teacher"]
    membership_join(user=teacher, digisnap=digisnap)
    membership_join(user=teacher, digisnap=other_digisnap)
    Membership.objects.create(
        user=users["director"], digisnap=digisnap, role=Membership.Role.DIRECTOR
    )
    item_ids = list(
        Item.objects.filter(competence__area__framework=framework).values_list("pk", flat=True)
    )
    submitted = Response.objects.create(user=teacher, digisnap=digisnap, framework=framework)
    answers_save(response=submitted, levels=dict.fromkeys(item_ids, 3))
    submitted = response_submit(response=submitted)
    draft = Response.objects.create(user=teacher, digisnap=other_digisnap, framework=framework)
    answers_save(response=draft, levels=dict.fromkeys(item_ids, 4))
    training = Training.objects.create(
        source="Matrix",
        external_id="m-1",
        title="Matrixopleiding",
        provider="Aanbieder",
        url="https://example.org/m-1",
        level_from=1,
        level_to=3,
        format="online",
        language="nl",
    )
    TrainingCompetence.objects.create(training=training, competence_code="2.1")
    now = timezone.now()
    failed_import = CatalogueImport.objects.create(
        source="Matrix",
        kind=CatalogueImport.Kind.JSON,
        origin="matrix.json",
        payload=b"[]",
        started_by=users["staff"],
        status=CatalogueImport.Status.FAILED,
        error="HTTP 500",
        attempts=1,
        started_at=now,
        finished_at=now,
    )
    WorkerHeartbeat.objects.create(
        worker_id="matrix", hostname="matrix", pid=1, started_at=now, seen_at=now
    )
    pending_request, approved_request = (
        access_request_submit(
            institution_number=number,
            school_name="Matrixschool",
            community=community,
            community_name="",
            education_level="secundair",
            first_name="Mia",
            last_name="Matrix",
            function="directeur",
            email=f"matrix-{number}@test.example",
            language="nl",
            lists=["Dag"],
        )
        for number in ("065432", "076543")
    )
    access_request_approve(access_request=approved_request, decided_by=users["staff"])
    report = Report.objects.create(
        title="Matrixrapport",
        community=community,
        created_by=users["director"],
        token=uuid.uuid4(),
        status=Report.Status.FAILED,
        error="Matrix",
        attempts=1,
        started_at=now,
        finished_at=now,
    )
    report.digisnaps.set([digisnap])
    objects = {
        "pending_request": pending_request,
        "approved_request": approved_request,
        "digisnap": digisnap,
        "code": digisnap.code,
        "draft": draft,
        "submitted": submitted,
        "item": Item.objects.get(pk=min(item_ids)),
        "training": training,
        "failed_import": failed_import,
        "report": report,
    }
    return World(users=users, objects=objects)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module's hundreds of cells; each cell runs in a savepoint of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def client_of(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def describe(answer) -> str:
    location = answer.get("Location")
    return f"{answer.status_code}" + (f" → {location}" if location else "")


@pytest.mark.parametrize(("name", "method", "persona"), list(cells()))
def test_cell(world, db, name, method, persona):
    row = all_rows()[name]
    expected = getattr(row, method)[persona]
    url = row.url or reverse(name, kwargs=row.kwargs(world))
    client = client_of(world, persona)
    answer = client.post(url, row.data(world)) if method == "post" else client.get(url)
    got = describe(answer)
    cell = f"{method.upper()} {url} as {persona}: {got}"
    if isinstance(expected, Redirect):
        target = expected.to.format(url=url, **world.names)
        assert answer.status_code == 302, cell
        location = answer["Location"]
        assert location.startswith(target) if expected.prefix else location == target, cell
    else:
        assert answer.status_code == expected, cell
