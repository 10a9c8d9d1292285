"""The archive pages as Informationsenheten and the archivist use them: snapshots by channel
and period with their files, downloads, verification on request, progress and failures,
the on-demand snapshot, the integrity checks and the start page's section."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archiving.models import (
    FileRole,
    IntegrityCheck,
    RunStatus,
    SnapshotRun,
    Verification,
    VerificationResult,
)
from channels import services as channel_services
from tests.factories import ChannelFactory, UnitFactory

from .conftest import H1_2026, H2_2025, make_file, make_run, make_snapshot, pdf_bytes
from .test_integrity import change_one_byte, remove

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime.datetime.fromisoformat("2026-09-15T10:00:00+02:00")


def page(client, url="/arkiv/", **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_archive_lists_each_snapshot_with_its_files(client, arne, snapshot, pdf):
    client.force_login(arne)

    html = page(client)

    assert "2026-01-01 – 2026-06-30" in html
    assert f'href="/arkiv/filer/{pdf.pk}/"' in html
    assert pdf.filename in html
    assert f"<code>{pdf.sha256[:12]}…</code>" in html
    assert f'<code class="d-block text-break">{pdf.sha256}</code>' in html
    assert "tagen enligt schemat" in html
    assert "Inte kontrollerad" in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return len(queries)


def test_the_archive_page_needs_the_same_queries_for_one_snapshot_as_for_many(
    client, ingrid, channel, library
):
    client.force_login(ingrid)
    make_snapshot(channel)
    make_run(channel, status=RunStatus.RENDERING, volumes_total=3, volumes_done=1)
    make_run(channel, status=RunStatus.FAILED, error="Renderingen avbröts.")
    one = _queries(client)

    for number in range(3):
        other = ChannelFactory(unit=UnitFactory(name=f"Enhet {number}"))
        make_snapshot(other, H2_2025, volumes=2)
        make_snapshot(other, H1_2026, by=ingrid)
        make_run(other, status=RunStatus.QUEUED)
        make_run(other, status=RunStatus.FAILED, error="Fel.")
        Verification.objects.create(
            file=other.snapshots.first().files.first(), result=VerificationResult.OK
        )
    many = _queries(client)

    assert many == one


def test_the_filters_narrow_by_channel_unit_and_year(client, ingrid, channel, school):
    client.force_login(ingrid)
    make_snapshot(channel, H1_2026)
    make_snapshot(channel, H2_2025)
    school_channel = ChannelFactory(unit=school, account_name="Skolan")
    make_snapshot(school_channel, H1_2026)

    def listed(**params) -> str:
        html = page(client, **params)
        return html.split('aria-label="Filtrera ögonblicksbilderna"')[1].split("</form>", 1)[1]

    assert f'id="kanal-{school_channel.pk}"' not in listed(channel=channel.pk)
    assert "2025-07-01" in listed()
    assert "2025-07-01" not in listed(year=2026)
    by_unit = listed(unit=school.pk)
    assert f'id="kanal-{school_channel.pk}"' in by_unit
    assert f'id="kanal-{channel.pk}"' not in by_unit


def test_a_pdf_downloads_as_an_attachment_with_its_type(client, arne, pdf):
    client.force_login(arne)

    response = client.get(f"/arkiv/filer/{pdf.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes(
        f"{pdf.filename.removesuffix('-del-1.pdf')} del 1"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert pdf.filename in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_json_and_the_manifest_download_as_json(client, ingrid, snapshot):
    client.force_login(ingrid)

    for role in (FileRole.JSON, FileRole.MANIFEST):
        archive_file = snapshot.files.get(role=role)
        response = client.get(f"/arkiv/filer/{archive_file.pk}/")
        assert response["Content-Type"] == "application/json"


def test_a_missing_file_is_a_not_found_page(client, ingrid, pdf):
    client.force_login(ingrid)
    remove(pdf)

    assert client.get(f"/arkiv/filer/{pdf.pk}/").status_code == 404


def test_verifying_a_file_shows_the_result(client, arne, pdf):
    client.force_login(arne)

    response = client.post(f"/arkiv/filer/{pdf.pk}/kontrollera/")

    assert response.status_code == 302
    assert response["Location"] == f"/arkiv/#fil-{pdf.pk}"
    html = page(client)
    assert "är oförändrad: kontrollsumman (SHA-256) stämmer" in html
    assert '<span class="badge text-bg-success">Oförändrad</span>' in html


def test_verifying_a_changed_file_says_so(client, ingrid, pdf):
    client.force_login(ingrid)
    change_one_byte(pdf)

    response = client.post(f"/arkiv/filer/{pdf.pk}/kontrollera/", follow=True)

    assert "är ändrad: kontrollsumman (SHA-256) stämmer inte" in response.content.decode()
    assert Verification.objects.get().result == VerificationResult.MISMATCH


def test_a_run_in_progress_shows_a_progress_bar_that_refreshes_itself(client, arne, channel):
    client.force_login(arne)
    run = make_run(channel, status=RunStatus.RENDERING, volumes_total=4, volumes_done=1)

    html = page(client)

    assert f'<progress class="w-100" id="fortskridande-{run.pk}" max="4" value="1">' in html
    assert "1 av 4 delar klara" in html
    assert "/static/js/archive-progress.js" in html
    assert 'href="/arkiv/#pagar">Uppdatera</a>' in html


def test_the_status_url_reports_progress_and_a_finished_run(client, arne, channel):
    client.force_login(arne)
    running = make_run(channel, status=RunStatus.RENDERING, volumes_total=4, volumes_done=2)
    done = make_run(channel, status=RunStatus.DONE, volumes_total=1, volumes_done=1)

    runs = client.get("/arkiv/pagar.json", {"run": [running.pk, done.pk]}).json()["runs"]

    assert runs == [
        {
            "id": running.pk,
            "status": "pagar",
            "status_text": "Skapas",
            "volumes_done": 2,
            "volumes_total": 4,
            "in_progress": True,
        },
        {
            "id": done.pk,
            "status": "klar",
            "status_text": "Klar",
            "volumes_done": 1,
            "volumes_total": 1,
            "in_progress": False,
        },
    ]


def test_a_failed_run_shows_its_error_until_a_later_run_makes_it_good(client, ingrid, channel):
    client.force_login(ingrid)
    failed = make_run(channel, status=RunStatus.FAILED, error="Del 2 kunde inte skapas.")

    assert "Del 2 kunde inte skapas." in page(client)

    make_run(channel, status=RunStatus.DONE)
    SnapshotRun.objects.filter(pk=failed.pk).update(
        created_at=failed.created_at - datetime.timedelta(hours=1)
    )
    assert "Del 2 kunde inte skapas." not in page(client)


def test_informationsenheten_takes_a_snapshot_with_a_reason(client, ingrid, channel):
    client.force_login(ingrid)
    url = f"/arkiv/kanaler/{channel.pk}/ogonblicksbild/"
    assert "kan inte ångras" in page(client, url)

    response = client.post(url, {"note": "Ny grafisk profil."})

    assert response.status_code == 302
    assert response["Location"] == "/arkiv/#pagar"
    run = SnapshotRun.objects.get()
    assert (run.channel, run.note, run.requested_by) == (channel, "Ny grafisk profil.", ingrid)
    html = page(client)
    assert "har beställts" in html
    assert f'id="fortskridande-{run.pk}"' in html


def test_a_snapshot_without_a_reason_is_refused_on_the_form(client, ingrid, channel):
    client.force_login(ingrid)

    response = client.post(f"/arkiv/kanaler/{channel.pk}/ogonblicksbild/", {"note": "   "})

    assert response.status_code == 200
    assert "Formuläret innehåller fel" in response.content.decode()
    assert not SnapshotRun.objects.exists()


def test_a_planned_channel_offers_no_snapshot(client, ingrid, library):
    planned = ChannelFactory(unit=library, status="planerad")
    client.force_login(ingrid)
    url = f"/arkiv/kanaler/{planned.pk}/ogonblicksbild/"

    assert "Kanalen är bara planerad" in page(client, url)
    response = client.post(url, {"note": "Ny kanal."})
    assert response.status_code == 200
    assert "inget att ta en ögonblicksbild av" in response.content.decode()
    assert not SnapshotRun.objects.exists()


def test_the_channels_tab_marks_a_channel_six_months_without_a_snapshot(
    client, arne, channel, library, time_machine
):
    time_machine.move_to(SEPTEMBER, tick=False)
    make_snapshot(channel, H2_2025)  # ended 1 January: more than six months ago
    recent = ChannelFactory(unit=library, account_name="Nyligen")
    make_snapshot(recent, H1_2026)
    closed = ChannelFactory(unit=library, account_name="Stängd", status="avslutad")
    make_snapshot(closed, H2_2025)
    client.force_login(arne)

    html = page(client, "/arkiv/kanaler/")

    def row(channel):
        return html.split(f'id="kanal-{channel.pk}"')[1].split("</tr>")[0]

    assert "Försenad" in row(channel)
    assert "Försenad" not in row(recent)
    assert "Försenad" not in row(closed)
    assert "Ta ögonblicksbild" not in html  # the archivist does not take snapshots


def test_the_documents_tab_lists_archived_register_versions_and_plans(client, ingrid, channel):
    version = channel_services.publish_register(by=ingrid)
    plan = channel.activity_plans.get()
    make_file(pdf_bytes("register"), "kanalregistret-version-1.pdf", register_version=version)
    make_file(pdf_bytes("plan"), "aktivitetsplan.pdf", plan=plan)
    client.force_login(ingrid)

    html = page(client, "/arkiv/dokument/")

    assert f"Kanalregistret, version {version.number}" in html
    assert f"Aktivitetsplan för {plan}" in html
    assert "kanalregistret-version-1.pdf" in html


def test_the_checks_tab_shows_problems_and_who_started_each_check(
    client, ingrid, pdf, django_capture_on_commit_callbacks
):
    client.force_login(ingrid)
    change_one_byte(pdf)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/arkiv/kontroller/ny/")

    assert response.status_code == 302
    check = IntegrityCheck.objects.get()
    assert (check.requested_by, check.problems) == (ingrid, 1)
    html = page(client, "/arkiv/kontroller/")
    assert "Kontrollera hela arkivet nu" in html
    assert f"{pdf.filename}: Ändrad: kontrollsumman stämmer inte" in html
    assert html.count(pdf.filename) >= 2  # among the files with problems, too


def test_the_archivist_sees_the_checks_but_no_button(client, arne, snapshot):
    client.force_login(arne)

    assert "Kontrollera hela arkivet nu" not in page(client, "/arkiv/kontroller/")
    assert client.post("/arkiv/kontroller/ny/").status_code == 403


@pytest.mark.parametrize(("who", "shown"), [("ingrid", True), ("arne", True), ("alice", False)])
def test_the_navigation_links_the_archive_for_those_who_may_see_it(request, client, who, shown):
    client.force_login(request.getfixturevalue(who))

    assert ('href="/arkiv/">Arkiv</a>' in page(client, "/")) is shown


def test_the_start_page_tells_of_late_channels_failures_and_changed_files(
    client, arne, channel, pdf, time_machine
):
    time_machine.move_to(datetime.datetime(2027, 2, 1, 9, tzinfo=datetime.UTC), tick=False)
    failed = make_run(channel, status=RunStatus.FAILED, error="Fel.")
    Verification.objects.create(file=pdf, result=VerificationResult.MISSING)
    client.force_login(arne)

    html = page(client, "/")

    section = html.split('id="sektion-archive"')[1].split("</section>")[0]
    assert ">Arkivet</h2>" in html
    assert "senaste ögonblicksbilden slutar 2026-07-01" in section
    assert f"/arkiv/#korning-{failed.pk}" in section
    assert f"{pdf.filename} är ändrad eller saknas" in section


def test_the_start_page_section_is_quiet_when_all_is_well(client, ingrid, snapshot):
    client.force_login(ingrid)

    html = page(client, "/")

    assert "Alla aktiva kanaler har en ögonblicksbild från det senaste halvåret" in html
