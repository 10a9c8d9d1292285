"""The archive's periodic jobs: the half-yearly snapshots, the monthly integrity check and
the nightly purge and culling proposal (Arkivering)."""

import datetime

from django.utils.translation import gettext_lazy as _

from atvida_social.scheduling.registry import Crontab, register_job


def register_jobs() -> None:
    # Every active channel on 1 January and 1 July, each covering the half-year just ended
    # (Arkivering: "minst en gång varje halvår"). No nightly job runs between 02:00 and 02:59:
    # Stockholm's clock skips that hour on the last Sunday of March and repeats it on the last
    # Sunday of October.
    register_job(
        "Ögonblicksbild av alla aktiva kanaler, varje halvår",
        task="archiving.tasks.take_scheduled_snapshots",
        description=_(
            "Arkiverar varje aktiv kanal som PDF/A för halvåret som just tagit slut "
            "(riktlinjerna: minst en gång varje halvår). Samma som manage.py take_snapshots."
        ),
        crontab=Crontab(minute="0", hour="1", day_of_month="1", month_of_year="1,7"),
    )
    register_job(
        "Kontroll av arkivets filer, varje månad",
        task="archiving.tasks.check_archive_integrity",
        description=_(
            "Räknar om kontrollsumman (SHA-256) för varje arkiverad fil och rapporterar filer "
            "som ändrats eller saknas. Samma som manage.py check_archive."
        ),
        crontab=Crontab(minute="0", hour="3", day_of_month="1"),
    )
    register_job(
        "Rensning av borttagna texter och gallring, varje natt",
        task="archiving.tasks.cull_trivial_items",
        description=_(
            "Rensar texten i inlägg som tagits bort för regelbrott när bevarandetiden gått ut, "
            "och föreslår sedan en gallring av inlägg av ringa eller tillfällig betydelse som "
            "är äldre än tre månader (eller gallrar direkt om granskning är avstängd). Samma "
            "som manage.py cull_items."
        ),
        crontab=Crontab(minute="30", hour="3"),
    )
    register_job(
        "Avstämning av ögonblicksbilder som pågår, var femte minut",
        task="archiving.tasks.reconcile_snapshot_runs",
        description=_(
            "Hittar ögonblicksbilder som inte kommit vidare (till exempel när en arbetare "
            "stoppats), lämnar de delar som saknas till arbetarna igen och markerar "
            "ögonblicksbilden som misslyckad om den ändå inte blir klar. Samma som "
            "manage.py reconcile_snapshots."
        ),
        every=datetime.timedelta(minutes=5),
        expire_seconds=290,
    )
