"""Demo organisation for `seed_demo`: an Åtvidaberg-like municipality and one user per role.

Each app may have a `demo.py` with `seed(stdout)`; `seed_demo` runs them in the order of
INSTALLED_APPS, so a higher app can rely on this organisation. Everything is idempotent.
"""

from django.contrib.auth.models import Group

from .models import Administration, Unit, User
from .roles import Role

DEMO_PASSWORD = "demo-atvida-2026"  # noqa: S105  (printed to the developer; DEBUG only)

ORGANISATION = {
    "Kommunledningsförvaltningen": [
        ("Informationsenheten", False),
        ("Ekonomienheten", False),
        ("HR-enheten", False),
        ("Kommunarkivet", False),
    ],
    "Vård- och omsorgsförvaltningen": [
        ("Hemtjänsten", True),
        ("Särskilt boende Tallbacken", True),
        ("Individ- och familjeomsorgen", True),
    ],
    "Barn- och utbildningsförvaltningen": [
        ("Förskolan Solrosen", True),
        ("Centralskolan", True),
    ],
    "Samhällsbyggnadsförvaltningen": [
        ("Gata och park", False),
        ("Räddningstjänsten", False),
    ],
    "Kultur- och fritidsförvaltningen": [
        ("Biblioteket", False),
        ("Fritidsgården", False),
    ],
}

# username, first name, last name, title, unit, roles
USERS = [
    ("info", "Ingrid", "Isaksson", "Kommunikatör", "Informationsenheten", [Role.INFORMATION_UNIT]),
    ("chef", "Carl", "Claesson", "Bibliotekschef", "Biblioteket", [Role.MANAGER]),
    ("konto", "Karin", "Kullberg", "Bibliotekarie", "Biblioteket", [Role.ACCOUNT_OWNER]),
    ("konto2", "Kent", "Karlsson", "Bibliotekarie", "Biblioteket", [Role.ACCOUNT_OWNER]),
    ("drift", "Dalia", "Dahl", "Biblioteksassistent", "Biblioteket", [Role.DAILY_OPERATOR]),
    ("arkiv", "Arne", "Arvidsson", "Arkivarie", "Kommunarkivet", [Role.ARCHIVIST]),
    (
        "skolchef",
        "Sara",
        "Svensson",
        "Rektor",
        "Centralskolan",
        [Role.MANAGER, Role.ACCOUNT_OWNER],
    ),
]


def seed(stdout) -> None:
    units = {}
    for administration_name, unit_specs in ORGANISATION.items():
        administration, _ = Administration.objects.get_or_create(name=administration_name)
        for unit_name, is_confidential in unit_specs:
            unit, _ = Unit.objects.update_or_create(
                administration=administration,
                name=unit_name,
                defaults={"is_confidential": is_confidential},
            )
            units[unit_name] = unit

    for index, (username, first, last, title, unit_name, roles) in enumerate(USERS):
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "title": title,
                "unit": units[unit_name],
                "email": f"{first}.{last}@atvidaberg.se".lower(),
                "phone": f"0120-830 {index:02d}",
                "is_active": True,
                "is_staff": Role.INFORMATION_UNIT in roles,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=roles))

    stdout.write(
        f"Organisation: {Administration.objects.count()} förvaltningar, "
        f"{Unit.objects.count()} verksamheter, {len(USERS)} demoanvändare."
    )


def describe_logins() -> list[str]:
    lines = []
    for username, first, last, _title, unit_name, roles in USERS:
        role_text = ", ".join(str(role.label) for role in roles)
        lines.append(f"  {username:<10} {first} {last} ({unit_name}; {role_text})")
    lines.append(f"  Lösenord för alla: {DEMO_PASSWORD}")
    return lines
