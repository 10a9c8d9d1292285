from django.contrib import admin

from atvida_social.organisation.admin import AuditedAdminMixin

from .models import DomainEntry, ResponsePolicy


@admin.register(ResponsePolicy)
class ResponsePolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Rimliga svarstider, per platform; the row without a platform is the default."""

    list_display = ["__str__", "platform", "amount", "unit"]


@admin.register(DomainEntry)
class DomainEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Domains whose links need no review (public bodies) or are hidden at once."""

    list_display = ["domain", "list", "note"]
    list_filter = ["list"]
    search_fields = ["domain"]
