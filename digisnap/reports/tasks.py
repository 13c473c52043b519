"""Background entry point for the directors' report: load by primary key, call the service."""

from django_tasks import task

from digisnap.reports.models import Report
from digisnap.reports.services import report_generate


@task()
def report_generate_task(report_id: int) -> str:
    """Generate a queued report; one that already ran is left as it is. Returns its status."""
    return report_generate(report=Report.objects.get(pk=report_id)).status
