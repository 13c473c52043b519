"""`manage.py jobs_sweep`: mark every stuck background job failed (the worker also does this)."""

from django.core.management.base import BaseCommand

from digisnap.core.jobs import jobs_sweep


class Command(BaseCommand):
    help = (
        "Mark failed every running job with no heartbeat for JOB_HEARTBEAT_TIMEOUT_SECONDS or "
        "running longer than JOB_TIME_LIMIT_SECONDS, so it can be tried again."
    )

    def handle(self, *args, **options):
        swept = jobs_sweep()
        if options["verbosity"]:
            self.stdout.write(f"swept={swept}")
