"""Writes for the training catalogue: importing (all or nothing, idempotent), (de)activating,
and teachers marking a suggested training as planned or done."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from digisnap.accounts.models import User
from digisnap.core.jobs import JobFailed, Progress, job_enqueue, job_retry, job_run
from digisnap.learning.importers import (
    FILE_ROW,
    Catalogue,
    FeedError,
    RowError,
    TrainingRow,
    check_import_size,
    fetch_feed,
    read_catalogue,
    settle_source,
)
from digisnap.learning.models import (
    CatalogueImport,
    SuggestionMark,
    Training,
    TrainingCompetence,
)
from digisnap.questionnaires.models import Competence
from digisnap.questionnaires.selectors import framework_current

MAX_STORED_ERRORS = 1000
SYNCED_FIELDS = (
    "title",
    "provider",
    "url",
    "description",
    "level_from",
    "level_to",
    "format",
    "duration_minutes",
    "language",
    "cost_eur",
)
Status = CatalogueImport.Status


@transaction.atomic
def catalogue_import_create(
    *,
    kind: str,
    origin: str,
    payload: bytes | None = None,
    source: str = "",
    sample: bool = False,
    started_by: User | None = None,
) -> CatalogueImport:
    """A queued import; `catalogue_import_run` (directly or through the task) does the work.

    Its messages will be in the language active now, the language of who started it.
    """
    catalogue_import = CatalogueImport(
        kind=kind,
        origin=origin[:500],
        payload=payload,
        source=source.strip(),
        sample=sample,
        started_by=started_by,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    catalogue_import.full_clean()
    catalogue_import.save()
    return catalogue_import


@transaction.atomic
def catalogue_import_request(
    *,
    kind: str,
    origin: str,
    payload: bytes | None = None,
    source: str = "",
    sample: bool = False,
    started_by: User | None = None,
) -> CatalogueImport:
    """Queue an import and hand it to the background worker once this transaction commits."""
    catalogue_import = catalogue_import_create(
        kind=kind,
        origin=origin,
        payload=payload,
        source=source,
        sample=sample,
        started_by=started_by,
    )
    job_enqueue(job=catalogue_import)
    return catalogue_import


def catalogue_import_feed_request(*, started_by: User | None) -> CatalogueImport:
    """Fetch the configured feed in the background (the staff page's «fetch the feed now»)."""
    return catalogue_import_request(
        kind=CatalogueImport.Kind.FEED,
        origin=settings.TRAINING_FEED_URL,
        source=settings.TRAINING_FEED_SOURCE,
        started_by=started_by,
    )


def catalogue_import_retry(*, catalogue_import: CatalogueImport) -> CatalogueImport:
    """Queue a failed import again (the same row, the same URL or uploaded file).

    Raises JobNotRetryable for any other import: a refused one needs a corrected file.
    """
    return job_retry(job=catalogue_import)


def catalogue_import_run(*, catalogue_import: CatalogueImport) -> CatalogueImport:
    """Run a queued import through the shared job runner: fetch or read, check every row, then
    apply everything or nothing. An import that is no longer queued is left alone."""
    return job_run(job=catalogue_import, work=_import_work)


def _import_work(catalogue_import: CatalogueImport, progress: Progress) -> dict[str, object]:
    """The import itself; the catalogue changes in one atomic step, and a failure is recorded by
    the runner after they were rolled back."""
    if catalogue_import.kind == CatalogueImport.Kind.FEED:
        progress(5, _("Fetching the feed"))
        try:
            payload = fetch_feed(
                catalogue_import.origin,
                timeout=settings.TRAINING_FEED_TIMEOUT_SECONDS,
                max_bytes=settings.TRAINING_FEED_MAX_BYTES,
            )
        except FeedError as exc:
            raise JobFailed(str(exc)) from exc
    else:
        progress(5, _("Reading the file"))
        payload = bytes(catalogue_import.payload or b"")
    progress(30, _("Checking the rows"))
    catalogue = _read(catalogue_import, payload)
    settled = {"source": catalogue_import.source, "kind": catalogue_import.kind}
    if catalogue.errors:
        return {
            **settled,
            "status": Status.REFUSED,
            "errors": [error.as_dict() for error in catalogue.errors[:MAX_STORED_ERRORS]],
            "refused": catalogue.refused_rows,
        }
    progress(70, _("Applying the changes to the catalogue"))
    counts = catalogue_apply(
        source=catalogue_import.source, rows=catalogue.rows, sample=catalogue.sample
    )
    return {**settled, "status": Status.DONE, **counts}


def _read(catalogue_import: CatalogueImport, payload: bytes) -> Catalogue:
    """Parse the payload and settle the source: the one given, else the one the file names."""
    kind = (
        CatalogueImport.Kind.JSON
        if catalogue_import.kind == CatalogueImport.Kind.FEED
        else catalogue_import.kind
    )
    try:
        check_import_size(len(payload))  # also for a file queued before the limit was lowered
    except ValidationError as exc:
        return Catalogue(kind=kind, errors=[RowError(FILE_ROW, "", exc.messages[0])])
    framework = framework_current()
    if framework is None:
        return Catalogue(
            kind=kind,
            errors=[
                RowError(
                    FILE_ROW,
                    "competences",
                    _("No framework is loaded, so no competence code can be checked."),
                )
            ],
        )
    codes = Competence.objects.filter(area__framework=framework).values_list("code", flat=True)
    catalogue = read_catalogue(payload, kind=kind, competence_codes=codes)
    if catalogue_import.kind != CatalogueImport.Kind.FEED:
        catalogue_import.kind = catalogue.kind
    try:
        catalogue_import.source = settle_source(
            kind=catalogue_import.kind, given=catalogue_import.source, named=catalogue.source
        )
    except ValidationError as exc:
        catalogue.errors.insert(0, RowError(FILE_ROW, "source", exc.messages[0]))
    catalogue.sample = catalogue.sample or catalogue_import.sample
    return catalogue


@transaction.atomic
def catalogue_apply(*, source: str, rows: list[TrainingRow], sample: bool) -> dict[str, int]:
    """Make the catalogue of one source equal to `rows`; other sources are never touched.

    New rows are added; changed ones updated (competences re-synced); rows that come back are
    reactivated unless staff deactivated them; active rows that are absent are deactivated,
    never deleted. Unchanged rows are not written, so their `updated_at` stays.
    """
    now = timezone.now()
    # Locking the source's rows makes a second import of the same source wait for this one.
    existing = {
        training.external_id: training
        for training in Training.objects.select_for_update().filter(source=source)
    }
    links: dict[int, dict[str, int]] = defaultdict(dict)
    for link_id, training_id, code in TrainingCompetence.objects.filter(
        training__source=source
    ).values_list("pk", "training_id", "competence_code"):
        links[training_id][code] = link_id

    new: list[tuple[Training, TrainingRow]] = []
    changed: list[Training] = []
    new_links: list[TrainingCompetence] = []
    stale_links: list[int] = []
    unchanged = 0
    for row in rows:
        training = existing.pop(row.external_id, None)
        if training is None:
            training = Training(source=source, external_id=row.external_id, is_sample=sample)
            _copy(row, training)
            training.full_clean(validate_unique=False, validate_constraints=False)
            new.append((training, row))
            continue
        is_changed = _copy(row, training) | (training.is_sample != sample)
        training.is_sample = sample
        if training.state == Training.State.MISSING:  # what staff deactivated stays so
            training.state, training.deactivated_at = Training.State.ACTIVE, None
            is_changed = True
        current = links[training.pk]
        if set(current) != row.competences:
            is_changed = True
            stale_links += [link for code, link in current.items() if code not in row.competences]
            new_links += [
                TrainingCompetence(training=training, competence_code=code)
                for code in sorted(row.competences - set(current))
            ]
        if is_changed:
            training.updated_at = now
            training.full_clean(validate_unique=False, validate_constraints=False)
            changed.append(training)
        else:
            unchanged += 1

    Training.objects.bulk_update(
        changed,
        [*SYNCED_FIELDS, "is_sample", "state", "deactivated_at", "updated_at"],
        batch_size=500,
    )
    Training.objects.bulk_create([training for training, _row in new], batch_size=500)
    for training, row in new:  # both engines return the new primary keys
        new_links += [
            TrainingCompetence(training=training, competence_code=code)
            for code in sorted(row.competences)
        ]
    TrainingCompetence.objects.filter(pk__in=stale_links).delete()
    TrainingCompetence.objects.bulk_create(new_links, batch_size=1000)

    gone = [training.pk for training in existing.values() if training.is_active]
    Training.objects.filter(pk__in=gone).update(
        state=Training.State.MISSING, deactivated_at=now, updated_at=now
    )
    return {
        "added": len(new),
        "updated": len(changed),
        "unchanged": unchanged,
        "deactivated": len(gone),
    }


def _copy(row: TrainingRow, training: Training) -> bool:
    """Copy the row's fields onto the training; True when any of them differed."""
    differs = False
    for name in SYNCED_FIELDS:
        value = getattr(row, name)
        if getattr(training, name) != value:
            setattr(training, name, value)
            differs = True
    return differs


@transaction.atomic
def training_deactivate(*, training: Training) -> Training:
    """Staff take a training out of suggestions; imports keep it inactive until staff undo it."""
    if training.state != Training.State.STAFF:
        training.state = Training.State.STAFF
        # Already out of suggestions because an import missed it: that moment stays the date.
        training.deactivated_at = training.deactivated_at or timezone.now()
        training.save(update_fields=["state", "deactivated_at", "updated_at"])
    return training


@transaction.atomic
def training_reactivate(*, training: Training) -> Training:
    """Staff put a training back; an import deactivates it again if its source dropped it."""
    if training.state != Training.State.ACTIVE:
        training.state = Training.State.ACTIVE
        training.deactivated_at = None
        training.save(update_fields=["state", "deactivated_at", "updated_at"])
    return training


@transaction.atomic
def suggestion_mark(*, user: User, training: Training, competence_code: str, status: str) -> None:
    """Note that a teacher plans or did a suggested training; "clear" removes the note."""
    if status == "clear":
        SuggestionMark.objects.filter(user=user, training=training).delete()
        return
    mark = SuggestionMark(
        user=user, training=training, competence_code=competence_code, status=status
    )
    mark.full_clean(validate_unique=False, validate_constraints=False)
    SuggestionMark.objects.update_or_create(
        user=user,
        training=training,
        defaults={"competence_code": competence_code, "status": status},
    )
