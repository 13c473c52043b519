"""Learning routes and training suggestions, computed in the database with a fixed query count."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from digisnap.core.levels import Level
from digisnap.learning.models import SuggestionMark, Training, TrainingCompetence
from digisnap.questionnaires.models import (
    Area,
    Competence,
    CompetenceResult,
    NextStep,
    Response,
)
from digisnap.questionnaires.selectors import framework_current

SUGGESTIONS_PER_COMPETENCE = 3
FIRST_STEPS_PER_AREA = 2


def _codes_by_level(levels: dict[str, int]) -> dict[int, list[str]]:
    """Competence codes grouped by level: a condition per level (at most six) rather than one
    per competence keeps the query short to build and to plan."""
    grouped: dict[int, list[str]] = {}
    for code, level in levels.items():
        grouped.setdefault(level, []).append(code)
    return grouped


def matching_trainings(
    *, needs: dict[str, int], language: str, per_competence: int = SUGGESTIONS_PER_COMPETENCE
) -> dict[str, list[Training]]:
    """Per competence code, the best active trainings whose level band covers the wanted level.

    Ranked by: the teacher's language first, then the narrowest band (most targeted), then
    title. One query, however large the catalogue.
    """
    if not needs:
        return {}
    covers = Q()
    for level, codes in _codes_by_level(needs).items():
        covers |= Q(
            competence_code__in=codes,
            training__level_from__lte=level,
            training__level_to__gte=level,
        )
    ranked = (
        TrainingCompetence.objects.filter(covers, training__state=Training.State.ACTIVE)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("competence_code")],
                order_by=[
                    Case(When(training__language=language, then=Value(0)), default=Value(1)).asc(),
                    (F("training__level_to") - F("training__level_from")).asc(),
                    F("training__title").asc(),
                    F("training_id").asc(),
                ],
            )
        )
        .filter(rank__lte=per_competence)
        .select_related("training")
        .order_by("competence_code", "rank")
    )
    found: dict[str, list[Training]] = {code: [] for code in needs}
    for link in ranked:
        found[link.competence_code].append(link.training)
    return found


@dataclass
class Suggestion:
    training: Training
    competence_code: str
    from_level: int
    to_level: int
    mark: str | None = None

    @property
    def from_label(self) -> str:
        return Level(self.from_level).label

    @property
    def to_label(self) -> str:
        return Level(self.to_level).label


@dataclass
class RouteStep:
    result: CompetenceResult
    next_level: int | None
    next_step: NextStep | None
    suggestions: list[Suggestion] = field(default_factory=list)
    first: bool = False

    @property
    def competence(self) -> Competence:
        return self.result.competence

    @property
    def next_label(self) -> str | None:
        return Level(self.next_level).label if self.next_level else None


@dataclass
class AreaRoute:
    area: Area
    steps: list[RouteStep]


def _next_steps(response: Response, targets: dict[str, int]) -> dict[str, NextStep]:
    """The «volgende stap» per competence code, from the round's framework version if it has
    one, else from the newest version that does (older versions had no next-step texts)."""
    if not targets:
        return {}
    wanted = Q()
    for level, codes in _codes_by_level(targets).items():
        wanted |= Q(competence__code__in=codes, level=level)
    rows = (
        NextStep.objects.filter(wanted)
        .select_related("competence")
        .annotate(
            own=Case(
                When(competence__area__framework_id=response.framework_id, then=Value(0)),
                default=Value(1),
            )
        )
        .order_by("own", "-competence__area__framework__loaded_at")
    )
    chosen: dict[str, NextStep] = {}
    for step in rows:
        chosen.setdefault(step.competence.code, step)
    return chosen


def learning_routes(
    *,
    response: Response,
    language: str,
    results: list[CompetenceResult] | None = None,
    marks: dict[int, str] | None = None,
) -> list[AreaRoute]:
    """Per area the competences to work on, lowest level first (framework order breaks ties),
    each with the next level and its «volgende stap»; the ones to begin with («begin hier»)
    with up to three matching trainings (nothing shows trainings for the others).

    Trainings in another language than the teacher's are suggested for a competence only when
    none in their language matches. The result page passes the competence results and marks it
    already holds, so nothing is fetched twice.
    """
    if results is None:
        results = list(
            CompetenceResult.objects.filter(response=response)
            .select_related("competence__area")
            .order_by("competence__area__position", "competence__position")
        )
    targets = {r.competence.code: r.level + 1 for r in results if r.level < Level.C2}
    steps_text = _next_steps(response, targets)
    routes: list[AreaRoute] = []
    for result in results:
        code = result.competence.code
        if not routes or routes[-1].area.pk != result.competence.area_id:
            routes.append(AreaRoute(area=result.competence.area, steps=[]))
        routes[-1].steps.append(
            RouteStep(result=result, next_level=targets.get(code), next_step=steps_text.get(code))
        )
    first_steps = []
    for route in routes:
        route.steps.sort(key=lambda s: (s.result.level, s.result.competence.position))
        for step in route.steps[:FIRST_STEPS_PER_AREA]:
            step.first = step.next_level is not None
            if step.first:
                first_steps.append(step)
    trainings = matching_trainings(
        needs={step.competence.code: step.next_level for step in first_steps}, language=language
    )
    if marks is None:
        marks = dict(
            SuggestionMark.objects.filter(user_id=response.user_id).values_list(
                "training_id", "status"
            )
        )
    for step in first_steps:
        found = trainings.get(step.competence.code, [])
        in_language = [t for t in found if t.language == language]
        step.suggestions = [
            Suggestion(
                training=t,
                competence_code=step.competence.code,
                from_level=step.result.level,
                to_level=step.next_level,
                mark=marks.get(t.pk),
            )
            for t in (in_language or found)
        ]
    return routes


FOCUS_COMPETENCES = 3


@dataclass
class FocusStep:
    """One of the competences a teacher works on first, with at most one training."""

    step: RouteStep
    suggestion: Suggestion | None


def focus_steps(*, routes: list[AreaRoute], count: int = FOCUS_COMPETENCES) -> list[FocusStep]:
    """The competences to work on first: lowest level first, one per area before a second one
    of the same area (so the three are not all from area 1), framework order breaking ties.
    Each gets its best training that no earlier focus step already shows."""
    candidates = sorted(
        (step for route in routes for step in route.steps if step.next_level is not None),
        key=lambda s: (
            s.result.level,
            s.competence.area.position,
            s.competence.position,
        ),
    )
    chosen: list[RouteStep] = []
    areas: set[int] = set()
    for step in candidates:
        if len(chosen) < count and step.competence.area_id not in areas:
            chosen.append(step)
            areas.add(step.competence.area_id)
    for step in candidates:
        if len(chosen) < count and step not in chosen:
            chosen.append(step)
    chosen.sort(key=lambda s: (s.result.level, s.competence.area.position, s.competence.position))
    shown: set[int] = set()
    focus = []
    for step in chosen:
        suggestion = next((s for s in step.suggestions if s.training.pk not in shown), None)
        if suggestion is not None:
            shown.add(suggestion.training.pk)
        focus.append(FocusStep(step=step, suggestion=suggestion))
    return focus


@dataclass
class TrainingSuggestion:
    """A training suggested once, with every competence it is suggested for."""

    training: Training
    reasons: list[Suggestion]
    mark: str | None

    @property
    def competence_code(self) -> str:
        """The competence a mark is recorded for: the first one the training serves."""
        return self.reasons[0].competence_code


def training_suggestions(*, routes: list[AreaRoute]) -> list[TrainingSuggestion]:
    """The trainings for the competences marked «begin hier», each once, in route order."""
    by_training: dict[int, TrainingSuggestion] = {}
    for route in routes:
        for step in route.steps:
            if not step.first:
                continue
            for suggestion in step.suggestions:
                entry = by_training.get(suggestion.training.pk)
                if entry is None:
                    by_training[suggestion.training.pk] = TrainingSuggestion(
                        training=suggestion.training, reasons=[suggestion], mark=suggestion.mark
                    )
                else:
                    entry.reasons.append(suggestion)
    return list(by_training.values())


def marked_trainings(*, user_id: int) -> QuerySet[SuggestionMark]:
    return (
        SuggestionMark.objects.filter(user_id=user_id)
        .select_related("training")
        .order_by("status", "-updated_at")
    )


@dataclass
class CompetenceNeed:
    code: str
    title: str
    respondents: int
    average: Decimal
    beginners: int
    trainings: list[Training]


def competence_needs(
    *, responses: QuerySet[Response], language: str, limit: int = 5
) -> list[CompetenceNeed]:
    """For a set of submitted rounds: the competences with the largest need (lowest average
    level, then most beginners) and the best-matching trainings for the next level up.

    Aggregated in the database; a fixed number of queries however many rounds there are.
    """
    rows = list(
        CompetenceResult.objects.filter(response__in=responses)
        .values("competence__code")
        .annotate(
            respondents=Count("response", distinct=True),
            average=Avg("level"),
            beginners=Count("pk", filter=Q(level__lte=Level.A2)),
        )
        .order_by("average", "-beginners", "competence__code")[:limit]
    )
    needs = {row["competence__code"]: min(int(row["average"]) + 1, Level.C2) for row in rows}
    trainings = matching_trainings(needs=needs, language=language)
    framework = framework_current()
    titles = {}
    if framework is not None:
        titles = {
            c.code: c.t("title")
            for c in Competence.objects.filter(area__framework=framework, code__in=needs)
        }
    return [
        CompetenceNeed(
            code=row["competence__code"],
            title=titles.get(row["competence__code"], ""),
            respondents=row["respondents"],
            average=Decimal(str(row["average"])).quantize(Decimal("0.01")),
            beginners=row["beginners"],
            trainings=trainings.get(row["competence__code"], []),
        )
        for row in rows
    ]
