"""The directors' report: one generation job with its stored files, and the log of generations."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from digisnap.core.models import AppendOnly, Job
from digisnap.schools.models import Digisnap, SchoolCommunity


def report_storage() -> Storage:
    """Where report files live: the `reports` storage of STORAGES (a private directory under
    MEDIA_ROOT by default, an S3-compatible bucket with REPORT_STORAGE=s3). Never served by a
    public URL: every download goes through a view that checks access again."""
    return storages["reports"]


def report_upload_to(report: Report, filename: str) -> str:
    return f"reports/{report.pk}/{filename}"


class Report(Job):
    """A directors' report over digisnaps of one school community, generated in the background.

    The files are written once, when the job is done: a teacher who deletes their data later
    does not change a report already generated. Who may read it is decided on every request
    (reports.access): every digisnap must be administered by the reader that day.
    """

    task_name = "digisnap.reports.tasks.report_generate_task"

    title = models.CharField(_("title"), max_length=200)
    digisnaps = models.ManyToManyField(
        Digisnap, verbose_name=_("digisnaps"), related_name="reports"
    )
    # Null only for the digisnaps of an institution outside any school community.
    community = models.ForeignKey(
        SchoolCommunity,
        verbose_name=_("school community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    include_training = models.BooleanField(_("KlasCement content"), default=False)
    # SET_NULL: a director's or teacher's account deletion leaves the report as it is.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # One per rendered form: pressing «Genereer» twice (two tabs, a double click, a resend)
    # finds the report the first press made instead of making a second one.
    token = models.UUIDField(unique=True, editable=False)
    html = models.FileField(
        _("web page"), storage=report_storage, upload_to=report_upload_to, blank=True
    )
    pdf = models.FileField(_("PDF"), storage=report_storage, upload_to=report_upload_to, blank=True)
    xlsx = models.FileField(
        _("spreadsheet"), storage=report_storage, upload_to=report_upload_to, blank=True
    )
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    joined_not_submitted = models.PositiveIntegerField(
        _("joined but not submitted"), null=True, blank=True
    )

    class Meta(Job.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("directors' report")
        verbose_name_plural = _("directors' reports")
        constraints = [
            *Job.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | (~models.Q(pdf="") & ~models.Q(xlsx="") & ~models.Q(html="")),
                name="reports_report_done_has_files",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.title


class ReportEvent(AppendOnly):
    """The append-only log of the directors' reports: who asked for which digisnaps, when, and
    how each run ended. The digisnaps are copied in, so the log reads the same later on."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("requested")
        RETRIED = "retried", _("tried again")
        DONE = "done", _("generated")
        FAILED = "failed", _("failed")

    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    # [{"id": …, "code": …, "name": …}, …] as they were at that moment.
    digisnaps = models.JSONField(_("digisnaps"), default=list)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report_id} — {self.get_action_display()}"
