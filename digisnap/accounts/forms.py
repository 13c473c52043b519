"""Forms of «Mijn account»: the name a person goes by, and the confirmation that deletes them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from digisnap.accounts.models import User


class _Described:
    """Each field's error and help text named by its aria-describedby (screen readers read them)."""

    def describe(self):
        for name, field in self.fields.items():
            described = [f"id_{name}_error"] if name in self.errors else []
            if field.help_text:
                described.append(f"id_{name}_helptext")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
        return self


class NameForm(_Described, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class AccountDeleteForm(_Described, forms.Form):
    """Deleting cannot be undone, so the person types their e-mail address or password."""

    confirmation = forms.CharField(
        label=_("Your e-mail address or your password"),
        max_length=254,
        strip=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
        help_text=_("Type it to confirm that you want to delete your account and all your data."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"]
        if typed.strip().casefold() == self.user.email.casefold():
            return typed
        if self.user.has_usable_password() and self.user.check_password(typed):
            return typed
        raise forms.ValidationError(
            _("That is neither your e-mail address nor your password. Nothing was deleted.")
        )
