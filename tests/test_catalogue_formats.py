"""Each import format — JSON, CSV, schema.org JSON-LD — lands in the same catalogue rows."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from digisnap.learning.importers import detect_kind, iso_duration_minutes
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

SAMPLE_CATALOGUE = (
    Path(__file__).resolve().parent.parent
    / "digisnap"
    / "learning"
    / "catalogue"
    / "sample-catalogue.json"
)

pytestmark = pytest.mark.usefixtures("framework")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def codes(item: Training) -> list[str]:
    return sorted(item.competences.values_list("competence_code", flat=True))


def test_a_json_file_adds_its_trainings_with_every_field():
    done = run_import(json_file([training(1), training(2, cost_eur="12.50", duration_minutes="")]))
    assert (done.status, done.added, done.source, done.kind) == ("done", 2, "Test", "json")
    first = Training.objects.get(external_id="t-1")
    assert (first.title, first.provider, first.url) == (
        "Opleiding 1",
        "Testaanbieder",
        "https://example.org/opleiding/1",
    )
    assert (first.level_from, first.level_to, first.format, first.language) == (
        1,
        3,
        "online",
        "nl",
    )
    assert (first.duration_minutes, first.cost_eur, first.is_sample) == (90, Decimal("0"), False)
    assert codes(first) == ["2.1", "2.3"]
    second = Training.objects.get(external_id="t-2")
    assert (second.duration_minutes, second.cost_eur) == (None, Decimal("12.50"))


def test_a_json_file_marked_sample_marks_its_trainings_as_sample():
    run_import(json_file([training()], sample=True))
    assert Training.objects.get().is_sample


def test_a_bare_json_list_takes_the_source_given():
    done = run_import(json_file([training()], source=None), source="Bare")
    assert (done.status, done.source) == ("done", "Bare")
    assert Training.objects.get().source == "Bare"


def test_an_unknown_cost_and_duration_may_be_left_out():
    item = training()
    del item["cost_eur"], item["duration_minutes"], item["description"]
    assert run_import(json_file([item])).status == "done"
    stored = Training.objects.get()
    assert (stored.cost_eur, stored.duration_minutes, stored.description) == (None, None, "")


def test_a_csv_file_adds_its_trainings_with_competences_split_on_semicolons_or_spaces():
    payload = csv_file(
        [
            training(1, competences="2.1;2.3"),
            training(2, competences="1.1 1.2", cost_eur="", duration_minutes=""),
        ]
    )
    done = run_import(payload, kind="csv", source="CSV-bron")
    assert (done.status, done.added, done.kind) == ("done", 2, "csv")
    assert codes(Training.objects.get(external_id="t-1")) == ["2.1", "2.3"]
    second = Training.objects.get(external_id="t-2")
    assert codes(second) == ["1.1", "1.2"]
    assert (second.cost_eur, second.duration_minutes, second.source) == (None, None, "CSV-bron")


def test_a_csv_file_saved_by_a_spreadsheet_with_semicolons_and_a_bom_is_read():
    payload = b"\xef\xbb\xbf" + csv_file(
        [training(1, competences="2.1 2.3", cost_eur="12,50")], delimiter=";"
    )
    done = run_import(payload, kind="csv", source="Excel")
    assert done.status == "done", done.errors
    assert Training.objects.get().cost_eur == Decimal("12.50")


def test_a_csv_cell_may_span_lines_and_extra_columns_are_ignored():
    payload = (
        b"external_id,title,provider,url,description,competences,level_from,level_to,format,"
        b"language,remark\n"
        b't-1,Titel,Aanbieder,https://example.org/1,"Twee\nregels",2.1,A1,A2,blended,fr,x\n'
    )
    done = run_import(payload, kind="csv", source="CSV")
    assert done.status == "done", done.errors
    assert Training.objects.get().description == "Twee\nregels"


def test_a_single_jsonld_course_maps_every_schema_org_property():
    done = run_import(jsonld_file(course(), graph=False), kind="jsonld", source="Aanbieder")
    assert (done.status, done.kind) == ("done", "jsonld"), done.errors
    stored = Training.objects.get()
    assert stored.external_id == "https://aanbieder.example.org/cursus/1"
    assert (stored.title, stored.provider, stored.description) == (
        "Cursus 1",
        "Aanbieder vzw",
        "Een cursus.",
    )
    assert codes(stored) == ["2.1", "3.1"]
    assert (stored.level_from, stored.level_to) == (2, 3)
    assert (stored.language, stored.format) == ("nl", "online")
    assert (stored.duration_minutes, stored.cost_eur) == (150, Decimal("25.00"))


def test_a_jsonld_graph_with_defined_terms_and_a_referenced_provider_is_read():
    organisation = {"@type": "Organization", "@id": "#org", "name": "Hogeschool Test"}
    defined = course(
        1,
        **{
            "@id": "_:b1",
            "identifier": "HT-17",
            "provider": {"@id": "#org"},
            "teaches": [
                {"@type": "DefinedTerm", "termCode": "5.1", "name": "Toegankelijkheid"},
                {"@type": "DefinedTerm", "termCode": "5.2"},
            ],
            "educationalLevel": [
                {"@type": "DefinedTerm", "termCode": "B2"},
                {"@type": "DefinedTerm", "termCode": "B1"},
            ],
            "inLanguage": {"@type": "Language", "name": "English", "alternateName": "en"},
            "hasCourseInstance": {
                "@type": "CourseInstance",
                "courseMode": ["full-time", "onsite"],
                "courseWorkload": "P1D",
            },
            "courseWorkload": None,
            "offers": [{"@type": "Offer", "price": 0}],
        },
    )
    done = run_import(jsonld_file([organisation, defined]), kind="json", source="HT")
    assert (done.status, done.kind, done.added) == ("done", "jsonld", 1), done.errors
    stored = Training.objects.get()
    assert (stored.external_id, stored.provider) == ("HT-17", "Hogeschool Test")
    assert codes(stored) == ["5.1", "5.2"]
    assert (stored.level_from, stored.level_to) == (3, 4)
    assert (stored.language, stored.format) == ("en", "on_site")
    assert (stored.duration_minutes, stored.cost_eur) == (8 * 60, Decimal("0"))


def test_a_plain_list_of_jsonld_courses_is_read():
    done = run_import(jsonld_file([course(1), course(2)], graph=False), source="Lijst")
    assert (done.status, done.kind, done.added) == ("done", "jsonld", 2), done.errors


@pytest.mark.parametrize(
    ("level", "band"),
    [
        ("A2-B1", (2, 3)),
        ("A2–B1", (2, 3)),
        ("a2 — c1", (2, 5)),
        ("B2", (4, 4)),
        (["C1", "A1"], (1, 5)),
        ({"@type": "DefinedTerm", "termCode": "C2"}, (6, 6)),
    ],
)
def test_educational_level_gives_the_band_from_lowest_to_highest(level, band):
    done = run_import(jsonld_file([course(educationalLevel=level)]), source="Levels")
    assert done.status == "done", done.errors
    stored = Training.objects.get()
    assert (stored.level_from, stored.level_to) == band


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("online", "online"),
        ("onsite", "on_site"),
        ("On site", "on_site"),
        ("blended", "blended"),
        ("mixed", "blended"),
        ("self-paced", "self_study"),
        ("selfpaced", "self_study"),
        ("https://schema.org/online", "online"),
    ],
)
def test_course_mode_maps_to_a_format(mode, expected):
    payload = jsonld_file([course(hasCourseInstance=[{"courseMode": mode}])])
    assert run_import(payload, source="Modes").status == "done"
    assert Training.objects.get().format == expected


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [
        ("PT45M", 45),
        ("PT2H30M", 150),
        ("PT1.5H", 90),
        ("P1D", 480),
        ("P2DT1H", 1020),
        ("P1W", 2400),
        ("PT90S", 2),
        ("pt0s", 0),
    ],
)
def test_iso_durations_count_a_day_as_eight_hours(duration, minutes):
    assert iso_duration_minutes(duration) == minutes


@pytest.mark.parametrize("duration", ["P1M", "P1Y", "P", "PT", "2 uur", "P1DT"])
def test_durations_in_months_years_or_words_are_not_read(duration):
    assert iso_duration_minutes(duration) is None


def test_workload_may_sit_on_the_course_instance():
    payload = jsonld_file(
        [
            course(
                courseWorkload=None,
                hasCourseInstance=[{"courseMode": "online", "courseWorkload": "PT3H"}],
            )
        ]
    )
    assert run_import(payload, source="W").status == "done"
    assert Training.objects.get().duration_minutes == 180


def test_json_with_a_context_is_read_as_jsonld_even_when_called_json():
    done = run_import(jsonld_file([course()]), kind="json", source="Auto")
    assert done.kind == CatalogueImport.Kind.JSONLD


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("cat.csv", b"external_id,title", "csv"),
        ("cat.jsonld", b"{}", "jsonld"),
        ("cat.json", b'{"trainings": []}', "json"),
        ("upload", b'{"@context": "https://schema.org", "@graph": []}', "jsonld"),
        ("upload", b'[{"@type": "Course"}]', "jsonld"),
        ("upload", b"[]", "json"),
        ("upload", b"external_id,title\n", "csv"),
        ("upload", b"nothing to see", None),
    ],
)
def test_the_format_is_recognised_from_name_or_content(name, content, kind):
    assert detect_kind(name, content) == kind


@pytest.mark.skipif(not SAMPLE_CATALOGUE.exists(), reason="the sample catalogue is not written yet")
def test_the_sample_catalogue_imports_cleanly_as_sample_content():
    done = run_import(SAMPLE_CATALOGUE.read_bytes())
    assert (done.status, done.refused, errors_of(done)) == ("done", 0, [])
    document = json.loads(SAMPLE_CATALOGUE.read_text(encoding="utf-8"))
    assert done.added == len(document["trainings"]) >= 50
    assert not Training.objects.filter(is_sample=False).exists()
    areas = {
        code.split(".")[0]
        for code in Training.objects.values_list("competences__competence_code", flat=True)
    }
    assert areas == {"1", "2", "3", "4", "5", "6"}
