"""Rights: who may act as «Digisnap Beheerder» for an institution, between two dates, and why."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from digisnap.core.models import AppendOnly
from digisnap.schools.models import Institution


class Right(models.Model):
    """A right of one user on one institution, valid from `starts_on` to `ends_on` (both
    included, dates in Europe/Brussels). Granted locally by a user manager, or from ACM/IDM."""

    class Kind(models.TextChoices):
        DIGISNAP_BEHEERDER = "digisnap_beheerder", "Digisnap Beheerder"

    class Source(models.TextChoices):
        LOCAL = "local", _("granted in Digisnap")
        ACMIDM = "acmidm", _("ACM/IDM")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="rights",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="rights"
    )
    kind = models.CharField(
        _("right"), max_length=30, choices=Kind.choices, default=Kind.DIGISNAP_BEHEERDER
    )
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.LOCAL
    )
    ended_at = models.DateTimeField(
        _("ended at"), null=True, blank=True, help_text=_("set when the right is ended early")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    synced_at = models.DateTimeField(
        _("last synced"),
        null=True,
        blank=True,
        help_text=_("the last sign-in through ACM/IDM that sent this right"),
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("right")
        verbose_name_plural = _("rights")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="right_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "institution", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} — {self.institution}"

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.ended_at is None and self.starts_on <= on <= self.ends_on


class RightEvent(AppendOnly):
    """The append-only log of a right: granted, changed, ended — by whom, when, why."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("granted")
        CHANGED = "changed", _("changed")
        ENDED = "ended", _("ended")

    right = models.ForeignKey(Right, on_delete=models.CASCADE, related_name="events")
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
    reason = models.TextField(_("reason"), blank=True)
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("right event")
        verbose_name_plural = _("right events")

    def __str__(self) -> str:
        return f"{self.right} — {self.get_action_display()}"


# The user manager's staff list (Gebruikersbeheer): people a right can be granted to.


class StaffMember(models.Model):
    """A person working at an institution, from the user manager's CSV upload or because they
    joined one of its digisnaps as a teacher. Not an account: `user` is filled once one exists."""

    class Category(models.TextChoices):
        TEACHER = "leraar", _("teacher")
        DIRECTION = "directie", _("direction")
        EMPLOYEE = "medewerker", _("employee")
        OTHER = "andere", _("other")

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_entries",
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.TEACHER
    )
    employed_from = models.DateField(_("begin date"), null=True, blank=True)
    employed_until = models.DateField(_("end date"), null=True, blank=True)
    modified_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            models.UniqueConstraint(
                "institution", Lower("email"), name="staff_member_unique_email"
            ),
            models.CheckConstraint(
                condition=models.Q(employed_from__isnull=True)
                | models.Q(employed_until__isnull=True)
                | models.Q(employed_until__gte=models.F("employed_from")),
                name="staff_member_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"
