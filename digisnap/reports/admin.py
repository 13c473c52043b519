"""Admin for the directors' reports: read only — reports are made from the director's form, and
their log is append-only."""

from django.contrib import admin

from digisnap.reports.models import Report, ReportEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "status", "include_training", "created_by", "created_at"]
    list_filter = ["status", "include_training"]
    search_fields = ["title"]
    exclude = ["html", "pdf", "xlsx"]  # the files are downloaded behind the director's check


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "by", "report", "outcome"]
    list_filter = ["action"]
