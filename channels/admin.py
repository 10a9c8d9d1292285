from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from atvida_social.organisation.admin import AuditedAdminMixin, SafeAdminMixin

from . import services
from .exceptions import ActivationNeedsPlan
from .forms import HttpsURLField
from .models import Channel, Party, PartyLink, RegisterVersion


class ChannelAdminForm(forms.ModelForm):
    """The admin meets the register's rule too: no activation without a plan or exception."""

    class Meta:
        model = Channel
        fields = "__all__"  # noqa: DJ007 -- the admin's own fieldsets decide what is shown
        field_classes = {"url": HttpsURLField}

    def clean(self):
        cleaned = super().clean()
        stored_status = None
        if self.instance.pk:
            stored_status = (
                Channel.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
            )
        candidate = Channel(
            status=cleaned.get("status"),
            register_exception_reason=self.instance.register_exception_reason,
        )
        try:
            services.ensure_may_become_active(candidate, stored_status=stored_status)
        except ActivationNeedsPlan as error:
            raise ValidationError({"status": error.message}) from error
        return cleaned


@admin.register(Channel)
class ChannelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ChannelAdminForm
    list_display = ["account_name", "platform", "unit", "status", "started_on", "ended_on"]
    list_filter = ["platform", "status", "unit__administration", "unit"]
    search_fields = ["account_name", "url", "unit__name"]
    list_select_related = ["unit"]
    # Recorded only through the register's own form, with the acting user and the time.
    readonly_fields = [
        "register_exception_reason",
        "register_exception_by",
        "register_exception_at",
        "activated_at",
    ]

    def save_model(self, request, obj, form, change):
        stored_status = (
            Channel.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            if change
            else None
        )
        services.stamp_activation(obj, stored_status=stored_status)
        super().save_model(request, obj, form, change)


class PartyLinkInline(admin.TabularInline):
    model = PartyLink
    extra = 1
    # An address typed without a scheme is read as https, as in the staff forms.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


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
