"""Forms of rights: a director's registration on a digisnap, a platform admin's user manager."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digisnap.accounts.models import User
from digisnap.schools.models import Institution


class DescribedForm(forms.Form):
    """Each field's error and help text named by its aria-describedby; call describe() after
    the view added its errors, just before rendering."""

    def describe(self) -> DescribedForm:
        for name, field in self.fields.items():
            described = [f"id_{name}_error"] if name in self.errors else []
            if field.help_text:
                described.append(f"id_{name}_helptext")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
        return self


class DirectorRegistrationForm(DescribedForm):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(label=_("E-mail address"), disabled=True, required=False)
    code = forms.CharField(
        label=_("Digisnap code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
        help_text=_("For example Digisnap_7KqX4d. You find it in the e-mail with the codes."),
    )


class UserManagerForm(DescribedForm):
    email = forms.EmailField(label=_("E-mail address of the user"))
    institution = forms.CharField(label=_("Instellingsnummer"), max_length=6)

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("No user has this e-mail address."))
        return user

    def clean_institution(self) -> Institution:
        number = self.cleaned_data["institution"].strip()
        institution = None
        if number.isdigit():
            institution = Institution.objects.filter(number=number.zfill(6)).first()
        if institution is None:
            raise forms.ValidationError(_("No institution has this instellingsnummer."))
        return institution
