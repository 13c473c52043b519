"""The personal result page and its PDF: levels, bands, strengths, the rose and its data tables."""

import re

import pytest
from django.utils import timezone, translation

from digisnap.core.levels import Band, Level
from digisnap.questionnaires.models import Item, Response
from digisnap.questionnaires.services import answers_save, response_submit
from tests.conftest import answer_all, nl, page_text


@pytest.fixture
def varied(draft) -> Response:
    """B1 everywhere, C2 for 2.2 «Digitale bronnen maken», A1 for 5.1."""
    answer_all(draft, level=Level.B1)
    for item in Item.objects.filter(competence__code="2.2"):
        answers_save(response=draft, levels={item.pk: Level.C2})
    for item in Item.objects.filter(competence__code="5.1"):
        answers_save(response=draft, levels={item.pk: Level.A1})
    return response_submit(response=draft)


def result_url(response: Response) -> str:
    return f"/resultaat/{response.pk}/"


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def competence_row(html: str, code: str) -> str:
    """The table row of one competence, tags stripped: e.g. '2.2 Title C2 C expert'."""
    row = re.search(rf'<tr>\s*<th scope="row">{re.escape(code)} .*?</tr>', html, re.DOTALL)
    assert row, code
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def band_label(band: Band) -> str:
    with translation.override("nl"):
        return str(band.label)


def test_the_owner_sees_a_level_and_band_per_competence(teacher_client, varied):
    response = teacher_client.get(result_url(varied))
    assert response.status_code == 200
    html = page_text(response)
    assert competence_row(html, "2.2").endswith(f"C2 C {band_label(Band.C)}")
    assert competence_row(html, "5.1").endswith(f"A1 A {band_label(Band.A)}")
    assert competence_row(html, "3.1").endswith(f"B1 B {band_label(Band.B)}")


def test_the_result_has_a_table_per_area_and_one_over_the_areas(teacher_client, varied):
    html = teacher_client.get(result_url(varied)).content.decode()
    assert html.count("<table>") == 7
    assert html.count('<th scope="row">') == 6 + 22


def test_the_summary_names_the_strongest_competences_in_one_line(teacher_client, varied):
    text = page_text(teacher_client.get(result_url(varied)))
    line = between(text, nl("Your strongest competences"), "</p>")
    title_22 = varied.competence_results.get(competence__code="2.2").competence.title_nl
    assert line.split(":</strong>", 1)[1].split()[0:1] == ["2.2"]
    assert f"2.2 {title_22} (C2)" in line
    assert "5.1 " not in line


def test_the_result_shows_the_rose_as_an_image_of_its_own_with_an_explanation(
    teacher_client, varied
):
    response = teacher_client.get(result_url(varied))
    html = page_text(response)
    assert "<svg" not in html.split('class="legend', 1)[0]  # no inline chart before the legend
    image = re.search(r'<img src="([^"]+)" alt="([^"]+)" class="rose-image"', html)
    assert image and image.group(1) == f"/resultaat/{varied.pk}/roos.svg"
    assert image.group(2) == nl("Your competence rose")
    caption = "Competence rose: your level per competence. The tables below hold the same data per competence."
    assert nl(caption) in html


def test_a_first_round_shows_no_comparison(teacher_client, varied):
    text = page_text(teacher_client.get(result_url(varied)))
    assert nl("Change") not in re.findall(r'<th scope="col">([^<]*)</th>', text)


def test_the_result_page_takes_a_fixed_number_of_queries(
    teacher_client, varied, django_assert_num_queries
):
    # session, user, response, the version of the learning section (marks, catalogue), then
    # competence results, area results, previous round; the learning section reuses the
    # competence results: next steps, matching trainings, the teacher's marks
    with django_assert_num_queries(10):
        assert teacher_client.get(result_url(varied)).status_code == 200
    # Seen again, the body comes from the cache: session, user, response, version
    with django_assert_num_queries(4):
        assert teacher_client.get(result_url(varied)).status_code == 200


def test_the_pdf_downloads_as_an_attachment(teacher_client, varied):
    response = teacher_client.get(f"{result_url(varied)}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # The date as in Belgium: just after midnight there it is already the next day.
    filename = f"digisnap-resultaat-{timezone.localtime(varied.submitted_at):%Y-%m-%d}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF")


def test_the_result_page_links_to_the_pdf(teacher_client, varied):
    html = teacher_client.get(result_url(varied)).content.decode()
    assert f'href="/resultaat/{varied.pk}/pdf/" download' in html


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_it_rejects_another_teacher(other_teacher_client, varied, suffix):
    assert other_teacher_client.get(f"{result_url(varied)}{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_anonymous_is_sent_to_sign_in(anonymous_client, varied, suffix):
    url = f"{result_url(varied)}{suffix}"
    response = anonymous_client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_a_round_in_progress_has_no_result_yet(teacher_client, draft, suffix):
    answer_all(draft)
    assert teacher_client.get(f"{result_url(draft)}{suffix}").status_code == 404


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_no_shared_cache_or_browser_keeps_a_result(teacher_client, varied, suffix):
    """On a shared school computer the next user cannot page back to it, nor can a proxy."""
    response = teacher_client.get(f"{result_url(varied)}{suffix}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)
    assert "public" not in cache_directives(response)


@pytest.mark.parametrize("page", ["deel/1/", "overzicht/"])
def test_no_shared_cache_or_browser_keeps_a_questionnaire_page(teacher_client, draft, page):
    response = teacher_client.get(f"/vragenlijst/{draft.pk}/{page}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)
