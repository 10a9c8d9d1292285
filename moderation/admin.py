from django.contrib import admin

from atvida_social.organisation.admin import AuditedAdminMixin

from .models import DomainEntry, ResponsePolicy


@admin.register(ResponsePolicy)
class ResponsePolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Rimliga svarstider, per platform; the row without a platform is the default."""

    list_display = ["__str__", "platform", "amount", "unit"]

    def has_delete_permission(self, request, obj=None):
        # The default row answers every platform without a row of its own and citizens'
        # reports: with the rows the only answer to "how long may this wait", it stays.
        if obj is not None and obj.platform == "":
            return False
        return super().has_delete_permission(request, obj)


@admin.register(DomainEntry)
class DomainEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Domains whose links need no review (public bodies) or are hidden at once."""

    list_display = ["domain", "list", "note"]
    list_filter = ["list"]
    search_fields = ["domain"]
