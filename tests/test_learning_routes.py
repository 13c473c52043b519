"""Learning routes and training suggestions on a teacher's result (matching rules, queries)."""

import pytest
from django.utils import timezone

from digisnap.learning.models import SuggestionMark, Training, TrainingCompetence
from digisnap.learning.selectors import competence_needs, learning_routes, matching_trainings
from digisnap.questionnaires.models import CompetenceResult, Item, Response
from digisnap.questionnaires.services import answers_save, response_start, response_submit

_counter = iter(range(1, 10**6))


def make_training(
    codes, level_from, level_to, *, language="nl", active=True, title=None, source="Test"
):
    number = next(_counter)
    training = Training.objects.create(
        source=source,
        external_id=f"t-{number}",
        title=title or f"Opleiding {number:05d}",
        provider="Testaanbieder",
        url=f"https://example.org/t/{number}",
        level_from=level_from,
        level_to=level_to,
        format=Training.Format.ONLINE,
        language=language,
        state=Training.State.ACTIVE if active else Training.State.STAFF,
        deactivated_at=None if active else timezone.now(),
    )
    TrainingCompetence.objects.bulk_create(
        TrainingCompetence(training=training, competence_code=code) for code in codes
    )
    return training


def submit_with(response: Response, levels_by_competence: dict[str, int], default: int = 3):
    for item in Item.objects.filter(
        competence__area__framework_id=response.framework_id
    ).select_related("competence"):
        level = levels_by_competence.get(item.competence.code, default)
        answers_save(response=response, levels={item.pk: level})
    return response_submit(response=response)


def route_step(routes, code):
    return next(s for r in routes for s in r.steps if s.competence.code == code)


@pytest.fixture
def result(draft):
    """A round with 2.1 at A2, 3.2 at A1 via «ik ken dit niet», 6.5 at C2, the rest B1."""
    return submit_with(draft, {"2.1": 2, "3.2": 0, "6.5": 6})


def test_a_competence_aims_for_the_next_level(result):
    step = route_step(learning_routes(response=result, language="nl"), "2.1")
    assert (step.result.level, step.next_level) == (2, 3)


def test_ik_ken_dit_niet_starts_the_route_at_a1_aiming_for_a2(result):
    step = route_step(learning_routes(response=result, language="nl"), "3.2")
    assert step.result.level == 1
    assert step.next_level == 2
    assert (
        step.result.unknown_items
        == CompetenceResult.objects.get(response=result, competence__code="3.2").unknown_items
        > 0
    )


def test_c2_has_no_next_level_and_no_suggestions(result):
    make_training(["6.5"], 5, 6)
    step = route_step(learning_routes(response=result, language="nl"), "6.5")
    assert step.next_level is None
    assert step.suggestions == []


def test_lowest_level_comes_first_within_an_area_then_framework_order(draft):
    response = submit_with(draft, {"3.4": 1, "3.2": 1, "3.1": 4})
    routes = learning_routes(response=response, language="nl")
    area3 = next(r for r in routes if r.area.code == "3")
    assert [s.competence.code for s in area3.steps] == ["3.2", "3.4", "3.3", "3.1"]
    assert [s.first for s in area3.steps] == [True, True, False, False]


def test_everything_at_c2_gives_no_next_steps_at_all(draft):
    response = submit_with(draft, {}, default=6)
    routes = learning_routes(response=response, language="nl")
    assert all(s.next_level is None and not s.first for r in routes for s in r.steps)


def test_only_trainings_whose_band_covers_the_next_level_match(result):
    covering = make_training(["2.1"], 2, 4)
    make_training(["2.1"], 4, 6)  # too high
    make_training(["2.1"], 1, 2)  # too low: ends at A2, the teacher aims for B1
    make_training(["2.2"], 1, 6)  # another competence
    step = route_step(learning_routes(response=result, language="nl"), "2.1")
    assert [s.training for s in step.suggestions] == [covering]
    assert (step.suggestions[0].from_label, step.suggestions[0].to_label) == ("A2", "B1")


def test_no_matching_training_gives_no_suggestions(result):
    step = route_step(learning_routes(response=result, language="nl"), "2.1")
    assert step.suggestions == []


def test_inactive_trainings_are_never_suggested(result):
    make_training(["2.1"], 1, 6, active=False)
    assert matching_trainings(needs={"2.1": 3}, language="nl") == {"2.1": []}


def test_at_most_three_preferring_the_teachers_language_then_the_narrowest_band(db):
    wide_nl = make_training(["2.1"], 1, 6, title="A breed")
    narrow_en = make_training(["2.1"], 3, 3, language="en", title="B smal Engels")
    narrow_nl = make_training(["2.1"], 3, 4, title="C smal")
    mid_nl = make_training(["2.1"], 2, 5, title="D middel")
    found = matching_trainings(needs={"2.1": 3}, language="nl")["2.1"]
    assert found == [narrow_nl, mid_nl, wide_nl]
    found_en = matching_trainings(needs={"2.1": 3}, language="en")["2.1"]
    assert found_en[0] == narrow_en


@pytest.mark.parametrize("catalogue_size", [60, 6000])
def test_routes_take_the_same_queries_however_large_the_catalogue(
    result, catalogue_size, django_assert_num_queries
):
    codes = list(
        CompetenceResult.objects.filter(response=result).values_list("competence__code", flat=True)
    )
    trainings = Training.objects.bulk_create(
        Training(
            source="Bulk",
            external_id=f"b-{n}",
            title=f"Bulk {n}",
            provider="Bulk",
            url=f"https://example.org/b/{n}",
            level_from=1 + n % 3,
            level_to=4 + n % 3,
            format=Training.Format.ONLINE,
            language="nl" if n % 4 else "en",
        )
        for n in range(catalogue_size)
    )
    TrainingCompetence.objects.bulk_create(
        TrainingCompetence(training=t, competence_code=codes[n % len(codes)])
        for n, t in enumerate(trainings)
    )
    with django_assert_num_queries(4):
        routes = learning_routes(response=result, language="nl")
    assert sum(len(s.suggestions) for r in routes for s in r.steps) > 0


def test_result_page_shows_routes_and_suggestions_with_the_reason(teacher_client, result):
    training = make_training(["2.1"], 2, 4, title="Bronnen zoeken met KlasCement")
    page = teacher_client.get(f"/resultaat/{result.pk}/")
    html = page.content.decode()
    assert 'id="leerroutes"' in html and 'id="leersuggesties"' in html
    assert training.title in html
    assert "2.1" in html and "A2" in html and "B1" in html


@pytest.mark.parametrize("catalogue_size", [60, 6000])
def test_result_page_with_suggestions_takes_the_same_queries_with_60_or_6000_trainings(
    teacher_client, result, catalogue_size, django_assert_num_queries
):
    codes = list(
        CompetenceResult.objects.filter(response=result).values_list("competence__code", flat=True)
    )
    trainings = Training.objects.bulk_create(
        Training(
            source="Bulk",
            external_id=f"b-{n}",
            title=f"Bulk {n}",
            provider="Bulk",
            url=f"https://example.org/b/{n}",
            level_from=1,
            level_to=6,
            format=Training.Format.ONLINE,
            language="nl",
        )
        for n in range(catalogue_size)
    )
    TrainingCompetence.objects.bulk_create(
        TrainingCompetence(training=t, competence_code=codes[n % len(codes)])
        for n, t in enumerate(trainings)
    )
    # The first view renders the body (a later one takes it from the cache): session, user,
    # response, the learning section's version, competence results, area results, previous
    # round; the learning section reuses the competence results: next steps, matching
    # trainings, the teacher's marks
    with django_assert_num_queries(10):
        page = teacher_client.get(f"/resultaat/{result.pk}/")
    assert page.content.decode().count('class="card suggestion"') > 0


def test_pdf_holds_the_routes_and_the_links_but_no_buttons(teacher_client, result):
    from digisnap.questionnaires.rendering import result_context

    make_training(["2.1"], 2, 4, title="Bronnen zoeken")
    context = result_context(response=result, for_pdf=True)
    (section,) = context["sections"]
    assert section["for_pdf"] is True
    pdf = teacher_client.get(f"/resultaat/{result.pk}/pdf/")
    assert pdf.content.startswith(b"%PDF")


def test_a_teacher_marks_a_suggestion_as_planned_then_done_then_clears_it(
    teacher, teacher_client, result
):
    training = make_training(["2.1"], 2, 4)
    url = f"/leersuggesties/{training.pk}/"
    back = f"/resultaat/{result.pk}/#training-{training.pk}"
    answer = teacher_client.post(url, {"status": "planned", "competence_code": "2.1", "next": back})
    assert answer.status_code == 302 and answer["Location"] == back
    assert SuggestionMark.objects.get(user=teacher, training=training).status == "planned"
    teacher_client.post(url, {"status": "done", "competence_code": "2.1", "next": back})
    assert SuggestionMark.objects.get(user=teacher, training=training).status == "done"
    teacher_client.post(url, {"status": "clear", "competence_code": "2.1", "next": back})
    assert not SuggestionMark.objects.exists()


def test_a_mark_shows_on_a_later_round(teacher, teacher_client, result, digisnap):
    training = make_training(["2.1"], 2, 4, title="Bronnen zoeken")
    teacher_client.post(
        f"/leersuggesties/{training.pk}/", {"status": "planned", "competence_code": "2.1"}
    )
    later = submit_with(response_start(user=teacher, digisnap=digisnap), {"2.1": 2})
    html = teacher_client.get(f"/resultaat/{later.pk}/").content.decode()
    assert 'aria-pressed="true"' in html
    assert "Bronnen zoeken" in html


def test_marking_refuses_anonymous_and_a_get(anonymous_client, teacher_client, db):
    training = make_training(["2.1"], 2, 4)
    url = f"/leersuggesties/{training.pk}/"
    assert (
        anonymous_client.post(url, {"status": "planned", "competence_code": "2.1"}).status_code
        == 302
    )
    assert not SuggestionMark.objects.exists()
    assert teacher_client.get(url).status_code == 405


def test_marking_a_bad_status_or_an_unknown_training_changes_nothing(teacher_client, db):
    training = make_training(["2.1"], 2, 4)
    teacher_client.post(
        f"/leersuggesties/{training.pk}/", {"status": "maybe", "competence_code": "2.1"}
    )
    assert not SuggestionMark.objects.exists()
    assert teacher_client.post("/leersuggesties/999999/", {"status": "done"}).status_code == 404


def test_marking_never_redirects_to_another_site(teacher_client, db):
    training = make_training(["2.1"], 2, 4)
    answer = teacher_client.post(
        f"/leersuggesties/{training.pk}/",
        {"status": "done", "competence_code": "2.1", "next": "https://evil.example/"},
    )
    assert answer["Location"] == "/"


def test_marks_are_private_to_the_teacher(other_teacher, other_teacher_client, teacher, result):
    training = make_training(["2.1"], 2, 4)
    SuggestionMark.objects.create(
        user=teacher, training=training, competence_code="2.1", status="done"
    )
    assert other_teacher_client.get(f"/resultaat/{result.pk}/").status_code == 404
    routes = learning_routes(response=result, language="nl")
    assert route_step(routes, "2.1").suggestions[0].mark == "done"


def test_needs_of_a_group_are_aggregated_in_the_database(
    framework, digisnap, teacher, other_teacher, django_assert_num_queries
):
    first = submit_with(response_start(user=teacher, digisnap=digisnap), {"4.2": 1, "2.1": 2})
    second = submit_with(
        response_start(user=other_teacher, digisnap=digisnap), {"4.2": 2, "2.1": 3}
    )
    make_training(["4.2"], 1, 3, title="Data lezen")
    responses = Response.objects.filter(pk__in=[first.pk, second.pk])
    # the aggregate, the trainings, the current framework and its competence titles
    with django_assert_num_queries(4):
        needs = competence_needs(responses=responses, language="nl", limit=2)
    assert [n.code for n in needs] == ["4.2", "2.1"]
    assert needs[0].respondents == 2 and needs[0].beginners == 2
    assert str(needs[0].average) == "1.50"
    assert [t.title for t in needs[0].trainings] == ["Data lezen"]


def test_each_step_has_its_volgende_stap_text_for_the_next_level(result):
    step = route_step(learning_routes(response=result, language="nl"), "2.1")
    assert step.next_step is not None
    assert step.next_step.level == 3
    assert step.next_step.competence.code == "2.1"


def test_a_round_on_an_older_version_borrows_the_next_steps_of_the_newest(teacher, digisnap):
    from digisnap.questionnaires.loader import BUNDLED_DIR
    from digisnap.questionnaires.services import framework_load

    newest, _ = framework_load(path=BUNDLED_DIR / "digisnap-2026.2.yaml")
    older, _ = framework_load(path=BUNDLED_DIR / "digisnap-2026.1.yaml", make_current=True)
    response = submit_with(response_start(user=teacher, digisnap=digisnap), {"2.1": 2})
    assert response.framework == older
    step = route_step(learning_routes(response=response, language="nl"), "2.1")
    assert step.next_step.competence.area.framework_id == newest.pk
