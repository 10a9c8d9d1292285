"""What arrives on a channel, the states it moves through and the decisions that move it,
on one screen (Hur hanteras inkomna synpunkter; Hur man svarar; Gallring)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    REMOVE = "remove", _("Dölj eller ta bort")
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
    DecisionKind.REOPEN: (REOPENED_BY_AN_EDIT, ItemStatus.NEW),
}

# A decision that settles the item stops its clock; forwarding keeps it running.
KEEPS_CLOCK_RUNNING = frozenset({DecisionKind.FORWARD, DecisionKind.AUTO_HIDE})
# Decisions that remove the text from public view for a breach: the text is purged later.
REMOVES_FOR_BREACH = frozenset({DecisionKind.REMOVE, DecisionKind.SECRECY})
# Decisions the rules take, with no person behind them.
AUTOMATIC = frozenset({DecisionKind.AUTO_HIDE, DecisionKind.REOPEN})
# Decisions a person takes in the queue.
MANUAL = tuple(kind for kind in DecisionKind if kind not in AUTOMATIC)


def target_status(current: str, decision: str) -> str | None:
    allowed_from, target = TRANSITIONS[decision]
    return target if current in allowed_from else None


class SlaState(models.TextChoices):
    IN_TIME = "in_time", _("I tid")
    SOON_LATE = "soon_late", _("Snart sen")
    LATE = "late", _("Sen")
