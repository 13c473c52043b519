"""Admin for the catalogue: trainings come from imports, so both models are read here, not typed."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from digisnap.learning import services
from digisnap.learning.models import CatalogueImport, Training, TrainingCompetence


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrainingCompetenceInline(admin.TabularInline):
    model = TrainingCompetence
    fields = ["competence_code"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "provider",
        "source",
        "level_from",
        "level_to",
        "format",
        "language",
        "state",
        "is_sample",
    ]
    list_filter = ["source", "state", "format", "language", "is_sample"]
    search_fields = ["title", "provider", "external_id", "competences__competence_code"]
    inlines = [TrainingCompetenceInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["deactivate", "reactivate"]

    # (De)activating is the one change staff make by hand, through the same service as the
    # staff catalogue page; it needs no change permission, since the fields stay read-only.
    @admin.action(description=_("Deactivate the selected trainings"), permissions=["view"])
    def deactivate(self, request, queryset):
        for training in queryset:
            services.training_deactivate(training=training)

    @admin.action(description=_("Reactivate the selected trainings"), permissions=["view"])
    def reactivate(self, request, queryset):
        for training in queryset:
            services.training_reactivate(training=training)


@admin.register(CatalogueImport)
class CatalogueImportAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "source",
        "kind",
        "status",
        "added",
        "updated",
        "unchanged",
        "deactivated",
        "refused",
        "started_by",
    ]
    list_filter = ["status", "kind", "source"]
    search_fields = ["source", "origin"]
    exclude = ["payload"]
    list_select_related = ["started_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("payload")
