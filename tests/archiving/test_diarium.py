"""The diarium's copy ("registreras i förvaltningens diarium"): registering an item or marking
it secret archives a PDF/A of the item with its thread, its decisions and its metadata, once
per decision, downloadable from the item's page by whoever sees the item; a secret item's
copy only by whoever may read secret content."""

import io

import pikepdf
import pytest

from archiving import services
from archiving.models import ArchiveFile
from moderation import services as moderation

from .conftest import add_item, pdf_text, read, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(channel):
    """A question, a reply to it, and a reply removed for a breach."""
    question = add_item(
        channel, "q1", at=received(2), kind="message", text="Jag vill överklaga beslutet."
    )
    reply = add_item(channel, "q1-r1", at=received(3), parent=question, text="Jag med!")
    removed = add_item(channel, "q1-r2", at=received(4), parent=question, text="Idiot!")
    return question, reply, removed


def _copy(item) -> ArchiveFile:
    return ArchiveFile.objects.get(diarium_item_id=item.pk)


def test_registering_an_item_archives_a_pdf_a_with_its_thread_decisions_and_metadata(
    channel, dora, thread, run_tasks
):
    question, _reply, removed = thread
    moderation.decide_item(removed, by=dora, kind="remove", category="fortal")

    with run_tasks():
        decision = moderation.decide_item(
            question, by=dora, kind="register", diarienummer="KS 2026/123"
        )

    copy = _copy(question)
    assert copy.diarium_decision_id == decision.pk
    data = read(copy)
    with pikepdf.open(io.BytesIO(data)) as document:
        assert document.open_metadata()["pdfaid:part"] == "1"
    text = pdf_text(data)
    for expected in (
        "KS 2026/123",
        channel.account_name,
        "Facebook",
        "q1",
        "Anna Andersson",
        "2026-03-02 11:00",
        "Jag vill överklaga beslutet.",
        "Jag med!",
        "Diarieför",
        dora.get_full_name() or dora.get_username(),
    ):
        assert expected in text, expected
    assert "Idiot!" not in text


def test_marking_an_item_secret_archives_a_copy_that_keeps_its_text(
    channel, dora, thread, run_tasks
):
    question, _reply, _removed = thread

    with run_tasks():
        moderation.decide_item(question, by=dora, kind="secrecy", diarienummer="KS 2026/77")

    text = pdf_text(read(_copy(question)))
    assert "Sekretess" in text
    assert "KS 2026/77" in text
    assert "Jag vill överklaga beslutet." in text


def test_a_copy_asked_for_twice_is_archived_once(channel, dora, thread, run_tasks):
    question, _reply, _removed = thread
    with run_tasks():
        decision = moderation.decide_item(question, by=dora, kind="register", diarienummer="1")

    again = services.archive_diarium_copy(decision.pk)

    assert again == _copy(question)
    assert ArchiveFile.objects.count() == 1


def test_other_decisions_archive_no_copy(channel, dora, thread, run_tasks):
    _question, reply, _removed = thread

    with run_tasks():
        moderation.decide_item(reply, by=dora, kind="keep")

    assert not ArchiveFile.objects.exists()


# --- Who downloads it ----------------------------------------------------------------------


@pytest.fixture
def registered(channel, dora, thread, run_tasks):
    question = thread[0]
    with run_tasks():
        moderation.decide_item(question, by=dora, kind="register", diarienummer="KS 2026/5")
    return question


@pytest.fixture
def secret(channel, dora, thread, run_tasks):
    question = thread[0]
    with run_tasks():
        moderation.decide_item(question, by=dora, kind="secrecy", diarienummer="KS 2026/6")
    return question


def _download(client, user, item):
    if user is not None:
        client.force_login(user)
    return client.get(f"/arkiv/diarieexemplar/{_copy(item).pk}/")


def test_whoever_sees_the_item_downloads_its_copy(client, registered, dora, bob, ingrid):
    for person in (dora, bob, ingrid):
        response = _download(client, person, registered)
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_units_staff_get_404_and_a_visitor_the_login(client, registered, carol):
    assert _download(client, None, registered).status_code == 302
    assert _download(client, carol, registered).status_code == 404


def test_a_secret_items_copy_is_for_who_may_read_secret_content(
    client, secret, dora, ingrid, carol
):
    assert _download(client, dora, secret).status_code == 403
    assert _download(client, carol, secret).status_code == 404
    assert _download(client, ingrid, secret).status_code == 200


def test_the_archivist_does_not_download_a_secret_items_copy_from_the_archive(
    client, secret, arne, ingrid
):
    client.force_login(arne)
    assert client.get(f"/arkiv/filer/{_copy(secret).pk}/").status_code == 403
    client.force_login(ingrid)
    assert client.get(f"/arkiv/filer/{_copy(secret).pk}/").status_code == 200


def test_the_archivist_downloads_a_registered_items_copy_from_the_archive(client, registered, arne):
    client.force_login(arne)
    assert client.get(f"/arkiv/filer/{_copy(registered).pk}/").status_code == 200


def test_the_item_page_links_to_the_copy(client, registered, dora):
    client.force_login(dora)

    page = client.get(f"/moderering/{registered.pk}/").content.decode()

    assert "Diarieexemplar (PDF/A)" in page
    assert f"/arkiv/diarieexemplar/{_copy(registered).pk}/" in page


def test_the_item_page_shows_no_link_to_a_secret_copy_for_who_may_not_read_it(
    client, secret, dora, ingrid
):
    client.force_login(dora)
    page = client.get(f"/moderering/{secret.pk}/").content.decode()
    assert "Diarieexemplar (PDF/A)" not in page
    assert "omfattas av sekretess" in page

    client.force_login(ingrid)
    assert "Diarieexemplar (PDF/A)" in client.get(f"/moderering/{secret.pk}/").content.decode()


def test_the_item_page_has_no_copy_panel_before_registration(client, thread, dora):
    client.force_login(dora)

    page = client.get(f"/moderering/{thread[0].pk}/").content.decode()

    assert "Diarieexemplar" not in page


def test_a_copy_shows_a_bounded_number_of_replies_and_counts_the_rest(
    channel, dora, thread, run_tasks, monkeypatch
):
    from archiving import rendering

    monkeypatch.setattr(rendering, "DIARIUM_MAX_ITEMS", 2)
    question = thread[0]

    with run_tasks():
        moderation.decide_item(question, by=dora, kind="register", diarienummer="KS 2026/8")

    text = pdf_text(read(_copy(question)))
    assert "Jag med!" in text
    assert "q1-r2" not in text
    assert "Ytterligare 1 inlägg i tråden" in text


def test_a_copy_holds_the_whole_thread_at_every_depth(channel, dora, thread, run_tasks):
    _question, reply, _removed = thread
    deeper = add_item(channel, "q1-r1-r1", at=received(5), parent=reply, text="Svar på svaret")
    add_item(channel, "q1-r1-r1-r1", at=received(6), parent=deeper, text="Tredje nivån")

    with run_tasks():
        moderation.decide_item(reply, by=dora, kind="register", diarienummer="KS 2026/9")

    text = pdf_text(read(_copy(reply)))
    for expected in ("Jag vill överklaga beslutet.", "Svar på svaret", "Tredje nivån"):
        assert expected in text, expected
