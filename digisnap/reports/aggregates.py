"""Selectors for the directors' report: per-band counts and average levels, added up in the
database from the results stored at submit, with privacy applied before anything leaves here:
a digisnap under the minimum never enters a figure (see privacy.py for why that is enough).

The number of queries is the same for one school or twenty, ten respondents or ten thousand:
each query groups by school and competence (or area); Python only adds up those grouped rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import number_format

from digisnap.core.levels import HIGHEST, RESULT_LEVELS, Band, Level, band_of
from digisnap.learning.models import Training
from digisnap.learning.selectors import matching_trainings
from digisnap.questionnaires.models import (
    Area,
    AreaResult,
    Competence,
    CompetenceResult,
    Framework,
    Response,
)
from digisnap.reports import privacy
from digisnap.reports.selectors import with_participation
from digisnap.schools.models import Digisnap, Institution

BANDS: tuple[Band, ...] = tuple(Band)
LEVELS_IN_BAND: dict[Band, tuple[int, ...]] = {
    band: tuple(level.value for level in RESULT_LEVELS if band_of(level) == band) for band in BANDS
}
NEEDS_SHOWN = 3
TRAININGS_PER_NEED = 3


def _tenths(total: int, count: int) -> Decimal:
    """An average level to one decimal, halves rounded up as people expect."""
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BandShare:
    band: Band
    count: int
    percent: int


@dataclass(frozen=True)
class Figure:
    """The band counts and the level sum over a group of respondents, or why they are hidden.

    A hidden figure carries no counts at all, so no template or sheet can leak them.
    """

    respondents: int
    counts: tuple[int, ...] = (0, 0, 0)
    level_sum: int = 0
    hidden: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden

    @property
    def average(self) -> Decimal | None:
        if self.hidden or not self.respondents:
            return None
        return _tenths(self.level_sum, self.respondents)

    @property
    def average_label(self) -> str:
        """The level the average rounds to («B1»)."""
        average = self.average
        if average is None:
            return ""
        return Level(int(average.quantize(Decimal("1"), rounding=ROUND_HALF_UP))).label

    @property
    def bands(self) -> list[BandShare]:
        total = self.respondents or 1
        return [
            BandShare(band, count, round(100 * count / total))
            for band, count in zip(BANDS, self.counts, strict=True)
        ]

    def share(self, band: Band) -> int:
        return self.counts[BANDS.index(band)]

    def suppressed(self, reason: str) -> Figure:
        return Figure(respondents=self.respondents, hidden=reason) if reason else self


def _add(figures: Iterable[Figure]) -> Figure:
    figures = list(figures)
    return Figure(
        respondents=sum(f.respondents for f in figures),
        counts=tuple(sum(f.counts[i] for f in figures) for i in range(len(BANDS))),
        level_sum=sum(f.level_sum for f in figures),
    )


EMPTY = Figure(respondents=0)


@dataclass(frozen=True)
class Change:
    """The same teachers' average level in their previous round and now."""

    before: Decimal
    now: Decimal

    @property
    def difference(self) -> Decimal:
        return self.now - self.before

    @property
    def difference_text(self) -> str:
        """The change with its sign, in the active language («+1,2», «-0,3», «0,0»)."""
        text = number_format(self.difference, decimal_pos=1)
        return f"+{text}" if self.difference > 0 else text


@dataclass(frozen=True)
class Row:
    """An area or a competence with its figures: total, per school, platform, change."""

    code: str
    title: str
    area_position: int
    total: Figure
    schools: tuple[Figure, ...]
    platform: Figure | None
    change: Change | None = None


@dataclass(frozen=True)
class AreaBlock:
    area: Row
    competences: list[Row]


@dataclass(frozen=True)
class School:
    name: str
    respondents: int  # counted respondents only: 0 when hidden
    hidden: str


@dataclass(frozen=True)
class Need:
    row: Row
    target: Level
    trainings: list[Training] = field(default_factory=list)


@dataclass(frozen=True)
class ReportData:
    digisnaps: list[Digisnap]
    respondents: int  # the respondents counted in the figures
    joined_not_submitted: int
    left_out_respondents: int  # of digisnaps under the minimum, counted in no figure
    left_out_digisnaps: int
    counted: frozenset[int]  # the ids of the digisnaps counted in the figures
    minimum: int
    hidden: str  # why the whole report shows no figures, or ""
    schools: list[School]
    areas: list[AreaBlock]
    platform_respondents: int  # 0 when the platform comparison is not shown
    largest_need: list[Need]
    smallest_need: list[Need]
    change_teachers: int  # teachers with an earlier round whose change is shown, else 0
    change_hidden: str
    framework: Framework | None

    @property
    def shown(self) -> bool:
        return not self.hidden

    @property
    def left_out_text(self) -> str:
        if not self.left_out_respondents:
            return ""
        return privacy.left_out_text(
            respondents=self.left_out_respondents, digisnaps=self.left_out_digisnaps
        )

    @property
    def fewer_than(self) -> str:
        return privacy.fewer_than_text()

    def count_shown(self, digisnap: Digisnap) -> bool:
        """Whether the digisnap's count may be printed: it counts, or it has nobody to hide."""
        return digisnap.pk in self.counted or not digisnap.submitted

    @property
    def overview(self) -> list[Row]:
        return [block.area for block in self.areas]

    @property
    def competences(self) -> list[Row]:
        return [row for block in self.areas for row in block.competences]

    @property
    def compares_schools(self) -> bool:
        return len(self.schools) > 1


def _submitted() -> QuerySet[Response]:
    return Response.objects.filter(status=Response.Status.SUBMITTED)


def _later_submitted() -> QuerySet[Response]:
    return _submitted().filter(
        user=OuterRef("user"),
        digisnap=OuterRef("digisnap"),
        submitted_at__gt=OuterRef("submitted_at"),
    )


def latest_submitted(digisnap_ids: Iterable[int] | None = None) -> QuerySet[Response]:
    """Each teacher's latest submitted round per digisnap (all digisnaps when None), so a teacher
    who filled a digisnap in twice counts once, with their newest result."""
    rounds = _submitted()
    if digisnap_ids is not None:
        rounds = rounds.filter(digisnap__in=list(digisnap_ids))
    return rounds.exclude(Exists(_later_submitted()))


def previous_submitted(digisnap_ids: Iterable[int]) -> QuerySet[Response]:
    """Each teacher's round just before their latest one: exactly one later submitted round."""
    later_count = Coalesce(
        Subquery(_later_submitted().order_by().values("user").annotate(n=Count("pk")).values("n")),
        0,
    )
    return (
        _submitted()
        .filter(digisnap__in=list(digisnap_ids))
        .annotate(later=later_count)
        .filter(later=1)
    )


def _band_counts() -> dict:
    """Conditional counts per band and the level sum, for `.annotate()` on result rows."""
    counts = {
        f"band_{band.value}": Count("pk", filter=Q(level__in=LEVELS_IN_BAND[band]))
        for band in BANDS
    }
    return {"respondents": Count("pk"), "level_sum": Sum("level"), **counts}


def _figure(row: dict) -> Figure:
    return Figure(
        respondents=row["respondents"],
        counts=tuple(row[f"band_{band.value}"] for band in BANDS),
        level_sum=row["level_sum"] or 0,
    )


def _grouped(model, responses: QuerySet[Response], key: str, by_school: bool) -> dict:
    """{(school id or None, section id): Figure} from one GROUP BY query."""
    fields = ["response__digisnap__institution_id", key] if by_school else [key]
    rows = (
        model.objects.filter(response__in=responses)
        .values(*fields)
        .annotate(**_band_counts())
        .order_by()
    )
    return {(row.get("response__digisnap__institution_id"), row[key]): _figure(row) for row in rows}


def _change_by_digisnap(digisnap_ids: list[int]) -> dict[int, dict[str, tuple[int, ...]]]:
    """Per digisnap and competence code, for the teachers with an earlier round: how many and
    their level sum in the previous round, and how many and their level sum now.

    By code, since the earlier round may have been filled in on an older framework version. Per
    digisnap, because privacy decides per digisnap which of them may count.
    """
    latest = latest_submitted(digisnap_ids)
    with_earlier = latest.filter(
        Exists(
            previous_submitted(digisnap_ids).filter(
                user=OuterRef("user"), digisnap=OuterRef("digisnap")
            )
        )
    )
    previous = previous_submitted(digisnap_ids)

    def sums(responses: QuerySet[Response]) -> dict[tuple[int, str], tuple[int, int]]:
        rows = (
            CompetenceResult.objects.filter(response__in=responses)
            .values("response__digisnap_id", "competence__code")
            .annotate(n=Count("pk"), total=Sum("level"))
            .order_by()
        )
        return {
            (row["response__digisnap_id"], row["competence__code"]): (row["n"], row["total"])
            for row in rows
        }

    now, before = sums(with_earlier), sums(previous)
    changes: dict[int, dict[str, tuple[int, ...]]] = defaultdict(dict)
    for (digisnap_id, code), (n, total) in now.items():
        earlier_n, earlier_total = before.get((digisnap_id, code), (0, 0))
        if earlier_n:
            changes[digisnap_id][code] = (earlier_n, earlier_total, n, total)
    return changes


def _change_by_code(
    digisnaps: list[Digisnap], counted: set[int]
) -> tuple[int, str, dict[str, Change]]:
    """The teachers with an earlier round who count, why the others do not (or ""), and per
    competence code their average then and now.

    A digisnap's teachers with an earlier round count only when they, and the digisnap's
    teachers without one, are each none or at least the minimum: then every change figure, in
    any report, is a sum over whole parts that reach the minimum.
    """
    per_digisnap = _change_by_digisnap([d.pk for d in digisnaps if d.pk in counted])
    teachers, reason = 0, ""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for digisnap in digisnaps:
        codes = per_digisnap.get(digisnap.pk)
        if not codes:
            continue
        earlier = max(figures[2] for figures in codes.values())
        why = privacy.subset_reason(subset=earlier, whole=digisnap.submitted)
        if why:
            reason = reason or why
            continue
        teachers += earlier
        for code, figures in codes.items():
            sums[code] = [a + b for a, b in zip(sums[code], figures, strict=True)]
    changes = {
        code: Change(before=_tenths(before, n_before), now=_tenths(now, n_now))
        for code, (n_before, before, n_now, now) in sums.items()
    }
    return teachers, ("" if teachers else reason), changes


def _needs(rows: list[Row], *, include_training: bool, language: str) -> tuple[list, list]:
    """The competences with the largest need (lowest average, then most in band A) and the
    smallest, each with the level to reach next and, if asked, the trainings that lead there."""
    ranked = sorted(
        (row for row in rows if row.total.shown and row.total.respondents),
        key=lambda row: (
            row.total.level_sum / row.total.respondents,
            -row.total.counts[0],
            row.code,
        ),
    )
    largest = ranked[:NEEDS_SHOWN]
    smallest = list(reversed(ranked[-NEEDS_SHOWN:])) if len(ranked) > NEEDS_SHOWN else []

    def target(row: Row) -> Level:
        return Level(min(int(row.total.level_sum // row.total.respondents) + 1, HIGHEST))

    trainings: dict[str, list[Training]] = {}
    if include_training and largest:
        trainings = matching_trainings(
            needs={row.code: target(row) for row in largest},
            language=language,
            per_competence=TRAININGS_PER_NEED,
        )
    return (
        [Need(row, target(row), trainings.get(row.code, [])) for row in largest],
        [Need(row, target(row)) for row in smallest],
    )


def report_data(
    *, digisnap_ids: Iterable[int], include_training: bool, language: str = "nl"
) -> ReportData:
    """Everything the report shows, with hidden figures already emptied."""
    ids = sorted(set(digisnap_ids))
    digisnaps = list(
        with_participation(
            Digisnap.objects.filter(pk__in=ids).select_related("institution")
        ).order_by("institution__name", "institution_id", "name", "pk")
    )
    least = privacy.minimum()
    # A digisnap under the minimum counts in no figure of any report (see privacy.py): every
    # figure below is a sum over whole digisnaps that each reach the minimum.
    counted = frozenset(d.pk for d in digisnaps if privacy.counts(d.submitted))
    left_out = [d for d in digisnaps if d.submitted and d.pk not in counted]
    latest = latest_submitted(sorted(counted))

    respondents_by_school: dict[int, int] = {}
    names: dict[int, Institution] = {}
    for digisnap in digisnaps:
        school = digisnap.institution_id
        respondents_by_school[school] = respondents_by_school.get(school, 0) + (
            digisnap.submitted if digisnap.pk in counted else 0
        )
        names[school] = digisnap.institution
    respondents = sum(respondents_by_school.values())
    joined_not_submitted = sum(max(d.joined - d.submitted, 0) for d in digisnaps)
    hidden = privacy.hidden_reason(respondents)

    school_ids = list(respondents_by_school)
    # A school without a counted digisnap is hidden; the others are sums of counted digisnaps,
    # so the total minus the schools shown is empty and no second school has to go.
    school_reasons = {
        school: (hidden or privacy.hidden_reason(n)) for school, n in respondents_by_school.items()
    }
    schools = (
        [
            School(
                names[s].name,
                0 if school_reasons[s] else respondents_by_school[s],
                school_reasons[s],
            )
            for s in school_ids
        ]
        if len(school_ids) > 1
        else []
    )

    # The framework of the counted rounds, or of any round when none counts (for the footer).
    framework_ids = (latest if counted else latest_submitted(ids)).values("framework_id")
    competences = list(
        Competence.objects.filter(area__framework__in=Subquery(framework_ids))
        .select_related("area__framework")
        .order_by("-area__framework__pk", "area__position", "position")
    )
    # Digisnaps filled in on two framework versions: the report follows the newest.
    framework = competences[0].area.framework if competences else None

    competence_figures = _grouped(CompetenceResult, latest, "competence_id", by_school=True)
    area_figures = _grouped(AreaResult, latest, "area_id", by_school=True)

    # The platform counts the same way: only digisnaps whose teachers who submitted (counted as
    # `with_participation` does) reach the minimum.
    counted_everywhere = (
        _submitted()
        .order_by()
        .values("digisnap")
        .annotate(n=Count("user", distinct=True))
        .filter(n__gte=least)
        .values("digisnap")
    )
    platform_latest = latest_submitted().filter(digisnap__in=Subquery(counted_everywhere))
    platform_respondents = platform_latest.filter(framework__in=Subquery(framework_ids)).count()
    platform_on = (
        privacy.platform_shown(platform=platform_respondents, report=respondents) and not hidden
    )
    platform_competences = (
        _grouped(CompetenceResult, platform_latest, "competence_id", by_school=False)
        if platform_on
        else {}
    )
    platform_areas = (
        _grouped(AreaResult, platform_latest, "area_id", by_school=False) if platform_on else {}
    )

    change_teachers, change_hidden, changes = _change_by_code(digisnaps, set(counted))
    if hidden:
        change_teachers, change_hidden, changes = 0, "", {}

    def row(section, figures: dict, platform: dict, *, area_position: int, change=None) -> Row:
        per_school = [figures.get((s, section.pk), EMPTY) for s in school_ids]
        total = _add(per_school)
        # A guard for rows that only part of the counted rounds answer (two framework versions).
        total = total.suppressed(
            hidden or (total.respondents and privacy.hidden_reason(total.respondents)) or ""
        )
        return Row(
            code=section.code,
            title=section.t("title"),
            area_position=area_position,
            total=total,
            schools=tuple(
                EMPTY.suppressed(school_reasons[s]) if school_reasons[s] else figure
                for s, figure in zip(school_ids, per_school, strict=True)
            )
            if schools
            else (),
            platform=platform.get((None, section.pk)) if platform_on else None,
            change=change,
        )

    blocks: list[AreaBlock] = []
    by_area: dict[int, list[Competence]] = defaultdict(list)
    areas: dict[int, Area] = {}
    if framework is not None:
        for competence in competences:
            if competence.area.framework_id == framework.pk:
                by_area[competence.area_id].append(competence)
                areas[competence.area_id] = competence.area
    for area_id, members in by_area.items():
        area = areas[area_id]
        blocks.append(
            AreaBlock(
                area=row(area, area_figures, platform_areas, area_position=area.position),
                competences=[
                    row(
                        c,
                        competence_figures,
                        platform_competences,
                        area_position=area.position,
                        change=changes.get(c.code),
                    )
                    for c in members
                ],
            )
        )
    all_rows = [r for block in blocks for r in block.competences]
    largest, smallest = _needs(all_rows, include_training=include_training, language=language)
    return ReportData(
        digisnaps=digisnaps,
        respondents=respondents,
        joined_not_submitted=joined_not_submitted,
        left_out_respondents=sum(d.submitted for d in left_out),
        left_out_digisnaps=len(left_out),
        counted=counted,
        minimum=least,
        hidden=hidden,
        schools=schools,
        areas=blocks,
        platform_respondents=platform_respondents if platform_on else 0,
        largest_need=largest if not hidden else [],
        smallest_need=smallest if not hidden else [],
        change_teachers=change_teachers if changes else 0,
        change_hidden=change_hidden,
        framework=framework,
    )
