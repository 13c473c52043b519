"""The overview before submitting, and submitting: scored once, stored, and never twice."""

from django.utils import translation

from digisnap.core.levels import Level
from digisnap.questionnaires.models import AreaResult, CompetenceResult, Item, Response
from digisnap.questionnaires.services import answers_save
from tests.conftest import answer_all, nl, nl_plural, page_text


def review_url(response: Response) -> str:
    return f"/vragenlijst/{response.pk}/overzicht/"


def answer_all_but(response: Response, *codes: str) -> list[Item]:
    answer_all(response, level=Level.B1)
    response.answers.filter(item__code__in=codes).delete()
    return list(Item.objects.filter(code__in=codes).order_by("position"))


def test_the_overview_lists_unanswered_questions_with_links_to_them(teacher_client, draft):
    missing = answer_all_but(draft, "2.3.2", "5.1.1")
    response = teacher_client.get(review_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(response)
    for item in missing:
        area = item.competence.area.code
        assert f'href="/vragenlijst/{draft.pk}/deel/{area}/#item-{item.pk}"' in html
        assert item.text_nl in text
    with translation.override("nl"):
        heading = translation.ngettext(
            "%(counter)s question still needs an answer",
            "%(counter)s questions still need an answer",
            2,
        ) % {"counter": 2}
    assert heading in text
    assert nl("Submit my answers") not in text


def test_the_overview_shows_progress_per_part(teacher_client, draft):
    answer_all_but(draft, "1.1.1")
    html = teacher_client.get(review_url(draft)).content.decode()
    assert f'href="/vragenlijst/{draft.pk}/deel/1/"' in html
    assert "<td>4 / 5</td>" in html
    assert 'max="30" value="29"' in html


def test_a_complete_round_can_be_submitted_from_the_overview(teacher_client, draft):
    answer_all(draft)
    text = page_text(teacher_client.get(review_url(draft)))
    assert nl("Submit my answers") in text


def test_submitting_with_open_questions_is_refused_with_the_count(teacher_client, draft):
    answer_all_but(draft, "3.2.1", "4.3.1", "6.5.1")
    response = teacher_client.post(review_url(draft))
    assert response.status_code == 400
    message = nl_plural(
        "%(count)d question still needs an answer.", "%(count)d questions still need an answer.", 3
    ) % {"count": 3}
    assert message in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT
    assert draft.submitted_at is None
    assert not CompetenceResult.objects.exists()
    assert not AreaResult.objects.exists()


def test_submitting_a_complete_round_stores_the_results_and_shows_them(teacher_client, draft):
    answer_all(draft, level=Level.B2)
    response = teacher_client.post(review_url(draft))
    assert response.status_code == 302
    assert response.url == f"/resultaat/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == Response.Status.SUBMITTED
    assert draft.submitted_at is not None
    assert draft.competence_results.count() == 22
    assert draft.area_results.count() == 6
    assert set(draft.competence_results.values_list("level", flat=True)) == {Level.B2}


def test_submitting_shows_a_thank_you(teacher_client, draft):
    answer_all(draft)
    response = teacher_client.post(review_url(draft), follow=True)
    assert nl("Thank you! Your answers are submitted.") in page_text(response)


def test_stored_results_follow_the_scoring_rule(teacher_client, draft):
    # 1.1 has two items: C2 and «ik ken dit niet» average to 3.00 (B1), with one unknown item.
    answer_all(draft, level=Level.A2)
    first, second = Item.objects.filter(competence__code="1.1").order_by("position")
    answers_save(response=draft, levels={first.pk: Level.C2})
    answers_save(response=draft, levels={second.pk: Level.UNKNOWN})
    teacher_client.post(review_url(draft))
    result = CompetenceResult.objects.get(response=draft, competence__code="1.1")
    assert (result.score, result.level, result.unknown_items) == (3, Level.B1, 1)
    area = AreaResult.objects.get(response=draft, area__code="1")
    # Area 1: competences at 3, 2, 2, 2 → 2.25 → A2.
    assert (area.score, area.level) == (2.25, Level.A2)


def test_submitting_twice_is_harmless(teacher_client, draft):
    answer_all(draft)
    teacher_client.post(review_url(draft))
    draft.refresh_from_db()
    submitted_at = draft.submitted_at
    second = teacher_client.post(review_url(draft))
    assert second.status_code == 302
    assert second.url == f"/resultaat/{draft.pk}/"
    assert CompetenceResult.objects.filter(response=draft).count() == 22
    assert AreaResult.objects.filter(response=draft).count() == 6
    draft.refresh_from_db()
    assert draft.submitted_at == submitted_at


def test_the_overview_of_a_submitted_round_opens_the_result(teacher_client, submitted):
    response = teacher_client.get(review_url(submitted))
    assert response.status_code == 302
    assert response.url == f"/resultaat/{submitted.pk}/"


def test_anonymous_is_sent_to_sign_in(anonymous_client, draft):
    answer_all(draft)
    response = anonymous_client.post(review_url(draft))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT


def test_it_rejects_another_teacher(other_teacher_client, draft):
    answer_all(draft)
    assert other_teacher_client.get(review_url(draft)).status_code == 404
    assert other_teacher_client.post(review_url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Response.Status.DRAFT
