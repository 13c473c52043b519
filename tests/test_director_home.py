"""The director's home: the digisnaps they administer today, per school community, with code,
join link, poster link and participation counts — counts only, in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from digisnap.accounts.models import User
from digisnap.questionnaires.services import answers_save, response_start, response_submit
from digisnap.reports.menu import SESSION_KEY
from digisnap.reports.selectors import director_digisnaps, participation_of
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
from tests.conftest import answer_all, make_user, nl

HOME = reverse("reports:home")


def grant(user: User, institution: Institution, *, starts=-30, ends=30) -> Right:
    """A right on the institution from `starts` to `ends` days from today."""
    return Right.objects.create(
        user=user,
        institution=institution,
        starts_on=today() + datetime.timedelta(days=starts),
        ends_on=today() + datetime.timedelta(days=ends),
        reason="Directeur",
    )


def registered(user: User, digisnap: Digisnap) -> User:
    Membership.objects.create(user=user, digisnap=digisnap, role=Membership.Role.DIRECTOR)
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def boss(digisnap) -> User:
    """A director registered on the digisnap, with a valid right on its institution."""
    user = registered(make_user("baas@test.example"), digisnap)
    grant(user, digisnap.institution)
    return user


def test_the_director_sees_code_link_and_counts_of_the_digisnap(boss, digisnap):
    response = client_for(boss).get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert digisnap.name in page
    assert digisnap.code in page
    assert digisnap.get_join_url() in page
    assert "Scholengemeenschap Test" in page
    assert reverse("reports:team_session", args=[digisnap.pk]) in page
    assert reverse("reports:report") in page
    assert "no-store" in response.headers["Cache-Control"]


def test_counts_joined_busy_and_submitted_never_names(boss, digisnap, framework):
    teachers = [make_user(f"telling{n}@test.example", first_name=f"Naam{n}") for n in range(5)]
    for teacher in teachers:
        membership_join(user=teacher, digisnap=digisnap)
    started_empty = response_start(user=teachers[0], digisnap=digisnap)  # no answer yet: joined
    busy = response_start(user=teachers[1], digisnap=digisnap)
    first_item = framework.areas.first().competences.first().items.first()
    answers_save(response=busy, levels={first_item.pk: 2})
    done = response_start(user=teachers[2], digisnap=digisnap)
    answer_all(done)
    response_submit(response=done)
    again = response_start(user=teachers[2], digisnap=digisnap)  # a new round after submitting
    answers_save(response=again, levels={first_item.pk: 3})
    assert started_empty.answers.count() == 0

    assert participation_of(digisnap).as_dict() == {"joined": 5, "busy": 2, "submitted": 1}
    page = client_for(boss).get(HOME).content.decode()
    assert 'data-count="joined">5<' in page
    assert 'data-count="busy">2<' in page
    assert 'data-count="submitted">1<' in page
    for teacher in teachers:
        assert teacher.email not in page
        assert teacher.first_name not in page


def test_directors_and_other_digisnaps_do_not_count(boss, digisnap, other_digisnap, teacher):
    membership_join(user=teacher, digisnap=other_digisnap)
    assert participation_of(digisnap).as_dict() == {"joined": 0, "busy": 0, "submitted": 0}


def test_digisnaps_are_grouped_per_school_community(db):
    user = make_user("twee-scholen@test.example")
    for n, community_name in enumerate(("Gemeenschap Zuid", "Gemeenschap Noord")):
        community = SchoolCommunity.objects.create(name=community_name)
        institution = Institution.objects.create(
            community=community, number=f"20000{n}", name=f"School {n}"
        )
        registered(user, digisnap_create(institution=institution, name=f"Lijst {n}"))
        grant(user, institution)
    loose = Institution.objects.create(number="200009", name="Losse school")
    registered(user, digisnap_create(institution=loose, name="Losse lijst"))
    grant(user, loose)
    page = client_for(user).get(HOME).content.decode()
    noord, zuid = page.index("Gemeenschap Noord"), page.index("Gemeenschap Zuid")
    assert noord < page.index("Lijst 1") < zuid < page.index("Lijst 0") < page.index("Losse lijst")
    assert [d.name for d in director_digisnaps(user)] == ["Lijst 1", "Lijst 0", "Losse lijst"]


def test_the_poster_link_shows_only_for_who_may_download_it(boss, digisnap):
    poster = reverse("schools:poster", args=[digisnap.pk])
    assert poster not in client_for(boss).get(HOME).content.decode()
    InstitutionManager.objects.create(user=boss, institution=digisnap.institution)
    assert poster in client_for(boss).get(HOME).content.decode()
    assert client_for(boss).get(poster).status_code == 200


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(-30, -1), (1, 30)],
    ids=["expired yesterday", "starts tomorrow"],
)
def test_a_right_outside_today_shows_nothing(digisnap, starts, ends):
    user = registered(make_user(f"buiten{starts}@test.example"), digisnap)
    grant(user, digisnap.institution, starts=starts, ends=ends)
    response = client_for(user).get(HOME)
    assert response.status_code == 200
    assert digisnap.code not in response.content.decode()
    assert response.context["digisnaps"] == []


def test_a_right_of_today_only_is_enough(digisnap):
    user = registered(make_user("vandaag@test.example"), digisnap)
    grant(user, digisnap.institution, starts=0, ends=0)
    assert digisnap.code in client_for(user).get(HOME).content.decode()


def test_registered_without_right_shows_nothing(director, digisnap):
    response = client_for(director).get(HOME)
    assert response.status_code == 200
    assert digisnap.code not in response.content.decode()


def test_a_right_without_registration_shows_nothing(digisnap):
    user = make_user("alleen-recht@test.example")
    grant(user, digisnap.institution)
    assert digisnap.code not in client_for(user).get(HOME).content.decode()


def test_the_director_of_another_institution_does_not_see_ours(boss, digisnap, community):
    elsewhere = Institution.objects.create(community=community, number="099999", name="Elders")
    theirs = digisnap_create(institution=elsewhere, name="Elders studiedag")
    other = registered(make_user("andere-baas@test.example"), theirs)
    grant(other, elsewhere)
    registered(other, digisnap)  # registered on ours too, but no right on our institution
    page = client_for(other).get(HOME).content.decode()
    assert theirs.code in page
    assert digisnap.code not in page


def test_a_teacher_sees_no_digisnap_and_no_menu_link(teacher_client, digisnap, teacher):
    membership_join(user=teacher, digisnap=digisnap)
    response = teacher_client.get(HOME)
    assert response.status_code == 200
    assert digisnap.code not in response.content.decode()
    assert f'href="{HOME}"' not in teacher_client.get("/").content.decode()


def test_the_menu_and_the_teacher_home_lead_a_director_here(boss):
    page = client_for(boss).get("/").content.decode()
    assert f'href="{HOME}"' in page


def test_the_menu_answer_is_found_at_sign_in_and_kept_for_the_day(digisnap):
    user = make_user("later-directeur@test.example")
    client = client_for(user)  # signs in: the answer (no) is kept in the session
    assert client.session[SESSION_KEY] == [today().isoformat(), False]
    registered(user, digisnap)
    grant(user, digisnap.institution)
    assert f'href="{HOME}"' not in client.get("/").content.decode()  # kept for today
    client.get(HOME)  # where a newly registered director lands: the answer is found again
    assert client.session[SESSION_KEY] == [today().isoformat(), True]
    assert f'href="{HOME}"' in client.get("/").content.decode()


def test_the_menu_answer_of_yesterday_is_found_again(boss, digisnap):
    client = client_for(boss)
    session = client.session
    session[SESSION_KEY] = [(today() - datetime.timedelta(days=1)).isoformat(), False]
    session.save()
    assert f'href="{HOME}"' in client.get("/").content.decode()
    assert client.session[SESSION_KEY] == [today().isoformat(), True]


def test_anonymous_visitors_sign_in_first(anonymous_client):
    response = anonymous_client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={HOME}"


def test_the_report_tile_leads_to_a_page_that_says_it_comes_later(boss, teacher_client):
    report = reverse("reports:report")
    response = client_for(boss).get(report)
    assert response.status_code == 200
    assert nl("Report and learning suggestions") in response.content.decode()
    assert teacher_client.get(report).status_code == 404


def _world(schools: int, teachers: int) -> User:
    user = make_user(f"queries-{schools}@test.example")
    community = SchoolCommunity.objects.create(name=f"Gemeenschap {schools}")
    for n in range(schools):
        institution = Institution.objects.create(
            community=community, number=f"3{schools:02d}{n:03d}", name=f"School {n}"
        )
        digisnap = registered(user, digisnap_create(institution=institution, name=f"L{n}"))
        grant(user, institution)
        InstitutionManager.objects.create(user=user, institution=institution)
        digisnap = Digisnap.objects.get(institution=institution)
        for t in range(teachers):
            membership_join(user=make_user(f"q{schools}-{n}-{t}@test.example"), digisnap=digisnap)
    return user


# Session, user, the digisnaps with their counts in one query (the menu's answer is in the session).
HOME_QUERIES = 3


@pytest.mark.parametrize(("schools", "teachers"), [(1, 1), (4, 3)])
def test_the_home_page_takes_a_constant_number_of_queries(
    db, django_assert_num_queries, schools, teachers
):
    client = client_for(_world(schools, teachers))
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(HOME)
    assert len(response.context["digisnaps"]) == schools
    assert {d.joined for d in response.context["digisnaps"]} == {teachers}
