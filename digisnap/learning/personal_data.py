"""A person's own data as a download (DESIGN §3): their account, memberships, every round with
every answer and stored result, and their marked trainings — as JSON and as CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.core.levels import Level
from digisnap.core.spreadsheet import neutralised
from digisnap.learning.selectors import marked_trainings
from digisnap.questionnaires.models import Response
from digisnap.questionnaires.selectors import rounds_for_export

CSV_COLUMNS = (
    "record",
    "round",
    "digisnap",
    "school",
    "round_status",
    "started_at",
    "submitted_at",
    "framework",
    "code",
    "text",
    "level",
    "points_or_score",
    "link",
    "date",
)


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _level(value: int) -> str:
    return str(Level(value).label)


def _round(response: Response) -> dict[str, Any]:
    return {
        "round": response.pk,
        "digisnap": response.digisnap.name,
        "code": response.digisnap.code,
        "school": response.digisnap.institution.name,
        "status": response.status,
        "started_at": _when(response.started_at),
        "submitted_at": _when(response.submitted_at),
        "framework": f"{response.framework.slug} {response.framework.version}",
        "answers": [
            {
                "item": answer.item.code,
                "competence": answer.item.competence.code,
                "question": answer.item.t("text"),
                "answer": _level(answer.level),
                "points": answer.level,
                "answered_at": _when(answer.answered_at),
            }
            for answer in response.answers.all()
        ],
        "competence_results": [
            {
                "competence": result.competence.code,
                "title": result.competence.t("title"),
                "score": str(result.score),
                "level": _level(result.level),
                "unknown_items": result.unknown_items,
            }
            for result in response.competence_results.all()
        ],
        "area_results": [
            {
                "area": result.area.code,
                "title": result.area.t("title"),
                "score": str(result.score),
                "level": _level(result.level),
            }
            for result in response.area_results.all()
        ],
    }


def personal_data(*, user: User) -> dict[str, Any]:
    """Everything Digisnap keeps about one person, texts in the active language."""
    memberships = user.memberships.select_related("digisnap__institution").order_by("joined_at")
    return {
        "exported_at": _when(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "memberships": [
            {
                "digisnap": membership.digisnap.name,
                "code": membership.digisnap.code,
                "school": membership.digisnap.institution.name,
                "role": membership.role,
                "joined_at": _when(membership.joined_at),
            }
            for membership in memberships
        ],
        "rounds": [_round(response) for response in rounds_for_export(user=user)],
        "marked_trainings": [
            {
                "training": mark.training.title,
                "provider": mark.training.provider,
                "url": mark.training.url,
                "competence": mark.competence_code,
                "status": mark.status,
                "updated_at": _when(mark.updated_at),
            }
            for mark in marked_trainings(user_id=user.pk)
        ],
    }


def personal_data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _csv_rows(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for one in data["rounds"]:
        head = {
            "round": one["round"],
            "digisnap": one["digisnap"],
            "school": one["school"],
            "round_status": one["status"],
            "started_at": one["started_at"],
            "submitted_at": one["submitted_at"],
            "framework": one["framework"],
        }
        for answer in one["answers"]:
            yield {
                **head,
                "record": "answer",
                "code": answer["item"],
                "text": answer["question"],
                "level": answer["answer"],
                "points_or_score": answer["points"],
                "date": answer["answered_at"],
            }
        for result in one["competence_results"]:
            yield {
                **head,
                "record": "competence_result",
                "code": result["competence"],
                "text": result["title"],
                "level": result["level"],
                "points_or_score": result["score"],
            }
        for result in one["area_results"]:
            yield {
                **head,
                "record": "area_result",
                "code": result["area"],
                "text": result["title"],
                "level": result["level"],
                "points_or_score": result["score"],
            }
    for mark in data["marked_trainings"]:
        yield {
            "record": "marked_training",
            "code": mark["competence"],
            "text": f"{mark['training']} ({mark['provider']})",
            "level": mark["status"],
            "link": mark["url"],
            "date": mark["updated_at"],
        }


def personal_data_csv(data: dict[str, Any]) -> bytes:
    """One row per answer, result and marked training; UTF-8 with a BOM and `;`, which Excel in
    Belgium opens as columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in _csv_rows(data):
        # Training titles come from outside imports: every text cell is neutralised.
        writer.writerow({column: neutralised(row.get(column)) for column in CSV_COLUMNS})
    return ("\ufeff" + out.getvalue()).encode("utf-8")
