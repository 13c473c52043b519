"""Reads for the staff catalogue pages: the training list and the import log (fixed query counts)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from digisnap.core.jobs import no_worker_alive
from digisnap.learning.models import CatalogueImport, Training, TrainingCompetence

INACTIVE = "inactive"  # a state filter for every inactive training, whatever the reason


def trainings_for_staff(
    *, query: str = "", source: str = "", state: str = ""
) -> QuerySet[Training]:
    """Trainings matching a search on title or provider, with their competence codes prefetched.

    `state` is a Training.State value, or INACTIVE for both inactive states.
    """
    trainings = Training.objects.prefetch_related(
        Prefetch("competences", queryset=TrainingCompetence.objects.order_by("competence_code"))
    ).order_by("title", "pk")
    if query:
        trainings = trainings.filter(Q(title__icontains=query) | Q(provider__icontains=query))
    if source:
        trainings = trainings.filter(source=source)
    if state == INACTIVE:
        trainings = trainings.exclude(state=Training.State.ACTIVE)
    elif state:
        trainings = trainings.filter(state=state)
    return trainings


def training_sources() -> list[str]:
    return list(Training.objects.order_by("source").values_list("source", flat=True).distinct())


def catalogue_imports() -> QuerySet[CatalogueImport]:
    """The import log, newest first; the uploaded files stay in the database."""
    return (
        CatalogueImport.objects.defer("payload", "errors")
        .select_related("started_by")
        .order_by("-created_at", "-pk")
    )


def catalogue_import_for_staff(*, pk: int) -> CatalogueImport:
    return get_object_or_404(
        CatalogueImport.objects.defer("payload").select_related("started_by"), pk=pk
    )


def catalogue_imports_waiting_for_worker() -> bool:
    """An import is queued and no worker is alive to take it."""
    return (
        CatalogueImport.objects.filter(status=CatalogueImport.Status.QUEUED).exists()
        and no_worker_alive()
    )
