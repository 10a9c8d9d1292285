"""The profile on the platform in a snapshot (issue 19): taken as last read when the run
starts, shown on the first page of each part with its versions in part 1, and carried by
the manifest; a channel without a connection says it was not read."""

import datetime

import pytest
from django.utils import timezone

from archiving import services
from archiving.models import FileRole, Snapshot, SnapshotReason
from moderation.platforms.base import Profile
from moderation.selectors import profile_for_snapshot
from moderation.services import pulls
from tests.moderation.platforms import blog

from .conftest import H1_2026, JOB_MOMENT, pdf_text, read, read_json

pytestmark = pytest.mark.django_db

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))
NAME = "Bibliotekets blogg"
BEFORE = "Boktips från biblioteket."
DURING = "Boktips och sommarläsning från biblioteket."


@pytest.fixture
def blog_channel(library, alice, bob, dora):
    return blog.blog_channel(library, alice, bob, dora)


def pull_at(time_machine, connection, moment):
    time_machine.move_to(moment, tick=False)
    return pulls.pull_connection(connection.pk, now=timezone.now())


def take(channel, run_tasks):
    with run_tasks():
        run = services.start_snapshot_run(
            channel,
            period_start=H1_2026[0],
            period_end=H1_2026[1],
            reason=SnapshotReason.SCHEDULE,
            key=f"halvar:{channel.pk}:profil",
        )
    return Snapshot.objects.get(run=run)


def texts(snapshot) -> tuple[str, dict]:
    pdf = snapshot.files.get(role=FileRole.PDF, volume=1)
    manifest = snapshot.files.get(role=FileRole.MANIFEST)
    return " ".join(pdf_text(read(pdf)).split()), read_json(manifest)


def test_the_snapshot_shows_the_profile_as_last_read_and_a_changed_description_as_a_version(
    simulator, blog_channel, time_machine, run_tasks
):
    time_machine.move_to(datetime.datetime(2025, 12, 20, 10, 0, tzinfo=STOCKHOLM), tick=False)
    post = blog.open_blog(simulator)
    simulator.set_profile("wordpress", blog.SITE, name=NAME, description=BEFORE)
    connection = blog.connect(blog_channel)
    pull_at(time_machine, connection, datetime.datetime(2025, 12, 20, 10, 0, tzinfo=STOCKHOLM))
    march = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=STOCKHOLM)
    time_machine.move_to(march, tick=False)
    blog.comment(simulator, post, "Blir det sommarläsning i år?")
    simulator.set_profile("wordpress", blog.SITE, description=DURING)
    pull_at(time_machine, connection, march)
    time_machine.move_to(JOB_MOMENT, tick=True)

    text, manifest = texts(take(blog_channel, run_tasks))

    # The cover's labels come out of the PDF before their values.
    assert "Antal inlägg Profilens namn Beskrivning Profilens adress" in text
    assert f"{NAME} (hämtad 2026-03-10 10:00) {DURING} https://{blog.SITE}" in text
    assert "Profilen på plattformen under perioden" in text
    assert f"Hämtad 2025-12-20 10:00 {NAME} {BEFORE}" in text
    assert f"Hämtad 2026-03-10 10:00 {NAME} {DURING}" in text
    profile = manifest["profile"]
    assert (profile["read"], profile["name"], profile["description"]) == (True, NAME, DURING)
    assert [v["description"] for v in profile["versions"]] == [BEFORE, DURING]


def test_a_channel_without_a_connection_says_the_profile_was_not_read(
    channel, thread_items, run_tasks
):
    text, manifest = texts(take(channel, run_tasks))

    assert "Profilens namn och beskrivning har inte hämtats från plattformen" in text
    assert "Profilen på plattformen under perioden" not in text
    assert manifest["profile"] == {"read": False, "versions": []}


def test_the_versions_are_the_one_in_effect_at_the_start_and_those_read_within(
    simulator, blog_channel
):
    connection = blog.connect(blog_channel)
    start, end = H1_2026
    for days, description in ((-40, "Äldst"), (-10, "Vid start"), (30, "Under"), (200, "Efter")):
        pulls.record_profile(
            connection,
            Profile(NAME, description, ""),
            now=start + datetime.timedelta(days=days),
        )

    profile = profile_for_snapshot(blog_channel, period_start=start, period_end=end)

    assert [v["description"] for v in profile["versions"]] == ["Vid start", "Under"]
    # As last read: the newest read, whenever it was.
    assert profile["description"] == "Efter"
