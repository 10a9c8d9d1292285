"""Demo register for `seed_demo`: about 15 channels on every platform, four party links and
two published versions, so that `make run` shows a full register and its history."""

import datetime

from atvida_social.organisation.models import Unit, User

from . import services
from .models import Channel, Party, PartyLink, RegisterVersion

# unit, platform, account name, url, status
CHANNELS = [
    (
        "Informationsenheten",
        "facebook",
        "Åtvidabergs kommun",
        "https://www.facebook.com/atvidabergskommun",
        "aktiv",
    ),
    (
        "Informationsenheten",
        "instagram",
        "atvidabergskommun",
        "https://www.instagram.com/atvidabergskommun",
        "aktiv",
    ),
    ("Informationsenheten", "x", "@atvidaberg", "https://x.com/atvidaberg", "avslutad"),
    (
        "Informationsenheten",
        "linkedin",
        "Åtvidabergs kommun",
        "https://www.linkedin.com/company/atvidabergs-kommun",
        "aktiv",
    ),
    (
        "Informationsenheten",
        "youtube",
        "Åtvidabergs kommun",
        "https://www.youtube.com/@atvidabergskommun",
        "aktiv",
    ),
    (
        "Biblioteket",
        "facebook",
        "Åtvidabergs bibliotek",
        "https://www.facebook.com/atvidabergsbibliotek",
        "aktiv",
    ),
    (
        "Biblioteket",
        "instagram",
        "atvidabergsbibliotek",
        "https://www.instagram.com/atvidabergsbibliotek",
        "aktiv",
    ),
    (
        "Biblioteket",
        "tiktok",
        "Bibblan i Åtvid",
        "https://www.tiktok.com/@bibblanatvid",
        "planerad",
    ),
    (
        "Fritidsgården",
        "instagram",
        "Fritidsgården Åtvidaberg",
        "https://www.instagram.com/fritidsgardenatvid",
        "aktiv",
    ),
    (
        "Räddningstjänsten",
        "facebook",
        "Räddningstjänsten Åtvidaberg",
        "https://www.facebook.com/raddningstjanstenatvidaberg",
        "aktiv",
    ),
    (
        "Gata och park",
        "facebook",
        "Gata och park i Åtvidaberg",
        "https://www.facebook.com/gataochparkatvidaberg",
        "aktiv",
    ),
    (
        "Centralskolan",
        "instagram",
        "Centralskolan",
        "https://www.instagram.com/centralskolanatvid",
        "aktiv",
    ),
    (
        "Förskolan Solrosen",
        "blogg",
        "Solrosens blogg",
        "https://solrosen.atvidaberg.se/blogg",
        "aktiv",
    ),
    (
        "Hemtjänsten",
        "facebook",
        "Hemtjänsten Åtvidaberg",
        "https://www.facebook.com/hemtjanstenatvidaberg",
        "planerad",
    ),
    ("HR-enheten", "annat", "Jobba i Åtvidaberg", "https://jobb.atvidaberg.se", "aktiv"),
]

PARTIES = [
    ("Socialdemokraterna i Åtvidaberg", "facebook", "https://www.facebook.com/satvidaberg"),
    ("Moderaterna i Åtvidaberg", "facebook", "https://www.facebook.com/moderaternaatvidaberg"),
    ("Centerpartiet i Åtvidaberg", "x", "https://x.com/centeratvidaberg"),
    ("Sverigedemokraterna i Åtvidaberg", "blogg", "https://atvidaberg.sd.se"),
]


PRE_TOOL_REASON = "Kanalen fanns i registret innan verktyget togs i bruk"


def seed(stdout) -> None:
    informer = User.objects.get(username="info")
    if RegisterVersion.objects.exists():
        stdout.write(f"Kanalregister: finns redan ({RegisterVersion.objects.count()} versioner).")
        return
    units = {unit.name: unit for unit in Unit.objects.all()}
    for index, (unit, platform, name, url, status) in enumerate(CHANNELS[:10]):
        _channel(units[unit], platform, name, url, status, index, by=informer)
    for party, platform, url in PARTIES:
        party_row, _ = Party.objects.get_or_create(
            name=party, defaults={"term_start": 2022, "term_end": 2026}
        )
        PartyLink.objects.get_or_create(party=party_row, platform=platform, url=url)
    services.publish_register(by=informer)
    for index, (unit, platform, name, url, status) in enumerate(CHANNELS[10:], start=10):
        _channel(units[unit], platform, name, url, status, index, by=informer)
    services.publish_register(by=informer)
    stdout.write(
        f"Kanalregister: {Channel.objects.count()} kanaler, {PartyLink.objects.count()} "
        f"partilänkar, {RegisterVersion.objects.count()} publicerade versioner."
    )


def _channel(unit, platform, name, url, status, index, *, by) -> Channel:
    started = datetime.date(2024, 1, 10) + datetime.timedelta(days=30 * index)
    channel = Channel(
        unit=unit,
        platform=platform,
        account_name=name,
        url=url,
        status=status,
        started_on=None if status == "planerad" else started,
        ended_on=datetime.date(2026, 3, 31) if status == "avslutad" else None,
        description=f"{unit.name} informerar om sin verksamhet.",
        contact_email="kommunen@atvidaberg.se",
    )
    # The demo register predates the tool: its channels in use carry the recorded exception.
    reason = "" if status == "planerad" else PRE_TOOL_REASON
    return services.save_channel(channel, by=by, exception_reason=reason)
