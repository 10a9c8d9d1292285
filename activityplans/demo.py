"""Demo plans for `seed_demo`: one in every state, so each list in `make run` has content."""

import datetime

from atvida_social.organisation.demo import DEMO_PASSWORD
from atvida_social.organisation.models import Unit, User

from . import services
from .models import ActivityPlan, MonitoringFrequency
from .workflow import PlanStatus

BASE = {
    "purpose": "Sprida information om evenemang och skapa dialog med besökarna.",
    "audience": "Kommunens invånare, särskilt barnfamiljer och unga vuxna.",
    "goals": "Fler besökare på evenemangen och snabbare svar på frågor.",
    "measurable_goals": "200 följare på ett halvår; svar på frågor inom en arbetsdag.",
    "office_hours_only": True,
    "monitoring": "Varje vardag kl. 8.30 och 15.00.",
    "monitoring_frequency": MonitoringFrequency.WORKING_DAYS,
    "monitoring_from": datetime.time(8, 30),
    "monitoring_until": datetime.time(15),
    "publishing_frequency": "Två till tre inlägg i veckan.",
    "hours_per_week": 3,
    "consulted_information_unit": True,
    "guidelines_followed": True,
    "how_it_strengthens": "Vi når grupper som sällan besöker oss.",
    "how_goals_are_measured": "Plattformens statistik varje månad.",
    "how_audience_is_reached": "Affischer på plats och länk från kommunens webbplats.",
    "why_this_channel": "Målgruppen finns på plattformen; webbplatsen räcker inte för dialog.",
    "who_writes_and_archives": "Bibliotekarierna skriver; biblioteksassistenten diarieför.",
}

# account name, platform, url, target status
PLANS = [
    ("Bibblan berättar", "youtube", "https://www.youtube.com/@bibblanberattar", PlanStatus.DRAFT),
    (
        "Bibblan på LinkedIn",
        "linkedin",
        "https://www.linkedin.com/company/bibblan-atvid",
        PlanStatus.AWAITING_SIGNATURES,
    ),
    ("Läslust i Åtvid", "instagram", "https://www.instagram.com/lasslustatvid", PlanStatus.SIGNED),
    ("Bibblans sommarlov", "tiktok", "https://www.tiktok.com/@bibblansommar", PlanStatus.IN_REVIEW),
    ("Bibblan på X", "x", "https://x.com/bibblanatvid", PlanStatus.RETURNED),
    ("Bibblans blogg", "blogg", "https://bibblan.atvidaberg.se/blogg", PlanStatus.REJECTED),
    (
        "Bibblan på Facebook",
        "facebook",
        "https://www.facebook.com/bibblanatvidaberg",
        PlanStatus.APPROVED,
    ),
    ("Bibblans evenemang", "x", "https://x.com/bibblanevenemang", PlanStatus.SUPERSEDED),
    ("Bibblans nyheter", "blogg", "https://bibblan.atvidaberg.se/nyheter", PlanStatus.APPROVED),
]


def seed(stdout) -> None:
    if ActivityPlan.objects.exists():
        stdout.write(f"Aktivitetsplaner: finns redan ({ActivityPlan.objects.count()}).")
        return
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["info", "chef", "konto", "konto2", "drift"])
    }
    library = Unit.objects.get(name="Biblioteket")
    for account_name, platform, url, target in PLANS:
        plan = ActivityPlan(
            account_name=account_name,
            platform=platform,
            url=url,
            unit=library,
            manager=users["chef"],
            prepared_by=users["konto"],
            prepared_on=datetime.date(2026, 11, 2),
            **BASE,
        )
        services.save_plan(
            plan,
            by=users["konto"],
            administrators=[users["konto"], users["konto2"]],
            daily_operators=[users["drift"]],
        )
        _advance(plan, target, users)
    stdout.write(f"Aktivitetsplaner: {ActivityPlan.objects.count()} planer i alla lägen.")


def _advance(plan, target, users) -> None:
    if target == PlanStatus.DRAFT:
        return
    services.submit_plan(plan, by=users["konto"])
    if target == PlanStatus.AWAITING_SIGNATURES:
        services.sign_plan(plan, by=users["konto2"], password=DEMO_PASSWORD)
        return
    for signer in ("chef", "konto", "konto2"):
        services.sign_plan(plan, by=users[signer], password=DEMO_PASSWORD)
    if target == PlanStatus.SIGNED:
        return
    services.start_review(plan, by=users["info"])
    if target == PlanStatus.RETURNED:
        services.return_plan(plan, by=users["info"], note="Beskriv hur kontot bevakas på helger.")
    elif target == PlanStatus.REJECTED:
        services.reject_plan(plan, by=users["info"], note="Bloggen ersätts av kommunens webbplats.")
    elif target in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED):
        services.approve_plan(plan, by=users["info"], note="Välkommen!")
    if target == PlanStatus.SUPERSEDED:
        # A later revision, approved, leaves the first one superseded.
        revision = services.start_revision(plan, by=users["konto"])
        revision.monitoring = "Varje dag kl. 8.30 och 15.00, även helger."
        revision.monitoring_frequency = MonitoringFrequency.DAILY
        services.save_plan(
            revision,
            by=users["konto"],
            administrators=[users["konto"], users["konto2"]],
            daily_operators=[users["drift"]],
        )
        _advance(revision, PlanStatus.APPROVED, users)
