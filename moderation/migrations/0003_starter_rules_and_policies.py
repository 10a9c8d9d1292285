"""The response times of Rimliga svarstider, a starter Swedish rule set for the guideline's
categories and the public bodies whose links need no review. All editable in the staff pages."""

from django.db import migrations

POLICIES = [("x", "6", "hours"), ("facebook", "1", "days"), ("blogg", "1", "days"), ("", "1", "days")]

# (name, kind, pattern, category, action); a trailing * makes a word rule a prefix rule.
RULES = [
    ("Svordom: fan", "word", "fan", "svordomar", "flag"),
    ("Svordom: jävla", "word", "jävla*", "svordomar", "flag"),
    ("Svordom: helvete", "word", "helvete*", "svordomar", "flag"),
    ("Svordom: skit", "word", "skit", "svordomar", "flag"),
    ("Obscent ord: fitta", "word", "fitta", "svordomar", "hide"),
    ("Obscent ord: kuk", "word", "kuk", "svordomar", "hide"),
    ("Förolämpning: idiot", "word", "idiot*", "fortal", "flag"),
    ("Förolämpning: pucko", "word", "pucko*", "fortal", "flag"),
    ("Förolämpning: korkad", "word", "korkad*", "fortal", "flag"),
    ("Förolämpning: svin", "word", "svin", "fortal", "flag"),
    ("Förolämpning: äckel", "word", "äckel", "fortal", "flag"),
    ("Förtal: är en pedofil", "regex", r"\bär\s+(?:en\s+)?pedofil", "fortal", "hide"),
    ("Hets: svartskalle", "word", "svartskall*", "hets", "hide"),
    ("Hets: blatte", "word", "blatte*", "hets", "hide"),
    ("Hets: ut med alla", "regex", r"\but\s+med\s+alla\b", "hets", "flag"),
    ("Trakasserier: hora", "word", "hora", "hets", "hide"),
    ("Uppmaning till brott: slå ihjäl", "word", "slå ihjäl", "brott", "hide"),
    ("Uppmaning till brott: bränn ner", "word", "bränn ner", "brott", "hide"),
    ("Uppmaning till brott: döda", "regex", r"\bdöda\s+(?:honom|henne|dem|alla)\b", "brott", "hide"),
    ("Pornografi: porr", "word", "porr*", "vald_pornografi", "flag"),
    ("Reklam: rabattkod", "word", "rabattkod*", "reklam", "flag"),
    ("Reklam: köp nu", "word", "köp nu", "reklam", "flag"),
    ("Reklam: tjäna pengar", "word", "tjäna pengar", "reklam", "flag"),
    ("Reklam: casino", "word", "casino*", "reklam", "flag"),
    ("Upphovsrätt: ladda ner gratis", "word", "ladda ner gratis", "upphovsratt", "flag"),
    ("Sekretess: journal", "word", "journalanteckning*", "sekretess", "flag"),
]

ALLOWED = [
    "atvidaberg.se",
    "regeringen.se",
    "riksdagen.se",
    "krisinformation.se",
    "1177.se",
    "polisen.se",
    "skatteverket.se",
    "forsakringskassan.se",
    "arbetsformedlingen.se",
    "lansstyrelsen.se",
    "folkhalsomyndigheten.se",
    "msb.se",
    "smhi.se",
    "trafikverket.se",
]


def seed(apps, schema_editor):
    Policy = apps.get_model("moderation", "ResponsePolicy")
    Rule = apps.get_model("moderation", "Rule")
    Domain = apps.get_model("moderation", "DomainEntry")
    for platform, amount, unit in POLICIES:
        Policy.objects.get_or_create(platform=platform, defaults={"amount": amount, "unit": unit})
    for name, kind, pattern, category, action in RULES:
        Rule.objects.get_or_create(
            kind=kind,
            pattern=pattern,
            category=category,
            defaults={"name": name, "action": action},
        )
    for domain in ALLOWED:
        Domain.objects.get_or_create(
            domain=domain, defaults={"list": "allow", "note": "Offentlig myndighet"}
        )


def unseed(apps, schema_editor):
    apps.get_model("moderation", "ResponsePolicy").objects.all().delete()
    Rule = apps.get_model("moderation", "Rule")
    for _name, kind, pattern, category, _action in RULES:
        Rule.objects.filter(kind=kind, pattern=pattern, category=category).delete()
    apps.get_model("moderation", "DomainEntry").objects.filter(domain__in=ALLOWED).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_decisions_append_only")]

    operations = [migrations.RunPython(seed, unseed)]
