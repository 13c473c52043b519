"""The question bank (loaded from versioned YAML), teachers' responses, answers and stored results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from digisnap.core.levels import HIGHEST, LOWEST, Band, Level, band_of
from digisnap.schools.models import Digisnap


def _within(field: str, lowest: int, highest: int, *, name: str) -> models.CheckConstraint:
    """A database check that a stored number stays within a range, whatever code writes it."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": lowest, f"{field}__lte": highest}), name=name
    )


class Translated(models.Model):
    """Texts stored per language; `t("title")` returns the active language's text."""

    class Meta:
        abstract = True

    def t(self, field: str) -> str:
        language = (translation.get_language() or "nl")[:2]
        return getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_nl")


class Framework(Translated):
    slug = models.SlugField(_("slug"))
    version = models.CharField(_("version"), max_length=20)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    attribution_nl = models.TextField()
    attribution_en = models.TextField()
    checksum = models.CharField(max_length=64, help_text=_("SHA-256 of the loaded YAML file"))
    is_current = models.BooleanField(_("current"), default=False)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_unique_version"),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} {self.version}"


class Section(Translated):
    """An area or a competence: a coded, ordered part of the framework with a title and text."""

    code = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField()
    title_nl = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    description_nl = models.TextField()
    description_en = models.TextField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.title_nl}"


class Area(Section):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_unique_code")
        ]


class Competence(Section):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competences")

    class Meta:
        ordering = ["area__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="competence_unique_code")
        ]


class NextStep(Translated):
    """The «volgende stap» towards a level of a competence: our own words, from the YAML."""

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="next_steps")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    text_nl = models.TextField()
    text_en = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competence", "level"], name="next_step_unique_level"),
            _within("level", LOWEST, HIGHEST, name="next_step_level_a1_to_c2"),
        ]

    def __str__(self) -> str:
        return f"{self.competence.code} → {self.get_level_display()}"


class Item(Translated):
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=12)
    position = models.PositiveSmallIntegerField(help_text=_("order in the whole questionnaire"))
    text_nl = models.TextField()
    text_en = models.TextField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["competence", "code"], name="item_unique_code")
        ]

    def __str__(self) -> str:
        return self.code


class Option(Translated):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    text_nl = models.TextField()
    text_en = models.TextField()

    class Meta:
        ordering = ["item", "level"]
        constraints = [
            models.UniqueConstraint(fields=["item", "level"], name="option_unique_level"),
            _within("level", LOWEST, HIGHEST, name="option_level_a1_to_c2"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_level_display()}"


class Response(models.Model):
    """One round of one teacher filling in a digisnap's questionnaire."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in progress")
        SUBMITTED = "submitted", _("submitted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses"
    )
    digisnap = models.ForeignKey(Digisnap, on_delete=models.PROTECT, related_name="responses")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "digisnap"],
                condition=models.Q(status="draft"),
                name="one_draft_per_digisnap",
            ),
            # Reports count submitted rounds by date: a submitted round always has its date,
            # and a round in progress never has one.
            models.CheckConstraint(
                condition=models.Q(status="draft", submitted_at__isnull=True)
                | models.Q(status="submitted", submitted_at__isnull=False),
                name="response_submitted_at_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["digisnap", "status"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.digisnap} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    answered_at = models.DateTimeField()
    # When the choice was made, in milliseconds of the server's clock (the autosave script sends
    # it; the page form uses the time of the post). Saves of one item can arrive out of order;
    # an answer is stored only over an older one, so the last click wins.
    sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_unique_item"),
            _within("level", Level.UNKNOWN, HIGHEST, name="answer_level_unknown_to_c2"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.get_level_display()}"


class CompetenceResult(models.Model):
    """A competence's level for a submitted response, stored so reports never rescore answers."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="competence_results"
    )
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=4, decimal_places=2)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    unknown_items = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "competence"], name="competence_result_unique"
            ),
            _within("level", LOWEST, HIGHEST, name="competence_result_level_a1_to_c2"),
            _within("score", Level.UNKNOWN, HIGHEST, name="competence_result_score_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.competence_id}: {self.get_level_display()}"

    @property
    def band(self) -> Band:
        return band_of(self.level)


class AreaResult(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="area_results")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=4, decimal_places=2)
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "area"], name="area_result_unique"),
            _within("level", LOWEST, HIGHEST, name="area_result_level_a1_to_c2"),
            _within("score", Level.UNKNOWN, HIGHEST, name="area_result_score_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.get_level_display()}"

    @property
    def band(self) -> Band:
        return band_of(self.level)
