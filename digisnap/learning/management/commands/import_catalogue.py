"""`manage.py import_catalogue FILE` or `--feed`: import trainings now, in this process."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from digisnap.learning.importers import check_import_size, detect_kind, settle_source
from digisnap.learning.models import CatalogueImport
from digisnap.learning.services import catalogue_import_create, catalogue_import_run

KINDS = [CatalogueImport.Kind.CSV, CatalogueImport.Kind.JSON, CatalogueImport.Kind.JSONLD]


class Command(BaseCommand):
    help = (
        "Import a training catalogue (CSV, JSON or schema.org JSON-LD) or fetch the configured "
        "feed. All or nothing: on any bad row nothing changes and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="the catalogue file")
        parser.add_argument("--feed", action="store_true", help="fetch TRAINING_FEED_URL instead")
        parser.add_argument("--format", choices=KINDS, help="default: from the name and content")
        parser.add_argument("--source", default="", help="e.g. KlasCement (required for CSV)")
        parser.add_argument("--sample", action="store_true", help="mark as sample content")

    def handle(self, *args, path, feed, format, source, sample, **options):
        catalogue_import = (
            self._feed_import(path, source, sample, format)
            if feed
            else self._file_import(path, format, source, sample)
        )
        done = catalogue_import_run(catalogue_import=catalogue_import)
        if done.status == CatalogueImport.Status.DONE:
            if options["verbosity"]:
                self.stdout.write(
                    f"added={done.added} updated={done.updated} unchanged={done.unchanged} "
                    f"deactivated={done.deactivated} refused={done.refused}"
                )
            return
        if done.error:
            self.stderr.write(done.error)
        for error in done.errors:
            where = f"row {error['row']}" if error["row"] else "file"
            field = f", {error['field']}" if error["field"] else ""
            self.stderr.write(f"{where}{field}: {error['message']}")
        if done.status == CatalogueImport.Status.REFUSED:
            raise CommandError(f"Refused, nothing was changed: refused={done.refused}")
        raise CommandError(f"Import {done.pk} {done.status}, nothing was changed.")

    def _feed_import(self, path, source: str, sample: bool, kind: str | None) -> CatalogueImport:
        if path or source or sample or kind:
            raise CommandError(
                "--feed takes no file, --source, --sample or --format (see the settings)."
            )
        if not settings.TRAINING_FEED_URL:
            raise CommandError("TRAINING_FEED_URL is not set.")
        return catalogue_import_create(
            kind=CatalogueImport.Kind.FEED,
            origin=settings.TRAINING_FEED_URL,
            source=settings.TRAINING_FEED_SOURCE,
        )

    def _file_import(
        self, path: Path | None, kind: str | None, source: str, sample: bool
    ) -> CatalogueImport:
        if path is None:
            raise CommandError("Give a catalogue file, or --feed.")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            check_import_size(path.stat().st_size)
        except ValidationError as exc:
            raise CommandError(f"{path}: {exc.messages[0]}") from None
        payload = path.read_bytes()
        kind = kind or detect_kind(path.name, payload)
        if kind is None:
            raise CommandError(f"{path}: cannot tell the format; give --format.")
        try:
            source = settle_source(kind=kind, given=source)
        except ValidationError as exc:
            raise CommandError(f"{exc.messages[0]} (--source)") from None
        return catalogue_import_create(
            kind=kind, origin=str(path), payload=payload, source=source, sample=sample
        )
