from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from .audit import record_audit
from .models import Administration, AuditLogEntry, Unit, User

# Date-part lookups typed into the URL (?at__year=0) crash on out-of-range values when the
# list is counted; the date filters use ranges (__gte/__lt) instead.
_DATE_PARTS = {"year", "iso_year", "month", "day", "week", "week_day", "iso_week_day", "quarter"}


class SafeAdminMixin:
    """Every admin of the project: forged query strings and selections give no 500."""

    def lookup_allowed(self, lookup, value, request=None):
        if _DATE_PARTS & set(lookup.split("__")[1:]):
            return False
        return super().lookup_allowed(lookup, value, request)

    def response_action(self, request, queryset):
        # A forged selection (non-numeric ids) is refused with a message, not a crash.
        try:
            return super().response_action(request, queryset)
        except (ValueError, ValidationError):
            self.message_user(request, _("Ogiltigt urval."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def _parent(obj) -> dict:
    """The object an inline row belongs to, so its audit row can be found from there."""
    return {"model": obj._meta.label_lower, "id": str(obj.pk), "repr": str(obj)[:300]}


class AuditedAdminMixin(SafeAdminMixin):
    """Changes made in the admin reach the audit log like any other change, inline rows
    included: each added, changed and deleted row gets an entry of its own."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = "admin_changed" if change else "admin_added"
        record_audit(action, by=request.user, obj=obj, details={"fields": form.changed_data})

    def delete_model(self, request, obj):
        record_audit("admin_deleted", by=request.user, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_audit("admin_deleted", by=request.user, obj=obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        parent = _parent(form.instance)
        # Recorded before saving, while the rows still have their ids; the admin's
        # transaction drops these entries too if the save fails.
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                record_audit(
                    "admin_deleted", by=request.user, obj=row.instance, details={"parent": parent}
                )
        super().save_formset(request, form, formset, change)
        fields_of = {id(row.instance): row.changed_data for row in formset.forms}
        for obj in formset.new_objects:
            details = {"fields": fields_of.get(id(obj), []), "parent": parent}
            record_audit("admin_added", by=request.user, obj=obj, details=details)
        for obj, fields in formset.changed_objects:
            details = {"fields": list(fields), "parent": parent}
            record_audit("admin_changed", by=request.user, obj=obj, details=details)


@admin.register(Administration)
class AdministrationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "controller_name"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "administration", "is_confidential"]
    list_filter = ["administration", "is_confidential"]
    search_fields = ["name", "administration__name"]
    list_select_related = ["administration"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
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
class AuditLogEntryAdmin(SafeAdminMixin, admin.ModelAdmin):
    """Read only: the audit log is append-only."""

    list_display = ["at", "actor_name", "action", "object_repr", "ip_address"]
    list_filter = [("at", admin.DateFieldListFilter), "action", "content_type"]
    search_fields = ["actor_name", "action", "object_repr", "object_id"]
    # No date_hierarchy: Django 5.2 crashes on out-of-range years in its query string.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The roles are groups: who may do what is changed here, so it is audited like the rest.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, DjangoGroupAdmin):
    pass


# django-axes' pages can delete lockouts and login records; re-registered audited. Their
# date hierarchy is dropped: a year such as 9999 in its query string crashes Django 5.2.
class AccessAttemptAdmin(AuditedAdminMixin, axes_admin.AccessAttemptAdmin):
    date_hierarchy = None

    @admin.action(description=_("Rensa utgångna inloggningsförsök"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        record_audit("admin_cleaned_expired_attempts", by=request.user, details={"count": count})
        self.message_user(
            request, _("%(count)s utgångna inloggningsförsök rensades.") % {"count": count}
        )


class AccessLogAdmin(AuditedAdminMixin, axes_admin.AccessLogAdmin):
    date_hierarchy = None


class AccessFailureLogAdmin(AuditedAdminMixin, axes_admin.AccessFailureLogAdmin):
    date_hierarchy = None


for _model, _model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    # Only where axes registered its own (AXES_ENABLE_ADMIN, on by default).
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)
