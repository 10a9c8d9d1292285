"""What the public is told about a channel: its purpose, how often it is watched, when answers
can be expected, and the house rules (Det här bör verksamheten tänka på: "informera om syftet
… vilka typer av kommentarer som inte får förekomma"; Gallring av inlägg och kommentarer).

The house rules' texts live here only: the public channel page, the staff copy to paste on the
platform and the reasons of the report form all read them from `HOUSE_RULES`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from activityplans.selectors import current_plan
from channels.models import Platform

from . import deadlines
from .categories import Category
from .models import ResponsePolicy
from .workflow import ItemKind


@dataclass(frozen=True)
class HouseRule:
    """One kind of content the guideline forbids, in words a visitor understands."""

    category: str
    title: str
    explanation: str


# In the guideline's order ("Vad får inte publiceras"); one per Category, checked by a test.
HOUSE_RULES: tuple[HouseRule, ...] = (
    HouseRule(
        Category.FORTAL,
        _("Förtal, personangrepp och förolämpningar"),
        _(
            "Att hänga ut, smutskasta eller förolämpa någon, till exempel genom att påstå att "
            "en namngiven person har begått ett brott."
        ),
    ),
    HouseRule(
        Category.HETS,
        _("Hets mot folkgrupp, sexism och trakasserier"),
        _(
            "Att hota eller visa förakt för människor på grund av till exempel ursprung, "
            "hudfärg, religion, kön eller sexuell läggning, sexistiska kommentarer och andra "
            "trakasserier."
        ),
    ),
    HouseRule(
        Category.VALD_PORNOGRAFI,
        _("Olagliga våldsskildringar och pornografi"),
        _("Bilder, filmer eller texter som visar grovt våld eller är pornografiska."),
    ),
    HouseRule(
        Category.BROTT,
        _("Uppmaningar till brott"),
        _("Att uppmana eller locka andra att begå brott."),
    ),
    HouseRule(
        Category.UPPHOVSRATT,
        _("Intrång i upphovsrätten"),
        _(
            "Att lägga upp bilder, filmer, musik eller texter som någon annan har rätt till, "
            "utan deras tillstånd."
        ),
    ),
    HouseRule(
        Category.SVORDOMAR,
        _("Svordomar och oanständiga ord"),
        _("Svordomar, könsord och andra grova ord."),
    ),
    HouseRule(
        Category.REKLAM,
        _("Reklam och kommersiella budskap"),
        _("Reklam för företag, varor eller tjänster och andra säljbudskap."),
    ),
    HouseRule(
        Category.SEKRETESS,
        _("Sekretessbelagda uppgifter"),
        _(
            "Uppgifter som omfattas av sekretess, till exempel om någons hälsa, vård eller "
            "skolgång. Sådant tas bort direkt."
        ),
    ),
    HouseRule(
        Category.LANKAR,
        _("Länkar till sådant som inte är tillåtet"),
        _("Länkar till webbsidor med innehåll av något av slagen ovan."),
    ),
    HouseRule(
        Category.PERSONUPPGIFTER,
        _("Integritetskränkande personuppgifter"),
        _(
            "Personnummer, adresser, telefonnummer eller andra uppgifter om privatpersoner "
            "som kränker deras integritet."
        ),
    ),
)

RULES_INTRO = _("Det här får inte förekomma och tas bort:")
WHAT_COMMENTS_ARE_FOR = _(
    "Här får du gärna ställa frågor och lämna synpunkter på kommunens verksamhet. "
    "Kommentarer kan bli allmänna handlingar och arkiveras."
)
WHAT_HAPPENS = _(
    "Inlägg som bryter mot reglerna tas bort så snart vi ser dem, och brott kan polisanmälas. "
    "Inlägg med personangrepp eller integritetskränkande personuppgifter besvaras inte."
)


# What the channel promises its visitors beyond the rules (Lagen om elektroniska
# anslagstavlor: "information … om sin identitet och att insända meddelanden kommer att göras
# tillgängliga för andra"; Inkomna inlägg: direct messages are public records; Personuppgifts-
# lagen i sociala medier; Det här bör verksamheten tänka på: the platform's own complaints).
PUBLIC_RECORDS = _(
    "Det du skriver i kanalen blir tillgängligt för andra: kommentarer och inlägg kan läsas av "
    "alla som besöker kanalen. Kommentarer och meddelanden till kommunen blir allmänna "
    "handlingar, som vem som helst kan begära att få ta del av enligt offentlighetsprincipen, "
    "om inte sekretess gäller. Meddelanden som du skickar direkt till oss diarieförs om de inte "
    "är av ringa eller tillfällig betydelse."
)
CONTACT = _(
    "Vill du komma i kontakt med den som ansvarar för kanalen, till exempel för att lämna "
    "synpunkter eller berätta om en olämplig kommentar? Skriv till:"
)
PRIVACY_PURPOSE = _(
    "Kommunen behandlar de personuppgifter som finns i kommentarer och meddelanden för att "
    "kunna svara, hålla uppsikt över kanalen och bevara allmänna handlingar (artikel 6.1 e i "
    "dataskyddsförordningen). Integritetskränkande personuppgifter tas bort. Kommentarer av "
    "ringa eller tillfällig betydelse gallras tidigast %(months)s månader efter att de kom in; "
    "det som diarieförs bevaras enligt kommunens dokumenthanteringsplan."
)
PRIVACY_RIGHTS = _(
    "Du har rätt att få veta vilka uppgifter kommunen har om dig, att få fel rättade och, i "
    "vissa fall, att få uppgifter raderade eller begränsade. Du kan också klaga hos "
    "Integritetsskyddsmyndigheten (IMY). Plattformen ansvarar själv för sin egen behandling "
    "av dina uppgifter; läs dess integritetspolicy."
)


def privacy_controller(channel) -> str:
    """Personuppgiftsansvarig for the channel: the nämnd its unit answers to, set per
    förvaltning, or kommunstyrelsen (PRIVACY_CONTROLLER) when none is set."""
    return channel.unit.administration.privacy_controller


def platform_reporting(channel) -> str:
    """That the visitor may also report to the platform itself ("hänvisa till exempelvis
    Facebooks eller bloggverktygets egen klagomålsfunktion")."""
    if channel.platform == Platform.BLOG:
        where = _("bloggtjänsten")
    elif channel.platform == Platform.OTHER:
        where = _("plattformen")
    else:
        where = channel.get_platform_display()
    return str(
        _(
            "Du kan också anmäla innehåll direkt till %(where)s med plattformens egen "
            "anmälningsfunktion."
        )
        % {"where": where}
    )


def house_rules_context() -> dict:
    """The house rules' texts for a template: the public page, the form and the staff copy."""
    return {
        "rules": HOUSE_RULES,
        "rules_intro": RULES_INTRO,
        "what_comments_are_for": WHAT_COMMENTS_ARE_FOR,
        "what_happens": WHAT_HAPPENS,
    }


# The report form's reason for anything the house rules do not name.
OTHER_REASON = "annat"
OTHER_REASON_TITLE = _("Annat")


def house_rule(category: str) -> HouseRule | None:
    return next((rule for rule in HOUSE_RULES if rule.category == category), None)


def reason_title(reason: str) -> str:
    """A report's reason in the words the visitor chose it by."""
    rule = house_rule(reason)
    return str(rule.title if rule else OTHER_REASON_TITLE)


# --- What a channel's page tells -----------------------------------------------------------


def watch_description(channel, plan=None) -> str:
    """How often the channel is watched, as the public page and the house rules say it: the
    structured review interval of the current plan (`deadlines.review_interval`, the same one the
    warnings hold the operators to), then the plan's own words on monitoring ("bevakning")
    and office hours. Without a plan in force: the legal minimum, once a week."""
    plan = plan if plan is not None else current_plan(channel)
    sentence = deadlines.interval_of_plan(plan).description
    if plan is None:
        return sentence
    hours = (
        _("Kanalen bevakas bara under kontorstid.")
        if plan.office_hours_only
        else _("Kanalen bevakas även utanför kontorstid.")
    )
    answer = " ".join(plan.monitoring.split())
    return " ".join(part for part in (sentence, answer, str(hours)) if part)


def _amount(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def response_wait(channel=None, *, kind: str = ItemKind.QUESTION) -> str:
    """The platform's response time (Rimliga svarstider) in words: "6 arbetstimmar", "en
    arbetsdag". Citizens' reports, and a missing channel, get the default policy."""
    if channel is None:
        kind = ItemKind.REPORT
    policy = deadlines.policy_for(channel, kind)
    if policy is None:
        return str(_("en arbetsdag"))
    one = policy.amount == 1
    if policy.unit == ResponsePolicy.Unit.HOURS:
        unit = _("arbetstimme") if one else _("arbetstimmar")
    else:
        unit = _("arbetsdag") if one else _("arbetsdagar")
    return f"{_('en') if one else _amount(policy.amount)} {unit}"


def response_time_description(channel) -> str:
    """When an answer can be expected: counted in working time, never later than five days."""
    return str(
        _("Vi svarar normalt inom %(wait)s och alltid inom fem dagar.")
        % {"wait": response_wait(channel)}
    )


def working_time_description() -> str:
    calendar = deadlines.working_calendar()
    return str(
        _(
            "Tiden räknas i arbetstid: vardagar %(start)s–%(end)s, utom helgdagar, julafton, "
            "midsommarafton och nyårsafton."
        )
        % {"start": calendar.start.strftime("%H:%M"), "end": calendar.end.strftime("%H:%M")}
    )


@dataclass(frozen=True)
class ChannelFacts:
    purpose: str
    description: str
    watch: str
    response_time: str
    working_time: str
    contact: str
    contact_email: str
    public_records: str
    controller: str
    privacy_purpose: str
    privacy_rights: str
    privacy_email: str
    platform_reporting: str


def channel_facts(channel) -> ChannelFacts:
    """Everything the public page and the house rules say about one channel."""
    plan = current_plan(channel)
    return ChannelFacts(
        purpose=plan.purpose.strip() if plan is not None else "",
        description=channel.description.strip(),
        watch=watch_description(channel, plan),
        response_time=response_time_description(channel),
        working_time=working_time_description(),
        contact=str(CONTACT),
        contact_email=channel.contact_email,
        public_records=str(PUBLIC_RECORDS),
        controller=privacy_controller(channel),
        privacy_purpose=str(PRIVACY_PURPOSE % {"months": settings.CULLING_AGE_MONTHS}),
        privacy_rights=str(PRIVACY_RIGHTS),
        privacy_email=settings.PRIVACY_CONTACT_EMAIL,
        platform_reporting=platform_reporting(channel),
    )


def house_rules_text(channel, *, page_url: str, report_url: str) -> str:
    """The house rules as plain text, for the unit to paste on the platform."""
    return render_to_string(
        "moderation/house_rules.txt",
        {
            "channel": channel,
            "facts": channel_facts(channel),
            **house_rules_context(),
            "page_url": page_url,
            "report_url": report_url,
            "municipality_name": settings.MUNICIPALITY_NAME,
        },
    ).strip()
