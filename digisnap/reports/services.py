"""Writes of the directors' report: ask for one, generate it in the background, try again."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from digisnap.accounts.models import User
from digisnap.core.jobs import JobFailed, Progress, job_enqueue, job_retry, job_run
from digisnap.core.pdf import PdfResourceMissing
from digisnap.reports.document import ReportSpec, report_build
from digisnap.reports.models import Report, ReportEvent
from digisnap.rights.access import digisnaps_administered
from digisnap.schools.models import Digisnap

TITLE_MAX_LENGTH = 200

logger = logging.getLogger(__name__)


def layout_missing_text() -> str:
    return _(
        "The report could not be made: the layout files are missing on the server. "
        "The Digisnap team has been told; try again later."
    )


def storage_failed_text() -> str:
    return _(
        "The report could not be made: it could not be stored on the server. "
        "The Digisnap team has been told; try again later."
    )


def default_title() -> str:
    return _("Directors' report")


def digisnap_scope(digisnap: Digisnap) -> tuple[str, int]:
    """What one report may span: a school community, or a single institution outside any."""
    institution = digisnap.institution
    if institution.community_id is not None:
        return ("community", institution.community_id)
    return ("institution", institution.pk)


@transaction.atomic
def report_request(
    *,
    user: User,
    digisnap_ids: Iterable[int],
    title: str,
    include_training: bool,
    token: uuid.UUID,
) -> Report:
    """Check the choice and queue the report; the same form sent twice gives the same report.

    Every digisnap must be administered by the user today (a valid right and registered), and
    all of them must belong to one school community. Raises ValidationError keyed by the form's
    field names otherwise.
    """
    wanted = set(digisnap_ids)
    if not wanted:
        raise ValidationError({"digisnaps": _("Choose at least one digisnap.")})
    digisnaps = list(
        digisnaps_administered(user)
        .filter(pk__in=wanted)
        .select_related("institution__community")
        .order_by("institution__name", "name", "pk")
    )
    if len(digisnaps) != len(wanted):
        raise ValidationError(
            {
                "digisnaps": _(
                    "You can only choose digisnaps you administer today. "
                    "Reload the page to see them."
                )
            }
        )
    if len({digisnap_scope(digisnap) for digisnap in digisnaps}) > 1:
        raise ValidationError(
            {
                "digisnaps": _(
                    "Choose digisnaps of one school community. For several communities, "
                    "make a report per community."
                )
            }
        )
    report = Report(
        title=title.strip()[:TITLE_MAX_LENGTH] or default_title(),
        community=digisnaps[0].institution.community,
        include_training=include_training,
        created_by=user,
        started_by=user,
        token=token,
        language=translation.get_language() or Report._meta.get_field("language").default,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # The same form again, while the first press is on its way or done: that report.
        existing = Report.objects.filter(token=token).first()
        if existing is None or existing.created_by_id != user.pk:
            raise
        return existing
    report.digisnaps.set(digisnaps)
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.REQUESTED,
        by=user,
        digisnaps=_described(digisnaps),
    )
    job_enqueue(job=report)
    return report


@transaction.atomic
def report_retry(*, report: Report, user: User) -> Report:
    """Queue a failed report again (the same row); raises JobNotRetryable for any other."""
    report = job_retry(job=report)
    ReportEvent.objects.create(
        report=report,
        action=ReportEvent.Action.RETRIED,
        by=user,
        digisnaps=_described(report.digisnaps.select_related("institution")),
    )
    return report


def report_generate(*, report: Report) -> Report:
    """Build and store the report's files through the shared job runner, and log how it ended.
    A report that is no longer queued is left alone (a task delivered twice runs once)."""
    attempts = report.attempts
    report = job_run(job=report, work=_generate)
    if report.attempts != attempts and not report.in_progress:
        done = report.status == Report.Status.DONE
        ReportEvent.objects.create(
            report=report,
            action=ReportEvent.Action.DONE if done else ReportEvent.Action.FAILED,
            by=report.created_by,
            digisnaps=_described(report.digisnaps.select_related("institution")),
            outcome=(
                f"respondents={report.respondents} "
                f"joined_not_submitted={report.joined_not_submitted}"
                if done
                else report.error
            ),
        )
    return report


def _generate(report: Report, progress: Progress) -> dict[str, object]:
    progress(1, _("Collecting the digisnaps"))
    digisnap_ids = tuple(
        report.digisnaps.order_by("institution__name", "name", "pk").values_list("pk", flat=True)
    )
    spec = ReportSpec(
        title=report.title,
        digisnap_ids=digisnap_ids,
        include_training=report.include_training,
        language=report.language,
        generated_at=timezone.now(),
    )
    try:
        files = report_build(spec=spec, progress=progress)
    except PdfResourceMissing as exc:
        # The director reads what happened in plain words; the technical detail (which file,
        # most often collectstatic not run after a deploy) goes to the log for the team.
        logger.error("Report %s: a file for the PDF is missing: %s", report.pk, exc)
        raise JobFailed(layout_missing_text()) from exc
    progress(95, _("Storing the report"))
    base = slugify(report.title)[:60] or "report"
    # Written under new names each run: a retried report never mixes files of two runs.
    stored = {}
    try:
        for field, content in (
            ("html", files.html.encode()),
            ("pdf", files.pdf),
            ("xlsx", files.xlsx),
        ):
            name = f"{base}-{uuid.uuid4().hex[:8]}.{field}"
            file_field = Report._meta.get_field(field)
            stored[field] = file_field.storage.save(
                file_field.generate_filename(report, name), ContentFile(content)
            )
    except OSError as exc:
        # A full disk or a storage that refuses to write: no half-stored report is left behind.
        logger.error("Report %s: its files could not be stored: %s", report.pk, exc)
        for field, name in stored.items():
            Report._meta.get_field(field).storage.delete(name)
        raise JobFailed(storage_failed_text()) from exc
    return {
        **stored,
        "respondents": files.respondents,
        "joined_not_submitted": files.joined_not_submitted,
    }


def _described(digisnaps: Iterable[Digisnap]) -> list[dict[str, object]]:
    return [
        {"id": digisnap.pk, "code": digisnap.code, "name": digisnap.name} for digisnap in digisnaps
    ]
