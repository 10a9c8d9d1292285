"""A snapshot on demand: Informationsenheten asks for one "vid större förändringar", with a
reason, of any channel that runs or has run (Arkivering)."""

import datetime
import re
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import DomainError, PermissionDeniedError
from atvida_social.organisation.validators import validate_single_line
from channels.models import Channel, ChannelStatus

from .. import selectors
from ..models import SnapshotReason, SnapshotRun
from .snapshots import half_year_containing, start_snapshot_run

NOTE_MAX_LENGTH = 2000
_WHITESPACE = re.compile(r"\s+")


def clean_note(note: str) -> str:
    """The reason as one paragraph: line breaks and runs of spaces become one space; it must
    be there, at most 2,000 characters, without control or direction characters."""
    note = _WHITESPACE.sub(" ", note or "").strip()
    if not note:
        raise ValidationError({"note": _("Skriv varför ögonblicksbilden behövs.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("Motiveringen får vara högst %(max)d tecken (nu %(count)d).")
                % {"max": NOTE_MAX_LENGTH, "count": len(note)}
            }
        )
    try:
        validate_single_line(note)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from None
    return note


def request_snapshot(channel: Channel, *, by, note: str) -> SnapshotRun:
    """Informationsenheten takes a snapshot of the channel now, of the current half-year up
    to this moment, with the reason why; the making shows on the archive page."""
    if not selectors.may_take_snapshot(by):
        raise PermissionDeniedError(_("Bara informationsenheten kan ta en ögonblicksbild."))
    note = clean_note(note)
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if channel.status not in (ChannelStatus.ACTIVE, ChannelStatus.CLOSED):
            raise DomainError(
                _("Kanalen är bara planerad: det finns ännu inget att ta en ögonblicksbild av.")
            )
        now = timezone.now()
        start = half_year_containing(now)[0]
        if start >= now:  # the very first instant of a half-year: take the one just ended
            start = half_year_containing(start - datetime.timedelta(microseconds=1))[0]
        run = start_snapshot_run(
            channel,
            period_start=start,
            period_end=now,
            reason=SnapshotReason.ON_DEMAND,
            key=f"forandring:{channel.pk}:{uuid4().hex}",
            by=by,
            note=note,
        )
        record_audit("snapshot_requested", by=by, obj=run, details={"note": note})
    return run
