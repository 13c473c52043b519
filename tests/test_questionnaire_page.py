"""The questionnaire pages: resume where you were, and a plain form that works without JavaScript."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digisnap.core.levels import Level
from digisnap.questionnaires.models import Answer, Item, Response
from digisnap.questionnaires.services import answers_save, framework_load, response_submit
from tests.conftest import MINI_FRAMEWORK, answer_all, nl, page_text


def items_of(area_code: str) -> list[Item]:
    return list(Item.objects.filter(competence__area__code=area_code).order_by("position"))


def page_url(response: Response, area_code: str) -> str:
    return f"/vragenlijst/{response.pk}/deel/{area_code}/"


def answered(response: Response) -> dict[str, int]:
    return dict(response.answers.values_list("item__code", "level"))


# Resuming


def test_a_new_round_opens_at_the_first_part(teacher_client, draft):
    response = teacher_client.get(f"/vragenlijst/{draft.pk}/")
    assert response.status_code == 302
    assert response.url == page_url(draft, "1")


def test_coming_back_resumes_at_the_part_last_visited(teacher_client, draft):
    assert teacher_client.get(page_url(draft, "3")).status_code == 200
    response = teacher_client.get(f"/vragenlijst/{draft.pk}/")
    assert response.url == page_url(draft, "3")


def test_coming_back_before_any_visit_opens_the_first_unanswered_part(teacher_client, draft):
    for item in items_of("1") + items_of("2"):
        answers_save(response=draft, levels={item.pk: Level.B1})
    response = teacher_client.get(f"/vragenlijst/{draft.pk}/")
    assert response.url == page_url(draft, "3")


def test_a_complete_round_never_visited_opens_the_overview(teacher_client, draft):
    answer_all(draft)
    response = teacher_client.get(f"/vragenlijst/{draft.pk}/")
    assert response.url == f"/vragenlijst/{draft.pk}/overzicht/"


# Showing a page


def test_a_page_shows_its_questions_and_the_saved_answers(teacher_client, draft):
    first, second, *_rest = items_of("2")
    answers_save(response=draft, levels={first.pk: Level.C1})
    response = teacher_client.get(page_url(draft, "2"))
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(response)
    assert first.text_nl in text
    assert second.text_nl in text
    assert f'id="item-{first.pk}-5" value="5" data-item="{first.pk}" checked' in html
    assert f'id="item-{second.pk}-5" value="5" data-item="{second.pk}">' in html
    assert nl("I don't know this") in text
    assert 'max="30" value="1"' in html  # the progress bar


def test_each_question_offers_six_levels_and_i_dont_know(teacher_client, draft):
    item = items_of("1")[0]
    html = teacher_client.get(page_url(draft, "1")).content.decode()
    assert html.count(f'name="item-{item.pk}"') == 7


def test_the_english_page_shows_the_english_texts(teacher_client, draft):
    item = items_of("1")[0]
    text = page_text(teacher_client.get(page_url(draft, "1"), HTTP_ACCEPT_LANGUAGE="en"))
    assert item.text_en in text
    assert item.text_nl not in text


def test_an_unknown_part_is_not_found(teacher_client, draft):
    assert teacher_client.get(page_url(draft, "9")).status_code == 404


def test_a_submitted_round_opens_its_result(teacher_client, submitted):
    for url in (f"/vragenlijst/{submitted.pk}/", page_url(submitted, "2")):
        response = teacher_client.get(url)
        assert response.status_code == 302
        assert response.url == f"/resultaat/{submitted.pk}/"


def test_a_submitted_round_cannot_be_changed_through_the_page(teacher_client, submitted):
    item = items_of("1")[0]
    teacher_client.post(page_url(submitted, "1"), {f"item-{item.pk}": "1", "go": "next"})
    assert submitted.answers.get(item=item).level == Level.B2


# Saving the page without JavaScript


def page_answers(area_code: str, level: int) -> dict[str, str]:
    return {f"item-{item.pk}": str(level) for item in items_of(area_code)}


def test_next_saves_every_answer_on_the_page_and_opens_the_next_part(teacher_client, draft):
    response = teacher_client.post(page_url(draft, "1"), {**page_answers("1", 4), "go": "next"})
    assert response.status_code == 302
    assert response.url == page_url(draft, "2")
    assert answered(draft) == {item.code: 4 for item in items_of("1")}


def test_previous_saves_and_goes_back(teacher_client, draft):
    response = teacher_client.post(page_url(draft, "2"), {**page_answers("2", 0), "go": "previous"})
    assert response.url == page_url(draft, "1")
    assert answered(draft) == {item.code: 0 for item in items_of("2")}


def test_stop_saves_and_returns_home_with_a_reassurance(teacher_client, draft):
    response = teacher_client.post(
        page_url(draft, "3"), {**page_answers("3", 2), "go": "stop"}, follow=True
    )
    assert response.redirect_chain == [("/", 302)]
    assert nl("Your answers are saved. You can continue later.") in page_text(response)
    assert len(answered(draft)) == len(items_of("3"))


def test_review_saves_and_opens_the_overview(teacher_client, draft):
    response = teacher_client.post(page_url(draft, "6"), {**page_answers("6", 6), "go": "review"})
    assert response.url == f"/vragenlijst/{draft.pk}/overzicht/"
    assert len(answered(draft)) == len(items_of("6"))


def test_next_on_the_last_part_opens_the_overview(teacher_client, draft):
    response = teacher_client.post(page_url(draft, "6"), {"go": "next"})
    assert response.url == f"/vragenlijst/{draft.pk}/overzicht/"


def test_unanswered_questions_may_stay_open(teacher_client, draft):
    first = items_of("1")[0]
    response = teacher_client.post(page_url(draft, "1"), {f"item-{first.pk}": "3", "go": "next"})
    assert response.status_code == 302
    assert answered(draft) == {first.code: 3}


def test_a_changed_answer_overwrites_the_earlier_one(teacher_client, draft):
    teacher_client.post(page_url(draft, "1"), {**page_answers("1", 2), "go": "next"})
    teacher_client.post(page_url(draft, "1"), {**page_answers("1", 5), "go": "next"})
    assert answered(draft) == {item.code: 5 for item in items_of("1")}
    assert Answer.objects.filter(response=draft).count() == len(items_of("1"))


def test_an_invalid_answer_is_marked_and_the_other_answers_are_saved(teacher_client, draft):
    bad, good, *others = items_of("1")
    data = {f"item-{bad.pk}": "9", f"item-{good.pk}": "4", "go": "next"}
    response = teacher_client.post(page_url(draft, "1"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        f'<fieldset class="item has-error" id="item-{bad.pk}" '
        f'aria-describedby="item-{bad.pk}-error">' in html
    )
    assert f'<a href="#item-{bad.pk}">' in html
    assert f'<fieldset class="item" id="item-{good.pk}">' in html
    assert html.count('class="item has-error"') == 1
    text = page_text(response)
    assert nl("Some answers could not be saved. Check these questions:") in text
    assert nl("Choose one of the answers.") in text
    assert answered(draft) == {good.code: 4}
    assert f'id="item-{good.pk}-4" value="4" data-item="{good.pk}" checked' in html


def test_an_answer_that_is_not_a_number_is_marked(teacher_client, draft):
    bad = items_of("2")[0]
    response = teacher_client.post(page_url(draft, "2"), {f"item-{bad.pk}": "B2", "go": "next"})
    assert response.status_code == 400
    assert f'id="item-{bad.pk}"' in response.content.decode()
    assert not draft.answers.exists()


def test_answers_for_questions_of_another_part_are_ignored(teacher_client, draft):
    elsewhere = items_of("4")[0]
    teacher_client.post(page_url(draft, "1"), {f"item-{elsewhere.pk}": "3", "go": "next"})
    assert not draft.answers.exists()


def test_showing_a_page_takes_a_fixed_number_of_queries(
    teacher_client, draft, django_assert_num_queries
):
    answer_all(draft)
    teacher_client.get(page_url(draft, "1"))
    # session, user, response, 4 for the question bank, remember the part, answers
    with django_assert_num_queries(9):
        assert teacher_client.get(page_url(draft, "2")).status_code == 200
    with django_assert_num_queries(8):  # the part is remembered already
        assert teacher_client.get(page_url(draft, "2")).status_code == 200


@pytest.mark.parametrize(("go", "lands_on"), [("area:4", "/deel/4/"), ("review", "/overzicht/")])
def test_the_part_navigation_saves_the_page_before_leaving_it(teacher_client, draft, go, lands_on):
    """Without JavaScript the part buttons must not throw away the choices on the page."""
    item = Item.objects.filter(competence__area__framework=draft.framework).order_by("position")[0]
    answer = teacher_client.post(page_url(draft, "1"), {f"item-{item.pk}": "5", "go": go})
    assert answer.status_code == 302 and answer["Location"].endswith(lands_on)
    assert draft.answers.get(item=item).level == 5


def test_an_unknown_part_in_the_navigation_falls_back_to_the_overview(teacher_client, draft):
    answer = teacher_client.post(page_url(draft, "1"), {"go": "area:99"})
    assert answer["Location"].endswith("/overzicht/")


@pytest.mark.parametrize(
    ("chosen", "lands_on"),
    [
        ("area:3", "/deel/3/"),
        ("review", "/overzicht/"),
        ("area:99", "/overzicht/"),
        ("", "/overzicht/"),
    ],
)
def test_the_compact_part_list_of_a_phone_saves_and_goes_to_the_part_chosen(
    teacher_client, draft, chosen, lands_on
):
    """On a phone the parts are a list and one button (name=go value=part), without JavaScript."""
    item = items_of("1")[0]
    answer = teacher_client.post(
        page_url(draft, "1"), {f"item-{item.pk}": "4", "go": "part", "go_part": chosen}
    )
    assert answer.status_code == 302 and answer["Location"].endswith(lands_on)
    assert draft.answers.get(item=item).level == 4


def test_the_compact_part_list_offers_every_part_with_the_current_one_chosen(teacher_client, draft):
    html = teacher_client.get(page_url(draft, "2")).content.decode()
    assert '<select id="go-part" name="go_part">' in html
    assert '<option value="area:2" selected>' in html
    assert html.count('<option value="area:') == 6
    assert '<option value="review">' in html
    assert '<button type="submit" name="go" value="part"' in html


def test_each_question_has_its_own_status_region_for_the_autosave(teacher_client, draft):
    html = teacher_client.get(page_url(draft, "1")).content.decode()
    for item in items_of("1"):
        assert f'<p class="item-state" id="item-{item.pk}-state" role="status"></p>' in html


# One service call, one lock, one upsert per page


def answer_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "questionnaires_answer"')]


def round_locks(queries) -> list[str]:
    return [q["sql"] for q in queries if "FOR NO KEY UPDATE" in q["sql"]]


@pytest.mark.parametrize("count", [1, 5])
def test_saving_a_page_writes_its_answers_in_one_statement_under_one_lock(
    teacher_client, draft, count
):
    answers = dict(list(page_answers("1", 4).items())[:count])
    with CaptureQueriesContext(connection) as queries:
        response = teacher_client.post(page_url(draft, "1"), {**answers, "go": "next"})
    assert response.status_code == 302
    assert len(answered(draft)) == count
    assert len(answer_statements(queries)) == 1
    if connection.features.has_select_for_no_key_update:  # SQLite locks the whole database
        assert len(round_locks(queries)) == 1


def test_the_service_saves_all_or_nothing(draft, framework_file):
    other, _created = framework_load(path=framework_file(MINI_FRAMEWORK), make_current=False)
    foreign = Item.objects.get(competence__area__framework=other)
    own = items_of("1")[0]
    with pytest.raises(ValidationError):
        answers_save(response=draft, levels={own.pk: Level.B1, foreign.pk: Level.B1})
    with pytest.raises(ValidationError):
        answers_save(response=draft, levels={own.pk: Level.B1, items_of("1")[1].pk: 9})
    assert not draft.answers.exists()


def test_the_service_keeps_a_submitted_round_as_it_was_scored(submitted):
    item = items_of("1")[0]
    with pytest.raises(ValidationError) as refused:
        answers_save(response=submitted, levels={item.pk: Level.A1})
    assert refused.value.messages == [nl("This questionnaire was already submitted.")]
    assert submitted.answers.get(item=item).level == Level.B2


def test_a_page_saved_after_the_round_was_submitted_elsewhere_opens_the_result(
    teacher_client, draft
):
    """The page was open in another tab while the round was submitted: nothing changes."""
    answer_all(draft, level=Level.B1)
    response_submit(response=draft)
    item = items_of("1")[0]
    response = teacher_client.post(page_url(draft, "1"), {f"item-{item.pk}": "6", "go": "next"})
    assert response.status_code == 302
    assert response.url == f"/resultaat/{draft.pk}/"
    assert draft.answers.get(item=item).level == Level.B1
