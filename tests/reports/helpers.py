"""A small world for the directors' report tests: two school communities, a director with
rights and registrations, digisnaps with submitted rounds, and helpers to ask for a report."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Framework
from digisnap.questionnaires.synthetic import synthetic_responses
from digisnap.rights.access import today
from digisnap.rights.models import Right
from digisnap.schools.models import (
    Digisnap,
    Institution,
    InstitutionManager,
    Membership,
    SchoolCommunity,
)
from digisnap.schools.services import digisnap_create, membership_join
from tests.conftest import make_user

FORM = reverse("reports:directors_report")


def grant(user: User, institution: Institution, *, starts: int = -30, ends: int = 30) -> Right:
    """A right «Digisnap Beheerder» from `starts` to `ends` days from today."""
    return Right.objects.create(
        user=user,
        institution=institution,
        starts_on=today() + datetime.timedelta(days=starts),
        ends_on=today() + datetime.timedelta(days=ends),
        reason="Directeur",
    )


def register(user: User, *digisnaps: Digisnap) -> User:
    for digisnap in digisnaps:
        Membership.objects.create(user=user, digisnap=digisnap, role=Membership.Role.DIRECTOR)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class ReportWorld:
    """Community «Noord»: school A (digisnaps a1, a2) and school B (b1); community «Zuid»:
    school C (c1). The director administers a1, a2, b1 and c1 today; the co-director a1 and
    a2; every digisnap of Noord has submitted rounds."""

    noord: SchoolCommunity
    zuid: SchoolCommunity
    school_a: Institution
    school_b: Institution
    school_c: Institution
    a1: Digisnap
    a2: Digisnap
    b1: Digisnap
    c1: Digisnap
    director: User
    co_director: User


def build_world(framework: Framework, *, teachers: int = 5) -> ReportWorld:
    noord = SchoolCommunity.objects.create(name="Scholengemeenschap Noord")
    zuid = SchoolCommunity.objects.create(name="Scholengemeenschap Zuid")
    school_a = Institution.objects.create(community=noord, number="111111", name="School A")
    school_b = Institution.objects.create(community=noord, number="222222", name="School B")
    school_c = Institution.objects.create(community=zuid, number="333333", name="School C")
    a1 = digisnap_create(institution=school_a, name="A studiedag")
    a2 = digisnap_create(institution=school_a, name="A teamvergadering")
    b1 = digisnap_create(institution=school_b, name="B studiedag")
    c1 = digisnap_create(institution=school_c, name="C studiedag")
    for seed, digisnap in enumerate((a1, a2, b1), start=1):
        synthetic_responses(
            digisnap=digisnap,
            framework=framework,
            teachers=teachers,
            seed=seed,
            email_prefix=f"rapport-{digisnap.pk}-",
        )
    director = make_user("rapport-directie@test.example", first_name="Dirk")
    for school in (school_a, school_b, school_c):
        grant(director, school)
    register(director, a1, a2, b1, c1)
    co_director = make_user("rapport-codirectie@test.example", first_name="Cora")
    grant(co_director, school_a)
    register(co_director, a1, a2)
    return ReportWorld(
        noord, zuid, school_a, school_b, school_c, a1, a2, b1, c1, director, co_director
    )


def form_data(*digisnaps: Digisnap, title: str = "Ons rapport", training: bool = False, **extra):
    data = {
        "digisnaps": [digisnap.pk for digisnap in digisnaps],
        "title": title,
        "token": str(uuid.uuid4()),
        "generate": "1",
        **extra,
    }
    if training:
        data["include_training"] = "on"
    return data


def teacher_of(digisnap: Digisnap, email: str = "rapport-leerkracht@test.example") -> User:
    user = make_user(email)
    membership_join(user=user, digisnap=digisnap)
    return user


def user_manager_of(institution: Institution) -> User:
    user = make_user("rapport-gebruikersbeheer@test.example")
    InstitutionManager.objects.create(user=user, institution=institution)
    return user
