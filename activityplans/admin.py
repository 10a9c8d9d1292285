from django.contrib import admin

from atvida_social.organisation.admin import SafeAdminMixin

from .models import ActivityPlan, Credential, PlanEvent, Signature


class ReadOnlyAdmin(SafeAdminMixin, admin.ModelAdmin):
    """History and secrets are never edited through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityPlan)
class ActivityPlanAdmin(ReadOnlyAdmin):
    list_display = ["account_name", "platform", "unit", "status", "revision", "status_changed_at"]
    list_filter = ["status", "platform", "unit__administration"]
    search_fields = ["account_name", "url", "unit__name"]
    list_select_related = ["unit"]


@admin.register(PlanEvent)
class PlanEventAdmin(ReadOnlyAdmin):
    list_display = ["plan", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status"]
    list_select_related = ["plan", "actor"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["plan", "signer", "signed_at"]
    list_select_related = ["plan", "signer"]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    """Only who and when: the secret fields are not shown here at all."""

    list_display = ["channel", "entered_by", "updated_at", "expires_on"]
    fields = ["channel", "plan", "entered_by", "updated_at", "expires_on"]
    readonly_fields = fields
    list_select_related = ["channel", "entered_by"]

    def get_queryset(self, request):
        # Nothing decrypts here: a wrong key cannot break the admin either.
        return super().get_queryset(request).defer("username", "password", "recovery_notes")
