"""The archive's section on the start page: channels without a recent snapshot, snapshots
that failed, and files found changed or missing."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atvida_social.dashboard import Item, register_section
from atvida_social.organisation.roles import Role

from . import selectors

LIMIT = 10


def archive_items(user) -> list[Item]:
    items = []
    for channel in selectors.overdue_channels()[:LIMIT]:
        if channel.last_period_end is None:
            label = _("%(channel)s har ingen ögonblicksbild") % {"channel": channel}
        else:
            label = _("%(channel)s: senaste ögonblicksbilden slutar %(date)s") % {
                "channel": channel,
                "date": f"{timezone.localtime(channel.last_period_end):%Y-%m-%d}",
            }
        items.append(
            Item(
                label=label,
                url=reverse("archiving:channel-list") + f"#kanal-{channel.pk}",
                status=_("Försenad"),
            )
        )
    for run in selectors.unresolved_failed_runs()[:LIMIT]:
        items.append(
            Item(
                label=_("Ögonblicksbilden av %(channel)s misslyckades") % {"channel": run.channel},
                url=reverse("archiving:snapshot-list") + f"#korning-{run.pk}",
                status=run.get_status_display(),
                since=run.finished_at or run.created_at,
            )
        )
    for archive_file in selectors.problem_files()[:LIMIT]:
        items.append(
            Item(
                label=_("%(file)s är ändrad eller saknas") % {"file": archive_file.filename},
                url=reverse("archiving:check-list"),
                status=_("Avvikelse"),
                since=archive_file.last_checked_at,
            )
        )
    return items


def register_sections() -> None:
    # Informationsenheten keeps the archive; the archivist watches over it (Arkivering).
    register_section(
        "archive",
        title=gettext_lazy("Arkivet"),
        empty_text=gettext_lazy(
            "Alla aktiva kanaler har en ögonblicksbild från det senaste halvåret och inga "
            "avvikelser har hittats."
        ),
        roles=[Role.INFORMATION_UNIT, Role.ARCHIVIST],
        provider=archive_items,
        order=25,
    )
