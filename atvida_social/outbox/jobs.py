"""The outbox's periodic jobs: tasks that could not reach the broker are sent again, and tasks
the broker took and lost are handed over again."""

import datetime

from django.utils.translation import gettext_lazy as _

from atvida_social.scheduling.registry import register_job


def register_jobs() -> None:
    register_job(
        "Utkorgen till meddelandekön, varje minut",
        task="atvida_social.outbox.tasks.relay_outbox",
        description=_(
            "Skickar uppgifter som inte kunde lämnas till meddelandekön direkt (till exempel "
            "under ett avbrott). Samma som manage.py relay_outbox."
        ),
        every=datetime.timedelta(minutes=1),
        # Dropped if no worker takes it before the next relay is sent.
        expire_seconds=55,
    )
    register_job(
        "Avstämning av bakgrundsjobb, varje minut",
        task="atvida_social.outbox.tasks.reconcile_outbox",
        description=_(
            "Skickar igen uppgifter som lämnats till meddelandekön men aldrig blivit klara "
            "(till exempel när en arbetare stoppats), och ger upp efter några försök. Visar "
            "också att schemaläggaren är igång: stannar jobbet larmar /healthz och "
            "Informationsenheten får e-post. Samma som manage.py reconcile_outbox."
        ),
        every=datetime.timedelta(minutes=1),
        expire_seconds=55,
    )
