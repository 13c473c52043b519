from django.contrib import admin

from digisnap.schools.models import Digisnap, Institution, Membership, SchoolCommunity
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
