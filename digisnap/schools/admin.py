from django.contrib import admin

from digisnap.schools.models import (
    AccessRequest,
    AccessRequestEvent,
    Digisnap,
    Institution,
    InstitutionManager,
    Membership,
    SchoolCommunity,
)
from digisnap.schools.services import digisnap_create


class InstitutionInline(admin.TabularInline):
    model = Institution
    extra = 0


@admin.register(SchoolCommunity)
class SchoolCommunityAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    inlines = [InstitutionInline]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "number", "city", "community")
    list_filter = ("community",)
    search_fields = ("name", "number", "city")


@admin.register(Digisnap)
class DigisnapAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "institution", "opens_on", "closes_on", "created_at")
    list_filter = ("institution__community",)
    search_fields = ("name", "code", "institution__name", "institution__number")
    readonly_fields = ("code", "join_url", "created_at")
    list_select_related = ("institution",)

    @admin.display(description="join link")
    def join_url(self, obj: Digisnap) -> str:
        return obj.get_join_url() if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = digisnap_create(
            institution=obj.institution,
            name=obj.name,
            opens_on=obj.opens_on,
            closes_on=obj.closes_on,
        )
        obj.pk, obj.code, obj.created_at = created.pk, created.code, created.created_at


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "digisnap", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("user__email", "digisnap__code", "digisnap__name")
    list_select_related = ("user", "digisnap")


class AccessRequestEventInline(admin.TabularInline):
    model = AccessRequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "actor", "reason")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Read-only here: requests are decided on the review queue, through one atomic service."""

    list_display = ("school_name", "institution_number", "email", "status", "created_at")
    list_filter = ("status", "education_level")
    search_fields = ("school_name", "institution_number", "email", "last_name")
    inlines = [AccessRequestEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InstitutionManager)
class InstitutionManagerAdmin(admin.ModelAdmin):
    list_display = ("user", "institution", "created_at")
    search_fields = ("user__email", "institution__name", "institution__number")
    list_select_related = ("user", "institution")
    autocomplete_fields = ("user", "institution")
