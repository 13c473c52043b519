"""The directors' report PDF in production shape: DEBUG off, static files collected under hashed
names by the manifest storage. The PDF is still set in the stylesheets' colours and fonts, and a
report stylesheet that cannot be read stops the job with its reason instead of an unstyled PDF."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from digisnap.core.pdf import pdf_document
from digisnap.questionnaires.synthetic import synthetic_responses
from digisnap.reports import services
from digisnap.reports.aggregates import report_data
from digisnap.reports.document import ReportSpec, report_pages
from digisnap.reports.models import Report, ReportEvent
from digisnap.reports.tasks import report_generate_task
from digisnap.schools.models import Institution, SchoolCommunity
from digisnap.schools.services import digisnap_create
from tests.conftest import nl, page_text
from tests.reports.helpers import ReportWorld, build_world, client_for

BASE_URL = "http://testserver/"
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
BRAND_COLOUR = (0, 0x44, 0x6B)  # .brand-print in print.css
MUTED_COLOUR = (0x4A, 0x4A, 0x55)  # --muted in digisnap.css, .report-kind in report.css
A4_CONTENT_WIDTH_MM = 210 - 14 - 14  # @page margins in print.css
MM_PER_PX = 25.4 / 96
MIN_TITLE_WIDTH_MM = 40  # «2.1 Selecteren van digitale bronnen» in two or three lines
PRINT_TABLE_SIZE = 8 * 96 / 72  # .report-table { font-size: 8pt } in report-print.css, in px
REPORT_STYLESHEETS = (
    "digisnap/digisnap.css",
    "digisnap/print.css",
    "digisnap/report.css",
    "digisnap/report-print.css",
)


@pytest.fixture
def world(framework) -> ReportWorld:
    return build_world(framework, teachers=5)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def collect_for_production(settings, root):
    settings.DEBUG = False
    settings.STATIC_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, tmp_path):
    """DEBUG off, static files collected into a fresh STATIC_ROOT by the manifest storage."""
    return collect_for_production(settings, tmp_path / "static")


def laid_out(world: ReportWorld):
    """The report over a1, a2 and b1 laid out by WeasyPrint, as the job makes its PDF."""
    spec = ReportSpec(
        title="Noord in productie",
        digisnap_ids=(world.a1.pk, world.a2.pk, world.b1.pk),
        include_training=False,
        language="nl",
        generated_at=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC),
    )
    with translation.override("nl"):
        data = report_data(digisnap_ids=spec.digisnap_ids, include_training=False, language="nl")
        _html, page = report_pages(spec=spec, data=data)
        return pdf_document(html=page, base_url=BASE_URL)


def boxes(document):
    for page in document.pages:
        yield from page._page_box.descendants()


def box_with_class(document, css_class: str):
    for box in boxes(document):
        element = box.element
        if element is not None and css_class in (element.get("class") or "").split():
            return box
    raise AssertionError(f"no box with class {css_class!r} in the PDF")


def rgb(colour) -> tuple[int, int, int]:
    red, green, blue = (round(channel * 255) for channel in colour.to("srgb").coordinates)
    return red, green, blue


def queued(world: ReportWorld) -> Report:
    return services.report_request(
        user=world.director,
        digisnap_ids=[world.a1.pk, world.b1.pk],
        title="Productie",
        include_training=False,
        token=uuid.uuid4(),
    )


def test_the_page_links_the_report_stylesheets_by_their_hashed_names(production_static, world):
    spec = ReportSpec(
        title="Noord",
        digisnap_ids=(world.a1.pk,),
        include_training=False,
        language="nl",
        generated_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    data = report_data(digisnap_ids=spec.digisnap_ids, include_training=False, language="nl")
    _html, page = report_pages(spec=spec, data=data)
    for name in REPORT_STYLESHEETS:
        hashed = staticfiles_storage.url(name)
        assert hashed != f"/static/{name}"
        assert f'href="{hashed}"' in page


def test_the_production_report_pdf_is_set_in_the_stylesheets_colours_and_fonts(
    production_static, world
):
    document = laid_out(world)

    brand = box_with_class(document, "brand-print")
    assert rgb(brand.style["color"]) == BRAND_COLOUR  # print.css
    assert brand.style["font_family"][0] == "system-ui"  # digisnap.css
    kind = box_with_class(document, "report-kind")
    assert rgb(kind.style["color"]) == MUTED_COLOUR  # report.css
    assert kind.style["text_transform"] == "uppercase"
    table = box_with_class(document, "report-table")
    assert table.style["font_size"] == pytest.approx(PRINT_TABLE_SIZE)  # report-print.css
    cover = box_with_class(document, "report-cover")
    assert cover.style["break_after"] == "page"  # the cover alone on page 1


def test_the_production_report_pdf_has_as_many_pages_as_the_development_one(
    settings, tmp_path, world
):
    development_pages = len(laid_out(world).pages)
    collect_for_production(settings, tmp_path / "static")

    production = laid_out(world)
    assert len(production.pages) == development_pages > 2


LAYOUT_MISSING = (
    "The report could not be made: the layout files are missing on the server. "
    "The Digisnap team has been told; try again later."
)


@pytest.mark.parametrize("name", ["digisnap/report.css", "digisnap/report-print.css"])
def test_a_missing_report_stylesheet_fails_the_job_with_a_plain_reason(
    production_static, world, name, caplog
):
    (production_static / staticfiles_storage.stored_name(name)).unlink()
    report = queued(world)

    with caplog.at_level("ERROR", logger="digisnap.reports.services"):
        assert report_generate_task.enqueue(report.pk).return_value == Report.Status.FAILED

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    # The director reads a plain reason in their language, nothing technical.
    assert report.error == nl(LAYOUT_MISSING)
    assert "static" not in report.error and "http" not in report.error
    # The log names the missing file under its hashed name, for the team.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"static file {staticfiles_storage.stored_name(name)} is missing" in logged
    assert not (report.pdf or report.xlsx or report.html)
    failed = ReportEvent.objects.get(report=report, action=ReportEvent.Action.FAILED)
    assert failed.outcome == report.error
    # The director reads that it failed, can try again, and gets no download.
    client = client_for(world.director)
    page = page_text(client.get(reverse("reports:report_job", args=[report.pk])))
    assert nl("The report could not be made.") in page
    assert nl(LAYOUT_MISSING) in page
    assert reverse("reports:report_retry", args=[report.pk]) in page
    assert client.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 404


def test_a_report_that_cannot_be_stored_fails_with_a_plain_reason_and_leaves_no_file(
    world, monkeypatch, caplog
):
    storage = Report._meta.get_field("xlsx").storage
    saved: list[str] = []
    original = storage.save

    def save(name, content, **kwargs):
        if name.endswith(".xlsx"):
            raise OSError(28, "No space left on device")
        saved.append(original(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(storage, "save", save)
    report = queued(world)

    with caplog.at_level("ERROR", logger="digisnap.reports.services"):
        assert report_generate_task.enqueue(report.pk).return_value == Report.Status.FAILED

    report.refresh_from_db()
    assert report.error == nl(
        "The report could not be made: it could not be stored on the server. "
        "The Digisnap team has been told; try again later."
    )
    assert "No space left on device" in caplog.text
    # The HTML and PDF written before the failure are removed again.
    assert len(saved) == 2 and not any(storage.exists(name) for name in saved)
    page = page_text(
        client_for(world.director).get(reverse("reports:report_job", args=[report.pk]))
    )
    assert report.error in page


def test_after_collectstatic_again_the_retry_makes_a_styled_report(
    settings, production_static, world, django_capture_on_commit_callbacks
):
    (production_static / staticfiles_storage.stored_name("digisnap/report-print.css")).unlink()
    report = queued(world)
    report_generate_task.enqueue(report.pk)
    call_command("collectstatic", interactive=False, verbosity=0)

    client = client_for(world.director)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_retry", args=[report.pk]))

    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    pdf = client.get(reverse("reports:report_pdf", args=[report.pk]))
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "A studiedag" in text and "B studiedag" in text


def tables(document):
    """(page number, table box) of every figure table of the report."""
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            element = box.element
            if (
                type(box).__name__ == "TableBox"
                and element is not None
                and "report-table" in (element.get("class") or "").split()
            ):
                yield number, box


def assert_tables_fit_the_page(document) -> None:
    too_wide = [
        (number, round(box.width * MM_PER_PX))
        for number, box in tables(document)
        if box.width * MM_PER_PX > A4_CONTENT_WIDTH_MM + 0.5
    ]
    assert not too_wide, f"tables wider than the {A4_CONTENT_WIDTH_MM} mm of A4: {too_wide}"
    # The row titles keep a readable column: words on a line, never a letter per line.
    narrow = [
        (number, round(cell.width * MM_PER_PX))
        for number, box in tables(document)
        for cell in box.descendants()
        if type(cell).__name__ == "TableCellBox"
        and cell.element.get("scope") == "row"
        and cell.width * MM_PER_PX < MIN_TITLE_WIDTH_MM
    ]
    assert not narrow, f"row-title columns narrower than {MIN_TITLE_WIDTH_MM} mm: {narrow}"


def test_the_report_tables_fit_an_a4_page(production_static, world):
    assert_tables_fit_the_page(laid_out(world))


def test_the_report_tables_fit_an_a4_page_beside_the_platform_figures(
    production_static, world, framework
):
    other = SchoolCommunity.objects.create(name="Scholengemeenschap Elders")
    elsewhere = Institution.objects.create(community=other, number="444444", name="School E")
    synthetic_responses(
        digisnap=digisnap_create(institution=elsewhere, name="E studiedag"),
        framework=framework,
        teachers=50,
        seed=9,
        email_prefix="elders-",
    )
    ids = (world.a1.pk, world.a2.pk, world.b1.pk)
    data = report_data(digisnap_ids=ids, include_training=False, language="nl")
    assert data.platform_respondents == 65  # the platform's figures stand beside the report's
    assert_tables_fit_the_page(laid_out(world))
