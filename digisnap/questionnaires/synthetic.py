"""Seeded synthetic teachers and submitted responses, for the demo and for benchmarks.

Rows are written in bulk, but scored with the same rule as a real submission.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.core.levels import HIGHEST, LOWEST, Level
from digisnap.questionnaires.models import Answer, AreaResult, CompetenceResult, Framework, Response
from digisnap.questionnaires.scoring import score_response
from digisnap.questionnaires.selectors import framework_structure
from digisnap.questionnaires.services import area_results_build, competence_results_build
from digisnap.schools.models import Digisnap, Membership

UNKNOWN_CHANCE = 0.06
SYNTHETIC_PASSWORD_HASH = "!"  # noqa: S105 — unusable password: synthetic teachers cannot sign in


def item_areas(framework: Framework) -> dict[int, int]:
    """Item id → area id, for every item of the framework."""
    items_by_competence, competences_by_area = framework_structure(framework_id=framework.pk)
    return {
        item: area
        for area, competences in competences_by_area.items()
        for competence in competences
        for item in items_by_competence[competence]
    }


def synthetic_answers(rng: random.Random, item_ids: list[int], area_of: dict[int, int]) -> dict:
    """A plausible teacher: one overall ability, a bit stronger or weaker per area, some noise."""
    ability = rng.gauss(3.0, 0.9)
    area_bias = {area: rng.gauss(0, 0.6) for area in set(area_of.values())}
    answers = {}
    for item_id in item_ids:
        if rng.random() < UNKNOWN_CHANCE:
            answers[item_id] = Level.UNKNOWN
        else:
            value = ability + area_bias[area_of[item_id]] + rng.gauss(0, 0.7)
            answers[item_id] = max(LOWEST, min(HIGHEST, round(value)))
    return answers


@transaction.atomic
def synthetic_responses(
    *,
    digisnap: Digisnap,
    framework: Framework,
    teachers: int,
    seed: int,
    email_prefix: str,
    submitted_around: datetime.datetime | None = None,
) -> int:
    """Create `teachers` synthetic teachers who each submitted this digisnap once."""
    rng = random.Random(seed)
    items_by_competence, competences_by_area = framework_structure(framework_id=framework.pk)
    area_of = item_areas(framework)
    item_ids = sorted(area_of)
    around = submitted_around or timezone.now()
    users = User.objects.bulk_create(
        User(
            email=f"{email_prefix}{n:04d}@synthetic.digisnap.invalid",
            first_name="Synthetische",
            last_name=f"leerkracht {n}",
            password=SYNTHETIC_PASSWORD_HASH,
        )
        for n in range(1, teachers + 1)
    )
    if not all(u.pk for u in users):  # backends that return no ids from bulk inserts
        users = list(User.objects.filter(email__startswith=email_prefix).order_by("email"))
    Membership.objects.bulk_create(
        Membership(user=user, digisnap=digisnap, role=Membership.Role.TEACHER) for user in users
    )
    responses = Response.objects.bulk_create(
        Response(
            user=user,
            digisnap=digisnap,
            framework=framework,
            status=Response.Status.SUBMITTED,
            submitted_at=around - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 20)),
        )
        for user in users
    )
    answers, competence_rows, area_rows = [], [], []
    for response in responses:
        given = synthetic_answers(rng, item_ids, area_of)
        answers.extend(
            Answer(response=response, item_id=i, level=level, answered_at=response.submitted_at)
            for i, level in given.items()
        )
        competences, areas = score_response(given, items_by_competence, competences_by_area)
        competence_rows.extend(competence_results_build(response=response, scored=competences))
        area_rows.extend(area_results_build(response=response, scored=areas))
    Answer.objects.bulk_create(answers, batch_size=2000)
    CompetenceResult.objects.bulk_create(competence_rows, batch_size=2000)
    AreaResult.objects.bulk_create(area_rows, batch_size=2000)
    return len(responses)
