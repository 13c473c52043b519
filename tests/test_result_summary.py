"""The top of the result says what to do first: three competences, each with its next step and at
most one training; every training is suggested once; the rose is an image of its own that only
its owner gets and the browser may keep; the previous round shows in the rose and in one line."""

import re

import pytest
from django.utils import formats, timezone, translation

from digisnap.core.templatetags.digisnap import duration
from digisnap.learning.models import SuggestionMark
from digisnap.questionnaires.models import NextStep, Response
from digisnap.questionnaires.services import response_start
from tests.conftest import nl, page_text
from tests.test_learning_routes import make_training, submit_with


def result_url(response: Response) -> str:
    return f"/resultaat/{response.pk}/"


def rose_url(response: Response) -> str:
    return f"/resultaat/{response.pk}/roos.svg"


def summary_html(client, response: Response) -> str:
    html = page_text(client.get(result_url(response)))
    return html.split('aria-labelledby="summary-title"', 1)[1].split("</section>", 1)[0]


def focus_items(client, response: Response) -> list[str]:
    return re.findall(
        r'<li class="card focus-step">(.*?)</li>', summary_html(client, response), re.S
    )


@pytest.fixture
def round_one(draft) -> Response:
    """2.1 and 4.2 at A1, 1.1 and 6.3 at A2, the rest B2."""
    return submit_with(draft, {"2.1": 1, "4.2": 1, "1.1": 2, "6.3": 2}, default=4)


def next_step_text(code: str, level: int) -> str:
    step = NextStep.objects.filter(competence__code=code, level=level).first()
    return step.text_nl


def test_the_summary_names_three_competences_with_their_next_step(teacher_client, round_one):
    items = focus_items(teacher_client, round_one)

    assert len(items) == 3
    # Lowest level first, one per area before a second of the same area, framework order after.
    codes = [re.search(r"<h3>(\S+) ", item).group(1) for item in items]
    assert codes == ["2.1", "4.2", "1.1"]
    for item, code, aim in zip(items, codes, (2, 2, 3), strict=True):
        assert next_step_text(code, aim) in item


def test_each_competence_of_the_summary_has_at_most_one_training(teacher_client, round_one):
    for number in range(3):
        make_training(["2.1"], 1, 2 + number, title=f"Bronnen {number}")
    make_training(["4.2"], 1, 3, title="Data lezen")

    items = focus_items(teacher_client, round_one)

    assert [item.count("<a href=") for item in items] == [1, 1, 0]
    assert "Bronnen 0" in items[0]  # the most targeted training of 2.1
    assert "Data lezen" in items[1]


def test_a_training_for_two_competences_is_suggested_once_listing_both(teacher_client, round_one):
    shared = make_training(["2.1", "4.2"], 1, 3, title="Gedeelde opleiding")

    html = page_text(teacher_client.get(result_url(round_one)))

    assert html.count(f'id="training-{shared.pk}"') == 1
    card = html.split(f'id="training-{shared.pk}"', 1)[1].split("</li>\n", 1)[0]
    reason = "Suggested for competence %(code)s, from %(from)s to %(to)s."
    for code in ("2.1", "4.2"):
        assert nl(reason) % {"code": code, "from": "A1", "to": "A2"} in card
    # The summary shows it once too: for 2.1, and not again for 4.2.
    assert summary_html(teacher_client, round_one).count("Gedeelde opleiding") == 1


def test_a_training_in_another_language_only_when_none_in_yours_and_labelled(
    teacher_client, round_one
):
    dutch = make_training(["2.1"], 1, 3, title="Nederlandstalig")
    english_too = make_training(["2.1"], 1, 2, language="en", title="Also English")
    english_only = make_training(["4.2"], 1, 3, language="en", title="Reading data")

    html = page_text(teacher_client.get(result_url(round_one)))

    assert f'id="training-{dutch.pk}"' in html
    assert f'id="training-{english_too.pk}"' not in html  # 2.1 has one in Dutch
    card = html.split(f'id="training-{english_only.pk}"', 1)[1].split("</li>\n", 1)[0]
    with translation.override("nl"):
        label = nl("in %(language)s") % {"language": translation.gettext("English")}
    assert label in card
    assert f'lang="en">{english_only.title}</a>' in card


def test_durations_read_as_hours_and_minutes_in_dutch():
    with translation.override("nl"):
        assert duration(720) == nl("%(hours)d h") % {"hours": 12}
        assert duration(90) == nl("%(hours)d h %(minutes)d min") % {"hours": 1, "minutes": 30}
        assert duration(45) == nl("%(minutes)d min") % {"minutes": 45}
        assert duration(None) == ""


def test_durations_read_as_hours_and_minutes_in_english():
    with translation.override("en"):
        assert [duration(m) for m in (720, 90, 45, 60, 0)] == [
            "12 h",
            "1 h 30 min",
            "45 min",
            "1 h",
            "0 min",
        ]


def test_a_training_card_shows_its_duration_in_hours(teacher_client, round_one):
    make_training(["2.1"], 1, 3, title="Lange opleiding")
    from digisnap.learning.models import Training

    Training.objects.filter(title="Lange opleiding").update(duration_minutes=720)

    html = page_text(teacher_client.get(result_url(round_one)))

    with translation.override("nl"):
        assert nl("%(hours)d h") % {"hours": 12} in html
    assert "720" not in html


def test_the_full_routes_and_suggestions_are_folded_away(teacher_client, round_one):
    make_training(["2.1"], 1, 3)
    html = teacher_client.get(result_url(round_one)).content.decode()
    routes = html.split('id="leerroutes"', 1)[1]
    assert routes.index('<details class="result-details">') < routes.index('<ol class="route">')
    suggestions = html.split('id="leersuggesties"', 1)[1]
    assert suggestions.index("<details") < suggestions.index('class="card suggestion"')


def test_the_suggestions_stay_open_once_the_teacher_has_plans(teacher, teacher_client, round_one):
    training = make_training(["2.1"], 1, 3)
    SuggestionMark.objects.create(
        user=teacher, training=training, competence_code="2.1", status="planned"
    )
    html = teacher_client.get(result_url(round_one)).content.decode()
    assert '<details class="result-details" open>' in html.split('id="leersuggesties"', 1)[1]


# The rose as an image of its own


def test_the_owner_gets_the_rose_and_may_keep_it_privately(teacher_client, round_one):
    answer = teacher_client.get(rose_url(round_one))

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("image/svg+xml")
    assert answer.content.startswith(b"<svg")
    directives = {part.strip() for part in answer["Cache-Control"].split(",")}
    assert "private" in directives and "no-store" not in directives and "public" not in directives
    assert any(part.startswith("max-age=") for part in directives)
    assert answer["ETag"] and answer["Last-Modified"]


def test_the_browser_revalidates_the_rose_without_a_new_drawing(
    teacher_client, round_one, django_assert_max_num_queries
):
    first = teacher_client.get(rose_url(round_one))
    # session, user and the round: the answer comes before any result is read
    with django_assert_max_num_queries(3):
        again = teacher_client.get(rose_url(round_one), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("persona", ["other_teacher_client", "director_client", "staff_client"])
def test_nobody_else_gets_the_rose(request, round_one, persona):
    client = request.getfixturevalue(persona)
    assert client.get(rose_url(round_one)).status_code == 404


def test_anonymous_is_sent_to_sign_in_for_the_rose(anonymous_client, round_one):
    answer = anonymous_client.get(rose_url(round_one))
    assert answer.status_code == 302
    assert answer.url == f"/accounts/login/?next={rose_url(round_one)}"


def test_a_round_in_progress_has_no_rose(teacher_client, draft):
    assert teacher_client.get(rose_url(draft)).status_code == 404


def test_the_result_page_no_longer_carries_the_drawing(teacher_client, round_one):
    html = teacher_client.get(result_url(round_one)).content.decode()
    assert f'src="{rose_url(round_one)}"' in html
    assert "<path" not in html  # the chart's paths come with the image, not the page


# The previous round


@pytest.fixture
def round_two(teacher, digisnap, round_one) -> Response:
    """A later round: 2.1 up to B1, 6.3 down to A1, 1.1 the same (A2), the rest B2 as before."""
    return submit_with(
        response_start(user=teacher, digisnap=digisnap),
        {"2.1": 3, "4.2": 1, "1.1": 2, "6.3": 1},
        default=4,
    )


def test_a_first_round_has_no_previous_outline(teacher_client, round_one):
    svg = teacher_client.get(rose_url(round_one)).content.decode()
    assert 'id="previous-round-' not in svg


def test_the_rose_outlines_the_previous_round(teacher_client, round_two):
    svg = teacher_client.get(rose_url(round_two)).content.decode()
    assert len(re.findall(r'id="previous-round-\d+"', svg)) == 22  # one arc per competence


def test_the_result_says_in_one_line_what_changed(teacher_client, round_one, round_two):
    html = page_text(teacher_client.get(result_url(round_two)))
    with translation.override("nl"):
        date = formats.date_format(timezone.localtime(round_one.submitted_at), "j F Y")
        line = translation.ngettext(
            "Since your previous round of %(date)s: higher in %(higher)s, lower in %(lower)s, "
            "the same in %(same)s of %(total)s competence.",
            "Since your previous round of %(date)s: higher in %(higher)s, lower in %(lower)s, "
            "the same in %(same)s of %(total)s competences.",
            22,
        ) % {"date": date, "higher": 1, "lower": 1, "same": 20, "total": 22}
        legend = translation.gettext("Dark line: your level in your previous round (%(date)s)") % {
            "date": date
        }
    assert line in html
    assert legend in html
