"""The warnings (Rimliga svarstider; Bilaga 1): a mail in Swedish with a link when an item has
under a quarter of its time left and when a channel's review is overdue; once per event; to
the substitute while an operator is away."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from moderation import services
from moderation.models import SupervisionNotice
from moderation.services import supervision
from moderation.tasks import send_supervision_warnings

from .conftest import at, register

pytestmark = pytest.mark.django_db


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_deadline_warning_comes_at_three_quarters_of_the_working_time_not_on_saturday(
    channel, dora, travel
):
    # Friday 16:00, one working day (08-17): one hour on Friday, eight on Monday; due Monday
    # 16:00. Three quarters (6 h 45 min) are gone Monday 13:45, not Saturday night.
    travel("2026-03-20 16:00")
    item = register(channel, "2026-03-20 16:00")
    supervision.mark_channel_reviewed(channel, by=dora)
    assert item.due_at == at("2026-03-23 16:00")
    assert item.warn_at == at("2026-03-23 13:45")

    travel("2026-03-21 12:00")
    assert supervision.send_supervision_warnings() == 0
    travel("2026-03-23 13:44")
    assert supervision.send_supervision_warnings() == 0

    travel("2026-03-23 13:45")
    assert supervision.send_supervision_warnings() == 1
    assert _recipients() == [dora.email]


def test_a_deadline_warning_over_easter_comes_on_the_first_working_day_after(channel, dora, travel):
    # Skärtorsdag 16:30: half an hour that day, then Tuesday after annandag påsk; due 16:30,
    # three quarters gone at 14:15 that Tuesday.
    travel("2026-04-02 16:30")
    item = register(channel, "2026-04-02 16:30")
    supervision.mark_channel_reviewed(channel, by=dora)
    assert item.due_at == at("2026-04-07 16:30")
    assert item.warn_at == at("2026-04-07 14:15")

    travel("2026-04-07 08:00")
    assert supervision.send_supervision_warnings() == 0

    travel("2026-04-07 14:15")
    assert supervision.send_supervision_warnings() == 1


def test_the_warning_is_in_swedish_with_an_absolute_link(channel, dora, travel, settings):
    settings.SITE_URL = "https://sociala.atvidaberg.se"
    travel("2026-03-26 08:00")
    item = register(channel, "2026-03-26 08:00")
    supervision.mark_channel_reviewed(channel, by=dora)

    travel(item.warn_at + datetime.timedelta(minutes=1))
    supervision.send_supervision_warnings()

    [message] = mail.outbox
    assert message.subject == f"Svarstiden går snart ut: {channel}"
    assert "ska besvaras eller modereras senast 2026-03-26 17:00" in message.body
    assert f"https://sociala.atvidaberg.se/moderering/{item.pk}/" in message.body


def test_no_warning_before_three_quarters_of_the_time_have_passed(channel, dora, travel):
    travel("2026-03-26 08:00")
    item = register(channel, "2026-03-26 08:00")
    supervision.mark_channel_reviewed(channel, by=dora)

    travel(item.warn_at - datetime.timedelta(minutes=1))

    assert supervision.send_supervision_warnings() == 0
    assert mail.outbox == []


def test_each_event_is_mailed_once_however_often_the_task_runs(channel, dora, travel):
    travel("2026-03-26 08:00")
    item = register(channel, "2026-03-26 08:00")
    supervision.mark_channel_reviewed(channel, by=dora)
    travel(item.warn_at + datetime.timedelta(minutes=1))

    send_supervision_warnings.delay()
    send_supervision_warnings.delay()
    call_command("send_supervision_warnings", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert len(mail.outbox) == 1
    assert SupervisionNotice.objects.get().key.startswith(f"deadline:{item.pk}:")


def test_an_item_assigned_to_someone_warns_that_person(channel, dora, alice, travel):
    travel("2026-03-26 08:00")
    item = register(channel, "2026-03-26 08:00")
    services.assign_item(item, by=dora, to=alice)
    travel(item.warn_at + datetime.timedelta(minutes=1))

    supervision.send_supervision_warnings()

    assert _recipients() == [alice.email]


def test_a_settled_item_is_not_warned_about(channel, dora, travel):
    travel("2026-03-26 08:00")
    item = register(channel, "2026-03-26 08:00")
    services.decide_item(item, by=dora, kind="answer", reply_text="Klockan tio.")
    travel(item.warn_at + datetime.timedelta(minutes=1))

    assert supervision.send_supervision_warnings() == 0


def test_the_substitute_gets_the_mail_during_the_absence_and_not_after(
    channel, dora, dagny, travel
):
    travel("2026-03-23 08:00")
    supervision.register_absence(
        dora,
        by=dora,
        starts_at=at("2026-03-23 08:00"),
        ends_at=at("2026-03-25 17:00"),
        substitute=dagny,
    )
    travel("2026-03-24 08:00")
    during = register(channel, "2026-03-24 08:00", external_id="fb-during")
    travel(during.warn_at + datetime.timedelta(minutes=1))
    supervision.mark_channel_reviewed(channel, by=dagny)
    supervision.send_supervision_warnings()
    assert _recipients() == [dagny.email]

    mail.outbox.clear()
    travel("2026-03-26 08:00")
    after = register(channel, "2026-03-26 08:00", external_id="fb-after")
    travel(after.warn_at + datetime.timedelta(minutes=1))
    supervision.send_supervision_warnings()
    assert _recipients() == [dora.email]


def test_an_operator_away_without_a_substitute_is_not_mailed(channel, dora, travel):
    travel("2026-03-23 08:00")
    supervision.register_absence(
        dora, by=dora, starts_at=at("2026-03-23 08:00"), ends_at=at("2026-03-27 17:00")
    )
    travel("2026-03-24 08:00")
    item = register(channel, "2026-03-24 08:00")
    travel(item.warn_at + datetime.timedelta(minutes=1))

    supervision.send_supervision_warnings()

    assert dora.email not in _recipients()


def test_an_overdue_review_is_mailed_once_with_a_link_to_the_supervision_page(
    channel, dora, travel, settings
):
    settings.SITE_URL = "https://sociala.atvidaberg.se"
    travel("2026-03-02 09:00")
    supervision.mark_channel_reviewed(channel, by=dora)

    travel("2026-03-09 09:00")
    assert supervision.send_supervision_warnings() == 0
    travel("2026-03-09 09:15")
    assert supervision.send_supervision_warnings() == 1
    assert supervision.send_supervision_warnings() == 0

    [message] = mail.outbox
    assert message.to == [dora.email]
    assert message.subject == f"Tillsynen är försenad: {channel}"
    assert "skulle ha setts över senast 2026-03-09 09:00" in message.body
    assert "Kanalen bevakas minst en gång i veckan." in message.body
    assert "https://sociala.atvidaberg.se/moderering/tillsyn/" in message.body


def test_a_new_overdue_review_after_a_review_is_a_new_event(channel, dora, travel):
    travel("2026-03-02 09:00")
    supervision.mark_channel_reviewed(channel, by=dora)
    travel("2026-03-09 10:00")
    supervision.send_supervision_warnings()
    supervision.mark_channel_reviewed(channel, by=dora)

    travel("2026-03-16 10:01")
    supervision.send_supervision_warnings()

    assert len(mail.outbox) == 2
    assert SupervisionNotice.objects.filter(kind="review").count() == 2
