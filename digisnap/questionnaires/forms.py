from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Digisnap code"),
        max_length=40,
        help_text=_("For example Digisnap_7KqX4d. You got it from your school."),
    )
