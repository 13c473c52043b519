"""A new round on the same digisnap, and its result compared with the previous round."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from digisnap.core.levels import Level
from digisnap.questionnaires.models import Item, Response
from digisnap.questionnaires.services import (
    answers_save,
    digisnap_join_and_start,
    response_start,
    response_submit,
)
from digisnap.schools.models import Membership
from digisnap.schools.services import digisnap_create
from tests.conftest import answer_all, nl, page_text

BRUSSELS = datetime.timezone(datetime.timedelta(hours=1))
JANUARY = datetime.datetime(2026, 1, 15, 10, 0, tzinfo=BRUSSELS)
MAY = datetime.datetime(2026, 5, 20, 10, 0, tzinfo=BRUSSELS)


CONFIRMED = {"confirmed": "yes"}


def new_round_url(response: Response) -> str:
    return f"/resultaat/{response.pk}/nieuwe-ronde/"


def submitted_round(teacher, digisnap, level: int, **levels_of: int) -> Response:
    """Submit a round answered at `level`, except the competences named (code with _ for .)."""
    draft = response_start(user=teacher, digisnap=digisnap)
    answer_all(draft, level=level)
    for code, competence_level in levels_of.items():
        for item in Item.objects.filter(competence__code=code.replace("_", ".")):
            answers_save(response=draft, levels={item.pk: competence_level})
    return response_submit(response=draft)


def competence_row(html: str, code: str) -> str:
    row = re.search(rf'<tr>\s*<th scope="row">{re.escape(code)} .*?</tr>', html, re.DOTALL)
    assert row, code
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_a_new_round_starts_a_draft_on_the_same_digisnap(teacher, teacher_client, submitted):
    response = teacher_client.post(new_round_url(submitted), CONFIRMED)
    draft = Response.objects.get(user=teacher, status=Response.Status.DRAFT)
    assert response.status_code == 302
    assert response.url == f"/vragenlijst/{draft.pk}/"
    assert draft.digisnap == submitted.digisnap
    assert draft.pk != submitted.pk
    assert not draft.answers.exists()
    submitted.refresh_from_db()
    assert submitted.is_submitted
    assert submitted.answers.count() == 30


def test_asking_twice_gives_one_new_round(teacher, teacher_client, submitted):
    first = teacher_client.post(new_round_url(submitted), CONFIRMED)
    second = teacher_client.post(new_round_url(submitted), CONFIRMED)
    assert first.url == second.url
    assert Response.objects.filter(user=teacher, status=Response.Status.DRAFT).count() == 1


def test_a_new_round_asks_to_confirm_first(teacher, teacher_client, submitted):
    page = teacher_client.get(new_round_url(submitted))
    assert page.status_code == 200
    text = page_text(page)
    assert nl("Start a new round?") in text
    assert (
        nl("Round %(number)s starts empty: you answer every question again.") % {"number": 2}
        in text
    )
    assert 'name="confirmed" value="yes"' in text
    assert not Response.objects.filter(user=teacher, status=Response.Status.DRAFT).exists()


def test_the_confirmation_names_the_number_of_the_new_round(teacher, teacher_client, digisnap):
    first = submitted_round(teacher, digisnap, Level.B1)
    submitted_round(teacher, digisnap, Level.B2)
    text = page_text(teacher_client.get(new_round_url(first)))  # from the older result too
    assert (
        nl("Round %(number)s starts empty: you answer every question again.") % {"number": 3}
        in text
    )


def test_with_a_round_in_progress_nothing_is_asked(teacher, teacher_client, submitted):
    draft = response_start(user=teacher, digisnap=submitted.digisnap)
    for answer in (
        teacher_client.get(new_round_url(submitted)),
        teacher_client.post(new_round_url(submitted)),
    ):
        assert answer.status_code == 302
        assert answer.url == f"/vragenlijst/{draft.pk}/"
    assert Response.objects.filter(user=teacher).count() == 2


def test_a_post_without_the_confirmation_only_asks(teacher, teacher_client, submitted):
    """The result page's own button leads to the question too, never straight to a round."""
    page = teacher_client.post(new_round_url(submitted))
    assert page.status_code == 200
    assert nl("Start a new round?") in page_text(page)
    assert not Response.objects.filter(user=teacher, status=Response.Status.DRAFT).exists()


def test_the_second_result_shows_the_change_since_the_first(
    teacher, teacher_client, digisnap, framework
):
    with time_machine.travel(JANUARY, tick=False):
        submitted_round(teacher, digisnap, Level.B2)
    with time_machine.travel(MAY, tick=False):
        second = submitted_round(teacher, digisnap, Level.C1, **{"1_1": Level.B2, "6_5": Level.B1})
        page = teacher_client.get(f"/resultaat/{second.pk}/")
    assert page.status_code == 200
    html = page_text(page)
    assert competence_row(html, "2.1").endswith(f"+1 {nl('higher')}")
    assert competence_row(html, "1.1").endswith(nl("same"))
    assert competence_row(html, "6.5").endswith(f"-1 {nl('lower')}")
    with translation.override("nl"):
        date = formats.date_format(timezone.localtime(JANUARY), "j F Y")
    assert nl("Compared with your previous round of %(date)s.") % {"date": date} in html


def test_an_earlier_result_is_not_compared_with_a_later_round(
    teacher, teacher_client, digisnap, framework
):
    with time_machine.travel(JANUARY, tick=False):
        first = submitted_round(teacher, digisnap, Level.B2)
    with time_machine.travel(MAY, tick=False):
        submitted_round(teacher, digisnap, Level.C1)
    html = page_text(teacher_client.get(f"/resultaat/{first.pk}/"))
    assert 'class="change-' not in html
    assert nl("Compared with your previous round of %(date)s.").split("%")[0] not in html


@pytest.fixture
def closed(submitted):
    digisnap = submitted.digisnap
    digisnap.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    digisnap.save()
    return submitted


def test_a_closed_digisnap_refuses_a_new_round(teacher, teacher_client, closed):
    response = teacher_client.post(new_round_url(closed), CONFIRMED, follow=True)
    assert response.redirect_chain == [(f"/resultaat/{closed.pk}/", 302)]
    message = nl("This digisnap is closed; you cannot start a new round.")
    assert message in page_text(response)
    assert not Response.objects.filter(user=teacher, status=Response.Status.DRAFT).exists()


def test_a_round_in_progress_cannot_start_another(teacher, teacher_client, draft):
    assert teacher_client.post(new_round_url(draft), CONFIRMED).status_code == 404
    assert Response.objects.filter(user=teacher).count() == 1


def test_it_rejects_another_teacher(other_teacher, other_teacher_client, submitted):
    for method in (other_teacher_client.get, other_teacher_client.post):
        assert method(new_round_url(submitted), CONFIRMED).status_code == 404
    assert not Response.objects.filter(user=other_teacher).exists()
    assert Response.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(anonymous_client, submitted):
    response = anonymous_client.post(new_round_url(submitted))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert Response.objects.count() == 1


# The closing date is the service's rule, whichever page starts the round


def test_the_service_starts_no_round_in_a_closed_digisnap(teacher, closed):
    with pytest.raises(ValidationError) as refused:
        response_start(user=teacher, digisnap=closed.digisnap)
    assert refused.value.messages == [nl("This digisnap is closed; you cannot start a new round.")]
    assert not Response.objects.filter(user=teacher, status=Response.Status.DRAFT).exists()


@time_machine.travel(JANUARY, tick=False)
def test_the_service_starts_no_round_before_the_digisnap_opens(teacher, institution, framework):
    later = digisnap_create(
        institution=institution, name="Na de vakantie", opens_on=datetime.date(2026, 2, 2)
    )
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        response_start(user=teacher, digisnap=later)
    assert refused.value.messages == [
        nl("This digisnap opens on %(date)s. You can start then.") % {"date": "2 februari 2026"}
    ]
    assert not Response.objects.exists()


def test_joining_a_closed_digisnap_through_the_service_changes_nothing(teacher, closed):
    with pytest.raises(ValidationError):
        digisnap_join_and_start(user=teacher, digisnap=closed.digisnap)
    assert not Response.objects.filter(user=teacher, status=Response.Status.DRAFT).exists()
    assert not Membership.objects.filter(user=teacher).exists()


def test_a_round_started_before_closing_can_still_be_finished(teacher, teacher_client, draft):
    draft.digisnap.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    draft.digisnap.save()
    answer_all(draft, level=Level.C1)
    response = teacher_client.post(f"/vragenlijst/{draft.pk}/overzicht/")
    assert response.status_code == 302
    assert response.url == f"/resultaat/{draft.pk}/"
