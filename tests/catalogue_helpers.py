"""Small builders for the catalogue import tests: valid trainings in each format, and a runner."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from digisnap.learning.models import CatalogueImport, Training, TrainingCompetence
from digisnap.learning.services import catalogue_import_create, catalogue_import_run

CSV_COLUMNS = [
    "external_id",
    "title",
    "provider",
    "url",
    "description",
    "competences",
    "level_from",
    "level_to",
    "format",
    "duration_minutes",
    "language",
    "cost_eur",
]


def training(number: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid training as the JSON format writes it."""
    data = {
        "external_id": f"t-{number}",
        "title": f"Opleiding {number}",
        "provider": "Testaanbieder",
        "url": f"https://example.org/opleiding/{number}",
        "description": "Een korte beschrijving.",
        "competences": ["2.1", "2.3"],
        "level_from": "A1",
        "level_to": "B1",
        "format": "online",
        "duration_minutes": 90,
        "language": "nl",
        "cost_eur": 0,
    }
    data.update(overrides)
    return data


def json_file(trainings: list[dict], *, source: str | None = "Test", sample: bool = False) -> bytes:
    document: Any = trainings
    if source is not None:
        document = {"source": source, "sample": sample, "trainings": trainings}
    return json.dumps(document).encode()


def csv_file(trainings: list[dict], *, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in trainings:
        cells = {**row}
        if isinstance(cells.get("competences"), list):
            cells["competences"] = ";".join(cells["competences"])
        writer.writerow(
            {name: "" if cells.get(name) is None else cells[name] for name in CSV_COLUMNS}
        )
    return out.getvalue().encode()


def course(number: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid schema.org Course as a provider's site may publish it."""
    data = {
        "@type": "Course",
        "@id": f"https://aanbieder.example.org/cursus/{number}",
        "name": f"Cursus {number}",
        "description": "Een cursus.",
        "url": f"https://aanbieder.example.org/cursus/{number}",
        "provider": {"@type": "Organization", "name": "Aanbieder vzw"},
        "teaches": ["DigCompEdu 2.1", "3.1"],
        "educationalLevel": "A2-B1",
        "inLanguage": "nl-BE",
        "hasCourseInstance": [{"@type": "CourseInstance", "courseMode": "online"}],
        "courseWorkload": "PT2H30M",
        "offers": {"@type": "Offer", "price": "25.00", "priceCurrency": "EUR"},
    }
    data.update(overrides)
    return data


def jsonld_file(nodes: list[dict] | dict, *, graph: bool = True) -> bytes:
    if graph:
        return json.dumps({"@context": "https://schema.org", "@graph": nodes}).encode()
    return json.dumps(nodes).encode()


def run_import(
    payload: bytes, *, kind: str = "json", source: str = "", sample: bool = False
) -> CatalogueImport:
    """Import synchronously, as the management command does."""
    catalogue_import = catalogue_import_create(
        kind=kind, origin="test-file", payload=payload, source=source, sample=sample
    )
    return catalogue_import_run(catalogue_import=catalogue_import)


def errors_of(catalogue_import: CatalogueImport) -> list[tuple[int, str]]:
    return [(error["row"], error["field"]) for error in catalogue_import.errors]


def make_trainings(count: int, *, source: str = "Bulk") -> None:
    """Many trainings at once, each with two competences (for query-count tests)."""
    trainings = Training.objects.bulk_create(
        Training(
            source=source,
            external_id=f"bulk-{n}",
            title=f"Bulkopleiding {n:05d}",
            provider="Bulkaanbieder",
            url=f"https://example.org/bulk/{n}",
            level_from=1,
            level_to=3,
            format=Training.Format.ONLINE,
            language="nl",
        )
        for n in range(count)
    )
    TrainingCompetence.objects.bulk_create(
        TrainingCompetence(training=t, competence_code=code)
        for t in trainings
        for code in ("1.1", "2.1")
    )
