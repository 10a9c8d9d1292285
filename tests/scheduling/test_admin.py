"""Informationsenheten edits the schedule in the admin (django-celery-beat); nobody else can."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django_celery_beat.models import PeriodicTask, PeriodicTasks

from atvida_social.organisation.models import AuditLogEntry
from atvida_social.organisation.roles import Role
from tests.factories import UserFactory

from .conftest import PURGE, SNAPSHOTS, celery_on

LIST = "/admin/django_celery_beat/periodictask/"
RELAY = "atvida_social.outbox.tasks.relay_outbox"


@pytest.fixture
def ingrid_staff(ingrid):
    """Informationsenheten with the admin open to her: staff, not superuser."""
    ingrid.is_staff = True
    ingrid.save()
    return ingrid


def _change_url(task: str) -> str:
    return f"{LIST}{PeriodicTask.objects.get(task=task).pk}/change/"


def _form_data(job: PeriodicTask, **changes) -> dict:
    data = {
        "name": job.name,
        "regtask": "",
        "task": job.task,
        "enabled": "on" if job.enabled else "",
        "description": job.description,
        "interval": job.interval_id or "",
        "crontab": job.crontab_id or "",
        "solar": "",
        "clocked": "",
        "start_time_0": "",
        "start_time_1": "",
        "args": job.args,
        "kwargs": job.kwargs,
        "expires_0": "",
        "expires_1": "",
        "expire_seconds": job.expire_seconds or "",
        "queue": "",
        "exchange": "",
        "routing_key": "",
        "priority": "",
        "headers": job.headers,
    }
    return {key: value for key, value in (data | changes).items() if value != ""}


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_informationsenheten_sees_the_schedule_in_plain_swedish(
    client, ingrid_staff, seeded_schedule
):
    client.force_login(ingrid_staff)

    response = client.get(LIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ögonblicksbild av alla aktiva kanaler, varje halvår" in page
    assert "Vid 01:00, på dag 1 i månaden, endast i januari och juli (Europe/Stockholm)" in page
    assert "var 60:e sekund" in page  # the outbox relay
    assert "Schemalagda jobb" in page
    assert "Kör valda jobb nu" in page
    assert "Periodic" not in page
    assert "task" not in re.sub(r"<[^>]*>|[\w.]+\.tasks\.\w+", "", page).lower()


@pytest.mark.django_db
@pytest.mark.parametrize("task", [SNAPSHOTS, PURGE, RELAY])
def test_every_kind_of_job_opens_without_an_inline_script(
    client, ingrid_staff, seeded_schedule, task
):
    """The relay runs on an interval, the others on a crontab; the page obeys the CSP."""
    client.force_login(ingrid_staff)

    response = client.get(_change_url(task))

    scripts = re.findall(r"<script(?P<attributes>[^>]*)>", response.content.decode())
    inline = [tag for tag in scripts if "src=" not in tag and "application/json" not in tag]
    assert response.status_code == 200
    assert inline == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("anonymous", 302),
        ("informationsenheten_without_staff", 302),
        ("staff_manager", 403),
        ("staff_without_role", 403),
    ],
)
def test_nobody_else_opens_the_schedule(client, ingrid, library, seeded_schedule, who, code):
    users = {
        "informationsenheten_without_staff": ingrid,
        "staff_manager": UserFactory(
            username="sture", unit=library, roles=[Role.MANAGER], is_staff=True
        ),
        "staff_without_role": UserFactory(username="stina", unit=library, is_staff=True),
    }
    if who in users:
        client.force_login(users[who])

    for url in (LIST, _change_url(SNAPSHOTS)):
        response = client.get(url)
        assert response.status_code == code
        if code == 302:
            assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_informationsenheten_neither_adds_nor_deletes_jobs(client, ingrid_staff, seeded_schedule):
    """A job names a task in the code; Informationsenheten switches one off instead."""
    client.force_login(ingrid_staff)
    job = PeriodicTask.objects.get(task=PURGE)

    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{job.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PeriodicTask.objects.filter(pk=job.pk).exists()


@pytest.mark.django_db
def test_changing_a_job_is_audited(client, ingrid_staff, seeded_schedule):
    client.force_login(ingrid_staff)
    job = PeriodicTask.objects.get(task=PURGE)

    response = client.post(_change_url(PURGE), _form_data(job, description="Varje natt."))

    assert response.status_code == 302
    assert PeriodicTask.objects.get(pk=job.pk).description == "Varje natt."
    entry = AuditLogEntry.objects.get(action="admin_changed", object_id=str(job.pk))
    assert entry.actor == ingrid_staff
    assert entry.details["fields"] == ["description"]


@pytest.mark.django_db
def test_switching_a_job_off_is_audited_and_reaches_a_running_beat(
    client, ingrid_staff, seeded_schedule
):
    client.force_login(ingrid_staff)
    job = PeriodicTask.objects.get(task=SNAPSHOTS)
    before = PeriodicTasks.last_change()

    response = client.post(LIST, {"action": "disable_tasks", "_selected_action": [job.pk]})

    assert response.status_code == 302
    assert _messages(response) == ["1 jobb stängdes av."]
    assert not PeriodicTask.objects.get(pk=job.pk).enabled
    assert PeriodicTasks.last_change() > before  # beat re-reads the schedule
    assert AuditLogEntry.objects.filter(
        action="admin_changed", object_id=str(job.pk), actor=ingrid_staff
    ).exists()


@pytest.mark.django_db
def test_running_a_job_now_sends_it_to_the_worker(
    client, ingrid_staff, seeded_schedule, file_queue
):
    client.force_login(ingrid_staff)
    job = PeriodicTask.objects.get(task=PURGE)

    response = client.post(LIST, {"action": "run_tasks", "_selected_action": [job.pk]})

    [queued] = [json.loads(path.read_text()) for path in file_queue.glob("*.msg")]
    assert _messages(response) == ["1 jobb skickades till bakgrundsarbetaren."]
    assert queued["headers"]["task"] == PURGE
    entry = AuditLogEntry.objects.get(action="admin_ran_periodic_task")
    assert (entry.actor, entry.object_id) == (ingrid_staff, str(job.pk))
    assert entry.details["task_id"] == queued["headers"]["id"]


@pytest.mark.django_db
def test_running_a_job_with_the_broker_down_says_so_instead_of_failing(
    client, ingrid_staff, seeded_schedule
):
    client.force_login(ingrid_staff)
    job = PeriodicTask.objects.get(task=PURGE)

    with celery_on("redis://127.0.0.1:1/0"):  # a port nothing listens on: Redis stopped
        response = client.post(LIST, {"action": "run_tasks", "_selected_action": [job.pk]})

    assert response.status_code == 302
    assert _messages(response) == [
        "Meddelandekön svarar inte; 0 av 1 jobb skickades. Försök igen senare."
    ]
    assert not AuditLogEntry.objects.filter(action="admin_ran_periodic_task").exists()


@pytest.mark.django_db
def test_a_job_whose_task_is_not_installed_is_not_run(
    client, ingrid_staff, seeded_schedule, file_queue
):
    job = PeriodicTask.objects.create(
        name="Saknas",
        task="archiving.tasks.no_such_task",
        interval_id=None,
        crontab=PeriodicTask.objects.get(task=PURGE).crontab,
    )
    client.force_login(ingrid_staff)

    response = client.post(LIST, {"action": "run_tasks", "_selected_action": [job.pk]})

    assert _messages(response) == [
        "Uppgiften bakom Saknas finns inte i den här versionen; inget jobb kördes."
    ]
    assert not list(file_queue.glob("*.msg"))
    assert not AuditLogEntry.objects.filter(action="admin_ran_periodic_task").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("args", "{", "Argumenten ska vara en JSON-lista"),
        ("args", '{"a": 1}', "Argumenten ska vara en JSON-lista"),
        ("kwargs", "[1]", "De namngivna argumenten ska vara ett JSON-objekt"),
        ("headers", "[]", "Meddelandehuvudena ska vara ett JSON-objekt"),
    ],
)
def test_arguments_beat_could_not_send_are_refused(
    client, ingrid_staff, seeded_schedule, field, value, error
):
    """A job beat cannot read would stop the whole schedule (django-celery-beat reads the
    headers of every job when it starts)."""
    client.force_login(ingrid_staff)
    job = PeriodicTask.objects.get(task=PURGE)

    response = client.post(_change_url(PURGE), _form_data(job, **{field: value}))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert getattr(PeriodicTask.objects.get(pk=job.pk), field) == getattr(job, field)
