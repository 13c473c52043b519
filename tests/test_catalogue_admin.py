"""Django admin: the training list with filters and search; the import log read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from digisnap.learning.models import CatalogueImport, Training
from tests.catalogue_helpers import json_file, run_import, training
from tests.conftest import make_user

pytestmark = pytest.mark.usefixtures("framework")


@pytest.fixture
def admin_client(db) -> Client:
    client = Client()
    client.force_login(make_user("admin@test.example", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def imported():
    return run_import(json_file([training(1, title="Werken met Bingel"), training(2)]))


def test_the_training_list_filters_on_source_status_format_and_language(admin_client, imported):
    response = admin_client.get(reverse("admin:learning_training_changelist"))
    assert response.status_code == 200
    filters = [spec.field_path for spec in response.context["cl"].filter_specs]
    assert filters[:4] == ["source", "state", "format", "language"]
    found = admin_client.get(reverse("admin:learning_training_changelist"), {"q": "bingel"})
    assert [t.title for t in found.context["cl"].result_list] == ["Werken met Bingel"]


def test_a_training_is_shown_read_only_and_cannot_be_added_or_deleted(admin_client, imported):
    item = Training.objects.get(external_id="t-1")
    page = admin_client.get(reverse("admin:learning_training_change", args=[item.pk]))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert admin_client.get(reverse("admin:learning_training_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:learning_training_delete", args=[item.pk])).status_code
        == 403
    )


def test_the_admin_action_deactivates_through_the_service(admin_client, imported):
    item = Training.objects.get(external_id="t-1")
    admin_client.post(
        reverse("admin:learning_training_changelist"),
        {"action": "deactivate", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert item.state == "staff"


def test_the_import_log_is_read_only(admin_client, imported):
    assert admin_client.get(reverse("admin:learning_catalogueimport_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:learning_catalogueimport_change", args=[imported.pk]))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert admin_client.get(reverse("admin:learning_catalogueimport_add")).status_code == 403
    assert CatalogueImport.objects.count() == 1
