"""What waits for each role on the start page.

Each role has its sections; later apps fill the items (plans to sign, items to moderate).
A user with several roles sees every section of each, once.
"""

from dataclasses import dataclass, field

from django.urls import reverse
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


def _register_items(user) -> list[dict]:
    from channels import register, services

    diff = services.publish_preview()
    if register.is_empty(diff):
        return []
    count = sum(len(rows) for part in diff.values() for rows in part.values())
    return [
        {
            "label": _("%(count)s ändringar väntar på publicering") % {"count": count},
            "url": reverse("channels:publish"),
        }
    ]


def _plan_items(plans) -> list[dict]:
    return [
        {
            "label": f"{plan.account_name} ({plan.unit})",
            "url": plan.get_absolute_url(),
            "status": plan.get_status_display(),
            "since": plan.status_changed_at,
        }
        for plan in plans
    ]


def _to_sign(user) -> list[dict]:
    from activityplans import selectors

    return _plan_items(selectors.plans_to_sign(user))


def _to_review(user) -> list[dict]:
    from activityplans import selectors

    return _plan_items(selectors.plans_to_review(user))


def _my_plans(user) -> list[dict]:
    from activityplans import selectors

    return _plan_items(selectors.my_plans(user))


# Later issues add their sections' items here.
ITEM_PROVIDERS = {
    "register": _register_items,
    "to_sign": _to_sign,
    "to_review": _to_review,
    "my_plans": _my_plans,
}


def sections_for(user) -> list[Section]:
    held = role_names(user)
    sections: dict[str, Section] = {}
    for role in Role:
        if role not in held:
            continue
        for key, title, empty_text in SECTIONS_BY_ROLE[role]:
            if key not in sections:
                provider = ITEM_PROVIDERS.get(key)
                items = provider(user) if provider else []
                sections[key] = Section(key, title, empty_text, items)
    return list(sections.values())
