"""School communities, institutions and their digisnaps (questionnaire lists), and who joined them."""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

instellingsnummer_validator = RegexValidator(
    r"^\d{1,6}$", _("An instellingsnummer has at most six digits.")
)


class SchoolCommunity(models.Model):
    """A scholengemeenschap: several institutions that may be reported on together."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school community")
        verbose_name_plural = _("school communities")

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    """An onderwijsinstelling, identified by its instellingsnummer (digits, kept with leading zeros)."""

    community = models.ForeignKey(
        SchoolCommunity,
        verbose_name=_("school community"),
        on_delete=models.PROTECT,
        related_name="institutions",
        null=True,
        blank=True,
    )
    number = models.CharField(
        _("instellingsnummer"), max_length=6, unique=True, validators=[instellingsnummer_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    def save(self, *args, **kwargs):
        if self.number and self.number.isdigit():
            self.number = self.number.zfill(6)
        super().save(*args, **kwargs)


class Digisnap(models.Model):
    """One questionnaire list of an institution, joined by teachers with its code or link."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="digisnaps",
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("digisnap")
        verbose_name_plural = _("digisnaps")
        constraints = [
            models.UniqueConstraint(Lower("code"), name="digisnap_code_unique_any_case"),
            models.CheckConstraint(
                condition=models.Q(opens_on__isnull=True)
                | models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="digisnap_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_open(self, on: datetime.date) -> bool:
        return (self.opens_on is None or self.opens_on <= on) and (
            self.closes_on is None or on <= self.closes_on
        )

    def get_join_url(self) -> str:
        return settings.SITE_URL + reverse("questionnaires:join", args=[self.code])


class Membership(models.Model):
    """How a user is tied to a digisnap: as a teacher who fills it in, or as its director."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("teacher")
        DIRECTOR = "director", _("director")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    digisnap = models.ForeignKey(Digisnap, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.TEACHER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "digisnap", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.digisnap} ({self.get_role_display()})"
