"""The directors' report on a phone (390 × 844): the director's home, «Rapportage en
leersuggesties», the form with «Genereer», the job's page, the archive and the report in the
browser each fit the width (no sideways scrolling of the page) and pass axe-core."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from digisnap.questionnaires.synthetic import synthetic_responses
from digisnap.reports.models import Report
from digisnap.schools.models import Institution, SchoolCommunity
from digisnap.schools.services import digisnap_create
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journey_director_registration import either
from tests.reports.helpers import build_world

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
GENERATE = either("Genereer", "Generate")
VIEW = either("Bekijk in de browser", "View in the browser")
ARCHIVE = either("Directierapport en archief", "Directors' report and archive")
TITLE = "Noord op de telefoon"

# The elements sticking out past the right edge, widest first: what to fix when a page overflows.
OVERFLOWING = """(limit) => [...document.querySelectorAll('body *')]
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.right > limit + 0.5 && box.width > 0)
  .sort((a, b) => b[1].right - a[1].right)
  .slice(0, 5)
  .map(([el, box]) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
    + `${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : ''}`
    + ` right=${Math.round(box.right)} width=${Math.round(box.width)}`)"""


@pytest.fixture
def world(settings, tmp_path, framework):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(framework, teachers=5)


def sign_in_as(page: Page, live_server, user) -> None:
    """The director's session without the sign-in pages (the journeys test those)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def assert_fits_the_phone(page: Page, name: str) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(OVERFLOWING, PHONE["width"]) if width > PHONE["width"] else []
    assert width <= PHONE["width"], f"{name} ({page.url}) is {width} px wide: {culprits}"


def check(page: Page, name: str) -> None:
    assert_fits_the_phone(page, name)
    assert_accessible(page)


def test_the_directors_report_fits_a_phone(page: Page, live_server, world) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, world.director)

    page.goto(live_server.url + reverse("reports:home"))
    expect(page.get_by_text("A studiedag").first).to_be_visible()
    check(page, "the director's home")

    page.goto(live_server.url + reverse("reports:report"))
    check(page, "Rapportage en leersuggesties")

    page.goto(live_server.url + reverse("reports:directors_report"))
    check(page, "the report form with an empty archive")
    page.get_by_role("checkbox", name=re.compile("A studiedag")).check()
    page.get_by_role("checkbox", name=re.compile("B studiedag")).check()
    page.get_by_role("textbox", name=re.compile("Titel|Title")).fill(TITLE)
    page.get_by_role("button", name=GENERATE).click()

    # The job runs as the request commits: the page shows it done, with its downloads.
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("link", name=VIEW)).to_be_visible(timeout=15_000)
    report = Report.objects.get()
    assert report.status == Report.Status.DONE and report.respondents == 10
    check(page, "the report's job page")

    page.get_by_role("link", name=VIEW).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check(page, "the report in the browser")

    page.get_by_role("link", name=ARCHIVE).click()
    expect(page.locator(f"tr[data-report='{report.pk}']")).to_contain_text(TITLE)
    check(page, "the form with the archive")


def assert_figure_tables_fit(page: Page) -> None:
    """Every figure table within the phone's width, its caption and row titles in whole lines
    (a caption or title squeezed to a letter per line would be far taller than this)."""
    assert page.locator(".report-figures").count() > 1
    for table in page.locator(".report-figures").all():
        box = table.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
        for cell in table.locator("caption, th[scope=row]").all():
            cell_box = cell.bounding_box()
            assert cell_box is not None and cell_box["height"] < 100, cell.inner_text()


def generate_and_view(page: Page, live_server, world, *names: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, world.director)
    page.goto(live_server.url + reverse("reports:directors_report"))
    for name in names:
        page.get_by_role("checkbox", name=re.compile(name)).check()
    page.get_by_role("button", name=GENERATE).click()
    expect(page.get_by_role("link", name=VIEW)).to_be_visible(timeout=15_000)
    page.get_by_role("link", name=VIEW).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_report_over_a_whole_community_fits_a_phone(page: Page, live_server, world) -> None:
    """Three digisnaps over two schools: the widest report (a column per school)."""
    generate_and_view(page, live_server, world, "A studiedag", "A teamvergadering", "B studiedag")
    check(page, "the community report in the browser")
    # Only the comparison per school scrolls sideways, in a region the keyboard can reach.
    region = page.get_by_role("region", name=re.compile("per school", re.I))
    expect(region).to_have_attribute("tabindex", "0")
    # Its cells keep whole words: «School» and the school names on a line each.
    for cell in region.locator("thead th, tbody th").all():
        cell_box = cell.bounding_box()
        assert cell_box is not None and cell_box["height"] < 100, cell.inner_text()
    assert_figure_tables_fit(page)


def test_the_report_beside_the_platform_figures_fits_a_phone(
    page: Page, live_server, world, framework
) -> None:
    """With ≥ 50 respondents on the platform every figure has a grey second line: the tables
    still fit 390 px without scrolling, and axe finds nothing serious."""
    other = SchoolCommunity.objects.create(name="Scholengemeenschap Elders")
    elsewhere = Institution.objects.create(community=other, number="444444", name="School E")
    synthetic_responses(
        digisnap=digisnap_create(institution=elsewhere, name="E studiedag"),
        framework=framework,
        teachers=50,
        seed=9,
        email_prefix="elders-",
    )
    generate_and_view(page, live_server, world, "A studiedag", "B studiedag")
    expect(page.locator(".report-platform").first).to_be_visible()
    check(page, "the report with the platform figures in the browser")
    assert_figure_tables_fit(page)


def test_the_report_in_the_browser_is_axe_clean_on_a_phone(page: Page, live_server, world):
    generate_and_view(page, live_server, world, "A studiedag", "B studiedag")
    assert_accessible(page)
