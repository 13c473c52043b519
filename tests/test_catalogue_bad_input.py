"""Input no catalogue should hold is refused per row and field (row 0: the file), all or nothing:
never a crash, never «failed» with a retry that cannot work. Run on SQLite and PostgreSQL."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from digisnap.learning.models import CatalogueImport, Training
from tests.catalogue_helpers import (
    course,
    csv_file,
    errors_of,
    json_file,
    jsonld_file,
    run_import,
    training,
)
from tests.conftest import make_user

pytestmark = pytest.mark.usefixtures("framework")

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(done: CatalogueImport) -> list[tuple[int, str]]:
    """The problems of an import that must have been refused, re-read as the log page reads them."""
    done.refresh_from_db()
    assert done.status == "refused", done.errors
    assert not Training.objects.exists()
    return errors_of(done)


def test_a_deeply_nested_json_file_is_refused_as_a_file():
    done = run_import(DEEP, source="Test")
    assert refused(done) == [(0, "")]
    assert done.errors[0]["message"] == "The file nests its data too deeply."


def test_a_deeply_nested_upload_lands_on_its_refused_import_not_a_server_error(
    db, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(make_user("beheer@test.example", is_staff=True))
    upload = SimpleUploadedFile("diep.json", DEEP, content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalogue:import"), {"file": upload, "source": "Diep"})
    catalogue_import = CatalogueImport.objects.get()
    assert response.url == reverse("catalogue:import_detail", args=[catalogue_import.pk])
    assert refused(catalogue_import) == [(0, "")]
    assert client.get(response.url).status_code == 200


def test_a_value_nested_deep_inside_a_training_is_refused_at_its_field():
    nested = json.loads("[" * 500 + "]" * 500)
    assert refused(run_import(json_file([training(1), training(2, title=nested)]))) == [
        (2, "title")
    ]


@pytest.mark.parametrize("field", ["external_id", "title", "provider", "url", "description"])
def test_a_nul_byte_in_a_text_field_is_refused_at_that_field(field):
    bad = training(2, **{field: training(2)[field] + "\x00x"})
    done = run_import(json_file([training(1), bad]))
    assert refused(done) == [(2, field)]
    assert "NUL" in done.errors[0]["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("competences", ["2.1\x00"]),
        ("level_from", "A1\x00"),
        ("format", "online\x00"),
        ("language", "nl\x00"),
        ("cost_eur", "1\x00"),
        ("duration_minutes", "9\x00"),
    ],
)
def test_a_nul_byte_in_a_coded_field_is_refused_and_the_log_can_store_the_message(field, value):
    done = run_import(json_file([training(1, **{field: value})]))
    assert refused(done) == [(1, field)]
    assert "\x00" not in done.errors[0]["message"]


def test_a_nul_byte_in_a_csv_cell_is_refused_at_its_line_and_column():
    payload = csv_file([training(1), training(2, provider="Aan\x00bieder")])
    done = run_import(payload, kind="csv", source="CSV")
    assert done.refused == 1
    assert refused(done) == [(3, "provider")]


def test_a_nul_byte_or_a_broken_character_in_the_files_source_is_refused_as_the_file():
    for source in ("Klas\x00Cement", "Klas\ud800Cement"):
        document = {"source": source, "trainings": [training()]}
        done = run_import(json.dumps(document).encode())
        assert refused(done) == [(0, "source")]


def test_a_lone_surrogate_in_a_title_is_refused_at_its_field():
    payload = json.dumps({"source": "Test", "trainings": [training(title="Half \ud83d")]})
    assert refused(run_import(payload.encode())) == [(1, "title")]


@pytest.mark.parametrize(
    "duration",
    [3_000_000_000, "3000000000", 1e20, "9" * 5000, 200_001],
    ids=["number", "text", "float", "5000-digits", "just-over"],
)
def test_a_duration_beyond_the_bound_is_refused_at_its_field(duration):
    done = run_import(json_file([training(1, duration_minutes=duration)]))
    assert refused(done) == [(1, "duration_minutes")]
    assert done.errors[0]["message"] == "A duration is at most 200000 minutes."


def test_a_duration_beyond_the_bound_in_csv_and_json_ld_is_refused_at_its_field():
    payload = csv_file([training(1, duration_minutes="3000000000")])
    csv_done = run_import(payload, kind="csv", source="CSV")
    assert refused(csv_done) == [(2, "duration_minutes")]
    ld_done = run_import(jsonld_file([course(1, courseWorkload="P9999999999W")]), source="LD")
    assert refused(ld_done) == [(1, "courseWorkload")]


@pytest.mark.parametrize(
    "cost",
    ["999999.99", 1e300, "1e999999999", "9" * 5000, "Infinity", "NaN"],
)
def test_an_absurd_cost_is_refused_at_its_field(cost):
    assert refused(run_import(json_file([training(1, cost_eur=cost)]))) == [(1, "cost_eur")]


def test_a_number_too_long_for_python_to_read_is_refused_as_the_file():
    payload = b'[{"duration_minutes": ' + b"9" * 5000 + b"}]"
    done = run_import(payload, source="Test")
    assert refused(done) == [(0, "")]
    assert done.errors[0]["message"] == "The file holds a number too large to read."


def test_a_json_ld_id_that_is_no_text_is_refused_at_its_field():
    done = run_import(jsonld_file([course(1, **{"@id": ["a", "b"]})]), source="LD")
    assert refused(done) == [(1, "@id")]


def test_the_largest_sane_values_are_imported():
    done = run_import(json_file([training(1, duration_minutes=200_000, cost_eur="100000.00")]))
    assert (done.status, done.added) == ("done", 1)
