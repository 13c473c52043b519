"""The report's aggregation: a constant number of queries whatever the number of schools and
respondents, and the trainings for the largest needs (active ones only, for the team)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from digisnap.accounts.models import User
from digisnap.learning.models import Training, TrainingCompetence
from digisnap.questionnaires.models import Response
from digisnap.reports.aggregates import latest_submitted, report_data
from digisnap.reports.charts import band_pie
from digisnap.schools.models import Digisnap, SchoolCommunity
from tests.conftest import nl
from tests.test_report_numbers import build, flat, pdf_text, school_with_teachers


def community_of(
    framework, *, schools: int, teachers: int, name: str, first_number: int = 100
) -> list[int]:
    community = SchoolCommunity.objects.create(name=name)
    return [
        school_with_teachers(
            community=community,
            name=f"{name}{n}",
            number=f"{first_number + n:06d}",
            levels=[1 + (n + t) % 6 for t in range(teachers)],
            framework=framework,
            prefix=f"{name}-{n}-",
        ).pk
        for n in range(schools)
    ]


def queries(digisnap_ids: list[int], *, include_training: bool) -> int:
    with CaptureQueriesContext(connection) as captured:
        report_data(digisnap_ids=digisnap_ids, include_training=include_training)
    return len(captured.captured_queries)


@pytest.mark.parametrize("include_training", [False, True])
def test_the_query_count_does_not_grow_with_schools_or_respondents(framework, include_training):
    small = community_of(framework, schools=2, teachers=5, name="Klein")
    large = community_of(framework, schools=6, teachers=9, name="Groot", first_number=200)
    assert queries(small, include_training=include_training) == queries(
        large, include_training=include_training
    )


def test_a_round_in_progress_is_not_counted(framework, community):
    digisnap_id = community_of(framework, schools=1, teachers=5, name="Bezig")[0]
    user = User.objects.create(email="busy@example.org")
    Response.objects.create(
        user=user, digisnap=Digisnap.objects.get(pk=digisnap_id), framework=framework
    )
    assert latest_submitted([digisnap_id]).count() == 5


def trained(code: str, *, number: int, state: str = Training.State.ACTIVE, **fields) -> Training:
    training = Training.objects.create(
        source="KlasCement",
        external_id=f"kc-{number}",
        title=fields.pop("title", f"Opleiding {number}"),
        provider="KlasCement",
        url=f"https://example.org/kc/{number}",
        level_from=fields.pop("level_from", 1),
        level_to=fields.pop("level_to", 6),
        format=Training.Format.ONLINE,
        language="nl",
        state=state,
        deactivated_at=None if state == Training.State.ACTIVE else timezone.now(),
        **fields,
    )
    TrainingCompetence.objects.create(training=training, competence_code=code)
    return training


def test_trainings_for_the_largest_needs_are_active_ones_only(framework, community):
    ids = community_of(framework, schools=1, teachers=6, name="Nood")
    data = report_data(digisnap_ids=ids, include_training=False)
    need = data.largest_need[0]
    trained(need.row.code, number=1, title="Actieve opleiding")
    trained(need.row.code, number=2, title="Oude opleiding", state=Training.State.STAFF)
    files = build(list(Digisnap.objects.filter(pk__in=ids)), include_training=True)
    html = flat(files.html)
    assert nl("Trainings for the largest needs") in html
    assert "Actieve opleiding" in html and "Oude opleiding" not in html
    assert "Actieve opleiding" in pdf_text(files) and "Oude opleiding" not in pdf_text(files)


def test_without_training_content_the_report_names_no_trainings(framework, community):
    ids = community_of(framework, schools=1, teachers=6, name="Zonder")
    data = report_data(digisnap_ids=ids, include_training=False)
    trained(data.largest_need[0].row.code, number=3, title="Actieve opleiding")
    html = build(list(Digisnap.objects.filter(pk__in=ids))).html
    assert "Actieve opleiding" not in html
    assert nl("Trainings for the largest needs") not in html


def test_largest_and_smallest_need_follow_the_average_level(framework, community):
    ids = community_of(framework, schools=1, teachers=6, name="Rang")
    data = report_data(digisnap_ids=ids, include_training=False)
    # All competences are equal here: the order falls back to the code, and no competence is
    # both a largest and a smallest need.
    largest = [need.row.code for need in data.largest_need]
    smallest = [need.row.code for need in data.smallest_need]
    assert len(largest) == 3 and len(smallest) == 3
    assert not set(largest) & set(smallest)


def test_a_pie_chart_carries_its_label_and_no_style_attributes():
    svg = band_pie(counts=(1, 2, 1), label="Banden")
    assert 'role="img"' in svg and 'aria-label="Banden"' in svg
    assert "style" not in svg
    assert "A 25%" in svg and "B 50%" in svg


def test_the_xlsx_lists_the_needs_and_the_trainings_for_the_largest(framework, community):
    ids = community_of(framework, schools=1, teachers=6, name="Blad")
    need = report_data(digisnap_ids=ids, include_training=False).largest_need[0]
    trained(need.row.code, number=4, title="Actieve opleiding")
    files = build(list(Digisnap.objects.filter(pk__in=ids)), include_training=True)
    workbook = load_workbook(io.BytesIO(files.xlsx))
    largest = list(workbook[nl("Largest need")].iter_rows(min_row=2, values_only=True))
    assert (need.row.code, "Actieve opleiding", "KlasCement") in [
        (row[0], row[4], row[5]) for row in largest
    ]
    assert len(list(workbook[nl("Smallest need")].iter_rows(min_row=2))) == 3
