"""The PDF of a personal result: at most four A4 pages for the demo teacher (with the sample
catalogue), the rose and its legend on one page, no heading or caption alone at a page foot,
and emoji dropped rather than printed as blank boxes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from digisnap.learning.models import SuggestionMark, Training
from digisnap.questionnaires.models import Item, Response
from digisnap.questionnaires.rendering import result_pdf_bytes, result_pdf_document
from digisnap.questionnaires.services import answers_save, response_start, response_submit
from tests.conftest import nl
from tests.test_learning_routes import make_training

BASE_URL = "http://testserver/"
SAMPLE_CATALOGUE = "digisnap/learning/catalogue/sample-catalogue.json"
MAX_PAGES = 4


@pytest.fixture
def demo_teacher_round(db) -> Response:
    call_command("demo_data", verbosity=0)
    call_command("import_catalogue", SAMPLE_CATALOGUE, verbosity=0)
    return Response.objects.get(
        user__email="leerkracht@digisnap.example", status=Response.Status.SUBMITTED
    )


@pytest.fixture
def demo_teacher_second_round(demo_teacher_round) -> Response:
    """The demo's «start a new round»: everything one level higher, and two plans made."""
    response = response_start(user=demo_teacher_round.user, digisnap=demo_teacher_round.digisnap)
    before = dict(demo_teacher_round.answers.values_list("item__code", "level"))
    for item in Item.objects.filter(competence__area__framework_id=response.framework_id):
        answers_save(response=response, levels={item.pk: min(before.get(item.code, 2) + 1, 6)})
    for training in Training.objects.filter(language="nl")[:2]:
        SuggestionMark.objects.create(
            user=response.user, training=training, competence_code="2.1", status="planned"
        )
    return response_submit(response=response)


def pdf_pages(response: Response) -> list[str]:
    with translation.override("nl"):
        pdf = result_pdf_bytes(response=response, base_url=BASE_URL)
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def page_of(document, css_class: str) -> int:
    """The number (0-based) of the page where the element with `css_class` starts."""
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = box.element
            if element is not None and css_class in (element.get("class") or "").split():
                return number
    raise AssertionError(f"no {css_class!r} in the PDF")


@pytest.mark.parametrize("which", ["demo_teacher_round", "demo_teacher_second_round"])
def test_the_demo_teachers_pdf_has_at_most_four_pages(request, which):
    pages = pdf_pages(request.getfixturevalue(which))
    assert len(pages) <= MAX_PAGES, [text[:80] for text in pages]
    text = "\n".join(pages)
    assert nl("Your competence rose") in text
    assert nl("Learning routes") in text


@pytest.mark.parametrize("which", ["demo_teacher_round", "demo_teacher_second_round"])
def test_the_rose_and_its_legend_share_a_page(request, which):
    response = request.getfixturevalue(which)
    with translation.override("nl"):
        document = result_pdf_document(response=response, base_url=BASE_URL)
    rose = page_of(document, "rose-image")
    assert page_of(document, "legend") == rose
    pages = pdf_pages(response)
    last_area = response.area_results.order_by("-area__position").first().area.title_nl
    assert nl("Colours of the areas") not in pages[rose]  # a label, not printed text
    assert last_area in pages[rose] and nl("Your competence rose") in pages[rose]


def test_no_heading_or_caption_ends_a_page(demo_teacher_second_round):
    with translation.override("nl"):
        document = result_pdf_document(response=demo_teacher_second_round, base_url=BASE_URL)
    for number, page in enumerate(document.pages[:-1]):
        blocks = [
            box
            for box in page._page_box.descendants()
            if box.element is not None
            and box.element.tag in ("h2", "h3", "caption", "figcaption", "p", "tr", "li")
            and type(box).__name__ in ("BlockBox", "TableRowBox", "TableCaptionBox")
        ]
        last = max(blocks, key=lambda box: box.position_y + box.height)
        assert last.element.tag not in ("h2", "h3", "caption"), (number, last.element.tag)


def test_emoji_print_as_nothing_rather_than_blank_boxes(submitted):
    submitted.digisnap.name = "Studiedag 🚀 digitaal"
    submitted.digisnap.save()
    make_training(["1.1", "2.1"], 1, 5, title="Leren met AI 🤖✨ in de klas")

    text = "\n".join(pdf_pages(submitted))

    assert "Studiedag digitaal" in text
    assert "Leren met AI in de klas" in text
    assert not any(ord(character) >= 0x1F000 or character == "✨" for character in text)


def test_the_pdf_has_a_line_per_competence_with_level_band_and_change(demo_teacher_second_round):
    """In the PDF each competence is one line (not a table row): code, title, level, band and
    the change since the previous round."""
    response = demo_teacher_second_round
    with translation.override("nl"):
        document = result_pdf_document(response=response, base_url=BASE_URL)
    lines = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            element = box.element
            if element is not None and "competence-line" in (element.get("class") or "").split():
                lines[element.text.split(" ", 1)[0]] = "".join(element.itertext())
    results = response.competence_results.select_related("competence")
    assert results.count() == 22
    with translation.override("nl"):
        for result in results:
            line = " ".join(lines[result.competence.code].split())
            assert result.competence.title_nl in line
            expected = f"— {result.get_level_display()} · {result.band.value} {result.band.label}"
            assert expected in line, line
            assert nl("higher") in line or nl("same") in line, line
