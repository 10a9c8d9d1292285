"""Moderation's periodic jobs: the response-time statistics, the supervision warnings and the
webhook deliveries due for another attempt."""

import datetime

from django.utils.translation import gettext_lazy as _

from atvida_social.scheduling.registry import Crontab, register_job


def register_jobs() -> None:
    register_job(
        "Statistik över svarstider, varje timme",
        task="moderation.tasks.refresh_statistics",
        description=_(
            "Räknar om statistiken över svarstider per kanal, verksamhet och månad för i år "
            "(i januari även förra året). Samma som manage.py refresh_statistics."
        ),
        crontab=Crontab(minute="20"),
    )
    # Deadlines about to pass and overdue channel reviews, mailed to the operators or their
    # substitutes.
    register_job(
        "Varningar om svarstider och tillsyn, var femtonde minut",
        task="moderation.tasks.send_supervision_warnings",
        description=_(
            "Skickar e-post till den dagliga driften, eller till ersättaren under en frånvaro, "
            "när mindre än en fjärdedel av ett inläggs svarstid återstår och när en kanals "
            "tillsyn är försenad (minst en gång i veckan enligt lag); en gång per händelse. "
            "Samma som manage.py send_supervision_warnings."
        ),
        every=datetime.timedelta(minutes=15),
        # A run not taken before the next one is queued is dropped: the next run covers it.
        expire_seconds=14 * 60,
    )
    register_job(
        "Webhook-leveranser som ska försökas igen, var femte minut",
        task="moderation.tasks.process_pending_webhook_deliveries",
        description=_(
            "Behandlar webhook-leveranser som ännu inte blivit inlägg och vars nästa försök är "
            "inne: ett misslyckat försök görs om efter en minut, sedan efter dubbelt så lång "
            "tid varje gång, och leveransen ges upp efter åtta försök. Samma som manage.py "
            "process_webhooks, som dock tar alla väntande leveranser direkt."
        ),
        every=datetime.timedelta(minutes=5),
        expire_seconds=4 * 60,
    )
    register_job(
        "Hämtning från plattformarna, varje minut",
        task="moderation.tasks.pull_due_connections",
        description=_(
            "Hämtar nya och ändrade inlägg från de anslutna kanalerna vars nästa hämtning är "
            "inne: var femtonde minut under planens bevakningstid, varje timme utanför den. "
            "Skickar också e-post om anslutningar som har brutits. Samma som manage.py "
            "pull_platforms."
        ),
        every=datetime.timedelta(minutes=1),
        expire_seconds=50,
    )
    register_job(
        "Beslut som ska utföras på plattformarna, varje minut",
        task="moderation.tasks.carry_out_due_platform_actions",
        description=_(
            "Utför på plattformen de beslut som väntar och vars nästa försök är inne: efter "
            "ett fel görs ett nytt försök efter en minut, sedan efter dubbelt så lång tid, "
            "och åtgärden markeras som misslyckad efter fem försök. Samma som manage.py "
            "carry_out_platform_actions."
        ),
        every=datetime.timedelta(minutes=1),
        expire_seconds=50,
    )
