"""The demo's rights, called by `demo_data` once its schools and accounts exist: the demo user
manager manages the three demo schools and granted the demo director a valid right «Digisnap
Beheerder» on each (the director is registered on the three demo digisnaps); a former director
holds a right that expired last month, to show the refusal.

Running it again changes nothing. The dates follow today, so the demo works whenever it is loaded.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from digisnap.accounts.models import User
from digisnap.rights.access import today
from digisnap.rights.models import Right
from digisnap.rights.services import institution_manager_add, right_grant
from digisnap.schools.models import Institution

DIRECTOR = "directie@digisnap.example"
USER_MANAGER = "gebruikersbeheer@digisnap.example"
FORMER_DIRECTOR = "oud-directie@digisnap.example"
SCHOOLS = ["012345", "023456", "034567"]


class Command(BaseCommand):
    help = "Give the demo accounts their rights (idempotent; run by demo_data)."

    def handle(self, *args, **options):
        people = {
            user.email: user
            for user in User.objects.filter(email__in=[DIRECTOR, USER_MANAGER, FORMER_DIRECTOR])
        }
        institutions = list(Institution.objects.filter(number__in=SCHOOLS).order_by("number"))
        if len(people) < 3 or len(institutions) < len(SCHOOLS):
            message = "Demo rights skipped: load the demo data first (manage.py demo_data)."
        elif Right.objects.filter(user=people[DIRECTOR]).exists():
            message = "Demo rights already present."
        else:
            with transaction.atomic():
                self._load(people, institutions)
            message = "Demo rights loaded."
        if options["verbosity"]:
            self.stdout.write(message)

    def _load(self, people: dict[str, User], institutions: list[Institution]) -> None:
        manager = people[USER_MANAGER]
        now = today()
        for institution in institutions:
            institution_manager_add(user=manager, institution=institution)
            right_grant(
                users=[people[DIRECTOR]],
                institution=institution,
                starts_on=now - datetime.timedelta(days=60),
                ends_on=now + datetime.timedelta(days=365),
                reason="Directeur van de school (demo)",
                granted_by=manager,
            )
        right_grant(
            users=[people[FORMER_DIRECTOR]],
            institution=institutions[0],
            starts_on=now - datetime.timedelta(days=400),
            ends_on=now - datetime.timedelta(days=30),
            reason="Directeur tot vorige maand (demo)",
            granted_by=manager,
        )
