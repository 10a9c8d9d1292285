from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Administration, AuditLogEntry, Unit, User


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "administration", "is_confidential"]
    list_filter = ["administration", "is_confidential"]
    search_fields = ["name", "administration__name"]
    list_select_related = ["administration"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "unit", "is_active"]
    list_filter = ["groups", "unit__administration", "unit", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    list_select_related = ["unit"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ("unit", "title", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Organisation"), {"fields": ("unit", "email", "first_name", "last_name")}),
    )


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read only: the audit log is append-only."""

    list_display = ["at", "actor_name", "action", "object_repr", "ip_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_name", "action", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
