"""What arrives on a channel, the states it moves through and the decisions that move it,
on one screen (Hur hanteras inkomna synpunkter; Hur man svarar; Gallring)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .matching import Category


class ItemKind(models.TextChoices):
    COMMENT = "comment", _("Kommentar")
    QUESTION = "question", _("Fråga")
    MESSAGE = "message", _("Direktmeddelande")
    POST = "post", _("Kommunens inlägg")
    REPORT = "report", _("Anmälan från medborgare")


# Everything the public sends gets a response deadline; the municipality's own posts do not.
FROM_PUBLIC = frozenset({ItemKind.COMMENT, ItemKind.QUESTION, ItemKind.MESSAGE, ItemKind.REPORT})


class ItemStatus(models.TextChoices):
    NEW = "ny", _("Ny")
    HIDDEN = "dold", _("Dold i väntan på granskning")
    FORWARDED = "vidarebefordrad", _("Vidarebefordrad")
    KEPT = "behallen", _("Behålls")
    REMOVED = "borttagen", _("Borttagen")
    ANSWERED = "besvarad", _("Besvarad")
    TRIVIAL = "ringa", _("Ringa eller tillfällig betydelse")
    REGISTERED = "diarieford", _("Diarieförd")
    SECRET = "sekretess", _("Sekretess: borttagen och diarieförd")
    NO_ANSWER = "inget_svar", _("Behöver inget svar")
    PUBLISHED = "publicerad", _("Publicerad av kommunen")
    # What is left of a culled trivial item that replies still hang from: no text, no author
    # (Gallring av inlägg och kommentarer). No decision leads here or away from here.
    CULLED = "gallrad", _("Gallrad: ringa eller tillfällig betydelse")


# Still waiting for someone: the queue shows these, and their clock runs.
OPEN = frozenset({ItemStatus.NEW, ItemStatus.HIDDEN, ItemStatus.FORWARDED})


class DecisionKind(models.TextChoices):
    KEEP = "keep", _("Behåll")
    # Out of public view while it is looked into (on a connected platform too), the clock
    # running; a later decision removes it, or keeps it and shows it again.
    HIDE = "hide", _("Dölj i väntan på granskning")
    REMOVE = "remove", _("Ta bort")
    ANSWER = "answer", _("Besvara")
    FORWARD = "forward", _("Vidarebefordra")
    TRIVIAL = "trivial", _("Ringa eller tillfällig betydelse")
    REGISTER = "register", _("Diarieför")
    SECRECY = "secrecy", _("Sekretess: ta bort och diarieför som eget ärende")
    NO_ANSWER = "no_answer", _("Inget svar behövs")
    AUTO_HIDE = "auto_hide", _("Dold automatiskt av en regel")
    REOPEN = "reopen", _("Öppnad igen: ändrad text träffar en regel")


_SETTLED_ANSWERABLE = {ItemStatus.KEPT, ItemStatus.ANSWERED, ItemStatus.NO_ANSWER}
# A settled item still public on the platform, whose text the author edited so that it now
# matches a rule, is looked at again. Removed, registered and secret items are in hand
# already; the municipality's own posts have no queue.
REOPENED_BY_AN_EDIT = frozenset({*_SETTLED_ANSWERABLE, ItemStatus.TRIVIAL})

# decision → (the states it may be taken in, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    DecisionKind.KEEP: (OPEN, ItemStatus.KEPT),
    # The municipality's own post too: removed, or marked secret below, never answered.
    DecisionKind.REMOVE: (
        OPEN | {ItemStatus.KEPT, ItemStatus.ANSWERED, ItemStatus.PUBLISHED},
        ItemStatus.REMOVED,
    ),
    DecisionKind.ANSWER: (OPEN | {ItemStatus.KEPT}, ItemStatus.ANSWERED),
    DecisionKind.FORWARD: (OPEN, ItemStatus.FORWARDED),
    DecisionKind.TRIVIAL: (OPEN | _SETTLED_ANSWERABLE, ItemStatus.TRIVIAL),
    DecisionKind.REGISTER: (
        OPEN | _SETTLED_ANSWERABLE | {ItemStatus.TRIVIAL},
        ItemStatus.REGISTERED,
    ),
    DecisionKind.SECRECY: (
        frozenset(set(ItemStatus) - {ItemStatus.SECRET, ItemStatus.CULLED}),
        ItemStatus.SECRET,
    ),
    DecisionKind.NO_ANSWER: (OPEN, ItemStatus.NO_ANSWER),
    DecisionKind.AUTO_HIDE: (frozenset({ItemStatus.NEW}), ItemStatus.HIDDEN),
    DecisionKind.HIDE: (frozenset({ItemStatus.NEW}), ItemStatus.HIDDEN),
    DecisionKind.REOPEN: (REOPENED_BY_AN_EDIT, ItemStatus.NEW),
}

# A decision that settles the item stops its clock; forwarding keeps it running.
KEEPS_CLOCK_RUNNING = frozenset({DecisionKind.FORWARD, DecisionKind.AUTO_HIDE, DecisionKind.HIDE})
# Decisions that hide an item pending a person's judgement (a rule's, or a person's own).
HIDES = frozenset({DecisionKind.AUTO_HIDE, DecisionKind.HIDE})
# Decisions that remove the text from public view for a breach: the text is purged later.
REMOVES_FOR_BREACH = frozenset({DecisionKind.REMOVE, DecisionKind.SECRECY})
# Decisions the rules take, with no person behind them.
AUTOMATIC = frozenset({DecisionKind.AUTO_HIDE, DecisionKind.REOPEN})
# Decisions a person takes in the queue.
MANUAL = tuple(kind for kind in DecisionKind if kind not in AUTOMATIC)


def target_status(current: str, decision: str) -> str | None:
    allowed_from, target = TRANSITIONS[decision]
    return target if current in allowed_from else None


# The guideline's duties on top of the table: what the kind of item, or what a person judged
# it to be, rules out (Hur hanteras inkomna synpunkter, frågor och kommentarer; Hur man svarar).

# "Frågor … ska besvaras av behörig tjänsteman … senast efter fem dagar": until a question is
# answered, these do not settle it; answering, forwarding or registering it does. An answered
# general question may still be judged trivial, so that culling can take it.
SETTLE_NO_QUESTION = frozenset({DecisionKind.KEEP, DecisionKind.TRIVIAL, DecisionKind.NO_ANSWER})
# "Meddelanden som skickas direkt … diarieförs om det inte är … av tillfällig eller ringa
# betydelse": a direct message is settled by registering it (secrecy registers it as a case
# of its own) or by judging it trivial with a reason; forwarding leaves it open.
MESSAGE_DECISIONS = frozenset(
    {DecisionKind.REGISTER, DecisionKind.SECRECY, DecisionKind.TRIVIAL, DecisionKind.FORWARD}
)
# "Inlägg som innehåller personuppgifter som kränker enskildas personliga integritet eller är
# personangrepp ska inte bemötas": a person's judgement in one of these is never answered.
NOT_TO_BE_ANSWERED = frozenset({Category.FORTAL, Category.PERSONUPPGIFTER})
# Direct messages still waiting to be registered or judged trivial: those the table still
# lets a person register (a removed one is purged, not registered).
AWAITING_REGISTRATION = TRANSITIONS[DecisionKind.REGISTER][0] - {ItemStatus.TRIVIAL}


def duty_refusal(
    item_kind: str, status: str, decision: str, *, judged: frozenset = frozenset()
) -> str | None:
    """Why the guideline refuses `decision` on an item of `item_kind` in `status` that a
    person judged to be in the categories `judged`; None when it does not."""
    label = DecisionKind(decision).label
    if (
        item_kind == ItemKind.QUESTION
        and decision in SETTLE_NO_QUESTION
        and status != ItemStatus.ANSWERED
    ):
        return gettext(
            "En fråga ska besvaras, vidarebefordras eller diarieföras: allmänna frågor besvaras "
            "av behörig tjänsteman senast efter fem dagar. Beslutet ”%(decision)s” avslutar "
            "inte en obesvarad fråga."
        ) % {"decision": label}
    if item_kind == ItemKind.MESSAGE and decision not in MESSAGE_DECISIONS:
        return gettext(
            "Ett direktmeddelande är en inkommen allmän handling: det ska diarieföras, eller "
            "bedömas vara av ringa eller tillfällig betydelse med en motivering. Beslutet "
            "”%(decision)s” kan inte fattas om ett direktmeddelande."
        ) % {"decision": label}
    if decision == DecisionKind.ANSWER and judged & NOT_TO_BE_ANSWERED:
        return gettext(
            "Inlägget har bedömts som personangrepp eller som personuppgifter som kränker någons "
            "integritet. Sådana inlägg ska inte bemötas."
        )
    return None


def may_decide(
    item_kind: str, status: str, decision: str, *, judged: frozenset = frozenset()
) -> bool:
    """The one answer to "may this decision be taken on this item now": the table, then the
    guideline's duties."""
    return (
        target_status(status, decision) is not None
        and duty_refusal(item_kind, status, decision, judged=judged) is None
    )


def decisions_open_to(item_kind: str, status: str, *, judged: frozenset = frozenset()) -> list[str]:
    """The decisions a person may take on such an item now, in the form's order."""
    return [kind for kind in MANUAL if may_decide(item_kind, status, kind, judged=judged)]


class SlaState(models.TextChoices):
    IN_TIME = "in_time", _("I tid")
    SOON_LATE = "soon_late", _("Snart sen")
    LATE = "late", _("Sen")


# What a decision does on the platform, beside the transitions table: the kinds of
# `models.PlatformActionKind` it asks for (services.platform_actions carries them out). A
# public decision on a hidden item shows it again first.
PLATFORM_EFFECTS: dict[str, tuple[str, ...]] = {
    DecisionKind.AUTO_HIDE: ("hide",),
    DecisionKind.HIDE: ("hide",),
    DecisionKind.REMOVE: ("delete",),
    DecisionKind.SECRECY: ("delete",),
    DecisionKind.ANSWER: ("reply",),
}
SHOWN_AGAIN_BY = frozenset(
    {DecisionKind.KEEP, DecisionKind.NO_ANSWER, DecisionKind.TRIVIAL, DecisionKind.ANSWER}
)


def actions_for(decision) -> list[str]:
    """The platform actions of a decision (anything with `kind` and `from_status`), in the
    order they are carried out: a kept, trivial or answered item that was hidden is shown
    again; an answer is posted; a removal or secrecy deletes; a rule's hiding hides."""
    effects = []
    if decision.from_status == ItemStatus.HIDDEN and decision.kind in SHOWN_AGAIN_BY:
        effects.append("unhide")
    effects.extend(PLATFORM_EFFECTS.get(decision.kind, ()))
    return effects
