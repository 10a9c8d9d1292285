"""What waits for each role on the start page.

Each role has its sections; later apps fill the items (plans to sign, items to moderate).
A user with several roles sees every section of each, once.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .organisation.roles import Role, role_names


@dataclass
class Section:
    key: str
    title: str
    empty_text: str
    items: list = field(default_factory=list)


SECTIONS_BY_ROLE: dict[str, list[tuple[str, str, str]]] = {
    Role.INFORMATION_UNIT: [
        ("to_review", _("Att granska"), _("Inga aktivitetsplaner väntar på granskning.")),
        ("register", _("Kanalregistret"), _("Inga opublicerade ändringar i registret.")),
    ],
    Role.MANAGER: [
        ("to_sign", _("Att signera"), _("Inga aktivitetsplaner väntar på din underskrift.")),
    ],
    Role.ACCOUNT_OWNER: [
        ("to_sign", _("Att signera"), _("Inga aktivitetsplaner väntar på din underskrift.")),
        ("my_plans", _("Mina planer"), _("Du har inga aktivitetsplaner.")),
    ],
    Role.DAILY_OPERATOR: [
        ("queue", _("Modereringskö"), _("Inga inlägg väntar på svar eller moderering.")),
        ("supervision", _("Veckans tillsyn"), _("Ingen tillsyn att kvittera just nu.")),
    ],
}


def sections_for(user) -> list[Section]:
    held = role_names(user)
    sections: dict[str, Section] = {}
    for role in Role:
        if role not in held:
            continue
        for key, title, empty_text in SECTIONS_BY_ROLE[role]:
            sections.setdefault(key, Section(key=key, title=title, empty_text=empty_text))
    return list(sections.values())
