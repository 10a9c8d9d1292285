"""django-celery-beat's admin, where Informationsenheten edits the schedule,
registered again like every admin of the project: changes and runs go to the audit log,
forged query strings give no server error, JSON fields are checked before beat reads them,
and the page carries no inline script (the Content-Security-Policy forbids them)."""

import json

from cron_descriptor import ExpressionDescriptor, Options
from cron_descriptor.Exception import FormatException, MissingFieldException, WrongArgumentException
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    PeriodicTasks,
    SolarSchedule,
)
from kombu.exceptions import OperationalError

from atvida_social.organisation.admin import AuditedAdminMixin
from atvida_social.organisation.audit import record_audit
from atvida_social.outbox.services import PUBLISH_RETRY_POLICY

MONTHS = {
    "January": "januari",
    "February": "februari",
    "March": "mars",
    "April": "april",
    "May": "maj",
    "June": "juni",
    "July": "juli",
    "August": "augusti",
    "September": "september",
    "October": "oktober",
    "November": "november",
    "December": "december",
}


def describe_crontab(crontab: CrontabSchedule | None) -> str:
    """The crontab in Swedish words, e.g. "Vid 01:00, på dag 1 i månaden, endast i januari
    och juli (Europe/Stockholm)"."""
    if crontab is None:
        return "–"
    expression = " ".join(
        [
            crontab.minute,
            crontab.hour,
            crontab.day_of_month,
            crontab.month_of_year,
            crontab.day_of_week,
        ]
    )
    options = Options()
    options.locale_code = "sv_SE"
    options.use_24hour_time_format = True
    try:
        text = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, MissingFieldException, WrongArgumentException, ValueError):
        text = expression
    for english, swedish in MONTHS.items():
        text = text.replace(english, swedish)
    return f"{text} ({crontab.timezone})"


# IntervalSchedule.period: the singular, for "varje minut" and "var 5:e minut".
PERIODS = {
    "days": "dag",
    "hours": "timme",
    "minutes": "minut",
    "seconds": "sekund",
    "microseconds": "mikrosekund",
}


def describe_interval(interval: IntervalSchedule | None) -> str:
    """The interval in Swedish words: "varje minut", "var 60:e sekund"."""
    if interval is None:
        return "–"
    unit = PERIODS.get(interval.period, interval.period)
    every = interval.every
    if every == 1:
        return f"varje {unit}"
    ordinal = ":a" if every % 10 in (1, 2) and every % 100 not in (11, 12) else ":e"
    return f"var {every}{ordinal} {unit}"


def _json(value: str, kind: type, message: str):
    try:
        parsed = json.loads(value or ("[]" if kind is list else "{}"))
    except ValueError:
        raise forms.ValidationError(message) from None
    if not isinstance(parsed, kind):
        raise forms.ValidationError(message)
    return value


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    """Arguments must be what beat can send: a JSON list, a JSON object, JSON headers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The schedules in the drop-downs in words, as in the list.
        self.fields["crontab"].label_from_instance = describe_crontab
        self.fields["interval"].label_from_instance = describe_interval

    def clean(self):
        # django-celery-beat's own clean() fails with KeyError when the task name itself
        # was refused (longer than 200 characters, say); this one reports it.
        data = super(beat_admin.PeriodicTaskForm, self).clean()
        if data.get("regtask"):
            data["task"] = data["regtask"]
        if not data.get("task") and "task" not in self.errors:
            self.add_error("task", _("Ange vilken uppgift jobbet kör."))
        if data.get("expire_seconds") is not None and data.get("expires"):
            raise forms.ValidationError(
                _("Ange antingen när jobbet upphör eller efter hur många sekunder, inte båda.")
            )
        return data

    def clean_args(self):
        return _json(
            self.cleaned_data["args"], list, _("Argumenten ska vara en JSON-lista, t.ex. [] .")
        )

    def clean_kwargs(self):
        return _json(
            self.cleaned_data["kwargs"],
            dict,
            _("De namngivna argumenten ska vara ett JSON-objekt, t.ex. {} ."),
        )

    def clean_headers(self):
        return _json(
            self.cleaned_data["headers"],
            dict,
            _("Meddelandehuvudena ska vara ett JSON-objekt, t.ex. {} ."),
        )


class TaskFilter(admin.AllValuesFieldListFilter):
    """The list's filter on the task, titled in Swedish (the model's label is not
    translatable)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("uppgift")


class PeriodicTaskAdmin(AuditedAdminMixin, beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm
    # Django's own templates: django-celery-beat's change form adds an inline script.
    change_form_template = None
    change_list_template = None
    # A year such as 9999 in a date hierarchy's query string crashes Django 5.2.
    date_hierarchy = None
    list_display = ("name", "enabled", "schedule_text", "last_run_at", "total_run_count")
    list_filter = ["enabled", ("task", TaskFilter)]
    actions = ["enable_tasks", "disable_tasks", "run_tasks"]

    @admin.display(description=_("Schema"))
    def schedule_text(self, obj):
        if obj.crontab_id:
            return describe_crontab(obj.crontab)
        if obj.interval_id:
            return describe_interval(obj.interval)
        return str(obj.clocked or obj.solar or "–")

    @admin.display(description=_("Tider i klartext"))
    def crontab_translation(self, obj):
        return describe_crontab(obj.crontab if obj.crontab_id else None)

    @transaction.atomic
    def _set_enabled(self, request, queryset, enabled: bool) -> int:
        count = 0
        # Only the jobs themselves: the list joins their (nullable) schedules.
        for task in queryset.select_for_update(of=("self",)):
            if task.enabled != enabled:
                task.enabled = enabled
                task.save()  # also tells a running beat that the schedule changed
                record_audit(
                    "admin_changed", by=request.user, obj=task, details={"fields": ["enabled"]}
                )
                count += 1
        PeriodicTasks.update_changed()
        return count

    @admin.action(description=_("Slå på valda jobb"), permissions=["change"])
    def enable_tasks(self, request, queryset):
        count = self._set_enabled(request, queryset, True)
        self.message_user(request, _("%(count)d jobb slogs på.") % {"count": count})

    @admin.action(description=_("Stäng av valda jobb"), permissions=["change"])
    def disable_tasks(self, request, queryset):
        count = self._set_enabled(request, queryset, False)
        self.message_user(request, _("%(count)d jobb stängdes av.") % {"count": count})

    @admin.action(description=_("Kör valda jobb nu"), permissions=["change"])
    def run_tasks(self, request, queryset):
        """Send each selected job to the worker now, as beat would at its time."""
        self.celery_app.loader.import_default_modules()
        jobs = list(queryset)
        missing = [job.name for job in jobs if job.task not in self.celery_app.tasks]
        if missing:
            self.message_user(
                request,
                _("Uppgiften bakom %(jobs)s finns inte i den här versionen; inget jobb kördes.")
                % {"jobs": ", ".join(missing)},
                messages.ERROR,
            )
            return
        for sent, job in enumerate(jobs):
            options = {"headers": {"periodic_task_name": job.name}}
            if job.queue:
                options["queue"] = job.queue
            try:
                result = self.celery_app.tasks[job.task].apply_async(
                    args=json.loads(job.args or "[]"),
                    kwargs=json.loads(job.kwargs or "{}"),
                    retry_policy=PUBLISH_RETRY_POLICY,
                    **options,
                )
            except OperationalError:
                # The broker is down: say so at once rather than fail the page.
                self.message_user(
                    request,
                    _(
                        "Meddelandekön svarar inte; %(count)d av %(total)d jobb skickades. "
                        "Försök igen senare."
                    )
                    % {"count": sent, "total": len(jobs)},
                    messages.ERROR,
                )
                return
            record_audit(
                "admin_ran_periodic_task",
                by=request.user,
                obj=job,
                details={"task": job.task, "task_id": result.id},
            )
        self.message_user(
            request,
            _("%(count)d jobb skickades till bakgrundsarbetaren.") % {"count": len(jobs)},
        )


class CrontabScheduleAdmin(AuditedAdminMixin, beat_admin.CrontabScheduleAdmin):
    list_display = ("__str__", "description")
    fields = (
        "description",
        "minute",
        "hour",
        "day_of_month",
        "month_of_year",
        "day_of_week",
        "timezone",
    )
    readonly_fields = ("description",)

    @admin.display(description=_("Tider i klartext"))
    def description(self, obj):
        return describe_crontab(obj)


class IntervalScheduleAdmin(AuditedAdminMixin, beat_admin.IntervalScheduleAdmin):
    list_display = ("description",)

    @admin.display(description=_("Intervall"))
    def description(self, obj):
        return describe_interval(obj)


class ClockedScheduleAdmin(AuditedAdminMixin, beat_admin.ClockedScheduleAdmin):
    pass


class SolarScheduleAdmin(AuditedAdminMixin, beat_admin.SolarScheduleAdmin):
    pass


for _model, _model_admin in [
    (PeriodicTask, PeriodicTaskAdmin),
    (CrontabSchedule, CrontabScheduleAdmin),
    (IntervalSchedule, IntervalScheduleAdmin),
    (ClockedSchedule, ClockedScheduleAdmin),
    (SolarSchedule, SolarScheduleAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
