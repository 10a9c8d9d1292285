"""The archive in a real browser: Informationsenheten opens it, verifies a file and downloads
it; a snapshot being made shows its progress and the page follows it by itself (a static
script, under the Content-Security-Policy); the archive's pages meet WCAG 2.1 AA."""

from pathlib import Path

import pytest

from archiving.models import FileRole, RunStatus, SnapshotRun, Verification, VerificationResult
from tests.archiving.conftest import make_run, make_snapshot

from .helpers import assert_accessible, assert_pages_accessible, login_by_cookie, screenshot

expect = pytest.importorskip(
    "playwright.sync_api", reason="e2e: playwright cannot be imported", exc_type=ImportError
).expect

pytestmark = pytest.mark.e2e


def test_informationsenheten_verifies_and_downloads_a_file(page, live_server, channel, ingrid):
    snapshot = make_snapshot(channel)
    pdf = snapshot.files.get(role=FileRole.PDF)
    login_by_cookie(page, live_server, ingrid)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Arkiv", exact=True).click()
    expect(page.get_by_role("heading", name=str(channel))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name=f"Kontrollera {pdf.filename}").click()
    expect(page.get_by_text("kontrollsumman (SHA-256) stämmer")).to_be_visible()
    expect(page.locator(f"#fil-{pdf.pk}").get_by_text("Oförändrad")).to_be_visible()
    screenshot(page, "arkiv-kontrollerad")

    with page.expect_download() as download:
        page.get_by_role("link", name=pdf.filename).click()
    assert download.value.suggested_filename == pdf.filename
    assert Path(download.value.path()).read_bytes() == pdf.file.open("rb").read()
    assert Verification.objects.get(file=pdf).result == VerificationResult.OK


def test_a_snapshot_in_the_making_shows_its_progress_and_the_page_follows_it(
    page, live_server, channel, ingrid
):
    run = make_run(channel, status=RunStatus.RENDERING, volumes_total=3, volumes_done=1)
    login_by_cookie(page, live_server, ingrid)

    page.goto(f"{live_server.url}/arkiv/")
    row = page.locator(f"#korning-{run.pk}")
    expect(row.get_by_text("1 av 3 delar klara")).to_be_visible()
    assert_accessible(page)

    SnapshotRun.objects.filter(pk=run.pk).update(volumes_done=2)
    expect(row.get_by_text("2 av 3 delar klara")).to_be_visible(timeout=10_000)
    assert page.locator(f"#fortskridande-{run.pk}").evaluate("bar => bar.value") == 2

    SnapshotRun.objects.filter(pk=run.pk).update(volumes_done=3, status=RunStatus.DONE)
    expect(page.get_by_role("heading", name="Pågår")).to_have_count(0, timeout=10_000)


def test_the_archive_pages_pass_axe(page, live_server, channel, ingrid):
    make_snapshot(channel, volumes=2)
    make_run(channel, status=RunStatus.RENDERING, volumes_total=2, volumes_done=1)
    make_run(channel, status=RunStatus.FAILED, error="Del 2 kunde inte skapas.")
    login_by_cookie(page, live_server, ingrid)

    assert_pages_accessible(
        page,
        live_server,
        {
            "ogonblicksbilder": "/arkiv/",
            "kanaler": "/arkiv/kanaler/",
            "ta-ogonblicksbild": f"/arkiv/kanaler/{channel.pk}/ogonblicksbild/",
            "dokument": "/arkiv/dokument/",
            "kontroller": "/arkiv/kontroller/",
        },
        prefix="arkiv",
    )


def test_informationsenheten_takes_a_snapshot_of_a_channel_and_downloads_it(
    page, live_server, channel, ingrid
):
    """The whole way: the form, the run through the real renderer, the download, the text."""
    import datetime

    from django.utils import timezone

    from tests.archiving.conftest import add_item, pdf_text

    moment = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    add_item(channel, "fb-e2e-1", at=moment, text="När öppnar biblioteket efter renoveringen?")
    login_by_cookie(page, live_server, ingrid)

    page.goto(f"{live_server.url}/arkiv/kanaler/{channel.pk}/ogonblicksbild/")
    page.get_by_label("Motivering").fill("Kanalen byter inriktning till evenemang.")
    page.get_by_role("button", name="Ta ögonblicksbild").click()
    expect(page.get_by_text("har beställts")).to_be_visible()

    run = SnapshotRun.objects.get(channel=channel)
    page.goto(f"{live_server.url}/arkiv/")
    pdf = run.snapshot.files.get(role=FileRole.PDF, volume=1)
    with page.expect_download() as download:
        page.get_by_role("link", name=pdf.filename).click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert "När öppnar biblioteket efter renoveringen?" in pdf_text(data)
    assert run.snapshot.note == "Kanalen byter inriktning till evenemang."
    screenshot(page, "arkiv-egen-ogonblicksbild")
