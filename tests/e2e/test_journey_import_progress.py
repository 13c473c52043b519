"""Staff watch a catalogue import in the browser: the notice while no worker runs, the progress
bar and step moving while it runs, and the outcome once it is done, with no reload by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from digisnap.learning.models import CatalogueImport
from digisnap.learning.services import catalogue_import_create
from tests.catalogue_helpers import json_file, training
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journey_teacher import SIGN_IN, either

pytestmark = pytest.mark.e2e

NO_WORKER = either(
    "Er draait nu geen achtergrondverwerker",
    "No background worker is running right now",
)
DONE = either(
    "Klaar: de catalogus komt nu overeen met het bestand.",
    "Done: the catalogue now matches the file.",
)


@pytest.fixture
def queued_import(framework, settings) -> CatalogueImport:
    settings.TASKS_BACKEND = "database"
    return catalogue_import_create(kind="json", origin="x.json", payload=json_file([training()]))


def test_journey_import_progress(page: Page, live_server, queued_import) -> None:
    staff = make_user("beheer@test.example", is_staff=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()

    page.goto(live_server.url + reverse("catalogue:import_detail", args=[queued_import.pk]))
    expect(page.get_by_text(NO_WORKER)).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "0")
    assert_accessible(page)

    now = timezone.now()
    CatalogueImport.objects.filter(pk=queued_import.pk).update(
        status="running", attempts=1, started_at=now, heartbeat_at=now, progress=40, step="Rijen"
    )
    expect(page.locator("progress")).to_have_attribute("value", "40")
    expect(page.get_by_role("status").filter(has_text="Rijen")).to_be_visible()
    expect(page.get_by_text(NO_WORKER)).to_be_hidden()

    CatalogueImport.objects.filter(pk=queued_import.pk).update(
        status="done", progress=100, finished_at=timezone.now(), added=1
    )
    expect(page.get_by_text(DONE)).to_be_visible()
    expect(page.locator("progress")).to_have_count(0)
    assert_accessible(page)
