"""Cutting a period's items into a snapshot's parts ("del 1 av 3"): pure functions, no Django.

A thread is an item that starts a conversation together with every reply under it, in time
order. Threads are kept whole inside one part where they fit; only a thread larger than a
whole part is cut, at the part's limits. Parts are bounded both by the number of items and by
the amount of text, so that a part of long texts costs no more to render than one of short
comments.
"""

import math
from collections.abc import Iterable

# Parts are filled to an equal share of the period a little under the limits, so that keeping
# threads whole does not push a few items into a small last part (1000, 998, 1000, 2).
FILL = 0.95


def _share(total: int, limit: int) -> int:
    if total <= limit:
        return max(1, total)  # one part: nothing to balance
    parts = math.ceil(total / (limit * FILL))
    return math.ceil(total / parts)


def thread_roots(parents: dict[int, int | None]) -> dict[int, int]:
    """Each item's thread root, following `parents` (item → parent, None for a root). An
    item whose parent chain leaves `parents` or loops is its chain's last known item."""
    roots: dict[int, int] = {}
    for start in parents:
        path = []
        current = start
        seen = set()
        while current not in roots:
            parent = parents.get(current)
            if parent is None or parent not in parents or parent in seen:
                roots[current] = current
                break
            seen.add(current)
            path.append(current)
            current = parent
        root = roots[current]
        for item in path:
            roots[item] = root
    return roots


def group_threads(
    rows: Iterable[tuple[int, int]], roots: dict[int, int]
) -> list[list[tuple[int, int]]]:
    """`rows` are (item, size) in time order; the threads, each in time order, ordered by the
    time of their first item in `rows`."""
    threads: dict[int, list[tuple[int, int]]] = {}
    for item, size in rows:
        threads.setdefault(roots.get(item, item), []).append((item, size))
    return list(threads.values())


def pack_threads(
    threads: Iterable[list[tuple[int, int]]], *, max_items: int, max_size: int
) -> list[list[int]]:
    """The parts: lists of item ids, none over `max_items` items or `max_size` of text
    (a single item larger than `max_size` gets a part of its own), of about equal size.
    Always at least one part, so that a period with no items still gets a snapshot saying so."""
    if max_items < 1 or max_size < 1:
        raise ValueError("A part must hold at least one item.")
    threads = list(threads)
    share_items = _share(sum(len(thread) for thread in threads), max_items)
    share_size = _share(sum(size for thread in threads for _, size in thread), max_size)
    parts: list[list[int]] = []
    current: list[int] = []
    current_size = 0

    def close() -> None:
        nonlocal current, current_size
        if current:
            parts.append(current)
        current, current_size = [], 0

    for thread in threads:
        count = len(thread)
        size = sum(item_size for _, item_size in thread)
        full = len(current) >= share_items or current_size >= share_size
        too_big = len(current) + count > max_items or current_size + size > max_size
        if current and (full or too_big):
            close()
        if count <= max_items and size <= max_size:
            current.extend(item for item, _ in thread)
            current_size += size
            continue
        # Larger than a whole part: cut at the limits, continuing in the next part.
        for item, item_size in thread:
            if current and (len(current) >= max_items or current_size + item_size > max_size):
                close()
            current.append(item)
            current_size += item_size
    close()
    return parts or [[]]
