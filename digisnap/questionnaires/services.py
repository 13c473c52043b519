"""Writes for questionnaires: loading frameworks, starting rounds, saving answers, submitting."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digisnap.accounts.models import User
from digisnap.core.levels import Level
from digisnap.questionnaires.loader import FrameworkSpec, read_framework
from digisnap.questionnaires.models import (
    Answer,
    Area,
    AreaResult,
    Competence,
    CompetenceResult,
    Framework,
    Item,
    NextStep,
    Option,
    Response,
)
from digisnap.questionnaires.scoring import score_response
from digisnap.questionnaires.selectors import (
    framework_current,
    framework_item_ids,
    framework_structure,
    unanswered_items,
)
from digisnap.schools.models import Digisnap
from digisnap.schools.services import membership_join


class FrameworkConflict(Exception):
    """The version is already loaded with other content: versions are immutable once loaded."""


@transaction.atomic
def framework_load(*, path: Path, make_current: bool = True) -> tuple[Framework, bool]:
    """Load a framework file; loading the same version again changes nothing.

    Returns (framework, created). Raises FrameworkFileError for a malformed file and
    FrameworkConflict when that version exists with different content; nothing is written then.
    """
    spec = read_framework(path)
    existing = Framework.objects.filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        if existing.checksum != spec.checksum:
            raise FrameworkConflict(
                f"{path}: version {spec.version} of '{spec.slug}' is already loaded with other "
                "content; give the changed file a new version."
            )
        return existing, False
    framework = _framework_create(spec)
    framework_item_ids.cache_clear()
    if make_current:
        Framework.objects.filter(is_current=True).update(is_current=False)
        framework.is_current = True
        framework.save(update_fields=["is_current"])
    return framework, True


def _framework_create(spec: FrameworkSpec) -> Framework:
    framework = Framework.objects.create(
        slug=spec.slug,
        version=spec.version,
        name_nl=spec.name["nl"],
        name_en=spec.name["en"],
        attribution_nl=spec.attribution["nl"],
        attribution_en=spec.attribution["en"],
        checksum=spec.checksum,
    )
    item_position = 0
    for area_position, area_spec in enumerate(spec.areas, start=1):
        area = Area.objects.create(
            framework=framework,
            code=area_spec.code,
            position=area_position,
            title_nl=area_spec.title["nl"],
            title_en=area_spec.title["en"],
            description_nl=area_spec.description["nl"],
            description_en=area_spec.description["en"],
        )
        for competence_position, competence_spec in enumerate(area_spec.competences, start=1):
            competence = Competence.objects.create(
                area=area,
                code=competence_spec.code,
                position=competence_position,
                title_nl=competence_spec.title["nl"],
                title_en=competence_spec.title["en"],
                description_nl=competence_spec.description["nl"],
                description_en=competence_spec.description["en"],
            )
            NextStep.objects.bulk_create(
                NextStep(competence=competence, level=level, text_nl=text["nl"], text_en=text["en"])
                for level, text in competence_spec.next_steps.items()
            )
            for item_spec in competence_spec.items:
                item_position += 1
                item = Item.objects.create(
                    competence=competence,
                    code=item_spec.code,
                    position=item_position,
                    text_nl=item_spec.text["nl"],
                    text_en=item_spec.text["en"],
                )
                Option.objects.bulk_create(
                    Option(item=item, level=level, text_nl=text["nl"], text_en=text["en"])
                    for level, text in item_spec.options.items()
                )
    return framework


@transaction.atomic
def digisnap_join_and_start(*, user: User, digisnap: Digisnap) -> Response:
    """Join a digisnap as a teacher and open (or resume) a round in it, all or nothing."""
    response = response_start(user=user, digisnap=digisnap)
    membership_join(user=user, digisnap=digisnap)
    return response


def _ensure_open(digisnap: Digisnap) -> None:
    """Closing a digisnap stops new rounds (rounds already started can still be finished)."""
    today = timezone.localdate()
    if digisnap.is_open(today):
        return
    if digisnap.opens_on is not None and today < digisnap.opens_on:
        raise ValidationError(
            _("This digisnap opens on %(date)s. You can start then.")
            % {"date": formats.date_format(digisnap.opens_on, "j F Y")}
        )
    raise ValidationError(_("This digisnap is closed; you cannot start a new round."))


@transaction.atomic
def response_start(*, user: User, digisnap: Digisnap) -> Response:
    """The teacher's round in progress for this digisnap, or a new one on the current framework.

    Raises ValidationError when the digisnap is not open today (Europe/Brussels) or no
    questionnaire is loaded.
    """
    _ensure_open(digisnap)
    draft = Response.objects.filter(
        user=user, digisnap=digisnap, status=Response.Status.DRAFT
    ).first()
    if draft is not None:
        return draft
    framework = framework_current()
    if framework is None:
        raise ValidationError(_("There is no questionnaire loaded yet. Ask the Digisnap team."))
    try:
        with transaction.atomic():
            return Response.objects.create(user=user, digisnap=digisnap, framework=framework)
    except IntegrityError:
        # A double click started the same round twice; the constraint kept one.
        return Response.objects.get(user=user, digisnap=digisnap, status=Response.Status.DRAFT)


def clock_ms() -> int:
    """The server's clock in milliseconds: the scale of Answer.sequence."""
    return int(timezone.now().timestamp() * 1000)


# Two saves of one item may arrive in either order: the row is written only when the incoming
# choice is not older than the stored one, in the same statement, so no read-then-write race
# remains. Equal moments (the same millisecond, or a frozen clock in tests) keep the last write.
# PostgreSQL and SQLite (3.24+) share this upsert syntax.
_ANSWER_UPSERT = (
    "INSERT INTO {table} (response_id, item_id, level, answered_at, sequence) VALUES {rows} "
    "ON CONFLICT (response_id, item_id) DO UPDATE SET level = excluded.level, "
    "answered_at = excluded.answered_at, sequence = excluded.sequence "
    "WHERE {table}.sequence <= excluded.sequence RETURNING item_id"
)


@transaction.atomic
def answers_save(
    *,
    response: Response,
    levels: Mapping[int, int],
    sequences: Mapping[int, int] | None = None,
) -> set[int]:
    """Store answers (item id → level) of an open round in one upsert; a newer choice overwrites.

    `sequences` (item id → when the choice was made, see clock_ms) orders saves of one item that
    arrive out of order; an item without one counts as chosen now (the page form). A choice older
    than the stored one is skipped. Returns the ids of the items written.

    Who may answer is decided before (questionnaires.access); this decides what may be stored,
    all or nothing. The round is locked while the answers are written, so answers racing a submit
    either land before the scoring or are refused: stored answers always match stored results.
    """
    if not levels:
        return set()
    if not set(levels.values()) <= set(Level.values):
        raise ValidationError(_("Choose one of the answers."))
    status = (
        Response.objects.select_for_update(no_key=True)
        .filter(pk=response.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status != Response.Status.DRAFT:
        raise ValidationError(_("This questionnaire was already submitted."))
    if not levels.keys() <= framework_item_ids(response.framework_id):
        raise ValidationError(_("This question is not part of your questionnaire."))
    answered_at = connection.ops.adapt_datetimefield_value(timezone.now())
    # A sequence from a client's future would lock its answer against later changes.
    latest = clock_ms()
    sequences = sequences or {}
    params: list = []
    for item_id, level in sorted(levels.items()):
        sequence = min(sequences.get(item_id, latest), latest + 60_000)
        params += [response.pk, item_id, level, answered_at, sequence]
    table = connection.ops.quote_name(Answer._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(levels))
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_UPSERT.format(table=table, rows=rows), params)
        return {row[0] for row in cursor.fetchall()}


@transaction.atomic
def response_discard(*, response: Response) -> None:
    """Delete a round in progress with its answers; a submitted round is never deleted.

    The round is locked first, so a submit racing the discard either scores it before (and the
    discard is refused) or finds it gone.
    """
    status = (
        Response.objects.select_for_update()
        .filter(pk=response.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status is None:  # discarded already, e.g. by a double click
        return
    if status != Response.Status.DRAFT:
        raise ValidationError(_("This round was submitted; a submitted round is kept."))
    Response.objects.filter(pk=response.pk).delete()


def response_visit_area(*, response: Response, area: Area) -> None:
    """Remember the page a teacher is on, so coming back resumes exactly there."""
    if response.current_area_id != area.pk and not response.is_submitted:
        Response.objects.filter(pk=response.pk).update(current_area=area)
        response.current_area = area


def competence_results_build(
    *, response: Response, scored: dict[int, tuple[Decimal, int, int]]
) -> list[CompetenceResult]:
    """Unsaved result rows for scored competences (see scoring.score_response)."""
    return [
        CompetenceResult(
            response=response, competence_id=cid, score=score, level=level, unknown_items=unknown
        )
        for cid, (score, level, unknown) in scored.items()
    ]


def area_results_build(
    *, response: Response, scored: dict[int, tuple[Decimal, int]]
) -> list[AreaResult]:
    return [
        AreaResult(response=response, area_id=aid, score=score, level=level)
        for aid, (score, level) in scored.items()
    ]


@transaction.atomic
def response_submit(*, response: Response) -> Response:
    """Score a complete round and store the levels; submitting twice is harmless."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.is_submitted:
        return response
    missing = unanswered_items(response=response)
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)d question still needs an answer.",
                "%(count)d questions still need an answer.",
                len(missing),
            )
            % {"count": len(missing)}
        )
    answers = dict(response.answers.values_list("item_id", "level"))
    structure = framework_structure(framework_id=response.framework_id)
    competences, areas = score_response(answers, *structure)
    CompetenceResult.objects.bulk_create(
        competence_results_build(response=response, scored=competences)
    )
    AreaResult.objects.bulk_create(area_results_build(response=response, scored=areas))
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at"])
    return response
