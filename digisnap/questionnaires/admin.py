"""Platform staff can see which question banks are loaded; contents change only through YAML files."""

from django.contrib import admin

from digisnap.questionnaires.models import Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "is_current", "loaded_at")
    readonly_fields = [f.name for f in Framework._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
