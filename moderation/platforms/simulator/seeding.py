"""The demo's shared seed: which accounts the simulator serves and the token that opens each.

`manage.py seed_demo` connects the demo channels and writes the seed file (moderation/demo.py);
the simulator's server applies it when it starts and again after a reset, so the order in
which `make run` starts them does not matter and a restart of either keeps the same tokens.
A platform's `simulator.py` turns an entry into its world with `seed_demo(state, account_id,
token)` (the token granted its PERMISSIONS, a couple of the account's own posts)."""

import dataclasses
import json
import os
from pathlib import Path

from . import app
from .state import SimulatorState

SEED_FILE_NAME = "simulator-demo.json"


ITEM_KINDS = ("post", "comment", "message")
PLATFORM_STATES = ("hidden", "removed")


@dataclasses.dataclass(frozen=True)
class SeedItem:
    """An item the demo's queue shows, placed on the simulator under the same id, so that a
    decision on it is carried out there: a post of the account's own, a comment on its
    newest post, or a direct message."""

    id: str
    kind: str  # ITEM_KINDS
    text: str
    author: str
    created: float  # epoch seconds
    # What the tool has done to it on the platform, so that a restarted demo shows it as it
    # was left: "hidden", "removed" (not placed), or "" (shown).
    platform_state: str = ""


@dataclasses.dataclass(frozen=True)
class SeedEntry:
    platform: str  # the simulator's platform segment (registry.api_name)
    account: str
    token: str
    items: tuple[SeedItem, ...] = ()


def write_seed_file(path: Path, entries: list[SeedEntry]) -> None:
    """Write the seed where only this user can read it: the tokens are the demo's only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = [dataclasses.asdict(entry) for entry in entries]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(payload, file, ensure_ascii=False, indent=1)


def read_seed_file(path: Path) -> list[SeedEntry]:
    """The entries of a seed file; none when it is missing or not a seed file."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(payload, list):
        return []
    entries = []
    for row in payload:
        if not isinstance(row, dict):
            continue
        values = [row.get("platform"), row.get("account"), row.get("token")]
        if all(isinstance(value, str) and value for value in values):
            entries.append(SeedEntry(*values, items=_read_items(row.get("items"))))
    return entries


def _read_items(rows) -> tuple[SeedItem, ...]:
    items = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        texts = [row.get(name) for name in ("id", "kind", "text", "author")]
        created = row.get("created")
        if (
            all(isinstance(value, str) and value for value in texts)
            and row["kind"] in ITEM_KINDS
            and isinstance(created, int | float)
            and not isinstance(created, bool)
        ):
            state = row.get("platform_state")
            items.append(
                SeedItem(
                    *texts,
                    created=float(created),
                    platform_state=state if state in PLATFORM_STATES else "",
                )
            )
    return tuple(items)


def apply_seed(state: SimulatorState, entries: list[SeedEntry]) -> list[SeedEntry]:
    """Give each entry's platform its demo account; the entries applied (a platform without a
    simulator module, or one without `seed_demo`, is left out)."""
    applied = []
    for entry in entries:
        module = app._module(entry.platform) if entry.platform in app.PLATFORMS else None
        seed_demo = getattr(module, "seed_demo", None)
        if seed_demo is None:
            continue
        seed_demo(state, entry.account, entry.token)
        _place_items(state, entry)
        applied.append(entry)
    return applied


def _place_items(state: SimulatorState, entry: SeedEntry) -> None:
    """The entry's items, posts first so that the comments go under the newest post; one
    already there (a reset applies the seed again) is left as it is."""
    order = {kind: index for index, kind in enumerate(ITEM_KINDS)}
    for item in sorted(entry.items, key=lambda item: (order[item.kind], item.created)):
        if state.get(entry.platform, item.id) is not None or item.platform_state == "removed":
            continue
        parent = None
        if item.kind == "comment":
            posts = state.listing(entry.platform, entry.account, "post")
            if not posts:
                continue
            parent = posts[-1].id
        state.add(
            entry.platform,
            entry.account,
            item.kind,
            item.text,
            author=item.author,
            parent=parent,
            created=item.created,
            object_id=item.id,
            by_account=item.kind == "post",
        )
        if item.platform_state == "hidden":
            state.get(entry.platform, item.id).hidden = True
