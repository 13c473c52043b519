"""Forms of the user manager's pages: search, upload, the three grant steps, change and end."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from digisnap.rights.models import Right, StaffMember
from digisnap.rights.services import MAX_USERS_PER_GRANT
from digisnap.rights.usermgmt_selectors import StaffFilters

COMPARISON_CHOICES = [("on", _("on")), ("before", _("before")), ("after", _("after"))]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# 5,000 people of a large school fit in well under this.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StaffSearchForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("all"))] + list(StaffMember.Category.choices),
        required=False,
    )
    employed_from_cmp = forms.ChoiceField(
        label=_("Begin date is"), choices=COMPARISON_CHOICES, required=False
    )
    employed_from = forms.DateField(
        label=_("Begin date"), required=False, widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )
    employed_until_cmp = forms.ChoiceField(
        label=_("End date is"), choices=COMPARISON_CHOICES, required=False
    )
    employed_until = forms.DateField(
        label=_("End date"), required=False, widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )
    modified_cmp = forms.ChoiceField(
        label=_("Last modified is"), choices=COMPARISON_CHOICES, required=False
    )
    modified = forms.DateField(
        label=_("Last modified"), required=False, widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )
    first_name = forms.CharField(label=_("First name contains"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name contains"), required=False, max_length=150)

    def filters(self) -> StaffFilters:
        if not self.is_valid():
            return StaffFilters()
        data = self.cleaned_data

        def condition(name: str):
            day = data.get(name)
            return (data.get(f"{name}_cmp") or "on", day) if day else None

        return StaffFilters(
            category=data["category"],
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            employed_from=condition("employed_from"),
            employed_until=condition("employed_until"),
            modified=condition("modified"),
        )


class StaffUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8; columns separated by ; or ,"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 2 MB. Split it in parts."))
        return upload


def staff_pks_clean(values: list[str]) -> list[int]:
    """The chosen people's ids: 1 to 25 of them (the form still checks their institution)."""
    try:
        pks = list(dict.fromkeys(int(value) for value in values))
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Choose people from the list.")) from exc
    if not pks:
        raise ValidationError(_("Choose at least one person."))
    if len(pks) > MAX_USERS_PER_GRANT:
        raise ValidationError(
            _("You chose %(chosen)d people; choose at most %(max)d at once.")
            % {"chosen": len(pks), "max": MAX_USERS_PER_GRANT}
        )
    return pks


class GrantForm(forms.Form):
    """The three steps in one form: each step shows its own fields and carries the earlier ones
    hidden; everything is validated again on every step, so an edited hidden value is caught."""

    kind = forms.ChoiceField(label=_("Right"), choices=Right.Kind.choices)
    starts_on = forms.DateField(
        label=_("Begin date"), widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )
    ends_on = forms.DateField(
        label=_("End date"), widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    DETAILS = ("starts_on", "ends_on", "reason")

    def __init__(self, *args, step: int, **kwargs):
        """`step`: the step whose fields are checked (1: the right; 2 and 3: everything)."""
        super().__init__(*args, **kwargs)
        if step < 2:
            for name in self.DETAILS:
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The end date must come after the begin date."))
        return data


class RightChangeForm(forms.Form):
    ends_on = forms.DateField(
        label=_("New end date"), widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class RightEndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)
