"""The result page keeps its rendered body in the shared cache: what changes after submitting
(the teacher's marks, the catalogue) shows at once, and no one gets someone else's page."""

import re

import pytest
from django.test import Client

from digisnap.learning.importers import TrainingRow
from digisnap.learning.models import SuggestionMark
from digisnap.learning.services import catalogue_apply
from digisnap.questionnaires.services import response_start
from tests.conftest import nl
from tests.test_learning_routes import make_training, submit_with


@pytest.fixture
def result(draft):
    """A round with 2.1 at A2 (a first step with trainings), the rest B1."""
    return submit_with(draft, {"2.1": 2})


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(client, response) -> str:
    answer = client.get(f"/resultaat/{response.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


def row(external_id: str, title: str) -> TrainingRow:
    return TrainingRow(
        row=1,
        external_id=external_id,
        title=title,
        provider="Aanbieder",
        url=f"https://example.org/{external_id}",
        description="",
        competences=frozenset({"2.1"}),
        level_from=2,
        level_to=4,
        format="online",
        duration_minutes=60,
        language="nl",
        cost_eur=None,
    )


def test_a_second_view_is_the_same_page(teacher_client, result):
    make_training(["2.1"], 2, 4, title="Bronnen zoeken")
    first = page(teacher_client, result)
    assert "Bronnen zoeken" in first
    assert TOKEN.sub("", page(teacher_client, result)) == TOKEN.sub("", first)


def test_marking_a_training_shows_at_once(teacher, teacher_client, result):
    training = make_training(["2.1"], 2, 4, title="Bronnen zoeken")
    assert 'aria-pressed="true"' not in page(teacher_client, result)
    mark = f"/leersuggesties/{training.pk}/"
    teacher_client.post(mark, {"status": "planned", "competence_code": "2.1"})
    html = page(teacher_client, result)
    assert html.count('aria-pressed="true"') == 1
    assert nl("Your plans") in html
    teacher_client.post(mark, {"status": "done", "competence_code": "2.1"})
    assert 'value="done" class="button-secondary" aria-pressed="true"' in page(
        teacher_client, result
    )
    teacher_client.post(mark, {"status": "clear", "competence_code": "2.1"})
    assert not SuggestionMark.objects.exists()
    html = page(teacher_client, result)
    assert 'aria-pressed="true"' not in html
    assert nl("Your plans") not in html


def test_a_catalogue_import_shows_new_and_changed_trainings_at_once(teacher_client, result):
    assert nl("There is no matching training in the catalogue yet.") in page(teacher_client, result)
    catalogue_apply(source="Test", rows=[row("a", "Bronnen zoeken")], sample=False)
    html = page(teacher_client, result)
    assert "Bronnen zoeken" in html
    assert nl("There is no matching training in the catalogue yet.") not in html
    catalogue_apply(source="Test", rows=[row("a", "Bronnen vinden")], sample=False)
    html = page(teacher_client, result)
    assert "Bronnen vinden" in html and "Bronnen zoeken" not in html
    catalogue_apply(source="Test", rows=[], sample=False)  # gone from the source: deactivated
    html = page(teacher_client, result)
    assert "Bronnen vinden" not in html


def test_another_teacher_never_gets_the_cached_page(
    teacher_client, other_teacher, other_teacher_client, result, digisnap
):
    make_training(["2.1"], 2, 4, title="Bronnen zoeken")
    mine = page(teacher_client, result)
    assert other_teacher_client.get(f"/resultaat/{result.pk}/").status_code == 404
    theirs = submit_with(response_start(user=other_teacher, digisnap=digisnap), {"2.1": 5})
    html = page(other_teacher_client, theirs)
    assert html != mine
    assert f"/resultaat/{theirs.pk}/roos.svg" in html
    assert f"/resultaat/{result.pk}/" not in html


def test_the_other_language_gets_its_own_page(teacher_client, result):
    assert nl("Learning routes") in page(teacher_client, result)
    teacher_client.cookies["django_language"] = "en"
    html = page(teacher_client, result)
    assert "Learning routes" in html
    assert nl("Learning routes") not in html


def test_the_forms_of_a_cached_page_carry_the_token_of_the_request(teacher, result):
    training = make_training(["2.1"], 2, 4)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(teacher)
    page(first, result)  # renders and caches the body
    second.force_login(teacher)
    html = page(second, result)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    answer = second.post(
        f"/leersuggesties/{training.pk}/",
        {"status": "planned", "competence_code": "2.1", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302
    assert SuggestionMark.objects.get(user=teacher, training=training).status == "planned"


def test_a_deploy_that_changes_templates_or_translations_is_not_served_an_old_page(
    teacher_client, result, monkeypatch
):
    """The cache is shared by every app server, old and new: a page cached before a deploy
    must not come back after it."""
    from digisnap.questionnaires import rendering

    monkeypatch.setattr(rendering, "deployed_version", lambda: "before")
    page(teacher_client, result)
    rendered = []
    original = rendering.render_to_string
    monkeypatch.setattr(
        rendering,
        "render_to_string",
        lambda *args, **kwargs: rendered.append(args[0]) or original(*args, **kwargs),
    )
    page(teacher_client, result)
    assert "questionnaires/_result_body.html" not in rendered

    monkeypatch.setattr(rendering, "deployed_version", lambda: "after")
    page(teacher_client, result)
    assert "questionnaires/_result_body.html" in rendered
