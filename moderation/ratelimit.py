"""A fixed-window rate limit in Django's cache, shared by every web process when REDIS_URL is
set: the ingest API counts per token, the report form per visitor's address."""

import time

from django.core.cache import cache


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one request under `key`; seconds until the window ends when it is past `limit`
    requests in the current window of `window` seconds, else None."""
    now = time.time()
    start = int(now // window) * window
    bucket = f"{key}:{start}"
    cache.add(bucket, 0, timeout=window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr: this is the window's first request
        cache.set(bucket, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return max(1, int(start + window - now + 0.999))
    return None
