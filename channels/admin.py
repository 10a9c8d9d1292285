from django.contrib import admin

from atvida_social.organisation.admin import AuditedAdminMixin, SafeAdminMixin

from .models import Channel, Party, PartyLink, RegisterVersion


@admin.register(Channel)
class ChannelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["account_name", "platform", "unit", "status", "started_on", "ended_on"]
    list_filter = ["platform", "status", "unit__administration", "unit"]
    search_fields = ["account_name", "url", "unit__name"]
    list_select_related = ["unit"]


class PartyLinkInline(admin.TabularInline):
    model = PartyLink
    extra = 1


@admin.register(Party)
class PartyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "is_represented", "term_start", "term_end"]
    list_filter = ["is_represented"]
    search_fields = ["name"]
    inlines = [PartyLinkInline]


@admin.register(RegisterVersion)
class RegisterVersionAdmin(SafeAdminMixin, admin.ModelAdmin):
    """Read only: a published version is never changed or deleted."""

    list_display = ["number", "published_at", "published_by"]
    list_select_related = ["published_by"]
    list_filter = [("published_at", admin.DateFieldListFilter)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
