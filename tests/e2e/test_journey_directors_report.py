"""Journey 6, the directors' report: the demo director goes home → «Rapportage en leersuggesties»
→ «Directierapport», chooses two digisnaps of the demo community with KlasCement content,
presses «Genereer», watches the progress bar move while the report is made, downloads the PDF
(it opens and names both digisnaps) and the XLSX, reads it in the browser and finds it in the
archive. axe-core on every page.

The task is held by the dummy backend and run by the test itself in a thread whose progress
pauses until the browser has shown it, so the moving bar is seen, not guessed."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from digisnap.questionnaires.management.commands.demo_data import ACCOUNTS, DEMO_PASSWORD
from digisnap.reports import services
from digisnap.reports.models import Report
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journey_director_registration import SIGN_IN, SIGN_OUT, either

pytestmark = pytest.mark.e2e

SAMPLE_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "digisnap/learning/catalogue/sample-catalogue.json"
)
FIRST, SECOND = "SPC Leuven pedagogische studiedag", "De Linde teamvergadering"
TITLE = "Rapport SPC en De Linde"
DIRECTOR_MENU = either("Directie", "Director")
REPORT_TILE = either("Rapportage en leersuggesties", "Report and learning suggestions")
DIRECTORS_REPORT = either("Directierapport", "Directors' report")
KLASCEMENT = either("Includeer KlasCement content", "Include KlasCement content")
GENERATE = either("Genereer", "Generate")
DOWNLOAD_PDF = either("Download de pdf", "Download the PDF")
DOWNLOAD_XLSX = either("Download het rekenblad (XLSX)", "Download the spreadsheet (XLSX)")
VIEW = either("Bekijk in de browser", "View in the browser")
ARCHIVE = either("Directierapport en archief", "Directors' report and archive")
PAUSE_AT = 40


@pytest.fixture
def demo(settings, tmp_path, framework):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tasks wait in the dummy backend; the test runs the report itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("demo_data", verbosity=0)
    call_command("import_catalogue", str(SAMPLE_CATALOGUE), verbosity=0)


def run_report_pausing_at(report_pk: int, shown: threading.Event, done: list) -> None:
    """Generate the report as the worker would, holding still at PAUSE_AT % until the browser
    showed it."""
    build = services.report_build

    def build_with_a_pause(*, spec, progress):
        def watched(percent, step):
            progress(percent, step)
            if percent >= PAUSE_AT and not shown.is_set():
                shown.wait(timeout=30)

        return build(spec=spec, progress=watched)

    try:
        services.report_build = build_with_a_pause
        report = Report.objects.get(pk=report_pk)
        done.append(services.report_generate(report=report).status)
    finally:
        services.report_build = build
        connections.close_all()


def test_journey_directors_report(page: Page, live_server, demo) -> None:
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))

    # 1. The demo director signs in and follows the manual: Directie → the tile «Leerroutes» →
    # «Rapportage en leersuggesties» → «Directierapport».
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(ACCOUNTS["director"][0])
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page.get_by_role("button", name=SIGN_OUT)).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name=DIRECTOR_MENU).click()
    page.get_by_role("link", name=REPORT_TILE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REPORT_TILE)
    assert_accessible(page)
    page.get_by_role("link", name=DIRECTORS_REPORT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DIRECTORS_REPORT)
    expect(page.get_by_role("group", name="Scholengemeenschap Demo Leuven")).to_be_visible()
    assert_accessible(page)

    # 2. Two digisnaps of the community, a title, KlasCement content, «Genereer».
    page.get_by_role("checkbox", name=re.compile(FIRST)).check()
    page.get_by_role("checkbox", name=re.compile(SECOND)).check()
    page.get_by_role("textbox", name=re.compile("Titel|Title")).fill(TITLE)
    page.get_by_role("checkbox", name=KLASCEMENT).check()
    page.get_by_role("button", name=GENERATE).click()

    # 3. The job's page: queued at 0 %, then the bar moves while the report is made.
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    progress = page.locator("progress")
    expect(progress).to_have_attribute("value", "0")
    assert_accessible(page)
    report = Report.objects.get()
    assert report.include_training
    assert sorted(report.digisnaps.values_list("name", flat=True)) == sorted([FIRST, SECOND])
    shown, done = threading.Event(), []
    worker = threading.Thread(target=run_report_pausing_at, args=(report.pk, shown, done))
    worker.start()
    try:
        expect(progress).to_have_attribute("value", re.compile(r"^([4-9]\d)$"), timeout=15_000)
        expect(page.get_by_role("status").first).not_to_have_text("")
    finally:
        shown.set()
        worker.join(timeout=60)
    assert done == ["done"]

    # 4. Done: the page turned into the downloads by itself.
    expect(page.get_by_role("link", name=DOWNLOAD_PDF)).to_be_visible(timeout=15_000)
    expect(progress).to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name=DOWNLOAD_PDF).click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert TITLE in text
    assert FIRST in text and SECOND in text
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name=DOWNLOAD_XLSX).click()
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()))
    assert any(TITLE in str(cell) for sheet in workbook for row in sheet.values for cell in row)

    # 5. The report in the browser, inside the site.
    page.get_by_role("link", name=VIEW).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)

    # 6. The archive lists it: date, title, both digisnaps, KlasCement «Ja», the downloads.
    page.get_by_role("link", name=ARCHIVE).click()
    row = page.locator(f"tr[data-report='{report.pk}']")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text(FIRST)
    expect(row).to_contain_text(SECOND)
    expect(row.locator("td").nth(2)).to_have_text(either("Ja", "Yes"))
    expect(row.get_by_role("link", name=re.compile("PDF"))).to_be_visible()
    assert_accessible(page)
    assert console_errors == []
