"""Rights in the Django admin: read-only, so every change goes through the services and is logged."""

from django.contrib import admin

from digisnap.rights.models import Right, RightEvent


class RightEventInline(admin.TabularInline):
    model = RightEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "by", "starts_on", "ends_on", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Right)
class RightAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "institution",
        "kind",
        "starts_on",
        "ends_on",
        "ended_at",
        "source",
        "synced_at",
    ]
    list_filter = ["kind", "source"]
    search_fields = ["user__email", "institution__name", "institution__number"]
    date_hierarchy = "starts_on"
    inlines = [RightEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RightEvent)
class RightEventAdmin(admin.ModelAdmin):
    list_display = ["at", "right", "action", "by"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
