from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digisnap.questionnaires.loader import FrameworkFileError, latest_bundled
from digisnap.questionnaires.services import FrameworkConflict, framework_load


class Command(BaseCommand):
    help = "Load a framework YAML file (a question bank); loading the same version twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="default: the newest bundled framework file"
        )
        parser.add_argument(
            "--keep-current",
            action="store_true",
            help="Do not make this version the one new rounds use.",
        )

    def handle(self, *args, path: Path | None, keep_current: bool, **options):
        path = path or latest_bundled()
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            framework, created = framework_load(path=path, make_current=not keep_current)
        except (FrameworkFileError, FrameworkConflict) as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        verb = "Loaded" if created else "Already loaded, nothing changed:"
        if options["verbosity"]:
            self.stdout.write(f"{verb} {framework} from {path}")
