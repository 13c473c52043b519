"""Demo data for `make run`: a school community, three schools, demo accounts, ~100 responses,
one access request waiting in the review queue, and the rights of the demo accounts
(`demo_rights`: the director's valid rights, a former director's expired one).

Running it again changes nothing; the data is seeded, so every run looks the same.
"""

import datetime
import random

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from digisnap.accounts.models import User
from digisnap.accounts.services import user_create_verified
from digisnap.questionnaires.models import Answer, Framework, Response
from digisnap.questionnaires.selectors import framework_current
from digisnap.questionnaires.services import answers_save, digisnap_join_and_start, response_submit
from digisnap.questionnaires.synthetic import item_areas, synthetic_answers, synthetic_responses
from digisnap.schools.models import Digisnap, InstitutionManager, Membership, SchoolCommunity
from digisnap.schools.services import (
    access_request_submit,
    community_create,
    digisnap_create,
    institution_create,
    membership_join,
)

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
    # User manager («lokale beheerder») of the three schools; grants the director's rights.
    "user_manager": ("gebruikersbeheer@digisnap.example", "Gert", "Gebruikersbeheerder"),
    # Held a right on the first school until last month: shows the refusal of an expired right.
    "former_director": ("oud-directie@digisnap.example", "Olga", "Oud-Directeur"),
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
        # The rights of the demo accounts (digisnap.rights, which this app may not import).
        call_command("demo_rights", verbosity=0)
        if options["verbosity"]:
            self.stdout.write(message)

    def _user(self, key: str, **extra) -> User:
        email, first, last = ACCOUNTS[key]
        return user_create_verified(
            email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, **extra
        )

    def _load(self) -> None:
        framework = framework_current()
        community = community_create(name=COMMUNITY)
        digisnaps = []
        for seed, (number, school, city, name, code, teachers) in enumerate(SCHOOLS, start=1):
            institution = institution_create(
                community=community, number=number, name=school, city=city
            )
            digisnap = digisnap_create(institution=institution, name=name, code=code)
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
        for digisnap in digisnaps:
            membership_join(user=director, digisnap=digisnap, role=Membership.Role.DIRECTOR)
        # The director requested the first school's digisnap, so manages that institution.
        InstitutionManager.objects.create(user=director, institution=digisnaps[0].institution)
        self._user("user_manager")
        self._user("former_director")
        self._pending_request(community)
        teacher = self._user("teacher")
        self._earlier_round(teacher, digisnaps[0], framework)

    def _pending_request(self, community: SchoolCommunity) -> None:
        """A school of the demo community asks for two lists: the review queue is not empty."""
        access_request_submit(
            institution_number="045678",
            school_name="Vrije Basisschool Het Anker Demo",
            community=community,
            community_name="",
            education_level="basisonderwijs",
            first_name="Anke",
            last_name="Aanvrager",
            function="directeur",
            email="aanvraag@digisnap.example",
            language="nl",
            lists=["Dag", "Avond"],
        )

    def _earlier_round(self, teacher: User, digisnap: Digisnap, framework: Framework) -> None:
        """The demo teacher submitted once last school year, so a new round shows progress."""
        response = digisnap_join_and_start(user=teacher, digisnap=digisnap)
        area_of = item_areas(framework)
        answers_save(
            response=response,
            levels=synthetic_answers(random.Random(7), sorted(area_of), area_of),
        )
        response_submit(response=response)
        # The services stamp the present; the demo round belongs a year back.
        a_year_ago = timezone.now() - datetime.timedelta(days=365)
        Response.objects.filter(pk=response.pk).update(
            started_at=a_year_ago, submitted_at=a_year_ago
        )
        Answer.objects.filter(response=response).update(answered_at=a_year_ago)
