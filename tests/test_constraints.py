"""The database refuses rows that break the rules, whatever code writes them (SQLite and PostgreSQL)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from digisnap.core.levels import Level
from digisnap.questionnaires.models import (
    Answer,
    AreaResult,
    CompetenceResult,
    NextStep,
    Option,
    Response,
)


def refused(queryset, constraint: str, **values) -> None:
    """Writing `values` into the rows of `queryset` fails on the named check constraint."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        queryset.update(**values)


def test_a_submitted_round_without_its_date_is_refused(submitted):
    refused(
        Response.objects.filter(pk=submitted.pk),
        "response_submitted_at_matches_status",
        submitted_at=None,
    )
    submitted.refresh_from_db()
    assert submitted.submitted_at is not None


def test_a_round_in_progress_with_a_submission_date_is_refused(draft):
    rows = Response.objects.filter(pk=draft.pk)
    refused(rows, "response_submitted_at_matches_status", submitted_at=timezone.now())
    refused(rows, "response_submitted_at_matches_status", status=Response.Status.SUBMITTED)
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (Response.Status.DRAFT, None)


@pytest.mark.parametrize("level", [Level.UNKNOWN, 7])
@pytest.mark.parametrize(
    ("model", "constraint"),
    [
        (CompetenceResult, "competence_result_level_a1_to_c2"),
        (AreaResult, "area_result_level_a1_to_c2"),
    ],
)
def test_a_stored_result_level_outside_a1_to_c2_is_refused(submitted, model, constraint, level):
    rows = model.objects.filter(response=submitted)
    refused(rows, constraint, level=level)
    rows.update(level=Level.C2)  # the highest level itself is fine
    assert set(rows.values_list("level", flat=True)) == {Level.C2}


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("6.01")])
@pytest.mark.parametrize(
    ("model", "constraint"),
    [
        (CompetenceResult, "competence_result_score_0_to_6"),
        (AreaResult, "area_result_score_0_to_6"),
    ],
)
def test_a_stored_score_outside_0_to_6_is_refused(submitted, model, constraint, score):
    rows = model.objects.filter(response=submitted)
    refused(rows, constraint, score=score)
    rows.update(score=Decimal("0.00"))  # a teacher who knows none of the practices scores 0
    assert set(rows.values_list("score", flat=True)) == {Decimal("0.00")}


def test_an_answer_above_c2_is_refused_and_ik_ken_dit_niet_is_kept(draft):
    from tests.conftest import answer_all

    answer_all(draft, level=Level.UNKNOWN)
    rows = Answer.objects.filter(response=draft)
    refused(rows, "answer_level_unknown_to_c2", level=7)
    assert set(rows.values_list("level", flat=True)) == {Level.UNKNOWN}


@pytest.mark.parametrize("level", [Level.UNKNOWN, 7])
@pytest.mark.parametrize(
    ("model", "constraint"),
    [(Option, "option_level_a1_to_c2"), (NextStep, "next_step_level_a1_to_c2")],
)
def test_a_question_bank_level_outside_a1_to_c2_is_refused(framework, model, constraint, level):
    row = model.objects.filter(level=Level.C2).first()
    refused(model.objects.filter(pk=row.pk), constraint, level=level)
    row.refresh_from_db()
    assert row.level == Level.C2
