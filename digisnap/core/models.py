"""Operational state shared by all app servers: worker heartbeats, the job model, the cache."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by every task worker every few seconds; /healthz reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class AppendOnly(models.Model):
    """A log row that is written once and never changed (decisions, rights): the record of who
    did what, when and why must not be rewritten afterwards."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} is an append-only log.")
        super().save(*args, **kwargs)


class Job(models.Model):
    """Long work done by the task worker for someone who watches its progress on a page.

    `digisnap.core.jobs` runs, retries and sweeps every concrete subclass; a subclass names its
    task in `task_name` and may add a terminal status of its own (the shared code only knows
    that queued and running are in progress and that failed can be tried again).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    IN_PROGRESS: ClassVar[tuple[str, str]] = (Status.QUEUED, Status.RUNNING)
    # Dotted path of the task that takes the job's primary key and calls the runner.
    task_name: ClassVar[str]

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("reason it failed"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        default=settings.LANGUAGE_CODE,
        help_text=_("the messages the worker writes are in the language of who started it"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="%(app_label)s_%(class)s_progress"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["queued", "running"], finished_at__isnull=True)
                    | (
                        ~models.Q(status__in=["queued", "running"])
                        & models.Q(finished_at__isnull=False)
                    )
                ),
                name="%(app_label)s_%(class)s_finished_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="running")
                | models.Q(started_at__isnull=False, heartbeat_at__isnull=False, attempts__gt=0),
                name="%(app_label)s_%(class)s_running_started",
            ),
        ]

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def retryable(self) -> bool:
        return self.status == self.Status.FAILED


class OutgoingMail(Job):
    """One e-mail, rendered and sent by the task worker (`digisnap.core.mail`).

    A temporary failure of the mail server puts it back in the queue with a growing delay, up
    to MAIL_MAX_ATTEMPTS tries; a permanent one fails it with the server's reply, and a retry
    sends it again. The inherited `language` is that of who queued or retried it (the error
    messages); `mail_language` is the recipient's, in which the e-mail itself is written.
    """

    task_name = "digisnap.core.tasks.mail_send_task"

    recipient = models.EmailField(_("recipient"))
    template = models.CharField(
        _("template"),
        max_length=200,
        help_text=_("path of the templates without the ending: _subject.txt, .txt and .html"),
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    mail_language = models.CharField(_("language of the e-mail"), max_length=10)
    qr_codes = models.JSONField(
        _("QR codes"),
        default=dict,
        blank=True,
        help_text=_("Content-ID → URL: each becomes an inline PNG image"),
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    deferrals = models.PositiveSmallIntegerField(
        default=0, help_text=_("temporary failures in a row since it was queued or retried")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta(Job.Meta):
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.status})"


def job_models() -> list[type[Job]]:
    """Every concrete job model of every installed app (no hand-kept registry to forget)."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, Job)]


class CacheEntry(models.Model):
    """A row of Django's database cache (the table `createcachetable` would make).

    Declared as a model so that `migrate` creates it from a clean checkout: without REDIS_URL the
    cache — rate limits above all — must be shared by every process, which a per-process memory
    cache is not.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "digisnap_cache"

    def __str__(self) -> str:
        return self.cache_key
