"""Larger synthetic sets for benchmarks: N schools in one community, M submitted teachers each."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from digisnap.questionnaires.selectors import framework_current
from digisnap.questionnaires.synthetic import synthetic_responses
from digisnap.schools.models import SchoolCommunity
from digisnap.schools.services import community_create, digisnap_create, institution_create


class Command(BaseCommand):
    help = "Generate a synthetic school community (seeded) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, required=True)
        parser.add_argument("--teachers-per-school", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--name", default=None, help="Name of the school community.")

    def handle(self, *args, schools, teachers_per_school, seed, name, **options):
        if schools < 1 or teachers_per_school < 1:
            raise CommandError("--schools and --teachers-per-school must be at least 1.")
        call_command("load_framework", verbosity=0)
        framework = framework_current()
        name = name or f"Synthetische scholengemeenschap {schools}x{teachers_per_school} #{seed}"
        if SchoolCommunity.objects.filter(name=name).exists():
            raise CommandError(
                f"A school community named '{name}' exists already; pick --name/--seed."
            )
        with transaction.atomic():
            community = community_create(name=name)
            base = 900000 - (SchoolCommunity.objects.count() * 1000)
            total = 0
            for n in range(1, schools + 1):
                institution = institution_create(
                    community=community, number=str(base + n), name=f"Synthetische school {n}"
                )
                digisnap = digisnap_create(institution=institution, name=f"Synthetisch {n}")
                total += synthetic_responses(
                    digisnap=digisnap,
                    framework=framework,
                    teachers=teachers_per_school,
                    seed=seed * 10000 + n,
                    email_prefix=f"syn-{community.pk}-{n}-",
                )
        self.stdout.write(
            f"Created {schools} schools with {total} submitted responses in '{name}'."
        )
