"""Demo items for `seed_demo`: on a Facebook page, an X account and a blog, in every state."""

import datetime

from django.utils import timezone

from atvida_social.organisation.models import User
from channels.models import Channel

from . import services
from .models import Item
from .platforms import demo as demo_platform
from .services import statistics

# (platform, external id, kind, author, text, hours ago, decision, decision fields)
ITEMS = [
    (
        "facebook",
        "fb-101",
        "question",
        "Anna Andersson",
        "När öppnar biblioteket på lördag?",
        2,
        None,
        {},
    ),
    (
        "facebook",
        "fb-102",
        "comment",
        "Bertil B",
        "Ni är en idiot allihop, bränn ner stället!",
        5,
        None,
        {},
    ),
    (
        "facebook",
        "fb-103",
        "question",
        "Cecilia C",
        "Kan jag låna om via appen?",
        30,
        "forward",
        {"reason": "Gäller lånesystemet."},
    ),
    ("facebook", "fb-104", "comment", "David D", "Tack för en fin sagostund!", 50, "keep", {}),
    (
        "facebook",
        "fb-105",
        "comment",
        "Erik E",
        "Köp nu! Rabattkod på www.billigt.example",
        70,
        "remove",
        {"category": "reklam"},
    ),
    (
        "facebook",
        "fb-106",
        "question",
        "Frida F",
        "Finns det parkering vid biblioteket?",
        80,
        "answer",
        {"reply_text": "Ja, bakom huset finns tio platser."},
    ),
    ("x", "x-201", "comment", "@gustav", "Bra program i helgen 👍", 100, "trivial", {}),
    (
        "x",
        "x-202",
        "message",
        "@hanna",
        "Jag vill klaga på bemötandet i lördags.",
        120,
        "register",
        {"diarienummer": "KFN 2026/41"},
    ),
    (
        "x",
        "x-203",
        "message",
        "@ivar",
        "Min granne har journalanteckningar om sin son här: …",
        130,
        "secrecy",
        {"diarienummer": "KFN 2026/42"},
    ),
    (
        "blogg",
        "b-301",
        "comment",
        "Jonas J",
        "Håller med föregående talare.",
        140,
        "no_answer",
        {"reason": "Ingen fråga ställs."},
    ),
    ("blogg", "b-302", "post", "Biblioteket", "Sommarens läsutmaning har börjat!", 150, None, {}),
]


def seed(stdout) -> None:
    demo_platform.seed_connections(stdout)
    if Item.objects.exists():
        stdout.write(f"Moderering: finns redan ({Item.objects.count()} inlägg).")
        return
    operator = User.objects.filter(username="drift").first()
    channels = {
        channel.platform: channel
        for channel in Channel.objects.filter(
            status="aktiv", activity_plans__status="godkand"
        ).order_by("pk")
    }
    now = timezone.now()
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
    stdout.write(f"Moderering: {created} inlägg på Facebook, X och en blogg, i alla lägen.")
    # The hourly job would fill the statistics within the hour; a new user sees them at once.
    for year in statistics.years_to_refresh(now):
        statistics.refresh_statistics(year, now=now)
