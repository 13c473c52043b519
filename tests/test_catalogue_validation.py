"""Every bad row is reported with its row number and field, and one bad row refuses the whole file."""

import json

import pytest
from django.utils import translation

from digisnap.learning.models import Training
from digisnap.questionnaires.models import Framework
from digisnap.questionnaires.services import framework_load
from tests.catalogue_helpers import (
    course,
    csv_file,
    errors_of,
    json_file,
    jsonld_file,
    run_import,
    training,
)
from tests.conftest import MINI_FRAMEWORK

pytestmark = pytest.mark.usefixtures("framework")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused_json(bad: dict):
    """Import a file whose second training is `bad`; the first and third are fine."""
    return run_import(json_file([training(1), bad, training(3)]))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"competences": ["2.1", "9.9"]}, "competences", "«9.9»"),
        ({"competences": []}, "competences", "required"),
        ({"competences": [2.1]}, "competences", "list of competence codes"),
        ({"url": "ftp://example.org/x"}, "url", "http:// or https://"),
        ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
        ({"url": "example.org"}, "url", "http:// or https://"),
        ({"level_from": "D1"}, "level_from", "«D1» is not a level"),
        ({"level_to": "beginner"}, "level_to", "is not a level"),
        ({"level_from": "B2", "level_to": "A2"}, "level_to", "runs backwards"),
        ({"format": "webinar"}, "format", "Unknown format «webinar»"),
        ({"language": "de"}, "language", "Unknown language «de»"),
        ({"duration_minutes": -5}, "duration_minutes", "cannot be negative"),
        ({"duration_minutes": "anderhalf uur"}, "duration_minutes", "whole number"),
        ({"cost_eur": -1}, "cost_eur", "cannot be negative"),
        ({"cost_eur": "gratis"}, "cost_eur", "not an amount"),
        ({"cost_eur": "12.345"}, "cost_eur", "two decimals"),
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 301}, "title", "at most 300"),
        ({"provider": None}, "provider", "required"),
        ({"external_id": "  "}, "external_id", "required"),
        ({"title": ["a list"]}, "title", "Must be text"),
    ],
)
def test_a_bad_value_is_reported_with_its_row_and_field(change, field, message):
    done = refused_json(training(2, **change))
    assert (done.status, done.refused) == ("refused", 1)
    assert errors_of(done) == [(2, field)]
    assert message in done.errors[0]["message"]


@pytest.mark.parametrize("name", ["external_id", "title", "provider", "url", "competences"])
def test_a_missing_required_field_is_reported(name):
    bad = training(2)
    del bad[name]
    done = refused_json(bad)
    assert errors_of(done) == [(2, name)]
    assert done.errors[0]["message"] == "This field is required."


def test_a_row_with_several_problems_reports_each_of_them():
    done = refused_json(training(2, url="nope", language="xx", level_from="Z9"))
    assert errors_of(done) == [(2, "url"), (2, "level_from"), (2, "language")]
    assert done.refused == 1


def test_a_duplicate_external_id_is_reported_on_the_later_row_naming_the_first():
    done = run_import(json_file([training(1), training(2), training(3, external_id="t-1")]))
    assert errors_of(done) == [(3, "external_id")]
    assert "row 1" in done.errors[0]["message"]


def test_a_training_that_is_no_object_is_reported_by_position():
    done = run_import(json_file([training(1), "t-2"]))
    assert errors_of(done) == [(2, "")]


def test_csv_problems_carry_the_line_number_in_the_file_with_the_header_as_line_1():
    payload = csv_file(
        [
            training(1, description="Over\ntwee regels"),
            training(2),
            training(3, competences="2.1 7.7"),
        ]
    )
    done = run_import(payload, kind="csv", source="CSV")
    # line 1 header, lines 2–3 the first training, line 4 the second, line 5 the third
    assert errors_of(done) == [(5, "competences")]


def test_a_csv_line_with_more_cells_than_the_header_is_refused():
    payload = (
        csv_file([training(1)]) + b"t-2,a,b,https://example.org,,2.1,A1,A1,online,,nl,,extra\n"
    )
    done = run_import(payload, kind="csv", source="CSV")
    assert errors_of(done) == [(3, "")]


def test_a_csv_header_without_a_required_column_refuses_the_file():
    done = run_import(b"external_id,title\nt-1,Titel\n", kind="csv", source="CSV")
    assert (done.status, errors_of(done)) == ("refused", [(0, "")])
    assert "provider" in done.errors[0]["message"]


def test_jsonld_problems_carry_the_position_in_the_graph_and_the_schema_org_name():
    organisation = {"@type": "Organization", "@id": "#org", "name": "Org"}
    done = run_import(
        jsonld_file(
            [
                organisation,
                course(1),
                course(2, teaches=["DigCompEdu 8.1"], educationalLevel="A2-Z3"),
                course(3, courseWorkload="twee uur", inLanguage="de-DE"),
                course(4, offers={"price": "10", "priceCurrency": "USD"}),
                course(5, hasCourseInstance=[{"courseMode": "full-time"}]),
                {"name": "no type"},
            ]
        ),
        source="LD",
    )
    assert errors_of(done) == [
        (3, "educationalLevel"),
        (3, "teaches"),
        (4, "courseWorkload"),
        (4, "inLanguage"),
        (5, "offers.priceCurrency"),
        (6, "hasCourseInstance.courseMode"),
        (7, "@type"),
    ]
    assert done.refused == 5
    assert "«8.1»" in done.errors[1]["message"]


def test_a_jsonld_course_without_levels_or_competences_reports_each_once():
    bare = course(1)
    del bare["educationalLevel"], bare["teaches"], bare["@id"]
    done = run_import(jsonld_file([bare]), source="LD")
    assert errors_of(done) == [(1, "@id"), (1, "teaches"), (1, "educationalLevel")]


def test_one_bad_row_changes_nothing_in_the_catalogue():
    run_import(json_file([training(1, title="Oud"), training(5)]))
    before = list(Training.objects.order_by("pk").values())
    done = run_import(json_file([training(1, title="Nieuw"), training(2), training(3, url="x")]))
    assert (done.status, done.added, done.updated, done.deactivated) == ("refused", 0, 0, 0)
    assert list(Training.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("payload", "kind", "fragment"),
    [
        (b"{not json", "json", "not valid JSON (line 1"),
        (b"\xff\xfe bad bytes", "csv", "not UTF-8"),
        (b"", "csv", "no header row"),
        (json.dumps({"items": []}).encode(), "json", '"trainings"'),
        (json.dumps({"source": "S", "trainings": []}).encode(), "json", "holds no trainings"),
        (json.dumps({"source": 5, "trainings": []}).encode(), "json", '"source" must be text'),
        (json.dumps({"@graph": {"a": 1}}).encode(), "jsonld", '"@graph" must be a list'),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_row_0(payload, kind, fragment):
    done = run_import(payload, kind=kind, source="S")
    assert done.status == "refused"
    assert done.errors[0]["row"] == 0
    assert fragment in done.errors[0]["message"]


def test_a_file_for_another_source_than_the_one_given_is_refused():
    done = run_import(json_file([training()], source="Voorbeeld"), source="KlasCement")
    assert (done.status, errors_of(done)) == ("refused", [(0, "source")])
    assert not Training.objects.exists()


def test_a_file_without_a_source_needs_one_given():
    done = run_import(json_file([training()], source=None))
    assert (done.status, errors_of(done)) == ("refused", [(0, "source")])


def test_without_a_current_framework_no_code_can_be_checked_so_the_file_is_refused():
    Framework.objects.update(is_current=False)
    done = run_import(json_file([training()]))
    assert (done.status, errors_of(done)) == ("refused", [(0, "competences")])


def test_codes_must_be_in_the_current_framework(framework_file):
    framework_load(path=framework_file(MINI_FRAMEWORK))  # only 1.1 exists now
    done = run_import(json_file([training(competences=["1.1"]), training(2)]))
    assert errors_of(done) == [(2, "competences")]
