import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader

from activityplans import pdf
from activityplans.pdf import DenyingURLFetcher

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_holds_the_fields_of_bilaga_2(plan):
    text = _text(pdf.render_plan_pdf(plan))

    assert "Aktivitetsplan för sociala medier" in text
    assert "Åtvidabergs kommun" in text
    assert "Bibblan på Facebook" in text
    assert "200 följare på ett halvår." in text
    assert "Samråd med informationsenheten har skett" in text


def test_approved_pdf_is_stored_with_its_sha256_and_shows_the_signatures(approved, bob):
    with approved.approved_pdf.open("rb") as stored:
        data = stored.read()
    text = _text(data)

    assert approved.approved_pdf_sha256 == pdf.sha256(data)
    assert bob.get_full_name() in text
    assert "Signerad elektroniskt" in text


def test_unit_downloads_the_plan_as_pdf(client, alice, approved):
    client.force_login(alice)

    response = client.get(f"/aktivitetsplaner/{approved.pk}/pdf/")

    assert response["Content-Type"] == "application/pdf"
    assert pdf.sha256(response.getvalue()) == approved.approved_pdf_sha256


def test_another_unit_cannot_download_the_pdf(client, carol, plan):
    client.force_login(carol)

    assert client.get(f"/aktivitetsplaner/{plan.pk}/pdf/").status_code == 404


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"SECRET-FROM-NETWORK")

    def log_message(self, *args):
        pass


def test_plan_fields_cannot_make_the_pdf_fetch_anything(plan):
    """Injected markup stays text, and nothing is fetched from disk or network."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    plan.purpose = '<img src="file:///etc/passwd">'
    plan.audience = '<link rel="attachment" href="file:///etc/passwd">'
    plan.goals = "<style>@import url(file:///etc/passwd);</style>"
    plan.other = (
        f'<img src="http://127.0.0.1:{port}/steal"><a href="http://127.0.0.1:{port}/x">x</a>'
    )
    try:
        data = pdf.render_plan_pdf(plan)
    finally:
        server.shutdown()

    assert _Recorder.hits == []
    assert b"root:x:0:0" not in data
    assert "root:x:0:0" not in _text(data)
    assert "EmbeddedFile" not in data.decode("latin-1")


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:1/", "https://example.org/logo.png", "ftp://x/y"],
)
def test_fetcher_refuses_everything_but_data_uris(url):
    with pytest.raises(ValueError, match="refused"):
        DenyingURLFetcher().fetch(url)


def test_fetcher_allows_inline_data():
    response = DenyingURLFetcher().fetch("data:text/plain;base64,aGVq")

    assert response is not None


def test_guard_holds_even_if_raw_markup_reached_the_renderer():
    """Second wall: unescaped markup rendered with the guarded fetcher fetches nothing."""
    from weasyprint import HTML

    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    raw = (
        '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
        f'<style>@import url("http://127.0.0.1:{port}/css");</style>'
        f'<img src="http://127.0.0.1:{port}/img"><p>Hej</p>'
    )
    try:
        data = HTML(string=raw, base_url=None, url_fetcher=DenyingURLFetcher()).write_pdf()
    finally:
        server.shutdown()

    assert _Recorder.hits == []
    assert b"root:x:0:0" not in data
    assert "EmbeddedFile" not in data.decode("latin-1")
