"""Registering what arrives, classifying it, its deadline, and the decisions on it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from atvida_social.organisation.exceptions import PermissionDeniedError
from moderation import selectors, services
from moderation.exceptions import DecisionImmutable, DecisionNotAllowed
from moderation.models import Decision, Item, Rule
from moderation.workflow import ItemStatus
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db


def _register(channel, **overrides):
    item, _created = services.register_item(channel, item_data(**overrides))
    return item


def test_a_question_from_the_public_gets_a_deadline_and_the_municipalitys_post_none(channel):
    question = _register(channel)
    post = _register(channel, external_id="fb-2", kind="post", text="Välkommen till biblioteket!")

    assert question.due_at is not None
    assert question.due_at > question.received_at
    assert question.status == ItemStatus.NEW
    assert post.due_at is None
    assert post.status == ItemStatus.PUBLISHED


def test_the_same_external_id_twice_stores_one_item(channel):
    first, created_first = services.register_item(channel, item_data())
    again, created_again = services.register_item(channel, item_data(text="Ändrad text"))

    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert Item.objects.count() == 1


def test_the_database_refuses_a_duplicate_external_id(channel):
    item = _register(channel)

    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(
            channel=channel,
            kind="comment",
            external_id=item.external_id,
            received_at=item.received_at,
        )


def test_a_hide_rule_hides_the_item_at_once_and_the_rules_record_why(channel):
    Rule.objects.create(
        name="Hot", kind="word", pattern="riv biblioteket", category="brott", action="hide"
    )

    item = _register(channel, text="Någon borde riv biblioteket nu.")

    decision = item.decisions.get()
    assert item.status == ItemStatus.HIDDEN
    assert (decision.kind, decision.actor, decision.category) == ("auto_hide", None, "brott")
    assert item.matches.get(rule_name="Hot").category == "brott"


def test_a_rule_in_test_mode_records_a_match_and_hides_nothing(channel):
    Rule.objects.create(
        name="Prov", kind="word", pattern="lördag", category="reklam", action="hide", test_mode=True
    )

    item = _register(channel)

    assert item.status == ItemStatus.NEW
    assert item.matches.get().test_mode is True


def test_the_span_of_a_match_points_into_the_original_text(channel):
    Rule.objects.create(name="Idiot", kind="word", pattern="idiot", category="fortal")

    item = _register(channel, text="Du är en IDIOT, bibliotekarie.")

    match = item.matches.get(rule_name="Idiot")
    assert item.text[match.start : match.end] == "IDIOT"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": "x" * (64 * 1024 + 1)}, "text"),
        ({"received_at": "2026-03-27 16:30"}, "received_at"),
        ({"received_at": "i fredags"}, "received_at"),
        ({"kind": "tweet"}, "kind"),
        ({"external_id": ""}, "external_id"),
        ({"parent": "finns-inte"}, "parent"),
    ],
)
def test_bad_input_is_refused_with_a_swedish_message_and_nothing_stored(channel, overrides, field):
    with pytest.raises(ValidationError) as caught:
        services.register_item(channel, item_data(**overrides))

    assert field in caught.value.message_dict
    assert not Item.objects.exists()


def test_answering_stops_the_clock_and_records_whether_it_was_in_time(channel, dora):
    item = _register(channel)

    services.decide_item(item, by=dora, kind="answer", reply_text="Klockan 10.", now=item.due_at)

    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED
    assert item.settled_at == item.due_at
    assert item.sla_met is True


def test_an_answer_after_the_deadline_is_recorded_as_late(channel, dora):
    item = _register(channel)

    later = item.due_at + datetime.timedelta(minutes=1)
    services.decide_item(item, by=dora, kind="answer", reply_text="Förlåt dröjsmålet.", now=later)

    item.refresh_from_db()
    assert item.sla_met is False


def test_forwarding_keeps_the_clock_running(channel, dora, alice):
    item = _register(channel)

    services.decide_item(item, by=dora, kind="forward", forwarded_to=alice, reason="Gäller lån.")

    item.refresh_from_db()
    assert item.status == ItemStatus.FORWARDED
    assert item.settled_at is None
    assert item.assigned_to == alice


def test_moves_outside_the_transitions_table_are_refused(channel, dora):
    item = _register(channel, kind="comment")
    services.decide_item(item, by=dora, kind="keep")

    with pytest.raises(DecisionNotAllowed):
        services.decide_item(item, by=dora, kind="keep")
    assert item.decisions.count() == 1


def test_the_moderator_who_lost_a_race_reads_the_items_status_in_a_swedish_sentence(channel, dora):
    item = _register(channel, kind="comment", external_id="fb-101")
    services.decide_item(item, by=dora, kind="keep")

    with pytest.raises(DecisionNotAllowed) as caught:
        services.decide_item(item, by=dora, kind="keep")

    assert caught.value.message == (
        "fb-101 har redan status ”Behålls”: beslutet ”Behåll” kan inte fattas nu."
    )


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("remove", "category"),
        ("answer", "reply_text"),
        ("forward", "forwarded_to"),
        ("register", "diarienummer"),
        ("secrecy", "diarienummer"),
        ("no_answer", "reason"),
    ],
)
def test_each_decision_asks_for_what_it_needs(channel, dora, kind, field):
    item = _register(channel)

    with pytest.raises(ValidationError) as caught:
        services.decide_item(item, by=dora, kind=kind)

    assert field in caught.value.message_dict
    assert not item.decisions.exists()


def test_registering_in_the_diarium_keeps_the_number(channel, dora):
    item = _register(channel, kind="message")

    services.decide_item(item, by=dora, kind="register", diarienummer="KS 2026/123")

    item.refresh_from_db()
    assert (item.status, item.diarienummer) == (ItemStatus.REGISTERED, "KS 2026/123")


def test_a_removal_can_be_reported_to_the_police(channel, dora):
    item = _register(channel)

    decision = services.decide_item(
        item,
        by=dora,
        kind="remove",
        category="brott",
        police_report=True,
        police_reference="5000-K12345-26",
    )

    assert (decision.police_report, decision.police_reference) == (True, "5000-K12345-26")


def test_the_same_decision_on_several_items_is_all_or_nothing(channel, dora):
    first = _register(channel, kind="comment")
    second = _register(channel, kind="comment", external_id="fb-2")
    services.decide_item(second, by=dora, kind="keep")

    with pytest.raises(DecisionNotAllowed):
        services.decide_items([first, second], by=dora, kind="keep")

    first.refresh_from_db()
    assert first.status == ItemStatus.NEW
    assert Decision.objects.filter(item=first).count() == 0


def test_only_the_current_plans_people_and_informationsenheten_decide(channel, carol, bob, ingrid):
    item = _register(channel, kind="comment")

    for stranger in (carol, bob):
        with pytest.raises(PermissionDeniedError):
            services.decide_item(item, by=stranger, kind="keep")
    services.decide_item(item, by=ingrid, kind="keep")


def test_an_operator_removed_from_the_current_plan_may_no_longer_decide(channel, dora):
    item = _register(channel)
    plan = channel.activity_plans.get()
    plan.daily_operators.remove(dora)

    with pytest.raises(PermissionDeniedError):
        services.decide_item(item, by=dora, kind="keep")


def test_decisions_are_append_only(channel, dora):
    item = _register(channel, kind="comment")
    decision = services.decide_item(item, by=dora, kind="keep")

    with pytest.raises(DecisionImmutable):
        decision.save()
    with pytest.raises(DecisionImmutable):
        Decision.objects.filter(pk=decision.pk).delete()


def test_a_removed_text_is_for_informationsenheten_only_and_due_for_purge_after_30_days(
    channel, dora, ingrid, now
):
    """The purge itself is destruction, archiving's: tests/culling/test_purge.py."""
    item = _register(channel, text="Förolämpande text")
    services.decide_item(item, by=dora, kind="remove", category="fortal", now=now)
    item.refresh_from_db()

    assert not selectors.text_visible_to(item, dora)
    assert selectors.text_visible_to(item, ingrid)
    assert item.text_purge_after == now + datetime.timedelta(days=30)
    decision = item.decisions.get()
    assert (decision.category, decision.kind) == ("fortal", "remove")
    assert "Förolämpande" not in decision.reason


def test_a_rule_that_cannot_be_compiled_is_refused_by_the_service(ingrid):
    with pytest.raises(ValidationError) as caught:
        services.save_rule(
            Rule(name="Trasig", kind="regex", pattern="(oavslutad", category="fortal"), by=ingrid
        )

    assert "pattern" in caught.value.message_dict
    assert not Rule.objects.filter(name="Trasig").exists()


def test_only_informationsenheten_keeps_the_rules(alice):
    with pytest.raises(PermissionDeniedError):
        services.save_rule(
            Rule(name="Ny", kind="word", pattern="nyord", category="fortal"), by=alice
        )


def test_a_broken_rule_that_got_into_the_database_is_left_out_not_fatal(channel):
    Rule.objects.create(name="Trasig", kind="regex", pattern="(oavslutad", category="fortal")

    item = _register(channel, text="Du är en idiot")

    assert list(item.matches.values_list("rule_name", flat=True)) == ["Förolämpning: idiot"]


def test_the_working_hours_come_from_the_setting(channel, settings):
    settings.MODERATION_WORKING_HOURS = "09:00-12:00"

    # Friday 16:30 is after hours: the clock starts Monday 09:00, and one working day is 3 h.
    item = _register(channel)

    assert item.due_at == datetime.datetime.fromisoformat("2026-03-30T12:00:00+02:00")


def test_a_wrong_working_hours_setting_is_refused_at_start_up(settings):
    from moderation.checks import working_hours_setting

    settings.MODERATION_WORKING_HOURS = "åtta till fem"

    assert [error.id for error in working_hours_setting(None)] == ["moderation.E001"]
