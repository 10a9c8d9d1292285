"""Rules about many items. Here is the one definition of an item's response-time state
(Rimliga svarstider) at a moment `now`, which the queue, the start page, the warnings and the
statistics all ask:

- no state: the item has no deadline (the municipality's own posts);
- an open item (not settled): late once `now` is past `due_at`; soon late ("snart sen") from
  `warn_at`, when three quarters of the response time are gone, up to `due_at`; in time
  before that (an item without a `warn_at` stays in time until it is late);
- a settled item keeps the state it was settled in: in time when settled by `due_at`, late
  when settled after it.

`deadlines.sla_state_of` is the same rule in Python for one loaded item; a test holds them
equal.
"""

import functools
import operator

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from atvida_social.organisation.querysets import UnitScopedQuerySet

from .workflow import (
    AWAITING_REGISTRATION,
    HIDES,
    OPEN,
    DecisionKind,
    ItemKind,
    ItemStatus,
    SlaState,
)

# A direct message still waiting to be registered or judged trivial.
UNREGISTERED_MESSAGE = Q(kind=ItemKind.MESSAGE, status__in=AWAITING_REGISTRATION)
# Marked secret and not yet known to be gone from the platform: first in the queue until then.
AWAITING_SECRECY_REMOVAL = Q(status=ItemStatus.SECRET, secrecy_removed_at__isnull=True)
# What the queue lists: everything still waiting for someone.
IN_QUEUE = Q(status__in=OPEN) | AWAITING_SECRECY_REMOVAL


def late_condition(now) -> Q:
    """Late: open past its deadline, or settled after it."""
    return Q(settled_at__isnull=True, due_at__lt=now) | Q(settled_at__gt=F("due_at"))


def soon_late_condition(now) -> Q:
    """Soon late: open, its warning moment reached, its deadline not passed."""
    return Q(settled_at__isnull=True, warn_at__lte=now, due_at__gte=now)


def in_time_condition(now) -> Q:
    """In time: open before its warning moment and deadline, or settled by its deadline."""
    before_warning = Q(warn_at__gt=now) | Q(warn_at__isnull=True)
    return Q(settled_at__isnull=True, due_at__gte=now) & before_warning | Q(
        settled_at__lte=F("due_at")
    )


SLA_CONDITIONS = {
    SlaState.LATE: late_condition,
    SlaState.SOON_LATE: soon_late_condition,
    SlaState.IN_TIME: in_time_condition,
}


class ItemQuerySet(UnitScopedQuerySet):
    unit_lookup = "channel__unit"

    def open(self):
        return self.filter(status__in=OPEN)

    def in_queue(self):
        """The queue's items: the open ones, and those marked secret whose removal from the
        platform is not yet confirmed."""
        return self.filter(IN_QUEUE)

    def with_held_by_rule(self):
        """Annotate `held_by_rule`: hidden by a rule and not yet judged by a person (hidden,
        or forwarded since a rule hid it), `selectors.held_by_rule` in SQL."""
        from .models import Decision  # the models import this module

        last_judgement = (
            Decision.objects.filter(item=OuterRef("pk"))
            .exclude(kind=DecisionKind.FORWARD)
            .order_by("-pk")
            .values("kind")[:1]
        )
        return self.alias(last_judgement=Subquery(last_judgement)).annotate(
            held_by_rule=Case(
                When(status=ItemStatus.HIDDEN, then=Value(True)),
                When(
                    status=ItemStatus.FORWARDED,
                    last_judgement__in=HIDES,
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def deletable_by_author(self):
        """The items whose disappearance from the platform is their author's deletion: not
        marked deleted there yet, not the account's own posts, and not removed by the
        municipality through the platform (its delete done, done as far as the platform
        allows, or under way: gone meanwhile, it is most likely the municipality's own doing;
        should the delete fail, a later check asks again). The pull's deletion check and the
        webhook's removals both ask this."""
        from .models import PlatformAction, PlatformActionKind, PlatformActionState

        removed = PlatformAction.objects.filter(
            item=OuterRef("pk"),
            kind=PlatformActionKind.DELETE,
            state__in=[
                PlatformActionState.DONE,
                PlatformActionState.NEAREST,
                PlatformActionState.PENDING,
            ],
        )
        return (
            self.filter(deleted_on_platform_at__isnull=True)
            .exclude(kind=ItemKind.POST)
            .exclude(Exists(removed))
        )

    def unregistered_messages(self):
        """Direct messages not yet registered nor judged trivial (workflow's
        AWAITING_REGISTRATION): an open one, or one settled otherwise before that was refused."""
        return self.filter(UNREGISTERED_MESSAGE)

    def with_sla_state(self, now):
        """Annotate `sla_state` (a SlaState value, or None without a deadline)."""
        return self.annotate(
            sla_state=Case(
                *(
                    When(condition(now), then=Value(state.value))
                    for state, condition in SLA_CONDITIONS.items()
                ),
                output_field=CharField(),
            )
        )

    def in_sla_state(self, now, *states: str):
        """Items in any of `states` at `now`."""
        if not states:
            return self.none()
        conditions = (SLA_CONDITIONS[SlaState(state)](now) for state in states)
        return self.filter(functools.reduce(operator.or_, conditions))

    def late(self, now):
        return self.in_sla_state(now, SlaState.LATE)

    def soon_late(self, now):
        return self.in_sla_state(now, SlaState.SOON_LATE)

    def in_time(self, now):
        return self.in_sla_state(now, SlaState.IN_TIME)
