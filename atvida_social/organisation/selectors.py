"""Viewer-aware reads: the one door for 'may this user see this'."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Unit, User


def units_for_viewer(user):
    return Unit.objects.visible_to(user).select_related("administration")


def unit_for_viewer(user, pk: int) -> Unit:
    """A unit the user may see, or 404: another unit's staff learn nothing of it."""
    staff = (
        User.objects.filter(is_active=True)
        .prefetch_related("groups")
        .order_by("last_name", "first_name")
    )
    return get_object_or_404(
        units_for_viewer(user).prefetch_related(Prefetch("staff", queryset=staff)), pk=pk
    )
