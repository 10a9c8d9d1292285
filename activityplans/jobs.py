"""The activity plans' periodic jobs: the morning reminders about logins."""

from django.utils.translation import gettext_lazy as _

from atvida_social.scheduling.registry import Crontab, register_job


def register_jobs() -> None:
    register_job(
        "Påminnelse om inloggningar som går ut, varje morgon",
        task="activityplans.tasks.notify_expiring_credentials",
        description=_(
            "Påminner kontoansvariga och informationsenheten två veckor innan en plattforms "
            "token går ut och samma dag. Samma som manage.py notify_expiring_credentials."
        ),
        crontab=Crontab(minute="0", hour="7"),
    )
    register_job(
        "Påminnelse om inloggningar som inte lämnats över, varje morgon",
        task="activityplans.tasks.remind_overdue_handovers",
        description=_(
            "Påminner om kanaler vars inloggning inte lämnats till informationsenheten inom 14 "
            "dagar efter godkänd plan. Samma som manage.py remind_overdue_handovers."
        ),
        crontab=Crontab(minute="0", hour="7"),
    )
