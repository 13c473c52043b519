from django import forms

from digisnap.learning.models import SuggestionMark


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=[*SuggestionMark.Status.choices, ("clear", "clear")])
    competence_code = forms.CharField(max_length=10)
