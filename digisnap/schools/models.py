"""School communities, institutions and their digisnaps (questionnaire lists), and who joined them."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from digisnap.core.models import AppendOnly, OutgoingMail

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


def validate_list_names(value) -> None:
    """The requested lists: one or more distinct, non-empty names."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(name, str) and name.strip() for name in value)
        or len({name.casefold() for name in value}) != len(value)
    ):
        raise ValidationError(_("Name one or more different lists."))


def _status_token() -> str:
    return secrets.token_urlsafe(32)


class AccessRequest(models.Model):
    """A school asks for Digisnap: one or more questionnaire lists, decided by a platform admin."""

    class EducationLevel(models.TextChoices):
        PRIMARY = "basisonderwijs", _("primary education (basisonderwijs)")
        SECONDARY = "secundair", _("secondary education (secundair)")
        ADULT = "volwassenenonderwijs", _("adult education (volwassenenonderwijs)")
        OTHER = "other", _("other")

    class Language(models.TextChoices):
        DUTCH = "nl", "Nederlands"
        ENGLISH = "en", "English"

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    institution_number = models.CharField(
        _("instellingsnummer"), max_length=6, validators=[instellingsnummer_validator]
    )
    school_name = models.CharField(_("school name"), max_length=200)
    community = models.ForeignKey(
        SchoolCommunity,
        verbose_name=_("school community"),
        on_delete=models.PROTECT,
        related_name="access_requests",
        null=True,
        blank=True,
    )
    community_name = models.CharField(_("new school community"), max_length=200, blank=True)
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    function = models.CharField(_("function"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    lists = models.JSONField(
        _("questionnaire lists"), default=list, validators=[validate_list_names]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="access_requests",
        null=True,
        blank=True,
        help_text=_("set when the request is approved"),
    )
    # The e-mails of the request, so its page shows one that failed and offers to send it again.
    confirmation_mail = models.ForeignKey(
        OutgoingMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_mail = models.ForeignKey(
        OutgoingMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    codes_mail = models.ForeignKey(
        OutgoingMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The private link to the status page: whoever has it may read the request, nobody can guess it.
    token = models.CharField(max_length=64, unique=True, default=_status_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(institution_number__regex=r"^[0-9]{6}$"),
                name="access_request_number_six_digits",
            ),
            models.CheckConstraint(
                condition=(models.Q(community__isnull=True) & ~models.Q(community_name=""))
                | (models.Q(community__isnull=False) & models.Q(community_name="")),
                name="access_request_one_community",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="pending") & models.Q(decided_at__isnull=True))
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="access_request_decided_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason=""),
                name="access_request_rejected_with_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(institution__isnull=False),
                name="access_request_approved_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_name} ({self.institution_number})"

    def get_absolute_url(self) -> str:
        return reverse("schools:request_status", args=[self.token])

    @property
    def contact_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def community_display(self) -> str:
        return self.community.name if self.community_id else self.community_name

    def get_status_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    def digisnap_names(self) -> list[str]:
        return [digisnap_name(self.school_name, name) for name in self.lists]


def digisnap_name(school_name: str, list_name: str) -> str:
    """A requested list becomes the digisnap «<school> <list>»."""
    return f"{school_name} {list_name}"[:200]


class AccessRequestEvent(AppendOnly):
    """The append-only log of an access request: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CODES_SENT = "codes_sent", _("codes e-mail sent again")

    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("access request event")
        verbose_name_plural = _("access request events")

    def __str__(self) -> str:
        return f"{self.access_request} — {self.get_action_display()}"


class InstitutionManager(models.Model):
    """A user manager («lokale beheerder») acts for one institution: a row per institution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_institutions"
    )
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="managers")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("user manager")
        verbose_name_plural = _("user managers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="institution_manager_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.institution}"
