"""The directors' report form: the digisnaps grouped per school community, a title, KlasCement."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from digisnap.reports.services import TITLE_MAX_LENGTH, digisnap_scope
from digisnap.rights.forms import DescribedForm
from digisnap.schools.models import Digisnap

NOT_ADMINISTERED = _(
    "You can only choose digisnaps you administer today. Reload the page to see them."
)


@dataclass(frozen=True)
class ChoiceGroup:
    """The digisnaps one report may span: a school community (or one institution outside any).
    `key` names the group's «whole community» button."""

    key: str
    name: str
    is_community: bool
    digisnaps: list[Digisnap]


def choice_groups(digisnaps: list[Digisnap]) -> list[ChoiceGroup]:
    """The digisnaps in the order given (per community, then school), grouped per scope."""
    groups: dict[tuple[str, int], list[Digisnap]] = {}
    for digisnap in digisnaps:
        groups.setdefault(digisnap_scope(digisnap), []).append(digisnap)
    result = []
    for (kind, pk), members in groups.items():
        institution = members[0].institution
        is_community = kind == "community"
        name = institution.community.name if is_community else institution.name
        result.append(ChoiceGroup(f"{kind}-{pk}", name, is_community, members))
    return result


class ReportForm(DescribedForm):
    digisnaps = forms.TypedMultipleChoiceField(
        label=_("Choose the digisnaps"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one digisnap."),
            "invalid_choice": NOT_ADMINISTERED,
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Without a title the report is called «Directierapport»."),
    )
    include_training = forms.BooleanField(
        label=_("Include KlasCement content"),
        required=False,
        help_text=_(
            "Trainings from the catalogue for the competences where your team needs them most."
        ),
    )
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _(
                "This form is out of date. Check your choice and press «Generate» again."
            ),
            "invalid": _("This form is out of date. Check your choice and press «Generate» again."),
        },
    )

    def __init__(self, *args, digisnaps: list[Digisnap], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digisnaps"].choices = [(digisnap.pk, digisnap.name) for digisnap in digisnaps]

    def chosen(self) -> set[int]:
        """The digisnaps ticked, as typed or as the page proposed them."""
        values = self["digisnaps"].value() or []
        return {int(value) for value in values if str(value).isdigit()}
