"""The one mechanism for background jobs: claim, run with progress and heartbeat, retry, sweep."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digisnap.core.health import workers_alive
from digisnap.core.models import Job, job_models

logger = logging.getLogger(__name__)

J = TypeVar("J", bound=Job)
Status = Job.Status
# progress(percent, step): a step text in the starter's language, shown under the bar.
Progress = Callable[[int, str], None]
# The work gets the claimed job and the progress callback; it returns the fields to store with
# the final state ("status" among them picks a subclass's own terminal state, e.g. refused).
Work = Callable[[J, Progress], Mapping[str, Any] | None]


class JobFailed(Exception):
    """Raised by a job's work for a failure it can explain; the message is shown as it is."""


class JobLost(Exception):
    """The job is no longer running in this attempt (the sweep failed it): stop the work."""


class JobRetryLater(Exception):
    """Raised by a job's work for a temporary failure: the job goes back in the queue (the
    message kept as its error, so a page shows why it waits) and its task runs again after
    `delay` seconds. `values` are stored with the queued state (e.g. a counter of the work's own).
    The work decides when to stop trying and then fails the job instead."""

    def __init__(self, message: str, *, delay: float, values: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.delay = max(0.0, delay)
        self.values = dict(values or {})


class JobNotRetryable(Exception):
    """Only a failed job can be tried again; a done or refused one needs no second run."""


def job_enqueue(*, job: Job, delay: float = 0) -> None:
    """Hand the job to the worker once the current transaction commits, to run no sooner than
    `delay` seconds from now. A backend that cannot defer (the immediate one of tests and
    development) runs it at once."""
    task = import_string(job.task_name)
    if delay > 0 and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    transaction.on_commit(partial(task.enqueue, job.pk))


def job_run(*, job: J, work: Work) -> J:
    """Claim a queued job, run its work in the starter's language, and record how it ended.

    Claiming is one conditional UPDATE, so a task delivered twice runs once. The final write is
    conditional too (still running, same attempt), so a job the sweep failed stays failed.
    Not one transaction on purpose: «running» and the progress must be visible while it works.
    """
    now = timezone.now()
    model = type(job)
    claimed = model.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        progress=0,
        step="",
        error="",
    )
    job.refresh_from_db()
    if not claimed:
        return job
    current = model.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts)

    def progress(percent: int, step: str) -> None:
        job.progress, job.step = max(0, min(100, percent)), step[:200]
        if not current.update(progress=job.progress, step=job.step, heartbeat_at=timezone.now()):
            raise JobLost(job.pk)

    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(current, stop), name="job-heartbeat", daemon=True)
    beat.start()
    try:
        with translation.override(job.language):
            values = _outcome(job, work, progress)
    finally:
        stop.set()
        beat.join()
    if isinstance(values, JobRetryLater):
        # Back in the queue, not finished: the same row runs again from its new task.
        if current.update(status=Status.QUEUED, progress=0, error=str(values), **values.values):
            job_enqueue(job=job, delay=values.delay)
        else:
            logger.warning("Job %s %s was no longer running; not queued again.", model, job.pk)
    elif values is not None and not current.update(finished_at=timezone.now(), **values):
        logger.warning("Job %s %s was no longer running; its result is dropped.", model, job.pk)
    job.refresh_from_db()
    return job


def _outcome(job: J, work: Work, progress: Progress) -> dict[str, Any] | JobRetryLater | None:
    """The fields of the final state, the request to run again later, or None when the job was
    taken away while it ran."""
    try:
        values = dict(work(job, progress) or {})
    except JobRetryLater as retry:
        return retry
    except JobLost:
        logger.warning("Job %s %s was stopped while it ran.", type(job).__name__, job.pk)
        return None
    except JobFailed as exc:
        return {"status": Status.FAILED, "error": str(exc)}
    except Exception as exc:
        logger.exception("Job %s %s crashed", type(job).__name__, job.pk)
        return {"status": Status.FAILED, "error": f"{type(exc).__name__}: {exc}"}
    values.setdefault("status", Status.DONE)
    values.setdefault("progress", 100)
    return values


def _beat(current: QuerySet, stop: threading.Event) -> None:
    """Keep heartbeat_at fresh while work runs that reports no progress for a while."""
    try:
        while not stop.wait(job_beat_interval()):
            try:
                current.update(heartbeat_at=timezone.now())
            except DatabaseError:  # a missed beat is caught up by the next one
                logger.warning("Job heartbeat could not be written.", exc_info=True)
                connection.close()
    finally:
        connection.close()  # this thread's own connection


def job_beat_interval() -> float:
    """Four beats per timeout, so one slow write does not get a live job swept."""
    return settings.JOB_HEARTBEAT_TIMEOUT_SECONDS / 4


@transaction.atomic
def job_retry(*, job: J) -> J:
    """Put a failed job back in the queue: the same row, error cleared, messages in the
    language of who retried it; enqueued once the transaction commits."""
    retried = (
        type(job)
        .objects.filter(pk=job.pk, status=Status.FAILED)
        .update(
            status=Status.QUEUED,
            progress=0,
            step="",
            error="",
            language=translation.get_language() or settings.LANGUAGE_CODE,
            started_at=None,
            finished_at=None,
            heartbeat_at=None,
        )
    )
    if not retried:
        raise JobNotRetryable(job.pk)
    job.refresh_from_db()
    job_enqueue(job=job)
    return job


def jobs_sweep(*, now: datetime | None = None) -> int:
    """Fail every stuck job of every job model; returns how many."""
    return sum(_sweep(model.objects.all(), now=now) for model in job_models())


def job_sweep(*, job: J) -> J:
    """The one-row sweep a status page runs, so a dead job shows as failed with no worker alive."""
    if job.status == Status.RUNNING and _sweep(type(job).objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


def _sweep(jobs: QuerySet, *, now: datetime | None = None) -> int:
    """Running with no heartbeat for the timeout, or running past the time limit: failed."""
    now = now or timezone.now()
    running = jobs.filter(status=Status.RUNNING)
    stuck = [
        (
            running.filter(
                heartbeat_at__lt=now - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_SECONDS)
            ),
            _silent_reason,
        ),
        (
            running.filter(started_at__lt=now - timedelta(seconds=settings.JOB_TIME_LIMIT_SECONDS)),
            _too_long_reason,
        ),
    ]
    count = 0
    for queryset, reason in stuck:
        languages = queryset.order_by().values_list("language", flat=True).distinct()
        for language in list(languages):
            with translation.override(language):
                count += queryset.filter(language=language).update(
                    status=Status.FAILED, error=reason(), finished_at=now
                )
    if count:
        logger.warning("Marked %d stuck %s job(s) failed.", count, jobs.model.__name__)
    return count


def _silent_reason() -> str:
    return _(
        "The worker stopped while working on this: no sign of life for %(seconds)d seconds. "
        "You can try again."
    ) % {"seconds": settings.JOB_HEARTBEAT_TIMEOUT_SECONDS}


def _too_long_reason() -> str:
    minutes = math.ceil(settings.JOB_TIME_LIMIT_SECONDS / 60)
    return ngettext(
        "This took longer than the limit of %(minutes)d minute and was stopped. You can try again.",
        "This took longer than the limit of %(minutes)d minutes and was stopped. "
        "You can try again.",
        minutes,
    ) % {"minutes": minutes}


def job_waiting_for_worker(job: Job) -> bool:
    """Queued while no worker is alive to take it (tasks run in the request need none)."""
    return job.status == Status.QUEUED and no_worker_alive()


def no_worker_alive() -> bool:
    return settings.TASKS_BACKEND != "immediate" and workers_alive() == 0


def job_status(job: Job) -> dict[str, Any]:
    """What the polling script shows: the same facts the page renders."""
    return {
        "status": job.status,
        "status_display": job.get_status_display(),
        "in_progress": job.in_progress,
        "progress": job.progress,
        "step": job.step,
        "error": job.error,
        "waiting_for_worker": job_waiting_for_worker(job),
    }
