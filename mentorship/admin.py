from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mentorship.models import AuditEntry, Membership, Organization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "last_name", "first_name", "is_active", "is_superuser"]
    search_fields = ["email", "last_name", "first_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("ФИО", {"fields": ("last_name", "first_name", "patronymic", "position")}),
        ("Права", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "parent", "slug", "inn"]
    list_filter = ["kind"]
    search_fields = ["short_name", "full_name", "slug", "inn"]
    inlines = [MembershipInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "organization", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "object_id"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
