"""Forms of the teacher's pages: the digisnap code, and answers from a page or the autosave."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from digisnap.questionnaires.models import Item, Level

CHOOSE_AN_ANSWER = _("Choose one of the answers.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Digisnap code"),
        max_length=40,
        help_text=_("For example Digisnap_7KqX4d. You got it from your school."),
    )


def level_field(*, required: bool) -> forms.TypedChoiceField:
    """One answer: compared as text with the levels offered, so «²», «٣» or a number of a
    thousand digits is simply not one of them (int() would take «٣» and choke on «²»)."""
    return forms.TypedChoiceField(
        choices=[(str(value), label) for value, label in Level.choices],
        coerce=int,
        required=required,
        empty_value=None,
        error_messages={"required": CHOOSE_AN_ANSWER, "invalid_choice": CHOOSE_AN_ANSWER},
    )


class AnswerForm(forms.Form):
    """One answer from the autosave script."""

    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    level = level_field(required=True)


class PageAnswersForm(forms.Form):
    """The answers of one page of the questionnaire; a question may stay open."""

    def __init__(self, *args, items: Iterable[Item], **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item-{item.pk}"] = level_field(required=False)

    def levels(self) -> dict[int, int]:
        """Item id → level of every valid answer given; the invalid ones are in item_errors()."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            int(name.removeprefix("item-")): level
            for name, level in cleaned.items()
            if level is not None
        }

    def item_errors(self) -> dict[int, str]:
        return {
            int(name.removeprefix("item-")): " ".join(messages)
            for name, messages in self.errors.items()
        }
