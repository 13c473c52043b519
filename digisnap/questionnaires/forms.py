"""Forms of the teacher's pages: the digisnap code, and answers from a page or the autosave."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from digisnap.core.levels import Level
from digisnap.questionnaires.models import Item


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Digisnap code"),
        max_length=40,
        help_text=_("For example Digisnap_7KqX4d. You got it from your school."),
    )


def level_field() -> forms.TypedChoiceField:
    """One answer, or none: compared as text with the levels offered, so «²», «٣» or a number of
    a thousand digits is simply not one of them (int() would take «٣» and choke on «²»)."""
    return forms.TypedChoiceField(
        choices=[(str(value), label) for value, label in Level.choices],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the answers.")},
    )


LEVEL_OF_TEXT = {str(value): value for value in Level.values}


def answer_from_autosave(data: Mapping[str, str]) -> tuple[int, int] | None:
    """(item id, level) of one answer from the autosave script, or None when it is not one.

    The autosave is the hottest request of a team session, so this is a dictionary lookup
    rather than a form; it accepts exactly what level_field accepts.
    """
    item, level = data.get("item", ""), LEVEL_OF_TEXT.get(data.get("level", ""))
    if level is None or not (item.isascii() and item.isdigit() and len(item) <= 18):
        return None
    return (int(item), level) if int(item) > 0 else None


def sequence_from_autosave(data: Mapping[str, str]) -> int | None:
    """When the choice was made (see services.clock_ms), or None when absent or malformed."""
    sequence = data.get("sequence", "")
    if sequence.isascii() and sequence.isdigit() and len(sequence) <= 18:
        return int(sequence)
    return None


class PageAnswersForm(forms.Form):
    """The answers of one page of the questionnaire; a question may stay open."""

    def __init__(self, *args, items: Iterable[Item], **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item-{item.pk}"] = level_field()

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
