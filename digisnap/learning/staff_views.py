"""Staff pages for the training catalogue: browse, (de)activate, import, and read the import log."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from digisnap.core.access import staff_required
from digisnap.core.http import redirect_back
from digisnap.core.jobs import JobNotRetryable, job_status, job_sweep
from digisnap.learning import services
from digisnap.learning.models import CatalogueImport, Training
from digisnap.learning.staff_forms import CatalogueImportForm, TrainingFilterForm
from digisnap.learning.staff_selectors import (
    catalogue_import_for_staff,
    catalogue_imports,
    catalogue_imports_waiting_for_worker,
    training_sources,
    trainings_for_staff,
)

PAGE_SIZE = 50


@staff_required
def training_list(request):
    form = TrainingFilterForm(request.GET, sources=training_sources())
    trainings = trainings_for_staff(**form.filters())
    context = {
        "form": form,
        "page": Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page")),
        "feed_enabled": bool(settings.TRAINING_FEED_URL),
    }
    return render(request, "learning/staff/trainings.html", context)


@staff_required
@require_POST
def training_deactivate(request, pk: int):
    training = services.training_deactivate(training=get_object_or_404(Training, pk=pk))
    messages.success(request, _("Deactivated: %(title)s") % {"title": training.title})
    return _back_to_list(request)


@staff_required
@require_POST
def training_reactivate(request, pk: int):
    training = services.training_reactivate(training=get_object_or_404(Training, pk=pk))
    messages.success(request, _("Active again: %(title)s") % {"title": training.title})
    return _back_to_list(request)


def _back_to_list(request):
    """Back to the list as it was filtered and paged."""
    return redirect_back(request, "catalogue:trainings")


@staff_required
def import_new(request):
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        catalogue_import = services.catalogue_import_request(
            kind=data["kind"],
            origin=data["file"].name,
            payload=data["payload"],
            source=data["source"],
            sample=data["sample"],
            started_by=request.user,
        )
        return redirect("catalogue:import_detail", catalogue_import.pk)
    context = {"form": form, "feed_enabled": bool(settings.TRAINING_FEED_URL)}
    return render(
        request, "learning/staff/import_form.html", context, status=400 if form.errors else 200
    )


@staff_required
@require_POST
def feed_fetch(request):
    if not settings.TRAINING_FEED_URL:
        raise Http404("No feed is configured.")
    catalogue_import = services.catalogue_import_feed_request(started_by=request.user)
    return redirect("catalogue:import_detail", catalogue_import.pk)


@staff_required
def import_list(request):
    context = {
        "page": Paginator(catalogue_imports(), PAGE_SIZE).get_page(request.GET.get("page")),
        "waiting_for_worker": catalogue_imports_waiting_for_worker(),
    }
    return render(request, "learning/staff/imports.html", context)


@staff_required
def import_detail(request, pk: int):
    catalogue_import = job_sweep(job=catalogue_import_for_staff(pk=pk))
    context = {"import": catalogue_import, "max_errors": services.MAX_STORED_ERRORS}
    return render(request, "learning/staff/import_detail.html", context)


@never_cache
@staff_required
@require_safe
def import_status(request, pk: int):
    """What the progress bar on the import page polls."""
    catalogue_import = job_sweep(job=catalogue_import_for_staff(pk=pk))
    return JsonResponse(job_status(catalogue_import))


@staff_required
@require_POST
def import_retry(request, pk: int):
    failed = get_object_or_404(CatalogueImport.objects.defer("payload"), pk=pk)
    try:
        services.catalogue_import_retry(catalogue_import=failed)
    except JobNotRetryable:
        messages.error(request, _("Only a failed import can be tried again."))
    return redirect("catalogue:import_detail", failed.pk)
