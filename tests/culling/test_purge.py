"""The purge of texts removed for a breach is destruction (gallring): it rests on the
recorded decision, obeys the protections culling obeys and is written in the culling log."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from archiving.culling import services as culling
from archiving.culling.selectors import destruction_allowed
from archiving.exceptions import CullingNotConfigured
from archiving.models import CullingRecord
from moderation import services as moderation_services
from moderation.models import Item
from tests.moderation.conftest import item_data

pytestmark = [pytest.mark.django_db, pytest.mark.each_database]

# The retention period (REMOVED_TEXT_RETENTION_DAYS, 30) is over a day after this.
LATER = datetime.timedelta(days=31)
TEXT_REMOVED = "Grovt påhopp på bibliotekarien"


def _removed(channel, by, external_id="fb-1", *, parent=None, **fields) -> Item:
    """A comment registered as any way in registers it, then removed for a breach."""
    received = timezone.now() - datetime.timedelta(days=1)
    item, _created = moderation_services.register_item(
        channel,
        item_data(
            external_id=external_id,
            kind="comment",
            text=TEXT_REMOVED,
            received_at=received,
            parent=parent,
        ),
    )
    moderation_services.decide_item(item, by=by, kind="remove", category="fortal", **fields)
    item.refresh_from_db()
    return item


def _purge(**kwargs):
    return culling.purge_removed_texts(now=timezone.now() + LATER, **kwargs)


def _text(item) -> str:
    item.refresh_from_db()
    return item.text


def test_a_due_text_is_purged_and_written_in_the_log_under_the_decision(channel, dora, decision):
    item = _removed(channel, dora)

    assert culling.purge_removed_texts(now=timezone.now() + datetime.timedelta(days=29)) is None
    record = _purge()

    assert _text(item) == ""
    assert (record.purged_texts, record.decision, record.by) == (1, decision, None)
    assert record.decision_reference == decision.reference
    assert record.job == culling.NIGHTLY_JOB
    decision_row = item.decisions.get()
    assert (decision_row.category, decision_row.kind) == ("fortal", "remove")


def test_without_a_decision_the_purge_refuses_and_keeps_the_text(channel, dora):
    item = _removed(channel, dora)

    with pytest.raises(CullingNotConfigured):
        _purge()

    assert _text(item) == "Grovt påhopp på bibliotekarien"
    assert not CullingRecord.objects.exists()


def test_a_hold_on_the_item_keeps_its_text_until_it_is_released(channel, dora, ingrid, decision):
    item = _removed(channel, dora)
    hold = culling.place_legal_hold(item, by=ingrid, reason="Begärd som bevis")

    assert _purge() is None
    assert _text(item) == "Grovt påhopp på bibliotekarien"

    culling.release_legal_hold(hold, by=ingrid)
    assert _purge().purged_texts == 1
    assert _text(item) == ""


def test_a_hold_on_the_channel_keeps_the_text_of_every_item_in_it(channel, dora, ingrid, decision):
    item = _removed(channel, dora)
    hold = culling.place_legal_hold(channel, by=ingrid, reason="Tvist om kanalen")

    assert _purge() is None
    assert _text(item) == "Grovt påhopp på bibliotekarien"

    culling.release_legal_hold(hold, by=ingrid)
    assert _purge().purged_texts == 1


def test_a_text_reported_to_the_police_is_never_purged(channel, dora, decision):
    reported = _removed(channel, dora, police_report=True, police_reference="5000-K123-26")
    plain = _removed(channel, dora, "fb-2")

    record = _purge()

    assert record.purged_texts == 1
    assert _text(reported) == "Grovt påhopp på bibliotekarien"
    assert _text(plain) == ""


def test_a_secret_item_registered_in_the_diarium_keeps_its_text(channel, ingrid, decision):
    received = timezone.now() - datetime.timedelta(days=1)
    item, _created = moderation_services.register_item(
        channel, item_data(kind="comment", text="Mitt personnummer är ...", received_at=received)
    )
    moderation_services.decide_item(item, by=ingrid, kind="secrecy", diarienummer="KS 2026/9")

    assert _purge() is None
    assert _text(item) == "Mitt personnummer är ..."


def test_a_removed_item_part_of_a_case_keeps_its_text(channel, dora, decision):
    removed = _removed(channel, dora)
    received = timezone.now() - datetime.timedelta(hours=20)
    reply, _created = moderation_services.register_item(
        channel,
        item_data(external_id="fb-2", kind="question", received_at=received, parent="fb-1"),
    )
    moderation_services.decide_item(reply, by=dora, kind="register", diarienummer="KS 2026/11")

    assert _purge() is None
    assert _text(removed) == "Grovt påhopp på bibliotekarien"


def test_the_protections_are_one_filter_asked_by_culling_and_the_purge(channel, dora, decision):
    """A police report keeps an item from any destruction, culling included."""
    reported = _removed(channel, dora, police_report=True, police_reference="5000-K123-26")
    plain = _removed(channel, dora, "fb-2")

    allowed = set(destruction_allowed(Item.objects.all()).values_list("pk", flat=True))

    assert allowed == {plain.pk}
    assert reported.pk not in allowed


def test_the_nightly_job_purges_only_what_is_not_protected(channel, dora, ingrid, decision):
    held = _removed(channel, dora)
    plain = _removed(channel, dora, "fb-2")
    culling.place_legal_hold(held, by=ingrid, reason="Begärd som bevis")

    culling.run_culling_job(now=timezone.now() + LATER)

    assert _text(held) == "Grovt påhopp på bibliotekarien"
    assert _text(plain) == ""
    assert CullingRecord.objects.get().purged_texts == 1


def test_the_command_purges_and_logs_under_the_decision(channel, dora, decision, time_machine):
    item = _removed(channel, dora)
    time_machine.move_to(timezone.now() + LATER)
    out = io.StringIO()

    call_command("purge_removed_texts", stdout=out)

    assert "Rensade texter: 1" in out.getvalue()
    assert _text(item) == ""
    record = CullingRecord.objects.get()
    assert (record.purged_texts, record.job) == (1, "manage.py purge_removed_texts")


def test_the_command_without_a_decision_fails_with_the_swedish_message(channel, dora, time_machine):
    item = _removed(channel, dora)
    time_machine.move_to(timezone.now() + LATER)

    with pytest.raises(CommandError, match="Gallring kan inte göras förrän beslutet"):
        call_command("purge_removed_texts", stdout=io.StringIO())

    assert _text(item) == "Grovt påhopp på bibliotekarien"


def test_the_log_page_shows_the_purge_and_what_it_spares(client, channel, dora, arne, decision):
    _removed(channel, dora)
    _removed(channel, dora, "fb-2", police_report=True, police_reference="5000-K123-26")
    record = _purge()
    client.force_login(arne)

    text = " ".join(client.get("/arkiv/gallring/logg/").content.decode().split())

    assert f'<tr id="gallring-{record.pk}">' in text
    assert "<td>1</td>" in text
    assert "ett polisanmält inlägg" in text
    assert "texten finns kvar tills skyddet upphör" in text
