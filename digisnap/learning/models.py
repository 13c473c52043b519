"""The training catalogue (imported, never typed into code), import logs, and teachers' plans."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from digisnap.core.levels import RESULT_LEVEL_CHOICES as TRAINING_LEVELS
from digisnap.core.levels import Level
from digisnap.core.models import Job

# Generous outer bounds: beyond them a value is a typing or unit error, not a real training.
MAX_DURATION_MINUTES = 200_000  # about two years of full-time study
MAX_COST_EUR = Decimal("100000.00")


class TrainingState(models.TextChoices):
    """Active, or inactive for one reason: an import reactivates only what an import deactivated."""

    ACTIVE = "active", _("active")
    MISSING = "missing", _("missing from the latest import")
    STAFF = "staff", _("deactivated by staff")


class Training(models.Model):
    """One course or resource from an external provider, kept in sync by imports."""

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        ON_SITE = "on_site", _("on site")
        SELF_STUDY = "self_study", _("self-study")
        BLENDED = "blended", _("blended")

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    State = TrainingState

    source = models.CharField(_("source"), max_length=60, help_text=_("e.g. KlasCement"))
    external_id = models.CharField(_("external id"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    provider = models.CharField(_("provider"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    level_from = models.PositiveSmallIntegerField(_("from level"), choices=TRAINING_LEVELS)
    level_to = models.PositiveSmallIntegerField(_("to level"), choices=TRAINING_LEVELS)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    cost_eur = models.DecimalField(
        _("cost (euro)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    is_sample = models.BooleanField(
        _("sample content"), default=False, help_text=_("fictitious entry for demos")
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=State.choices,
        default=State.ACTIVE,
        help_text=_(
            "an import reactivates a training it deactivated itself, never one that staff "
            "deactivated"
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the training left the suggestions; set exactly when it is inactive (a constraint).
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="training_unique_id"),
            models.CheckConstraint(
                condition=models.Q(level_to__gte=models.F("level_from")),
                name="training_level_band",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    level_from__gte=Level.A1,
                    level_from__lte=Level.C2,
                    level_to__gte=Level.A1,
                    level_to__lte=Level.C2,
                ),
                name="training_levels_a1_c2",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__isnull=True)
                | models.Q(duration_minutes__gte=0, duration_minutes__lte=MAX_DURATION_MINUTES),
                name="training_duration_bounds",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_eur__isnull=True)
                | models.Q(cost_eur__gte=0, cost_eur__lte=MAX_COST_EUR),
                name="training_cost_bounds",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=TrainingState.values),
                name="training_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(state=TrainingState.ACTIVE, deactivated_at__isnull=True)
                | (~models.Q(state=TrainingState.ACTIVE) & models.Q(deactivated_at__isnull=False)),
                name="training_deactivated_at_matches_state",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "level_from", "level_to"], name="training_state_levels")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.source})"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE


class TrainingCompetence(models.Model):
    """A competence a training serves, by its framework code (stable across framework versions)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="competences")
    competence_code = models.CharField(max_length=10, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["training", "competence_code"], name="training_competence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competence_code}: {self.training_id}"


class CatalogueImport(Job):
    """One run of an import: what was added, updated, deactivated or refused, and why."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"
        JSONLD = "jsonld", "JSON-LD (schema.org Course)"
        FEED = "feed", _("JSON feed over HTTP")

    task_name = "digisnap.learning.tasks.catalogue_import_task"

    # A refused import (bad rows) is finished like a done one; only a failed one is retried.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=60, blank=True, help_text=_("read from the file when not given")
    )
    kind = models.CharField(_("format"), max_length=10, choices=Kind.choices)
    origin = models.CharField(_("file or URL"), max_length=500)
    payload = models.BinaryField(null=True, blank=True, editable=False)
    sample = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_("mark every imported training as fictitious sample content"),
    )
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta(Job.Meta):
        ordering = ["-created_at"]
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class SuggestionMark(models.Model):
    """A teacher's own note on a suggested training: planned or done. Private to the teacher."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestion_marks"
    )
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="marks")
    competence_code = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "training"], name="suggestion_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.training_id} {self.status}"
