"""Background entry points for the catalogue: load by primary key, call the service."""

from django_tasks import task

from digisnap.learning.models import CatalogueImport
from digisnap.learning.services import catalogue_import_run


@task()
def catalogue_import_task(catalogue_import_id: int) -> str:
    """Run a queued import; an import that already ran is left as it is. Returns its status."""
    catalogue_import = CatalogueImport.objects.get(pk=catalogue_import_id)
    return catalogue_import_run(catalogue_import=catalogue_import).status
