"""Reads of the register: the live content for publishing, the published versions for all."""

from django.core.cache import cache

from .models import Channel, PartyLink, RegisterVersion

LATEST_META_KEY = "register:latest-meta"
# How long another process may go on serving the previous version after a publication.
LATEST_META_SECONDS = 5


def live_register_content() -> dict:
    """What the register would say if it were published now."""
    channels = Channel.objects.published().select_related("unit__administration")
    links = PartyLink.objects.filter(party__is_represented=True).select_related("party")
    return {
        "channels": [
            {
                "id": channel.pk,
                "platform": channel.platform,
                "platform_label": channel.get_platform_display(),
                "account_name": channel.account_name,
                "url": channel.url,
                "administration": channel.unit.administration.name,
                "unit": channel.unit.name,
            }
            for channel in channels.order_by("unit__administration__name", "unit__name", "pk")
        ],
        "party_links": [
            {
                "id": link.pk,
                "party": link.party.name,
                "term": f"{link.party.term_start}–{link.party.term_end}",
                "platform": link.platform,
                "platform_label": link.get_platform_display(),
                "url": link.url,
            }
            for link in links.order_by("party__name", "platform", "pk")
        ],
    }


def latest_version() -> RegisterVersion | None:
    return RegisterVersion.objects.latest_published()


def version_by_number(number: int) -> RegisterVersion | None:
    return RegisterVersion.objects.filter(number=number).first()


def version_published_at(number: int):
    return (
        RegisterVersion.objects.filter(number=number).values_list("published_at", flat=True).first()
    )


def latest_version_meta() -> tuple[int, object]:
    """(number, published_at) of the latest version, or (0, None) before the first."""
    meta = cache.get(LATEST_META_KEY)
    if meta is None:
        row = RegisterVersion.objects.order_by("-number").values_list("number", "published_at")
        meta = row.first() or (0, None)
        cache.set(LATEST_META_KEY, meta, LATEST_META_SECONDS)
    return meta


def forget_latest_version_meta() -> None:
    cache.delete(LATEST_META_KEY)


# How long a published version's channel ids are kept; a published version never changes.
PUBLISHED_IDS_SECONDS = 24 * 60 * 60


def published_channel_ids() -> frozenset[int]:
    """The ids of the channels the latest published version lists: read once per version
    (published versions never change), then from the cache."""
    number, published_at = latest_version_meta()
    if not number:
        return frozenset()
    key = f"register:channel-ids:{number}:{published_at.timestamp()}"
    ids = cache.get(key)
    if ids is None:
        content = (
            RegisterVersion.objects.filter(number=number).values_list("content", flat=True).first()
        ) or {}
        ids = frozenset(
            row["id"]
            for row in content.get("channels", [])
            if isinstance(row, dict) and isinstance(row.get("id"), int)
        )
        cache.set(key, ids, PUBLISHED_IDS_SECONDS)
    return ids


def published_channels():
    """The channels citizens may see a page of and report content from: listed in the latest
    published register and still in use (Roller och ansvar)."""
    return Channel.objects.published().filter(pk__in=published_channel_ids())
