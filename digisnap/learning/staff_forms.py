"""Forms of the staff catalogue pages: filtering the list and uploading a catalogue file."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from digisnap.learning.importers import check_import_size, detect_kind, settle_source
from digisnap.learning.models import CatalogueImport, Training
from digisnap.learning.staff_selectors import INACTIVE

FILE_KINDS = [CatalogueImport.Kind.CSV, CatalogueImport.Kind.JSON, CatalogueImport.Kind.JSONLD]


class TrainingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search title or provider"), required=False, max_length=100)
    source = forms.ChoiceField(label=_("Source"), required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("all")),
            (Training.State.ACTIVE, _("active")),
            (INACTIVE, _("inactive")),
            (Training.State.MISSING, _("inactive: missing from the latest import")),
            (Training.State.STAFF, _("inactive: deactivated by staff")),
        ],
    )

    def __init__(self, *args, sources: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("all sources"))] + [(s, s) for s in sources]

    def filters(self) -> dict:
        """The selector's arguments; an invalid value filters nothing rather than failing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data["q"].strip(),
            "source": data["source"],
            "state": data["state"],
        }


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_("CSV (UTF-8 with a header row), JSON, or schema.org Course JSON-LD."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("recognise from the file"))]
        + [(kind.value, kind.label) for kind in FILE_KINDS],
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=60,
        help_text=_(
            "For example KlasCement. Required for CSV and JSON-LD; a JSON file may name its own."
        ),
    )
    sample = forms.BooleanField(
        label=_("Sample content (fictitious trainings for demos)"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_import_size(upload.size)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        payload = b"".join(upload.chunks())
        kind = cleaned.get("format") or detect_kind(upload.name, payload)
        if kind is None:
            self.add_error("format", _("The format cannot be told from this file; choose one."))
        else:
            try:
                settle_source(kind=kind, given=cleaned.get("source", ""))
            except ValidationError as exc:
                self.add_error("source", exc)
        cleaned["kind"], cleaned["payload"] = kind, payload
        return cleaned
