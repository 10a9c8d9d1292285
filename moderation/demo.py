"""Demo items for `seed_demo`: on a Facebook page, an X account and a blog, in every state.

With the demo platform on, the items of the connected channels are on the simulator too,
under the same ids (the seed file the simulator applies), so that a decision on them is
carried out there: the demo's own decisions by the minute job once `make run` has started
the simulator, a new user's at once. The ids are numeric, in the platforms' own shape, below
the simulator's own (which start at 1 000 001); a blog post's is the WordPress connector's
"post-<id>"."""

import dataclasses
import datetime

from django.utils import timezone

from atvida_social.organisation.models import User
from atvida_social.outbox.models import OutboxMessage
from channels.models import Channel

from . import services
from .models import Item, PlatformActionKind, PlatformActionState, PlatformConnection
from .platforms import demo as demo_platform
from .platforms import registry
from .platforms.simulator.seeding import SeedItem, write_seed_file
from .services import statistics

# The simulator's kind of each item kind: a question is a comment there.
SIMULATOR_KINDS = {
    "post": "post",
    "comment": "comment",
    "question": "comment",
    "message": "message",
}

# (platform, external id, kind, author, text, hours ago, decision, decision fields)
ITEMS = [
    (
        "facebook",
        "900101",
        "question",
        "Anna Andersson",
        "När öppnar biblioteket på lördag?",
        2,
        None,
        {},
    ),
    (
        "facebook",
        "900102",
        "comment",
        "Bertil B",
        "Ni är en idiot allihop, bränn ner stället!",
        5,
        None,
        {},
    ),
    (
        "facebook",
        "900103",
        "question",
        "Cecilia C",
        "Kan jag låna om via appen?",
        30,
        "forward",
        {"reason": "Gäller lånesystemet."},
    ),
    ("facebook", "900104", "comment", "David D", "Tack för en fin sagostund!", 50, "keep", {}),
    (
        "facebook",
        "900105",
        "comment",
        "Erik E",
        "Köp nu! Rabattkod på www.billigt.example",
        70,
        "remove",
        {"category": "reklam"},
    ),
    (
        "facebook",
        "900106",
        "question",
        "Frida F",
        "Finns det parkering vid biblioteket?",
        80,
        "answer",
        {"reply_text": "Ja, bakom huset finns tio platser."},
    ),
    ("x", "900201", "comment", "@gustav", "Bra program i helgen 👍", 100, "trivial", {}),
    (
        "x",
        "900202",
        "comment",
        "@hanna",
        "Jag vill klaga på bemötandet i lördags.",
        120,
        "register",
        {"diarienummer": "KFN 2026/41"},
    ),
    (
        "x",
        "900203",
        "comment",
        "@ivar",
        "Min granne har journalanteckningar om sin son här: …",
        130,
        "secrecy",
        {"diarienummer": "KFN 2026/42"},
    ),
    (
        "blogg",
        "900301",
        "comment",
        "Jonas J",
        "Håller med föregående talare.",
        140,
        "no_answer",
        {"reason": "Ingen fråga ställs."},
    ),
    (
        "blogg",
        "post-900302",
        "post",
        "Biblioteket",
        "Sommarens läsutmaning har börjat!",
        150,
        None,
        {},
    ),
]


def seed(stdout) -> None:
    entries = demo_platform.seed_connections(stdout)
    if Item.objects.exists():
        stdout.write(f"Moderering: finns redan ({Item.objects.count()} inlägg).")
    else:
        _seed_items(stdout)
    place_on_simulator(entries)


def _seed_items(stdout) -> None:
    operator = User.objects.filter(username="drift").first()
    channels = {
        channel.platform: channel
        for channel in Channel.objects.filter(
            status="aktiv", activity_plans__status="godkand"
        ).order_by("pk")
    }
    now = timezone.now()
    handed_before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    created = 0
    for platform, external_id, kind, author, text, hours_ago, decision, fields in ITEMS:
        channel = channels.get(platform)
        if channel is None or operator is None:
            continue
        received = now - datetime.timedelta(hours=hours_ago)
        item, _ = services.register_item(
            channel,
            {
                "external_id": external_id,
                "kind": kind,
                "author": author,
                "text": text,
                "received_at": received,
                "url": f"{channel.url.rstrip('/')}/{external_id}",
            },
        )
        if decision == "forward":
            fields = fields | {"forwarded_to": operator}
        if decision:
            services.decide_item(item, by=operator, kind=decision, **fields)
        created += 1
    # `make run` starts the simulator after this command: the demo decisions' platform
    # actions are not tried here against a platform not yet up (each try would count as a
    # failed attempt), but left to the minute job (carry_out_due_actions), which finds them
    # due a couple of minutes from now (platform_actions.HAND_OVER_GRACE).
    OutboxMessage.objects.filter(
        pk__gt=handed_before or 0, task_name="moderation.tasks.carry_out_platform_action"
    ).delete()
    stdout.write(f"Moderering: {created} inlägg på Facebook, X och en blogg, i alla lägen.")
    # The hourly job would fill the statistics within the hour; a new user sees them at once.
    for year in statistics.years_to_refresh(now):
        statistics.refresh_statistics(year, now=now)


def place_on_simulator(entries) -> None:
    """Write the seed file again with each demo account's items of this module: the items of
    its channel, under the ids they have here, so that the simulator serves them."""
    if not entries:
        return
    channel_of = {
        (registry.api_name(connection.platform), connection.account_id): connection.channel_id
        for connection in PlatformConnection.objects.all()
    }
    ours = [row[1] for row in ITEMS]
    placed = []
    for entry in entries:
        items = Item.objects.filter(
            channel_id=channel_of.get((entry.platform, entry.account)), external_id__in=ours
        ).order_by("received_at", "pk")
        seeded = tuple(
            SeedItem(
                id=item.external_id.removeprefix("post-"),
                kind=SIMULATOR_KINDS[item.kind],
                text=item.text,
                author=item.author,
                created=item.received_at.timestamp(),
                platform_state=_platform_state(item),
            )
            for item in items.prefetch_related("platform_actions")
            if item.kind in SIMULATOR_KINDS
        )
        placed.append(dataclasses.replace(entry, items=seeded))
    write_seed_file(demo_platform.seed_file_path(), placed)


def _platform_state(item: Item) -> str:
    """What the tool's actions left the item as on the platform: "removed" once a deletion
    was carried out, "hidden" once its nearest thing was (X hides what it may not delete) or
    when the last hiding or showing carried out hid it, else ""."""
    done = [
        action
        for action in item.platform_actions.all()
        if action.state in (PlatformActionState.DONE, PlatformActionState.NEAREST)
    ]
    deletions = {action.state for action in done if action.kind == PlatformActionKind.DELETE}
    if PlatformActionState.DONE in deletions:
        return "removed"
    if deletions:
        return "hidden"
    visibility = [action for action in done if action.kind in ("hide", "unhide")]
    if visibility and max(visibility, key=lambda action: action.done_at).kind == "hide":
        return "hidden"
    return ""
