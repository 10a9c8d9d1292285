"""The simulator's world: accounts, the posts, comments and direct messages on them, the
tokens that open them, the faults to inject and a log of every call. Platform-neutral: each
platform's `simulator.py` shows this world in its platform's JSON and changes it through the
methods here. Thread-safe (the demo server answers in threads)."""

import dataclasses
import itertools
import threading
import time


@dataclasses.dataclass
class SimObject:
    id: str
    platform: str
    account: str  # the account id the object belongs to on its platform
    kind: str  # "post", "comment" or "message"
    author: str
    author_id: str
    text: str
    created: float  # epoch seconds
    seq: int  # the order of arrival, for "since" cursors
    parent: str | None = None  # the post or comment it answers
    post: str | None = None  # the post at the root of its thread
    hidden: bool = False
    # Deleted by its author (gone from the platform), or by the account (a removal).
    deleted: bool = False
    removed: bool = False
    # YouTube's "rejected", WordPress's "trash"/"hold": the platform's own word for its state.
    status: str = ""
    edits: list = dataclasses.field(default_factory=list)  # [(epoch, earlier text)]
    updated: float = 0.0
    by_account: bool = False  # posted by the account itself (its own post, its reply)

    @property
    def visible(self) -> bool:
        return not (self.deleted or self.removed)


@dataclasses.dataclass
class Token:
    platform: str
    account: str
    permissions: frozenset
    expired: bool = False


@dataclasses.dataclass
class Fault:
    """Answer the next `times` calls to `platform` whose path starts with `path` (and whose
    query string holds `query`, when given) with a fault: "rate_limit", "expired",
    "server_error", "slow" (wait `seconds`, then answer) or "cut_short" (the answer's body
    broken off half-way)."""

    platform: str
    kind: str
    path: str = ""
    times: int = 1
    seconds: float = 0.0
    query: str = ""


@dataclasses.dataclass
class Call:
    platform: str
    method: str
    path: str
    params: dict
    body: object


class SimulatorState:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.objects: dict[tuple[str, str], SimObject] = {}
            self.tokens: dict[tuple[str, str], Token] = {}
            self.faults: list[Fault] = []
            self.calls: list[Call] = []
            # Per platform: counters the platform reports (quota units used today, calls in
            # the window) for the handlers to keep and show in their headers.
            self.usage: dict[str, dict] = {}
            # Per (platform, account): the profile the platform shows: "name", "description"
            # (each platform's simulator shows it in its own field: Facebook's "about",
            # Instagram's "biography") and what else a platform reads ("username", "handle").
            self.profiles: dict[tuple[str, str], dict] = {}
            self._ids = itertools.count(1_000_001)
            self._seq = itertools.count(1)

    # --- Tokens -----------------------------------------------------------------------

    def grant(self, platform: str, token: str, account: str, permissions=()) -> Token:
        with self.lock:
            granted = Token(platform, account, frozenset(permissions))
            self.tokens[(platform, token)] = granted
            return granted

    def token(self, platform: str, token: str) -> Token | None:
        with self.lock:
            return self.tokens.get((platform, token))

    def expire(self, platform: str, token: str) -> None:
        with self.lock:
            self.tokens[(platform, token)].expired = True

    # --- Content ----------------------------------------------------------------------

    def new_id(self) -> str:
        return str(next(self._ids))

    def add(
        self,
        platform: str,
        account: str,
        kind: str,
        text: str,
        *,
        author: str = "",
        author_id: str = "",
        parent: str | None = None,
        created: float | None = None,
        object_id: str | None = None,
        by_account: bool = False,
    ) -> SimObject:
        with self.lock:
            object_id = object_id or self.new_id()
            post = None
            if parent is not None:
                above = self.objects[(platform, parent)]
                post = above.post or above.id
            created = time.time() if created is None else created
            obj = SimObject(
                id=object_id,
                platform=platform,
                account=account,
                kind=kind,
                author=author,
                author_id=author_id or (account if by_account else f"u{abs(hash(author)) % 10**8}"),
                text=text,
                created=created,
                seq=next(self._seq),
                parent=parent,
                post=post,
                updated=created,
                by_account=by_account,
            )
            self.objects[(platform, object_id)] = obj
            return obj

    def get(self, platform: str, object_id: str) -> SimObject | None:
        with self.lock:
            return self.objects.get((platform, object_id))

    def edit(self, platform: str, object_id: str, text: str, *, at: float | None = None) -> None:
        with self.lock:
            obj = self.objects[(platform, object_id)]
            at = time.time() if at is None else at
            obj.edits.append((at, obj.text))
            obj.text = text
            obj.updated = at
            obj.seq = next(self._seq)

    def delete_by_author(self, platform: str, object_id: str) -> None:
        with self.lock:
            obj = self.objects[(platform, object_id)]
            obj.deleted = True
            obj.updated = time.time()

    def listing(
        self,
        platform: str,
        account: str,
        kind: str,
        *,
        after_seq: int = 0,
        parent: str | None = None,
        include_gone: bool = False,
    ) -> list[SimObject]:
        """The account's objects of `kind` that arrived (or changed) after `after_seq`,
        oldest first."""
        with self.lock:
            found = [
                obj
                for obj in self.objects.values()
                if obj.platform == platform
                and obj.account == account
                and obj.kind == kind
                and obj.seq > after_seq
                and (parent is None or obj.parent == parent)
                and (include_gone or obj.visible)
            ]
        return sorted(found, key=lambda obj: obj.seq)

    # --- Profiles ---------------------------------------------------------------------

    def set_profile(self, platform: str, account: str, **fields) -> dict:
        """Set (or change) fields of the account's profile: name, description, username…"""
        with self.lock:
            profile = self.profiles.setdefault((platform, account), {})
            profile.update(fields)
            return dict(profile)

    def profile(self, platform: str, account: str) -> dict:
        """The account's profile ({} when none was set)."""
        with self.lock:
            return dict(self.profiles.get((platform, account), {}))

    # --- Faults and the log -----------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, platform: str, path: str, query: str = "") -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if (
                    fault.platform == platform
                    and path.startswith(fault.path)
                    and fault.query in query
                ):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def log(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)
            # The demo server runs for days: keep the newest calls only.
            if len(self.calls) > 10_000:
                del self.calls[:5_000]

    def calls_to(self, platform: str, method: str | None = None) -> list[Call]:
        with self.lock:
            return [
                call
                for call in self.calls
                if call.platform == platform and (method is None or call.method == method)
            ]
