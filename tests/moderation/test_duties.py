"""The guideline's duties on decisions (Hur hanteras inkomna synpunkter, frågor och kommentarer;
Hur man svarar): a question is answered, forwarded or registered; an item a person judged a
personal attack or a privacy intrusion is not answered; a direct message is registered or
judged trivial with a reason. Through the service, which every caller meets, and the views."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from moderation import selectors, services
from moderation.exceptions import DecisionNotAllowed
from moderation.models import Decision, Item, Rule
from moderation.workflow import ItemStatus
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db

QUESTION_REFUSED = "En fråga ska besvaras, vidarebefordras eller diarieföras"
NOT_ANSWERED = "Sådana inlägg ska inte bemötas"
MESSAGE_REFUSED = "Ett direktmeddelande är en inkommen allmän handling"

# What each decision needs beyond its kind, so that only the duty can refuse it.
FIELDS = {
    "keep": {},
    "trivial": {"reason": "En hälsning."},
    "no_answer": {"reason": "Inget att svara på."},
    "answer": {"reply_text": "Vi öppnar klockan tio."},
    "remove": {"category": "reklam"},
    "register": {"diarienummer": "KFN 2026/7"},
    "secrecy": {"diarienummer": "KFN 2026/8"},
}


def _register(channel, **overrides) -> Item:
    return services.register_item(channel, item_data(**overrides))[0]


def _offered(page: str, form_action: str) -> set[str]:
    """The decisions the form posting to `form_action` offers."""
    form = page[page.index(f'action="{form_action}"') :]
    select = form[form.index('name="kind"') : form.index("</select>")]
    return set(re.findall(r'<option value="([a-z_]+)"', select))


# --- Questions: answered, forwarded or registered ----------------------------------------


@pytest.mark.parametrize("kind", ["keep", "trivial", "no_answer"])
def test_an_unanswered_question_is_not_settled_without_an_answer(channel, dora, kind):
    question = _register(channel)

    with pytest.raises(DecisionNotAllowed) as caught:
        services.decide_item(question, by=dora, kind=kind, **FIELDS[kind])

    assert caught.value.message.startswith(f"fb-1: {QUESTION_REFUSED}")
    question.refresh_from_db()
    assert question.status == ItemStatus.NEW
    assert not question.decisions.exists()


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("answer", ItemStatus.ANSWERED),
        ("register", ItemStatus.REGISTERED),
        ("remove", ItemStatus.REMOVED),
        ("secrecy", ItemStatus.SECRET),
    ],
)
def test_a_question_is_settled_by_an_answer_or_a_registration(channel, dora, kind, status):
    question = _register(channel)

    services.decide_item(question, by=dora, kind=kind, **FIELDS[kind])

    question.refresh_from_db()
    assert question.status == status


def test_a_forwarded_question_still_waits_for_its_answer(channel, dora, alice):
    question = _register(channel)
    services.decide_item(question, by=dora, kind="forward", forwarded_to=alice)

    with pytest.raises(DecisionNotAllowed):
        services.decide_item(question, by=alice, kind="keep")
    services.decide_item(question, by=alice, kind="answer", **FIELDS["answer"])

    question.refresh_from_db()
    assert question.status == ItemStatus.ANSWERED


def test_an_answered_question_may_be_judged_trivial_for_culling(channel, dora):
    question = _register(channel)
    services.decide_item(question, by=dora, kind="answer", **FIELDS["answer"])

    services.decide_item(question, by=dora, kind="trivial")

    question.refresh_from_db()
    assert question.status == ItemStatus.TRIVIAL


def test_a_comment_may_be_kept_without_an_answer(channel, dora):
    comment = _register(channel, kind="comment")

    services.decide_item(comment, by=dora, kind="keep")

    comment.refresh_from_db()
    assert comment.status == ItemStatus.KEPT


def test_a_bulk_decision_refuses_all_and_names_the_question(channel, dora):
    comment = _register(channel, kind="comment", external_id="fb-kommentar")
    question = _register(channel, external_id="fb-fraga")

    with pytest.raises(DecisionNotAllowed) as caught:
        services.decide_items([comment, question], by=dora, kind="keep")

    assert caught.value.message.startswith(f"fb-fraga: {QUESTION_REFUSED}")
    assert not Decision.objects.exists()


# --- Personal attacks and privacy intrusions are not answered ------------------------------


@pytest.mark.parametrize("category", ["fortal", "personuppgifter"])
def test_an_item_a_person_judged_an_attack_or_intrusion_is_not_answered(channel, dora, category):
    comment = _register(channel, kind="comment", text="Bibliotekarien Eva är en lögnare.")
    services.decide_item(comment, by=dora, kind="keep", category=category)

    with pytest.raises(DecisionNotAllowed) as caught:
        services.decide_item(comment, by=dora, kind="answer", **FIELDS["answer"])

    assert NOT_ANSWERED in caught.value.message
    assert comment.decisions.count() == 1


def test_an_item_removed_as_a_personal_attack_is_refused_an_answer_saying_why(channel, dora):
    comment = _register(channel, kind="comment", text="Bibliotekarien Eva är en lögnare.")
    services.decide_item(comment, by=dora, kind="remove", category="fortal")

    with pytest.raises(DecisionNotAllowed) as caught:
        services.decide_item(comment, by=dora, kind="answer", **FIELDS["answer"])

    assert NOT_ANSWERED in caught.value.message


def test_a_rule_hiding_an_item_as_an_attack_is_no_persons_judgement(channel, dora):
    Rule.objects.create(
        name="Lögnare", kind="word", pattern="lögnare", category="fortal", action="hide"
    )
    question = _register(channel, text="Är det sant att ni kallar mig lögnare?")
    assert question.status == ItemStatus.HIDDEN

    services.decide_item(question, by=dora, kind="answer", **FIELDS["answer"])

    question.refresh_from_db()
    assert question.status == ItemStatus.ANSWERED


def test_an_item_judged_for_another_category_may_be_answered(channel, dora):
    comment = _register(channel, kind="comment", text="Köp lotter hos oss!")
    services.decide_item(comment, by=dora, kind="keep", category="reklam")

    services.decide_item(comment, by=dora, kind="answer", **FIELDS["answer"])

    comment.refresh_from_db()
    assert comment.status == ItemStatus.ANSWERED


# --- Direct messages: registered, or judged trivial with a reason --------------------------


@pytest.mark.parametrize("kind", ["keep", "answer", "remove", "no_answer"])
def test_a_direct_message_is_not_settled_without_registering_it(channel, dora, kind):
    message = _register(channel, kind="message", text="Jag vill klaga på bemötandet.")

    with pytest.raises(DecisionNotAllowed) as caught:
        services.decide_item(message, by=dora, kind=kind, **FIELDS[kind])

    assert caught.value.message.startswith(f"fb-1: {MESSAGE_REFUSED}")
    message.refresh_from_db()
    assert message.status == ItemStatus.NEW
    assert not message.decisions.exists()


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("register", ItemStatus.REGISTERED),
        ("secrecy", ItemStatus.SECRET),
        ("trivial", ItemStatus.TRIVIAL),
    ],
)
def test_a_direct_message_is_registered_or_judged_trivial(channel, dora, kind, status):
    message = _register(channel, kind="message", text="Tack för i lördags!")

    services.decide_item(message, by=dora, kind=kind, **FIELDS[kind])

    message.refresh_from_db()
    assert message.status == status
    assert not selectors.unregistered_messages(dora).exists()


def test_a_forwarded_direct_message_still_waits_to_be_registered(channel, dora):
    message = _register(channel, kind="message", text="Jag vill klaga på bemötandet.")

    services.decide_item(message, by=dora, kind="forward", forwarded_to_unit=channel.unit)

    assert list(selectors.unregistered_messages(dora)) == [message]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_direct_message_judged_trivial_needs_a_reason(channel, dora, reason):
    message = _register(channel, kind="message", text="Tack för i lördags!")

    with pytest.raises(ValidationError) as caught:
        services.decide_item(message, by=dora, kind="trivial", reason=reason)

    assert "reason" in caught.value.message_dict
    assert not message.decisions.exists()


def test_unregistered_direct_messages_include_one_settled_before_the_rule(channel, dora):
    """A message kept before registering was required still waits to be registered."""
    waiting = _register(channel, kind="message", external_id="dm-1", text="Hej!")
    kept_before = _register(channel, kind="message", external_id="dm-2", text="Hej igen!")
    registered = _register(channel, kind="message", external_id="dm-3", text="Klagomål.")
    services.decide_item(registered, by=dora, kind="register", **FIELDS["register"])
    _register(channel, external_id="fb-fraga")
    # As stored before this rule: no decision leads a message here any more.
    Item.objects.filter(pk=kept_before.pk).update(status=ItemStatus.KEPT)

    assert list(selectors.unregistered_messages(dora)) == [waiting, kept_before]
    services.decide_item(kept_before, by=dora, kind="register", diarienummer="KFN 2026/9")
    assert list(selectors.unregistered_messages(dora)) == [waiting]


# --- Through the views: the form offers what is allowed; a refusal says why ----------------


@pytest.mark.parametrize(
    ("kind", "offered"),
    [
        ("question", {"hide", "remove", "answer", "forward", "register", "secrecy"}),
        ("message", {"forward", "trivial", "register", "secrecy"}),
        (
            "comment",
            {
                "keep",
                "hide",
                "remove",
                "answer",
                "forward",
                "trivial",
                "register",
                "secrecy",
                "no_answer",
            },
        ),
    ],
)
def test_the_decision_form_offers_only_what_the_guideline_allows(
    client, channel, dora, kind, offered
):
    item = _register(channel, kind=kind)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()

    assert _offered(page, reverse("moderation:item-decide", args=[item.pk])) == offered


@pytest.mark.parametrize(
    ("kind", "says"), [("question", QUESTION_REFUSED), ("message", MESSAGE_REFUSED)]
)
def test_the_decision_form_says_what_the_guideline_asks_of_the_item(
    client, channel, dora, kind, says
):
    item = _register(channel, kind=kind)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-detail", args=[item.pk])).content.decode()

    assert says in page


def test_the_decision_form_does_not_offer_answering_a_judged_attack(client, channel, dora):
    comment = _register(channel, kind="comment", text="Bibliotekarien Eva är en lögnare.")
    services.decide_item(comment, by=dora, kind="keep", category="fortal")
    client.force_login(dora)

    page = client.get(reverse("moderation:item-detail", args=[comment.pk])).content.decode()

    offered = _offered(page, reverse("moderation:item-decide", args=[comment.pk]))
    assert "answer" not in offered
    assert "remove" in offered


@pytest.mark.parametrize(
    ("item_kind", "decision", "judged", "says"),
    [
        ("question", "keep", None, QUESTION_REFUSED),
        ("question", "no_answer", None, QUESTION_REFUSED),
        ("message", "answer", None, MESSAGE_REFUSED),
        ("message", "keep", None, MESSAGE_REFUSED),
        ("comment", "answer", "fortal", NOT_ANSWERED),
    ],
)
def test_a_refused_decision_in_the_browser_says_why_and_stores_nothing(
    client, channel, dora, item_kind, decision, judged, says
):
    item = _register(channel, kind=item_kind, text="Bibliotekarien Eva är en lögnare.")
    if judged:
        services.decide_item(item, by=dora, kind="keep", category=judged)
    before = item.decisions.count()
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-decide", args=[item.pk]),
        {"kind": decision, **FIELDS[decision]},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("moderation:item-detail", args=[item.pk]), 302)]
    assert says in response.content.decode()
    assert item.decisions.count() == before


def test_a_trivial_direct_message_in_the_browser_asks_for_the_reason(client, channel, dora):
    message = _register(channel, kind="message", text="Tack för i lördags!")
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-decide", args=[message.pk]), {"kind": "trivial"}, follow=True
    )

    assert "ange varför direktmeddelandet är av ringa" in response.content.decode()
    message.refresh_from_db()
    assert message.status == ItemStatus.NEW


def test_a_direct_message_is_registered_in_the_browser(client, channel, dora):
    message = _register(channel, kind="message", text="Jag vill klaga på bemötandet.")
    client.force_login(dora)

    response = client.post(
        reverse("moderation:item-decide", args=[message.pk]),
        {"kind": "register", "diarienummer": "KFN 2026/41"},
        follow=True,
    )

    assert "Beslutet är registrerat." in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.diarienummer) == (ItemStatus.REGISTERED, "KFN 2026/41")


def test_a_question_is_answered_in_the_browser(client, channel, dora):
    question = _register(channel)
    client.force_login(dora)

    client.post(
        reverse("moderation:item-decide", args=[question.pk]),
        {"kind": "answer", "reply_text": "Klockan tio."},
    )

    question.refresh_from_db()
    assert question.status == ItemStatus.ANSWERED


def test_a_refused_bulk_decision_in_the_browser_says_why_and_stores_nothing(client, channel, dora):
    comment = _register(channel, kind="comment", external_id="fb-kommentar")
    question = _register(channel, external_id="fb-fraga")
    client.force_login(dora)

    response = client.post(
        reverse("moderation:bulk-decide"),
        {"items": [comment.pk, question.pk], "kind": "keep"},
        follow=True,
    )

    assert f"fb-fraga: {QUESTION_REFUSED}" in response.content.decode()
    assert not Decision.objects.exists()


# --- The queue's filter for unregistered direct messages -----------------------------------


def test_the_queue_filter_lists_the_unregistered_direct_messages_only(client, channel, dora):
    waiting = _register(channel, kind="message", external_id="dm-1", text="Hej!")
    registered = _register(channel, kind="message", external_id="dm-2", text="Klagomål.")
    services.decide_item(registered, by=dora, kind="register", **FIELDS["register"])
    trivial = _register(channel, kind="message", external_id="dm-3", text="Tack!")
    services.decide_item(trivial, by=dora, kind="trivial", reason="Ett tack.")
    question = _register(channel, external_id="fb-fraga")
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list"), {"unregistered": "on"}).content.decode()

    assert "Ej diarieförda direktmeddelanden" in page
    assert f"/moderering/{waiting.pk}/" in page
    for other in (registered, trivial, question):
        assert f"/moderering/{other.pk}/" not in page
    assert _offered(page, reverse("moderation:bulk-decide")) == {
        "forward",
        "trivial",
        "register",
        "secrecy",
    }


def test_the_filtered_queue_registers_a_message_settled_before_the_rule(client, channel, dora):
    kept_before = _register(channel, kind="message", external_id="dm-1", text="Hej!")
    # As stored before this rule: no decision leads a message here any more.
    Item.objects.filter(pk=kept_before.pk).update(status=ItemStatus.KEPT)
    client.force_login(dora)

    page = client.get(reverse("moderation:item-list"), {"unregistered": "on"}).content.decode()
    client.post(
        reverse("moderation:bulk-decide"),
        {"items": [kept_before.pk], "kind": "register", "diarienummer": "KFN 2026/9"},
    )

    assert f"/moderering/{kept_before.pk}/" in page
    kept_before.refresh_from_db()
    assert kept_before.status == ItemStatus.REGISTERED


def test_the_filter_shows_another_units_messages_to_no_one(client, channel, dora, carol):
    message = _register(channel, kind="message", text="Hej!")
    client.force_login(carol)

    page = client.get(reverse("moderation:item-list"), {"unregistered": "on"}).content.decode()

    assert f"/moderering/{message.pk}/" not in page
