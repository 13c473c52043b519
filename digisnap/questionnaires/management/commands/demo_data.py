"""Demo data for `make run`: a school community, three schools, demo accounts, ~100 responses.

Running it again changes nothing; the data is seeded, so every run looks the same.
"""

import datetime
import random

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.questionnaires.models import Answer, Response
from digisnap.questionnaires.selectors import framework_current
from digisnap.questionnaires.services import response_submit
from digisnap.questionnaires.synthetic import item_areas, synthetic_answers, synthetic_responses
from digisnap.schools.models import Digisnap, Institution, Membership, SchoolCommunity

DEMO_PASSWORD = "digisnap-demo"  # noqa: S105 — documented in the README, demo only
COMMUNITY = "Scholengemeenschap Demo Leuven"
SCHOOLS = [
    # (instellingsnummer, school, city, digisnap name, fixed demo code, synthetic teachers)
    (
        "012345",
        "Sint-Pieterscollege Demo",
        "Leuven",
        "SPC Leuven pedagogische studiedag",
        "Digisnap_7EUVEN",
        40,
    ),
    (
        "023456",
        "Basisschool De Linde Demo",
        "Heverlee",
        "De Linde teamvergadering",
        "Digisnap_HEV7KR",
        30,
    ),
    (
        "034567",
        "Atheneum Kessel-Lo Demo",
        "Kessel-Lo",
        "AKL Digisnap najaar",
        "Digisnap_KEW3TW",
        30,
    ),
]
ACCOUNTS = {
    "teacher": ("leerkracht@digisnap.example", "Lotte", "Leerkracht"),
    "director": ("directie@digisnap.example", "Dirk", "Directeur"),
    "admin": ("beheer@digisnap.example", "Bea", "Platformbeheerder"),
}


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    def handle(self, *args, **options):
        call_command("load_framework", verbosity=0)
        if SchoolCommunity.objects.filter(name=COMMUNITY).exists():
            message = "Demo data already present."
        else:
            with transaction.atomic():
                self._load()
            message = "Demo data loaded. Accounts and codes: see README.md."
        if options["verbosity"]:
            self.stdout.write(message)

    def _user(self, key: str, **extra) -> User:
        email, first, last = ACCOUNTS[key]
        user = User.objects.create_user(
            email, DEMO_PASSWORD, first_name=first, last_name=last, **extra
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _load(self) -> None:
        framework = framework_current()
        community = SchoolCommunity.objects.create(name=COMMUNITY)
        digisnaps = []
        for seed, (number, school, city, name, code, teachers) in enumerate(SCHOOLS, start=1):
            institution = Institution.objects.create(
                community=community, number=number, name=school, city=city
            )
            digisnap = Digisnap.objects.create(institution=institution, name=name, code=code)
            digisnaps.append(digisnap)
            synthetic_responses(
                digisnap=digisnap,
                framework=framework,
                teachers=teachers,
                seed=seed,
                email_prefix=f"demo-{number}-",
            )
        self._user("admin", is_staff=True, is_superuser=True)
        director = self._user("director")
        Membership.objects.bulk_create(
            Membership(user=director, digisnap=d, role=Membership.Role.DIRECTOR) for d in digisnaps
        )
        teacher = self._user("teacher")
        self._earlier_round(teacher, digisnaps[0], framework)

    def _earlier_round(self, teacher: User, digisnap: Digisnap, framework) -> None:
        """The demo teacher submitted once last school year, so a new round shows progress."""
        Membership.objects.create(user=teacher, digisnap=digisnap, role=Membership.Role.TEACHER)
        response = Response.objects.create(user=teacher, digisnap=digisnap, framework=framework)
        area_of = item_areas(framework)
        given = synthetic_answers(random.Random(7), sorted(area_of), area_of)
        a_year_ago = timezone.now() - datetime.timedelta(days=365)
        Answer.objects.bulk_create(
            Answer(response=response, item_id=i, level=level, answered_at=a_year_ago)
            for i, level in given.items()
        )
        response_submit(response=response)
        Response.objects.filter(pk=response.pk).update(
            started_at=a_year_ago, submitted_at=a_year_ago
        )
