"""The archive's PDFs are PDF/A-1a: identified, tagged, fonts embedded, and they fetch nothing
from outside the project whatever the items say."""

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pikepdf
import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from archiving.models import FileRole, Snapshot
from archiving.storage import TEMPORARY_PREFIX, AtomicFileSystemStorage
from atvida_social.organisation import pdf as archival_pdf
from atvida_social.organisation.pdf import GuardedURLFetcher, count_pages

from .conftest import add_item, pdf_text, read, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_pdf(channel, thread_items, run_tasks):
    from archiving import services

    with run_tasks():
        [run] = services.schedule_half_year_snapshots()
    return read(Snapshot.objects.get(run=run).files.get(role=FileRole.PDF))


def test_the_pdf_is_identified_as_pdf_a_1a_with_an_output_intent(snapshot_pdf):
    with pikepdf.open(io.BytesIO(snapshot_pdf)) as document:
        metadata = document.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("1", "A")
        assert document.pdf_version == "1.4"
        [intent] = document.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intent


def test_the_pdf_is_tagged_for_screen_readers(snapshot_pdf):
    with pikepdf.open(io.BytesIO(snapshot_pdf)) as document:
        assert document.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in document.Root
        assert str(document.Root.Lang).startswith("sv")
        kinds = set()
        stack = [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    kinds.add(str(node.S))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(kids)
                elif kids is not None:
                    stack.append(kids)
        assert {"/H1", "/H2", "/H3", "/P"} <= kinds


def test_every_font_in_the_pdf_is_embedded(snapshot_pdf):
    with pikepdf.open(io.BytesIO(snapshot_pdf)) as document:
        fonts = {}
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts[str(font.BaseFont)] = font
        assert fonts
        for base_font, font in fonts.items():
            descriptor = (
                font.DescendantFonts[0].FontDescriptor
                if "/DescendantFonts" in font
                else font.FontDescriptor
            )
            embedded = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
            assert embedded, f"{base_font} is not embedded"
            assert "Arkivtext" in base_font


def test_the_cover_page_says_what_the_snapshot_is(snapshot_pdf, channel):
    cover = PdfReader(io.BytesIO(snapshot_pdf)).pages[0].extract_text()

    for expected in (
        "Åtvidabergs kommun",
        "Biblioteket",
        channel.account_name,
        "Facebook",
        channel.url,
        "2026-01-01 – 2026-06-30",
        "Halvårsvis enligt schema",
        "6 under perioden",
        "Del 1 av 1",
    ):
        assert expected in cover


def test_the_pdf_holds_the_register_entry_the_plan_and_page_numbers(snapshot_pdf, channel, ingrid):
    text = pdf_text(snapshot_pdf)

    assert "Kanalens uppgifter i kanalregistret" in text
    assert "Gällande aktivitetsplan" in text
    assert "Sprida information och skapa dialog." in text  # the plan's purpose
    pages = len(PdfReader(io.BytesIO(snapshot_pdf)).pages)
    assert f"Sida {pages} av {pages}" in text
    assert count_pages(snapshot_pdf) == pages


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"SECRET-FROM-NETWORK")

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


HOSTILE = (
    '<img src="file:///etc/passwd">',
    '<img src="{url}/bild.png">',
    "<style>@import url({url}/stil.css);</style>",
    '<link rel="stylesheet" href="file:///etc/passwd">',
)


def test_hostile_item_text_stays_text_and_fetches_nothing(
    channel, at_job_moment, run_tasks, recorder, caplog
):
    for number, text in enumerate(HOSTILE):
        add_item(channel, f"h{number}", at=received(10 + number), text=text.format(url=recorder))
    from archiving import services

    with run_tasks():
        [run] = services.schedule_half_year_snapshots()

    data = read(Snapshot.objects.get(run=run).files.get(role=FileRole.PDF))
    text = pdf_text(data)
    assert _Recorder.hits == []
    assert "root:" not in text
    assert b"root:x:0:0" not in data
    assert "SECRET-FROM-NETWORK" not in text
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")


def test_markup_that_got_past_the_template_is_refused_by_the_fetcher(recorder):
    """The second wall: WeasyPrint given hostile HTML itself fetches nothing outside static."""
    fetcher = GuardedURLFetcher()
    html = (
        f"<html lang='sv'><head><title>t</title><style>@import url({recorder}/a.css);</style>"
        f"<style>{archival_pdf.font_face_css()}</style>"
        f"<link rel='stylesheet' href='file:///etc/passwd'></head>"
        f"<body><p>Hej</p><img src='file:///etc/passwd'><img src='{recorder}/b.png'>"
        f"<img src='file:///work/../etc/passwd'></body></html>"
    )

    data = archival_pdf.pdfa_bytes(html, fetcher=fetcher)

    assert _Recorder.hits == []
    assert b"root:x:0:0" not in data
    assert sorted(fetcher.refused) == sorted(
        [
            f"{recorder}/a.css",
            "file:///etc/passwd",
            "file:///etc/passwd",
            f"{recorder}/b.png",
            "file:///work/../etc/passwd",
        ]
    )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "file://otherhost/etc/passwd",
    ],
)
def test_the_fetcher_refuses_anything_outside_the_project(url):
    with pytest.raises(ValueError, match="refused"):
        GuardedURLFetcher().fetch(url)


def test_the_fetcher_refuses_a_path_that_climbs_out_of_static(settings):
    static = settings.STATICFILES_DIRS[0]
    with pytest.raises(ValueError, match="refused"):
        GuardedURLFetcher().fetch(f"file://{static}/../manage.py")


def test_the_fetcher_serves_the_vendored_font():
    from django.contrib.staticfiles import finders

    path = finders.find("vendor/dejavu-fonts-2.37/DejaVuSans.ttf")
    response = GuardedURLFetcher().fetch(f"file://{path}")

    assert response.read(4) == b"\x00\x01\x00\x00"


# --- Storage ---------------------------------------------------------------------------------


class _BrokenContent(ContentFile):
    """Content whose writing fails after the first chunk, like a worker killed halfway."""

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.4 half"
        raise OSError("killed")


def test_a_write_that_fails_halfway_leaves_no_file(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)

    with pytest.raises(OSError, match="killed"):
        storage.save("arkiv/x/del-1.pdf", _BrokenContent(b""))

    assert list((tmp_path / "arkiv" / "x").iterdir()) == []


def test_a_finished_write_appears_whole_and_never_replaces_a_file(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)

    first = storage.save("arkiv/x/del-1.pdf", ContentFile(b"first"))
    second = storage.save("arkiv/x/del-1.pdf", ContentFile(b"second"))

    assert first == "arkiv/x/del-1.pdf"
    assert second != first
    assert (tmp_path / first).read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"
    names = [p.name for p in (tmp_path / "arkiv" / "x").iterdir()]
    assert not [n for n in names if n.startswith(TEMPORARY_PREFIX)]


def test_a_name_taken_while_writing_is_not_overwritten(tmp_path):
    """Between choosing a free name and moving the file there, another writer may take it."""
    storage = AtomicFileSystemStorage(location=tmp_path)
    storage.save("arkiv/x/del-1.pdf", ContentFile(b"first"))

    second = storage._save("arkiv/x/del-1.pdf", ContentFile(b"second"))

    assert second != "arkiv/x/del-1.pdf"
    assert (tmp_path / "arkiv/x/del-1.pdf").read_bytes() == b"first"
    assert (tmp_path / second).read_bytes() == b"second"
