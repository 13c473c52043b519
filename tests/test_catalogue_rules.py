"""The «needs a source» and size rules of an import say the same in the form, the command and
the background import, because all three ask the one rule."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from digisnap.learning.models import CatalogueImport, Training
from tests.catalogue_helpers import csv_file, errors_of, json_file, run_import, training
from tests.conftest import nl

pytestmark = pytest.mark.usefixtures("framework")

NO_SOURCE = "A CSV or JSON-LD file names no source; give one (e.g. KlasCement)."
TOO_LARGE_TEMPLATE = "The file is larger than %(size)s bytes (TRAINING_FEED_MAX_BYTES)."
TOO_LARGE = TOO_LARGE_TEMPLATE % {"size": 1024}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def big_file(settings) -> bytes:
    settings.TRAINING_FEED_MAX_BYTES = 1024
    payload = json_file([training(n) for n in range(10)])
    assert len(payload) > 1024
    return payload


def post_upload(client: Client, payload: bytes, name: str, **fields):
    file = SimpleUploadedFile(name, payload, content_type="application/octet-stream")
    return client.post(reverse("catalogue:import"), {"file": file, **fields})


def test_a_csv_without_a_source_is_refused_alike_by_form_command_and_background(
    staff_client, tmp_path
):
    payload = csv_file([training()])
    path = tmp_path / "c.csv"
    path.write_bytes(payload)
    with pytest.raises(CommandError) as refused:
        call_command("import_catalogue", str(path))
    assert str(refused.value) == f"{NO_SOURCE} (--source)"

    queued = run_import(payload, kind="csv")
    assert (queued.status, queued.errors[0]["field"]) == ("refused", "source")
    assert queued.errors[0]["message"] == NO_SOURCE

    form = post_upload(staff_client, payload, "c.csv").context["form"]
    assert form.errors["source"] == [nl(NO_SOURCE)]  # the site speaks Dutch
    assert not Training.objects.exists()


def test_a_file_over_the_limit_is_refused_alike_by_form_command_and_background(
    staff_client, tmp_path, big_file
):
    path = tmp_path / "big.json"
    path.write_bytes(big_file)
    with pytest.raises(CommandError) as refused:
        call_command("import_catalogue", str(path))
    assert str(refused.value) == f"{path}: {TOO_LARGE}"

    queued = run_import(big_file)  # e.g. queued before the limit was lowered
    assert (queued.status, errors_of(queued)) == ("refused", [(0, "")])
    assert queued.errors[0]["message"] == TOO_LARGE

    form = post_upload(staff_client, big_file, "big.json").context["form"]
    assert form.errors["file"] == [nl(TOO_LARGE_TEMPLATE) % {"size": 1024}]
    assert not Training.objects.exists()


def test_a_json_file_naming_its_own_source_needs_none_given_anywhere(
    staff_client, tmp_path, django_capture_on_commit_callbacks
):
    payload = json_file([training()], source="KlasCement")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_upload(staff_client, payload, "k.json").status_code == 302
    path = tmp_path / "k.json"
    path.write_bytes(payload)
    call_command("import_catalogue", str(path), verbosity=0)
    assert list(CatalogueImport.objects.values_list("status", "source")) == [
        ("done", "KlasCement"),
        ("done", "KlasCement"),
    ]
