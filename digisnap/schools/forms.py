"""Forms of the access request (public) and of the review queue (staff)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from digisnap.schools.models import AccessRequest, SchoolCommunity
from digisnap.schools.selectors import lists_taken

MAX_LISTS = 10
MAX_LIST_NAME = 60
# «<school> <list>» must fit a digisnap's name (200 characters).
MAX_SCHOOL_NAME = 200 - 1 - MAX_LIST_NAME


class AccessRequestForm(forms.Form):
    institution_number = forms.CharField(
        label=_("Instellingsnummer"),
        max_length=12,
        help_text=_("The number of your school, up to six digits, e.g. 012345."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    school_name = forms.CharField(label=_("School name"), max_length=MAX_SCHOOL_NAME)
    community = forms.ModelChoiceField(
        label=_("School community"),
        queryset=SchoolCommunity.objects.order_by("name"),
        required=False,
        empty_label=_("— not in the list: I name it below —"),
    )
    community_name = forms.CharField(
        label=_("New school community"),
        max_length=200,
        required=False,
        help_text=_("Only when your school community is not in the list above."),
    )
    education_level = forms.ChoiceField(
        label=_("Education level"), choices=AccessRequest.EducationLevel.choices
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    function = forms.CharField(
        label=_("Function"), max_length=150, help_text=_("e.g. director, ICT coordinator")
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the confirmation and, once approved, the codes to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of our e-mails"),
        choices=AccessRequest.Language.choices,
        initial=AccessRequest.Language.DUTCH,
    )
    lists = forms.CharField(
        label=_("Questionnaire lists"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One name per line, e.g. «Dag» and «Avond». Each list becomes a digisnap named "
            "after your school and the list, with its own code."
        ),
    )
    # A field people never see: a form that fills it in is a robot's.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            described = [f"id_{name}_error"] if name in self.errors else []
            if field.help_text:
                described.append(f"id_{name}_helptext")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_institution_number(self) -> str:
        number = re.sub(r"\s+", "", self.cleaned_data["institution_number"])
        if not re.fullmatch(r"\d{1,6}", number):
            raise ValidationError(_("An instellingsnummer has at most six digits."))
        return number.zfill(6)

    def clean_school_name(self) -> str:
        return self.cleaned_data["school_name"].strip()

    def clean_lists(self) -> list[str]:
        names: list[str] = []
        for line in self.cleaned_data["lists"].splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if not names:
            raise ValidationError(_("Name at least one list, e.g. «Dag»."))
        if len(names) > MAX_LISTS:
            raise ValidationError(
                _("Ask for at most %(count)d lists at once.") % {"count": MAX_LISTS}
            )
        for name in names:
            if len(name) > MAX_LIST_NAME:
                raise ValidationError(
                    _("A list name has at most %(count)d characters.") % {"count": MAX_LIST_NAME}
                )
        return names

    def clean(self) -> dict:
        data = super().clean()
        community, new_name = (
            data.get("community"),
            " ".join(data.get("community_name", "").split()),
        )
        if community is None and not new_name:
            self.add_error("community", _("Choose your school community, or name a new one below."))
        elif community is not None and new_name:
            self.add_error(
                "community_name", _("Choose a school community or name a new one, not both.")
            )
        elif community is None:
            # A «new» name that already exists is that community.
            data["community"] = SchoolCommunity.objects.filter(name__iexact=new_name).first()
            data["community_name"] = "" if data["community"] else new_name
        if data.get("institution_number") and data.get("school_name") and data.get("lists"):
            self._check_lists_not_taken(data)
        return data

    def _check_lists_not_taken(self, data: dict) -> None:
        existing, pending = lists_taken(
            institution_number=data["institution_number"],
            school_name=data["school_name"],
            lists=data["lists"],
        )
        problems = [
            _(
                "«%(name)s» already exists for this school: its code is with your school's "
                "user manager, so there is no need to ask again."
            )
            % {"name": name}
            for name in existing
        ] + [
            _("«%(name)s» has already been asked for and waits for a decision.") % {"name": name}
            for name in pending
        ]
        if problems:
            self.add_error("lists", problems)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. The requester reads it in the e-mail."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason; the requester reads it."))
        return reason
