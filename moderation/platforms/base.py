"""What every connector offers, and what it hands back: the one interface the pull and the
platform actions (moderation/services/pulls.py and platform_actions.py) know. Nothing here
touches the database.

A connector is built for one connection (`account_id`, the decrypted `credentials`) around an
`httpx.Client` from `platforms.http.client_for`, so that every call goes to the platform's
configured base URL, bounded in time and size. It raises only the errors below; their
messages are Swedish, shown to people, and never hold a secret.
"""

import dataclasses
import datetime
import json
import re
from typing import ClassVar

import httpx

from ..workflow import ItemKind


@dataclasses.dataclass(frozen=True)
class PlatformItem:
    """One post, comment, reply or direct message as the platform shows it, mapped to the
    fields of an item (`services.items.clean_item_data`)."""

    external_id: str
    kind: str  # an ItemKind value: comment, message or post (the municipality's own)
    author: str
    text: str
    received_at: datetime.datetime
    url: str = ""
    # The external id of the post or comment it answers, if any.
    parent: str | None = None
    # Deleted on the platform by its author (the text above may then be empty: the tool
    # keeps the text it already holds).
    deleted_at: datetime.datetime | None = None

    def as_item_data(self) -> dict:
        """The dict `ingest_items` takes."""
        return {
            "external_id": self.external_id,
            "kind": self.kind,
            "author": self.author,
            "text": self.text,
            "received_at": self.received_at.isoformat(),
            "url": self.url,
            "parent": self.parent,
        }


@dataclasses.dataclass(frozen=True)
class Page:
    """One page of a pull: its items, the cursor to save once they are committed, and
    whether more pages follow now (False: the pull of this kind is done until next time)."""

    items: list[PlatformItem]
    cursor: str
    more: bool


@dataclasses.dataclass(frozen=True)
class ActionTarget:
    """The item an action is for, as the connector needs it."""

    external_id: str
    kind: str
    parent: str | None = None
    url: str = ""
    # When the item reached the platform: a reply to it cannot be older.
    received_at: datetime.datetime | None = None


# The profile as the archive keeps it: a name and a description are short on every platform
# (a Facebook page's "about" 255 characters, a YouTube description 1,000); longer is cut.
PROFILE_NAME_MAX = 200
PROFILE_DESCRIPTION_MAX = 5000
PROFILE_URL_MAX = 500
# Control and direction characters; a description keeps its line breaks and tabs.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\r\n\t\u2028\u2029]+")


def clean_profile_text(value, max_chars: int, *, multiline: bool = False) -> str:
    """A platform's text for the profile: a string or "", control characters removed (a
    name also on one line), trimmed and cut to `max_chars`."""
    if not isinstance(value, str):
        return ""
    text = value.replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub("", text).strip()[:max_chars].strip()


@dataclasses.dataclass(frozen=True)
class Profile:
    """The account's profile as the platform shows it (Arkivering: the snapshot documents the
    medium itself): its name, its description and its address there. `profile_of` builds one
    from the platform's values, cleaned and bounded."""

    name: str
    description: str
    url: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "url": self.url}


def profile_of(name, description, url="") -> Profile:
    """A Profile from a platform's raw values: text cleaned and bounded, the address kept only
    when it is an https address on one line."""
    address = url.strip() if isinstance(url, str) else ""
    if not address.startswith("https://") or _CONTROL.search(address) or " " in address:
        address = ""
    return Profile(
        name=clean_profile_text(name, PROFILE_NAME_MAX),
        description=clean_profile_text(description, PROFILE_DESCRIPTION_MAX, multiline=True),
        url=address[:PROFILE_URL_MAX],
    )


class ActionResult:
    DONE = "done"
    NEAREST = "nearest"
    NOT_POSSIBLE = "not_possible"


@dataclasses.dataclass(frozen=True)
class ActionOutcome:
    """What the platform did: `state` an ActionResult, `message` Swedish ("Dold på Facebook",
    "Avvisad på YouTube: YouTube kan inte ta bort andras kommentarer"), and for a reply the
    reply as a PlatformItem (its platform id, time and text)."""

    state: str
    message: str
    reply: PlatformItem | None = None


class PlatformError(Exception):
    """The platform could not be reached or answered with an error; worth another try."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RateLimited(PlatformError):
    """A limit is reached (or about to be): no call before `retry_at`."""

    def __init__(self, message: str, *, retry_at: datetime.datetime):
        super().__init__(message)
        self.retry_at = retry_at


class AccessExpired(PlatformError):
    """The platform refused the access (Graph error 190, HTTP 401): the connection is broken
    until a person enters a new token. Retrying does not help."""


class Connector:
    """The interface. Subclasses set the class attributes and implement the methods; an
    action on something already in the wanted state (hidden twice, deleted and gone) ends
    DONE, never in an error."""

    platform: ClassVar[str]  # channels.models.Platform value
    label: ClassVar[str]  # "Facebook"
    # The kinds of content pulled, in the order pulled (posts before the comments on them).
    KINDS: ClassVar[tuple[str, ...]] = ()
    # The secrets the connection page asks for: (field name, Swedish label).
    SECRET_FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()
    # Swedish: what the account id is on this platform ("Sidans id").
    ACCOUNT_ID_LABEL: ClassVar[str] = "Kontots id"

    def __init__(self, *, account_id: str, credentials: dict, http: httpx.Client):
        self.account_id = account_id
        self.credentials = credentials
        self.http = http
        # The platform's limits as last read, for the connection page ({"label": ..., ...}).
        self.limits: dict = {}

    def test(self) -> list[str]:
        """A cheap call: the Swedish labels of the permissions missing (empty: all there).
        Raises AccessExpired when the access is refused."""
        raise NotImplementedError

    def fetch(self, kind: str, cursor: str) -> Page:
        """The next page of `kind` after `cursor` ("" the first time)."""
        raise NotImplementedError

    def profile(self) -> Profile | None:
        """The account's name and description on the platform (one cheap call; its cost in
        the platform's doc.md); None when the platform does not let this account read them
        (the snapshot then says the profile was not read)."""
        raise NotImplementedError

    def gone(self, external_ids: list[str]) -> set[str]:
        """Of these items (at most 50), those no longer on the platform (deleted there)."""
        raise NotImplementedError

    def hide(self, target: ActionTarget) -> ActionOutcome:
        raise NotImplementedError

    def unhide(self, target: ActionTarget) -> ActionOutcome:
        raise NotImplementedError

    def delete(self, target: ActionTarget) -> ActionOutcome:
        raise NotImplementedError

    def reply(self, target: ActionTarget, text: str) -> ActionOutcome:
        raise NotImplementedError

    def find_reply(self, target: ActionTarget, text: str) -> PlatformItem | None:
        """The account's own reply to `target` with this text (`same_text`), if the platform
        shows one: asked before posting again when an earlier attempt may have posted it and
        died before recording it. Bounded (the newest replies, a page or two); None when
        there is none, or when the platform cannot tell (its doc.md says so)."""
        raise NotImplementedError

    @staticmethod
    def not_possible(message: str) -> ActionOutcome:
        return ActionOutcome(ActionResult.NOT_POSSIBLE, message)


def same_text(posted: str, wanted: str) -> bool:
    """Whether a text the platform shows is the one the tool posts: equal once runs of
    whitespace are one space and the ends trimmed (platforms trim and fold line breaks)."""
    return " ".join(posted.split()) == " ".join(wanted.split())


def not_before(moment: datetime.datetime | None, earliest: datetime.datetime | None) -> bool:
    """Whether `moment` is not before `earliest` (either unknown: it may be)."""
    if moment is None or earliest is None:
        return True
    # Platforms give whole seconds.
    return moment >= earliest.replace(microsecond=0)


# The kinds of item a pull stores; anything else a platform sends is skipped.
PULLED_KINDS = frozenset({ItemKind.COMMENT, ItemKind.MESSAGE, ItemKind.POST})


def decode_cursor(cursor: str) -> dict:
    """A saved cursor (JSON); an empty or unreadable one starts from the beginning."""
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
