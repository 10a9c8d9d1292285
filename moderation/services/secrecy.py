"""Secret information first ("sekretessbelagd information ska … omedelbart tas bort"): an
item a person marks secret, or that the personnummer detector hides, is flagged
(`Item.secrecy_flagged_at`), so that the queue shows it before everything else
(`selectors.QUEUE_ORDER`), and the channel's people and Informationsenheten are mailed at
once, through the outbox, once per flagging: the mail's `SupervisionNotice` is the receipt
a second delivery of the task finds.

The mail names the channel and links to the item; it never quotes the text.

A person's "Sekretess" decision settles the item (it is registered as a case of its own),
but the item stays first in the queue until its text is known to be gone from the platform:
its removal on the platform done (services.platform_actions), or a person's confirmation
(`confirm_secret_removed`), whichever comes first.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activityplans.selectors import current_plan
from atvida_social.organisation.audit import record_audit
from atvida_social.organisation.exceptions import PermissionDeniedError
from atvida_social.organisation.roles import Role
from atvida_social.outbox.services import enqueue

from .. import selectors
from ..categories import RuleAction
from ..exceptions import DecisionNotAllowed, SecrecyAlertNotSent
from ..models import Item, SupervisionNotice
from ..workflow import ItemStatus
from .supervision import _notify

# The built-in detectors whose hiding flags an item for secrecy.
PERSONNUMMER_SOURCES = frozenset({"personnummer", "samordningsnummer"})


class Reason:
    PERSON = "person"
    PERSONNUMMER = "personnummer"


# What the alert asks of its readers: both wait first in the queue, a person's marking until
# the removal from the platform is confirmed, the detector's hiding for a person's decision.
ACTIONS = {
    Reason.PERSON: gettext_lazy(
        "Se till att det omedelbart är borttaget från plattformen och bekräfta det på "
        "inläggets sida; till dess ligger det först i modereringskön."
    ),
    Reason.PERSONNUMMER: gettext_lazy(
        "Det ska omedelbart tas bort från plattformen och ligger först i modereringskön."
    ),
}

REASON_LABELS = {
    Reason.PERSON: gettext_lazy("en person har markerat det som sekretess"),
    Reason.PERSONNUMMER: gettext_lazy("det innehåller ett personnummer och har dolts automatiskt"),
}


def hides_personnummer(matches) -> bool:
    """An acting (not test-mode) personnummer or samordningsnummer match, which hides."""
    return any(
        m.source in PERSONNUMMER_SOURCES and m.action == RuleAction.HIDE and not m.test_mode
        for m in matches
    )


def request_secrecy_alert(item: Item, *, reason: str) -> None:
    """Have the alert about the item's flagging mailed once the flagging commits."""
    enqueue(
        "moderation.tasks.mail_secrecy_alert",
        item.pk,
        item.secrecy_flagged_at.isoformat(),
        reason,
    )


def alert_recipients(channel) -> list:
    """The channel's people (its current plan's manager, administrators and daily operators,
    and the substitutes of those away) and Informationsenheten: active, with an address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    people = {user.pk: user for user in selectors.moderators_of(channel).exclude(email="")}
    plan = current_plan(channel)
    if plan is not None and plan.manager_id is not None:
        people |= {user.pk: user for user in users.filter(pk=plan.manager_id)}
    people |= {user.pk: user for user in users.filter(groups__name=Role.INFORMATION_UNIT)}
    return [people[pk] for pk in sorted(people)]


def send_secrecy_alert(item_id: int, flagged_at: str, reason: str) -> int:
    """Mail the alert about one flagging, once; returns the number of mails sent. Raises
    `SecrecyAlertNotSent` when a mail failed, so that the task is tried again."""
    item = Item.objects.select_related("channel").get(pk=item_id)
    key = f"secrecy:{item_id}:{flagged_at}"
    recipients = alert_recipients(item.channel)
    sent = _notify(
        key,
        SupervisionNotice.Kind.SECRECY,
        item.channel,
        recipients,
        subject=_("Sekretess: ta bort inlägget omedelbart: %(channel)s"),
        body=_(
            "Ett inlägg i %(channel)s kan innehålla sekretessbelagda uppgifter: %(reason)s. "
            "%(action)s\n\n%(link)s\n\n%(municipality)s"
        ),
        due=datetime.datetime.fromisoformat(flagged_at),
        link=item.get_absolute_url(),
        item=item,
        reason=str(REASON_LABELS.get(reason, reason)),
        action=str(ACTIONS.get(reason, ACTIONS[Reason.PERSONNUMMER])),
    )
    # A mail that failed released the claim: try again. A claim another delivery holds at
    # this moment is that delivery's to finish (or, if it fails, to try again).
    released = SupervisionNotice.objects.filter(
        key=key, sent_at__isnull=True, claimed_at__isnull=True
    )
    if recipients and released.exists():
        raise SecrecyAlertNotSent(key)
    return sent


@transaction.atomic
def confirm_secret_removed(item: Item, *, by, now=None) -> Item:
    """A person confirms that an item marked secret is gone from the platform (removed there
    by hand, or the platform's own removal seen): it leaves the queue. Whoever may handle the
    item may confirm; a second confirmation changes nothing."""
    locked = Item.objects.select_for_update().select_related("channel").get(pk=item.pk)
    if not selectors.may_handle(by, locked):
        raise PermissionDeniedError
    if locked.status != ItemStatus.SECRET:
        raise DecisionNotAllowed(
            _("%(item)s är inte markerat som sekretess; det finns ingen borttagning att bekräfta.")
            % {"item": locked.external_id}
        )
    if locked.secrecy_removed_at is None:
        locked.secrecy_removed_at = now or timezone.now()
        locked.save(update_fields=["secrecy_removed_at"])
        record_audit("secret_removal_confirmed", by=by, obj=locked, details={"by": "person"})
    item.secrecy_removed_at = locked.secrecy_removed_at
    return locked


def record_secret_removed(item: Item, *, now) -> bool:
    """The platform removed (or hid for good) an item marked secret: it leaves the queue.
    Called in the platform action's transaction; True when this changed the item."""
    changed = Item.objects.filter(
        pk=item.pk, status=ItemStatus.SECRET, secrecy_removed_at__isnull=True
    ).update(secrecy_removed_at=now)
    if changed:
        record_audit("secret_removal_confirmed", by=None, obj=item, details={"by": "platform"})
    return bool(changed)
