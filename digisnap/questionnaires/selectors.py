"""Reads for questionnaires: the question bank, a teacher's progress, results and earlier rounds."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Length, Replace, RowNumber
from django.utils import translation

from digisnap.accounts.models import User
from digisnap.questionnaires.models import (
    Answer,
    Area,
    AreaResult,
    Competence,
    CompetenceResult,
    Framework,
    Item,
    Option,
    Response,
)


def framework_current() -> Framework | None:
    return Framework.objects.filter(is_current=True).first()


# An adult reads Dutch or English prose at about 200 words a minute; choosing among six
# statements costs a few seconds more per question than reading them once.
READING_WORDS_PER_MINUTE = 200
CHOOSING_SECONDS_PER_ITEM = 5


@dataclass(frozen=True)
class ReadingTime:
    items: int
    areas: int
    words: int
    minutes: int


def _words(field: str) -> Sum:
    """Words of a text column, summed in the database: spaces plus one (texts are trimmed)."""
    spaces = Length(field) - Length(Replace(field, Value(" "), Value("")))
    return Sum(spaces + 1, output_field=IntegerField())


def framework_reading_time(*, framework: Framework, language: str | None = None) -> ReadingTime:
    """How long reading the questions and statements and choosing an answer takes.

    Counted in the language the page is shown in, whole minutes rounded up.
    """
    language = (language or translation.get_language() or "nl")[:2]
    if language not in ("nl", "en"):
        language = "nl"
    return _reading_time(framework.pk, framework.checksum, language)


@functools.lru_cache(maxsize=32)
def _reading_time(framework_id: int, checksum: str, language: str) -> ReadingTime:
    # A loaded version never changes; the checksum keeps a reused id from hitting an old entry.
    items = Item.objects.filter(competence__area__framework_id=framework_id).aggregate(
        items=Count("pk"),
        areas=Count("competence__area", distinct=True),
        words=_words(f"text_{language}"),
    )
    statements = Option.objects.filter(item__competence__area__framework_id=framework_id).aggregate(
        words=_words(f"text_{language}")
    )
    words = (items["words"] or 0) + (statements["words"] or 0)
    seconds = words * 60 / READING_WORDS_PER_MINUTE + items["items"] * CHOOSING_SECONDS_PER_ITEM
    return ReadingTime(
        items=items["items"], areas=items["areas"], words=words, minutes=math.ceil(seconds / 60)
    )


def answered_count(*, response_id: int) -> int:
    return Answer.objects.filter(response_id=response_id).count()


@functools.lru_cache(maxsize=32)
def framework_item_ids(framework_id: int) -> frozenset[int]:
    """A loaded framework version never changes, so each process remembers its item ids."""
    return frozenset(
        Item.objects.filter(competence__area__framework_id=framework_id).values_list(
            "pk", flat=True
        )
    )


def responses_of_user(*, user: User) -> QuerySet[Response]:
    return (
        Response.objects.filter(user=user)
        .select_related("digisnap__institution")
        .annotate(answered=Count("answers"))
        .order_by("-started_at")
    )


def rounds_of_user(*, user: User) -> QuerySet[Response]:
    """The user's rounds grouped per digisnap (newest first), each numbered within its digisnap
    in the order they were started: «Ronde 1» is the first round of that digisnap."""
    return (
        responses_of_user(user=user)
        .annotate(
            number=Window(
                RowNumber(), partition_by=[F("digisnap_id")], order_by=[F("started_at"), F("pk")]
            )
        )
        .order_by("digisnap__name", "digisnap_id", "-started_at")
    )


def round_number(*, response: Response) -> int:
    """Which round of its digisnap this is for the teacher: 1 for the first one started."""
    earlier = Q(started_at__lt=response.started_at) | Q(
        started_at=response.started_at, pk__lte=response.pk
    )
    return Response.objects.filter(
        earlier, user_id=response.user_id, digisnap_id=response.digisnap_id
    ).count()


def questionnaire_areas(*, framework_id: int) -> list[Area]:
    """The areas in order, with the competences, items and options of each (four queries)."""
    items = Item.objects.order_by("position").prefetch_related("options")
    competences = Competence.objects.order_by("position").prefetch_related(
        Prefetch("items", queryset=items)
    )
    return list(
        Area.objects.filter(framework_id=framework_id)
        .order_by("position")
        .prefetch_related(Prefetch("competences", queryset=competences))
    )


def item_count(*, framework_id: int) -> int:
    return Item.objects.filter(competence__area__framework_id=framework_id).count()


def framework_structure(*, framework_id: int) -> tuple[dict[int, list[int]], dict[int, set[int]]]:
    """(competence id → item ids, area id → competence ids): what scoring needs, in one query."""
    items_by_competence: dict[int, list[int]] = defaultdict(list)
    competences_by_area: dict[int, set[int]] = defaultdict(set)
    for item_id, competence_id, area_id in Item.objects.filter(
        competence__area__framework_id=framework_id
    ).values_list("pk", "competence_id", "competence__area_id"):
        items_by_competence[competence_id].append(item_id)
        competences_by_area[area_id].add(competence_id)
    return dict(items_by_competence), dict(competences_by_area)


def response_answers(*, response: Response) -> dict[int, int]:
    return dict(response.answers.values_list("item_id", "level"))


def unanswered_items(*, response: Response) -> list[Item]:
    return list(
        Item.objects.filter(competence__area__framework_id=response.framework_id)
        .exclude(pk__in=response.answers.values("item_id"))
        .select_related("competence__area")
        .order_by("position")
    )


def first_unanswered_area(*, response: Response) -> Area | None:
    item = (
        Item.objects.filter(competence__area__framework_id=response.framework_id)
        .exclude(pk__in=response.answers.values("item_id"))
        .select_related("competence__area")
        .order_by("position")
        .first()
    )
    return item.competence.area if item else None


def area_progress(*, response: Response) -> list[dict]:
    """Per area: items and answered items, for the page navigation."""
    return list(
        Area.objects.filter(framework_id=response.framework_id)
        .order_by("position")
        .annotate(
            total=Count("competences__items", distinct=True),
            answered=Count(
                "competences__items",
                filter=Q(competences__items__in=response.answers.values("item_id")),
                distinct=True,
            ),
        )
        .values("pk", "code", "title_nl", "title_en", "total", "answered")
    )


class _ComparedToPreviousRound:
    result: CompetenceResult | AreaResult
    previous_level: int | None

    @property
    def change(self) -> int | None:
        """Levels gained (negative: lost) since the previous round; None when it is new."""
        if self.previous_level is None:
            return None
        return self.result.level - self.previous_level


@dataclass
class CompetenceRow(_ComparedToPreviousRound):
    result: CompetenceResult
    previous_level: int | None


@dataclass
class AreaRow(_ComparedToPreviousRound):
    result: AreaResult
    competences: list[CompetenceRow]
    previous_level: int | None


@dataclass
class ChangeCount:
    """How many competences went up, down or stayed since the previous round."""

    higher: int
    lower: int
    same: int


@dataclass
class ResultSummary:
    response: Response
    areas: list[AreaRow]
    previous: Response | None
    overall_score: Decimal

    @property
    def competences(self) -> list[CompetenceRow]:
        return [row for area in self.areas for row in area.competences]

    @property
    def competence_results(self) -> list[CompetenceResult]:
        """The round's competence results in framework order, fetched once for every section."""
        return [row.result for row in self.competences]

    def strongest(self, n: int = 3) -> list[CompetenceRow]:
        return sorted(self.competences, key=lambda r: (-r.result.score, r.result.competence.code))[
            :n
        ]

    def weakest(self, n: int = 3) -> list[CompetenceRow]:
        return sorted(self.competences, key=lambda r: (r.result.score, r.result.competence.code))[
            :n
        ]

    @property
    def changes(self) -> ChangeCount | None:
        """Competences higher, lower and the same as in the previous round (None without one);
        a competence the previous round did not have counts in none of them."""
        if self.previous is None:
            return None
        compared = [row.change for row in self.competences if row.change is not None]
        return ChangeCount(
            higher=sum(1 for c in compared if c > 0),
            lower=sum(1 for c in compared if c < 0),
            same=sum(1 for c in compared if c == 0),
        )


def previous_round(*, response: Response) -> Response | None:
    """The teacher's last submitted round before this one, in any digisnap."""
    return (
        Response.objects.filter(
            user_id=response.user_id,
            status=Response.Status.SUBMITTED,
            submitted_at__lt=response.submitted_at,
        )
        .order_by("-submitted_at")
        .first()
    )


def result_summary(*, response: Response) -> ResultSummary:
    """Everything the result page and PDF show, in a fixed number of queries; the sections of
    higher apps reuse its competence results instead of fetching them again."""
    competence_results = list(
        CompetenceResult.objects.filter(response=response)
        .select_related("competence__area")
        .order_by("competence__area__position", "competence__position")
    )
    area_results = list(
        AreaResult.objects.filter(response=response)
        .select_related("area")
        .order_by("area__position")
    )
    previous = previous_round(response=response)
    previous_competences: dict[str, int] = {}
    previous_areas: dict[str, int] = {}
    if previous is not None:
        # Compared by code, so a round on a newer framework version still lines up.
        previous_competences = dict(
            CompetenceResult.objects.filter(response=previous).values_list(
                "competence__code", "level"
            )
        )
        previous_areas = dict(
            AreaResult.objects.filter(response=previous).values_list("area__code", "level")
        )
    by_area: dict[int, list[CompetenceRow]] = defaultdict(list)
    for result in competence_results:
        by_area[result.competence.area_id].append(
            CompetenceRow(
                result=result, previous_level=previous_competences.get(result.competence.code)
            )
        )
    rows = [
        AreaRow(
            result=area_result,
            previous_level=previous_areas.get(area_result.area.code),
            competences=by_area[area_result.area_id],
        )
        for area_result in area_results
    ]
    overall = (
        sum((a.score for a in area_results), Decimal(0)) / len(area_results)
        if area_results
        else Decimal(0)
    )
    return ResultSummary(
        response=response,
        areas=rows,
        previous=previous,
        overall_score=overall.quantize(Decimal("0.01")),
    )


def rounds_for_export(*, user: User) -> list[Response]:
    """Every round of one person with its answers and stored results, for their own download.

    Four queries whatever the number of rounds.
    """
    answers = Answer.objects.select_related("item__competence").order_by("item__position")
    competence_results = CompetenceResult.objects.select_related("competence__area").order_by(
        "competence__area__position", "competence__position"
    )
    area_results = AreaResult.objects.select_related("area").order_by("area__position")
    return list(
        Response.objects.filter(user=user)
        .select_related("digisnap__institution", "framework")
        .prefetch_related(
            Prefetch("answers", queryset=answers),
            Prefetch("competence_results", queryset=competence_results),
            Prefetch("area_results", queryset=area_results),
        )
        .order_by("started_at", "pk")
    )
