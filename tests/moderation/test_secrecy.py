"""Secret information first ("sekretessbelagd information ska … omedelbart tas bort"): an item
marked secret, or hidden by the personnummer detector, goes before everything else in the
queue, and the channel's people and Informationsenheten are mailed at once, once; and the
municipality's own posts can be removed or marked secret, never answered."""

import pytest
from django.core import mail

from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.models import AuditLogEntry
from moderation import selectors, services
from moderation.exceptions import DecisionNotAllowed
from moderation.models import Rule, SupervisionNotice
from moderation.services import secrecy
from moderation.workflow import ItemStatus
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db

PERSONNUMMER_TEXT = "Min granne heter Olle, personnummer 811218-9876, och är sjuk."


def _register(channel, **overrides):
    item, _created = services.register_item(channel, item_data(**overrides))
    return item


def test_an_item_the_personnummer_detector_hides_goes_before_everything_else_in_the_queue(
    channel, dora
):
    earlier = _register(channel, external_id="fb-1", received_at="2026-03-27T08:00:00+01:00")
    hidden = _register(channel, external_id="fb-2", kind="comment", text=PERSONNUMMER_TEXT)

    assert hidden.status == ItemStatus.HIDDEN
    assert earlier.due_at < hidden.due_at
    assert list(selectors.queue(dora)) == [hidden, earlier]


def test_a_rule_that_hides_for_another_reason_keeps_the_due_order(channel, dora):
    Rule.objects.create(
        name="Hot", kind="word", pattern="riv biblioteket", category="brott", action="hide"
    )
    earlier = _register(channel, external_id="fb-1", received_at="2026-03-27T08:00:00+01:00")
    hidden = _register(channel, external_id="fb-2", kind="comment", text="Riv biblioteket!")

    assert hidden.status == ItemStatus.HIDDEN
    assert hidden.secrecy_flagged_at is None
    assert next(iter(selectors.queue(dora))) == earlier


def test_an_edit_that_adds_a_personnummer_puts_the_item_first(channel, dora):
    earlier = _register(channel, external_id="fb-1", received_at="2026-03-27T08:00:00+01:00")
    later = _register(channel, external_id="fb-2", kind="comment", text="Hej!")

    edited, _created = services.register_item(
        channel, item_data(external_id="fb-2", kind="comment", text=PERSONNUMMER_TEXT)
    )

    assert edited.secrecy_flagged_at is not None
    assert list(selectors.queue(dora)) == [later, earlier]


def test_the_channels_people_and_informationsenheten_are_mailed_at_once(
    channel, dora, alice, bob, ingrid, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = _register(channel, external_id="fb-7", kind="comment", text=PERSONNUMMER_TEXT)

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(p.email for p in (dora, alice, bob, ingrid))
    assert carol.email not in recipients
    message = mail.outbox[0]
    assert message.subject.startswith("Sekretess: ta bort inlägget omedelbart")
    assert "personnummer" in message.body
    assert item.get_absolute_url() in message.body
    assert "811218" not in message.body
    assert "Olle" not in message.body
    assert "ligger först i modereringskön" in message.body


def test_a_person_marking_an_item_secret_mails_them_too(
    channel, dora, ingrid, django_capture_on_commit_callbacks
):
    item = _register(channel, external_id="fb-8")

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_item(item, by=dora, kind="secrecy", diarienummer="KS 2026/9")

    item.refresh_from_db()
    assert item.secrecy_flagged_at is not None
    assert ingrid.email in [address for message in mail.outbox for address in message.to]
    assert "en person har markerat det som sekretess" in mail.outbox[0].body
    # The marking settled the item, but it waits first in the queue until it is gone from the
    # platform: the mail says so.
    assert "bekräfta det på inläggets sida" in mail.outbox[0].body
    assert SupervisionNotice.objects.get(kind="secrecy").sent_at is not None


def test_a_second_delivery_of_the_alert_sends_no_second_mail(
    channel, dora, django_capture_on_commit_callbacks
):
    from moderation.services import secrecy

    with django_capture_on_commit_callbacks(execute=True):
        item = _register(channel, external_id="fb-9", kind="comment", text=PERSONNUMMER_TEXT)
    sent = len(mail.outbox)

    secrecy.send_secrecy_alert(item.pk, item.secrecy_flagged_at.isoformat(), "personnummer")

    assert sent > 0
    assert len(mail.outbox) == sent


@pytest.mark.parametrize(
    ("kind", "fields", "status"),
    [
        ("remove", {"category": "personuppgifter"}, ItemStatus.REMOVED),
        ("secrecy", {"diarienummer": "KS 2026/10"}, ItemStatus.SECRET),
    ],
)
def test_the_municipalitys_own_post_can_be_removed_or_marked_secret(
    channel, dora, kind, fields, status
):
    post = _register(channel, external_id="fb-p1", kind="post", text="Välkommen!")

    services.decide_item(post, by=dora, kind=kind, **fields)

    post.refresh_from_db()
    assert post.status == status


def test_the_municipalitys_own_post_is_not_answered(channel, dora):
    post = _register(channel, external_id="fb-p2", kind="post", text="Välkommen!")

    with pytest.raises(DecisionNotAllowed):
        services.decide_item(post, by=dora, kind="answer", reply_text="Tack!")


def test_the_start_page_lists_the_flagged_item_first_and_says_why(channel, dora):
    from moderation import dashboard

    earlier = _register(channel, external_id="fb-1", received_at="2026-03-27T08:00:00+01:00")
    hidden = _register(channel, external_id="fb-2", kind="comment", text=PERSONNUMMER_TEXT)

    entries = dashboard.queue_items(dora)

    urls = [entry.url for entry in entries]
    assert urls == [hidden.get_absolute_url(), earlier.get_absolute_url()]
    assert entries[0].status == "Sekretess: ta bort omedelbart"


def test_the_queue_page_marks_the_flagged_item(client, channel, dora):
    _register(channel, external_id="fb-2", kind="comment", text=PERSONNUMMER_TEXT)
    client.force_login(dora)

    page = client.get("/moderering/").content.decode()

    assert "Sekretess: ta bort omedelbart" in page


def test_an_alert_whose_mail_failed_is_tried_again_and_then_sent_once(
    channel, dora, monkeypatch, django_capture_on_commit_callbacks
):
    from moderation.exceptions import SecrecyAlertNotSent
    from moderation.services import secrecy, supervision

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    item = _register(channel, external_id="fb-10", kind="comment", text=PERSONNUMMER_TEXT)
    flagged_at = item.secrecy_flagged_at.isoformat()
    monkeypatch.setattr(supervision, "send_mail", refuse)
    with pytest.raises(SecrecyAlertNotSent):
        secrecy.send_secrecy_alert(item.pk, flagged_at, "personnummer")
    monkeypatch.undo()

    sent = secrecy.send_secrecy_alert(item.pk, flagged_at, "personnummer")

    assert sent == len(mail.outbox) > 0
    assert secrecy.send_secrecy_alert(item.pk, flagged_at, "personnummer") == 0


def test_an_item_a_person_marks_secret_stays_first_in_the_queue_until_its_removal_is_confirmed(
    channel, dora
):
    earlier = _register(channel, external_id="fb-1", received_at="2026-03-27T08:00:00+01:00")
    secret = _register(channel, external_id="fb-2", kind="comment")
    services.decide_item(secret, by=dora, kind="secrecy", diarienummer="KS 2026/9")

    secret.refresh_from_db()
    assert secret.status == ItemStatus.SECRET
    assert list(selectors.queue(dora)) == [secret, earlier]

    secrecy.confirm_secret_removed(secret, by=dora)

    assert list(selectors.queue(dora)) == [earlier]
    assert AuditLogEntry.objects.filter(action="secret_removal_confirmed").count() == 1


def test_the_start_page_lists_a_secret_item_until_its_removal_is_confirmed(channel, dora):
    from moderation import dashboard

    secret = _register(channel, external_id="fb-2", kind="comment")
    services.decide_item(secret, by=dora, kind="secrecy", diarienummer="KS 2026/9")

    assert [entry.url for entry in dashboard.queue_items(dora)] == [secret.get_absolute_url()]
    secrecy.confirm_secret_removed(secret, by=dora)
    assert dashboard.queue_items(dora) == []


def test_a_person_confirms_the_removal_on_the_items_page(client, channel, dora):
    secret = _register(channel, external_id="fb-2", kind="comment")
    services.decide_item(secret, by=dora, kind="secrecy", diarienummer="KS 2026/9")
    client.force_login(dora)

    page = client.get(secret.get_absolute_url()).content.decode()
    assert "Bekräfta att det är borttaget från plattformen" in page
    response = client.post(f"/moderering/{secret.pk}/sekretess-borttaget/", follow=True)

    secret.refresh_from_db()
    assert secret.secrecy_removed_at is not None
    assert "Borttagningen från plattformen är bekräftad" in response.content.decode()
    assert list(selectors.queue(dora)) == []


def test_only_a_secret_item_has_a_removal_to_confirm_and_only_its_handlers_confirm_it(
    channel, dora, carol
):
    kept = _register(channel, external_id="fb-1", kind="comment")
    with pytest.raises(DecisionNotAllowed):
        secrecy.confirm_secret_removed(kept, by=dora)

    secret = _register(channel, external_id="fb-2", kind="comment")
    services.decide_item(secret, by=dora, kind="secrecy", diarienummer="KS 2026/9")
    with pytest.raises(PermissionDeniedError):
        secrecy.confirm_secret_removed(secret, by=carol)
    secret.refresh_from_db()
    assert secret.secrecy_removed_at is None
