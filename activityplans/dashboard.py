"""Activity plans' sections on the start page: plans to sign, to review, and one's own."""

from django.utils.translation import gettext_lazy as _

from atvida_social.dashboard import Item, register_section
from atvida_social.organisation.roles import Role

from . import selectors


def _plan_items(plans) -> list[Item]:
    return [
        Item(
            label=f"{plan.account_name} ({plan.unit})",
            url=plan.get_absolute_url(),
            status=plan.get_status_display(),
            since=plan.status_changed_at,
        )
        for plan in plans
    ]


def plans_to_review(user) -> list[Item]:
    return _plan_items(selectors.plans_to_review(user))


def plans_to_sign(user) -> list[Item]:
    return _plan_items(selectors.plans_to_sign(user))


def my_plans(user) -> list[Item]:
    return _plan_items(selectors.my_plans(user))


def register_sections() -> None:
    # Informationsenheten reviews and approves plans; the manager and the account owners
    # sign them (Aktivitetsplan för sociala medier).
    register_section(
        "to_review",
        title=_("Att granska"),
        empty_text=_("Inga aktivitetsplaner väntar på granskning."),
        roles=[Role.INFORMATION_UNIT],
        provider=plans_to_review,
        order=10,
    )
    register_section(
        "to_sign",
        title=_("Att signera"),
        empty_text=_("Inga aktivitetsplaner väntar på din underskrift."),
        roles=[Role.MANAGER, Role.ACCOUNT_OWNER],
        provider=plans_to_sign,
        order=30,
    )
    register_section(
        "my_plans",
        title=_("Mina planer"),
        empty_text=_("Du har inga aktivitetsplaner."),
        roles=[Role.ACCOUNT_OWNER],
        provider=my_plans,
        order=40,
    )
