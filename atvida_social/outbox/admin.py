from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read only: shows what waits for the broker and why; the relay does the sending."""

    list_display = (
        "pk",
        "task_name",
        "created_at",
        "sent_at",
        "completed_at",
        "attempts",
        "redeliveries",
        "given_up_at",
    )
    list_filter = (
        ("sent_at", admin.EmptyFieldListFilter),
        ("completed_at", admin.EmptyFieldListFilter),
        ("given_up_at", admin.EmptyFieldListFilter),
        "task_name",
    )
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
