"""Joining a digisnap with its link or a typed code, and starting the questionnaire."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from digisnap.questionnaires.models import Response
from digisnap.schools.models import Membership
from digisnap.schools.services import digisnap_create
from tests.conftest import nl, page_text

BRUSSELS = datetime.timezone(datetime.timedelta(hours=1))


def join_url(digisnap) -> str:
    return f"/join/{digisnap.code}/"


def bare(code: str) -> str:
    return code.removeprefix("Digisnap_")


# The join link


def test_anonymous_on_a_join_link_is_sent_to_sign_up_and_back(anonymous_client, digisnap):
    response = anonymous_client.get(join_url(digisnap))
    assert response.status_code == 302
    assert response.url == f"/accounts/signup/?next=%2Fjoin%2F{digisnap.code}%2F"


def test_the_sign_up_page_says_which_digisnap_you_join(anonymous_client, digisnap):
    signup = anonymous_client.get(anonymous_client.get(join_url(digisnap)).url)
    assert signup.status_code == 200
    text = page_text(signup)
    assert f"Je neemt deel aan Digisnap '{digisnap.name}' ({digisnap.code})" in text


def test_a_new_teacher_signs_up_and_comes_back_to_the_start_page(
    anonymous_client, digisnap, framework
):
    signup_url = anonymous_client.get(join_url(digisnap)).url
    signed_up = anonymous_client.post(
        signup_url, {"email": "nieuw@test.example", "password1": "Een-nieuw-wachtwoord-7"}
    )
    assert signed_up.status_code == 302
    assert signed_up.url == join_url(digisnap)
    started = anonymous_client.post(join_url(digisnap))
    draft = Response.objects.get(user__email="nieuw@test.example")
    assert started.url == f"/vragenlijst/{draft.pk}/"
    assert "joining" not in anonymous_client.session


def test_the_sign_in_page_says_it_too(anonymous_client, digisnap):
    anonymous_client.get(join_url(digisnap))
    text = page_text(anonymous_client.get(f"/accounts/login/?next=/join/{digisnap.code}/"))
    assert f"'{digisnap.name}' ({digisnap.code})" in text


def test_a_plain_sign_up_page_has_no_digisnap_banner(anonymous_client, digisnap):
    text = page_text(anonymous_client.get("/accounts/signup/"))
    assert digisnap.name not in text


def test_a_link_with_the_code_in_another_shape_redirects_to_the_canonical_link(
    teacher_client, digisnap
):
    response = teacher_client.get(f"/join/{bare(digisnap.code).lower()}/")
    assert response.status_code == 302
    assert response.url == join_url(digisnap)


def test_an_unknown_link_is_not_found(teacher_client, digisnap):
    assert teacher_client.get("/join/Digisnap_Xy4Fr9/").status_code == 404


def test_a_signed_in_teacher_sees_the_start_page(teacher_client, digisnap, framework):
    response = teacher_client.get(join_url(digisnap))
    assert response.status_code == 200
    text = page_text(response)
    assert digisnap.name in text
    assert digisnap.institution.name in text
    assert nl("Start the questionnaire") in text
    assert not Response.objects.exists()
    assert not Membership.objects.exists()


def test_starting_creates_a_membership_and_a_draft_and_opens_it(
    teacher, teacher_client, digisnap, framework
):
    response = teacher_client.post(join_url(digisnap))
    draft = Response.objects.get(user=teacher, digisnap=digisnap)
    assert draft.status == Response.Status.DRAFT
    assert draft.framework == framework
    assert response.status_code == 302
    assert response.url == f"/vragenlijst/{draft.pk}/"
    membership = Membership.objects.get(user=teacher, digisnap=digisnap)
    assert membership.role == Membership.Role.TEACHER


def test_starting_twice_reuses_the_same_draft(teacher, teacher_client, digisnap, framework):
    first = teacher_client.post(join_url(digisnap))
    second = teacher_client.post(join_url(digisnap))
    assert first.url == second.url
    assert Response.objects.filter(user=teacher).count() == 1
    assert Membership.objects.filter(user=teacher).count() == 1


def test_a_teacher_with_a_draft_goes_straight_to_it(teacher_client, draft):
    response = teacher_client.get(join_url(draft.digisnap))
    assert response.status_code == 302
    assert response.url == f"/vragenlijst/{draft.pk}/"


def test_a_teacher_who_submitted_sees_the_earlier_round_and_can_start_again(
    teacher_client, submitted
):
    response = teacher_client.get(join_url(submitted.digisnap))
    assert response.status_code == 200
    text = page_text(response)
    assert f"/resultaat/{submitted.pk}/" in text
    assert nl("Start a new round") in text


def test_without_a_loaded_framework_the_teacher_is_told_and_nothing_starts(
    without_framework, teacher_client, digisnap
):
    response = teacher_client.post(join_url(digisnap))
    assert response.status_code == 200
    message = nl("There is no questionnaire loaded yet. Ask the Digisnap team.")
    assert message in page_text(response)
    assert not Response.objects.exists()
    assert not Membership.objects.exists()


# Closed and not yet open digisnaps


@pytest.fixture
def closed_digisnap(institution):
    return digisnap_create(
        institution=institution, name="Vorig schooljaar", closes_on=datetime.date(2026, 3, 1)
    )


@time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS), tick=False)
def test_a_closed_digisnap_says_so_and_starts_nothing(
    teacher, teacher_client, closed_digisnap, framework
):
    page = teacher_client.get(join_url(closed_digisnap))
    assert page.status_code == 200
    text = page_text(page)
    assert nl("This digisnap is closed. Ask your school for a new code.") in text
    assert nl("Start the questionnaire") not in text
    posted = teacher_client.post(join_url(closed_digisnap))
    assert posted.status_code == 200
    assert nl("This digisnap is closed; you cannot start a new round.") in page_text(posted)
    assert not Response.objects.filter(user=teacher).exists()
    assert not Membership.objects.filter(user=teacher).exists()


@time_machine.travel(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=BRUSSELS), tick=False)
def test_a_digisnap_is_open_until_the_end_of_its_closing_day(
    teacher, teacher_client, closed_digisnap, framework
):
    response = teacher_client.post(join_url(closed_digisnap))
    assert response.status_code == 302
    assert Response.objects.filter(user=teacher).count() == 1


@time_machine.travel(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_the_closing_day_ends_at_midnight_in_brussels(
    teacher, teacher_client, closed_digisnap, framework
):
    # 23:30 UTC is already 00:30 on 2 March in Brussels.
    assert timezone.localdate() == datetime.date(2026, 3, 2)
    teacher_client.post(join_url(closed_digisnap))
    assert not Response.objects.filter(user=teacher).exists()


@time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS), tick=False)
def test_a_digisnap_that_opens_later_starts_nothing_yet(
    teacher, teacher_client, institution, framework
):
    later = digisnap_create(
        institution=institution, name="Na de vakantie", opens_on=datetime.date(2026, 3, 20)
    )
    posted = teacher_client.post(join_url(later))
    message = nl("This digisnap opens on %(date)s. You can start then.") % {"date": "20 maart 2026"}
    assert message in page_text(posted)
    assert not Response.objects.filter(user=teacher).exists()


@time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS), tick=False)
def test_a_draft_of_a_closed_digisnap_is_not_reopened_from_the_join_link(
    teacher, teacher_client, closed_digisnap, framework
):
    Response.objects.create(user=teacher, digisnap=closed_digisnap, framework=framework)
    response = teacher_client.get(join_url(closed_digisnap))
    assert response.status_code == 200
    assert nl("This digisnap is closed. Ask your school for a new code.") in page_text(response)


# Typing a code


def test_the_code_form_is_shown(anonymous_client, db):
    response = anonymous_client.get("/join/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


@pytest.mark.parametrize("shape", ["bare", "lower", "spaced"])
def test_a_typed_code_leads_to_the_canonical_link(anonymous_client, digisnap, shape):
    typed = {
        "bare": bare(digisnap.code),
        "lower": digisnap.code.lower(),
        "spaced": f" {bare(digisnap.code)[:3]} {bare(digisnap.code)[3:]} ",
    }[shape]
    response = anonymous_client.post("/join/", {"code": typed})
    assert response.status_code == 302
    assert response.url == join_url(digisnap)


def test_a_wrong_code_is_shown_again_with_the_error_beside_it(teacher_client, digisnap):
    response = teacher_client.post("/join/", {"code": "Digisnap_Xy4Fr9"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Digisnap_Xy4Fr9"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="code-help code-error"' in html
    error = nl("We don't know this code. Check it with your school.")
    assert f'<span class="errorlist" id="code-error">{error}</span>' in page_text(response)


def test_an_empty_code_is_refused_beside_the_field(teacher_client, digisnap):
    response = teacher_client.post("/join/", {"code": ""})
    assert response.status_code == 200
    assert 'id="code-error"' in response.content.decode()


@pytest.fixture
def three_attempts(settings):
    settings.JOIN_CODE_ATTEMPTS = 3
    settings.JOIN_CODE_WINDOW_SECONDS = 900


def test_too_many_wrong_codes_make_you_wait(teacher_client, digisnap, three_attempts):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=BRUSSELS), tick=False):
        for _attempt in range(3):
            assert teacher_client.post("/join/", {"code": "Digisnap_Xy4Fr9"}).status_code == 200
        refused = teacher_client.post("/join/", {"code": digisnap.code})
        assert refused.status_code == 429
        text = page_text(refused)
        assert nl("Too many wrong codes. Wait a quarter of an hour and try again.") in text
        waiting = teacher_client.get(join_url(digisnap))
        assert waiting.status_code == 429
        assert nl("Too many wrong codes. Wait a quarter of an hour and try again.") in page_text(
            waiting
        )
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 16, tzinfo=BRUSSELS), tick=False):
        response = teacher_client.post("/join/", {"code": digisnap.code})
        assert response.status_code == 302
        assert response.url == join_url(digisnap)


def test_wrong_join_links_count_as_wrong_codes(teacher_client, digisnap, three_attempts):
    for _attempt in range(3):
        assert teacher_client.get("/join/Digisnap_Xy4Fr9/").status_code == 404
    assert teacher_client.post("/join/", {"code": digisnap.code}).status_code == 429


def test_right_codes_do_not_count(teacher_client, digisnap, three_attempts):
    for _attempt in range(5):
        assert teacher_client.post("/join/", {"code": digisnap.code}).status_code == 302


def test_one_teacher_guessing_does_not_block_a_colleague(
    teacher_client, other_teacher_client, digisnap, three_attempts
):
    for _attempt in range(3):
        teacher_client.post("/join/", {"code": "Digisnap_Xy4Fr9"})
    assert teacher_client.post("/join/", {"code": digisnap.code}).status_code == 429
    assert other_teacher_client.post("/join/", {"code": digisnap.code}).status_code == 302


def test_an_anonymous_guesser_keeping_their_session_is_stopped(
    anonymous_client, digisnap, three_attempts
):
    for _attempt in range(3):
        assert anonymous_client.post("/join/", {"code": "Digisnap_Xy4Fr9"}).status_code == 200
    assert anonymous_client.post("/join/", {"code": digisnap.code}).status_code == 429
    assert anonymous_client.get(join_url(digisnap)).status_code == 429


def test_behind_a_trusted_proxy_visitors_are_counted_by_their_own_address(
    settings, digisnap, three_attempts
):
    from django.test import Client

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guesser = Client(headers={"X-Forwarded-For": "203.0.113.7"})
    colleague = Client(headers={"X-Forwarded-For": "203.0.113.8"})
    settings.JOIN_CODE_ADDRESS_ATTEMPTS = 3
    for _attempt in range(3):
        guesser.post("/join/", {"code": "Digisnap_Xy4Fr9"})
    assert guesser.post("/join/", {"code": digisnap.code}).status_code == 429
    # Another address has not used up its budget: the colleague is told the truth at once.
    assert colleague.post("/join/", {"code": digisnap.code}).url == join_url(digisnap)
