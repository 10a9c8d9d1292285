"""`manage.py import_items`: the API's validation, all or nothing per
file, Swedish messages that name the line, and a progress bar."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from moderation.models import Item
from moderation.services import ingest
from tests.moderation.conftest import item_data

pytestmark = pytest.mark.django_db

HEADER = "external_id;kind;author;text;received_at;url;parent"


def _run(channel, path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_items", str(channel.pk), str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _csv(tmp_path, *rows, header=HEADER, name="inlagg.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_an_unquoted_delimiter_in_a_text_refuses_the_whole_file(channel, tmp_path):
    path = _csv(
        tmp_path,
        "fb-1;question;Anna;När öppnar ni?;2026-03-27T16:30:00+01:00;;",
        "fb-2;comment;Bo;Tack; hej!;2026-03-27T16:31:00+01:00;;fb-1",
    )

    with pytest.raises(CommandError, match="Rad 3: raden har fler kolumner än rubrikraden"):
        _run(channel, path)

    assert not Item.objects.exists()


def test_a_csv_with_quoted_semicolons_and_a_reply_is_imported(channel, tmp_path):
    path = _csv(
        tmp_path,
        "fb-1;question;Anna;När öppnar ni?;2026-03-27T16:30:00+01:00;;",
        'fb-2;comment;Bo;"Tack; hej!";2026-03-27T16:31:00+01:00;;fb-1',
    )

    out, err = _run(channel, path)

    assert "2 inlägg importerade, 0 fanns redan." in out
    assert "2/2" in err
    reply = Item.objects.get(external_id="fb-2")
    assert reply.text == "Tack; hej!"
    assert reply.parent.external_id == "fb-1"
    assert reply.due_at is not None


def test_a_comma_csv_is_imported(channel, tmp_path):
    path = _csv(
        tmp_path,
        'fb-1,question,Anna,"Hej, när öppnar ni?",2026-03-27T16:30:00+01:00,,',
        header=HEADER.replace(";", ","),
    )

    _run(channel, path)

    assert Item.objects.get().text == "Hej, när öppnar ni?"


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_json_file_is_imported(channel, tmp_path, wrapped):
    items = [item_data(external_id="j-1"), item_data(external_id="j-2", parent="j-1")]
    path = tmp_path / "inlagg.json"
    path.write_text(json.dumps({"items": items} if wrapped else items), encoding="utf-8")

    out, _err = _run(channel, path)

    assert "2 inlägg importerade" in out
    assert Item.objects.count() == 2


def test_importing_again_duplicates_nothing(channel, tmp_path):
    path = _csv(tmp_path, "fb-1;question;Anna;Hej;2026-03-27T16:30:00+01:00;;")
    _run(channel, path)

    out, _err = _run(channel, path)

    assert "0 inlägg importerade, 1 fanns redan." in out
    assert Item.objects.count() == 1


def test_a_bad_row_imports_nothing_and_is_named_by_its_line(channel, tmp_path):
    path = _csv(
        tmp_path,
        "fb-1;question;Anna;Hej;2026-03-27T16:30:00+01:00;;",
        "fb-2;fråga;Bo;Hej;2026-03-27T16:30:00+01:00;;",
        "fb-3;question;Bo;Hej;igår;;",
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="Inget importerades: 2 fel"):
        call_command("import_items", str(channel.pk), str(path), stdout=io.StringIO(), stderr=err)

    assert "Rad 3: kind: Ange en av typerna" in err.getvalue()
    assert "Rad 4: received_at: Ange tidpunkten i ISO 8601" in err.getvalue()
    assert not Item.objects.exists()


def test_a_bad_json_item_is_named_by_its_number(channel, tmp_path):
    path = tmp_path / "inlagg.json"
    path.write_text(json.dumps([item_data(), item_data(external_id=5)]), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_items", str(channel.pk), str(path), stdout=io.StringIO(), stderr=err)

    assert "Inlägg 2: external_id: Fältet ska vara en sträng." in err.getvalue()
    assert not Item.objects.exists()


def test_an_unknown_column_is_refused(channel, tmp_path):
    path = _csv(
        tmp_path,
        "fb-1;question;Anna;Hej;2026-03-27T16:30:00+01:00;;;blå",
        header=HEADER + ";colour",
    )
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_items", str(channel.pk), str(path), stdout=io.StringIO(), stderr=err)

    assert "Rad 2: colour: Okänt fält." in err.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("inlagg.txt", b"x", "Filen ska sluta på .csv eller .json."),
        ("inlagg.csv", "external_id;kind\n".encode("utf-16"), "inte kodad i UTF-8"),
        ("inlagg.json", b"{", "Filen är inte giltig JSON"),
        ("inlagg.json", b'{"a": 1}', "Filen ska innehålla en lista"),
        ("inlagg.json", b"[]", "Filen innehåller inga inlägg."),
        ("inlagg.csv", HEADER.encode(), "Filen innehåller inga inlägg."),
    ],
)
def test_a_file_that_cannot_be_read_gives_a_swedish_message(
    channel, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        _run(channel, path)


def test_a_missing_file_or_channel_gives_a_swedish_message(channel, tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        _run(channel, tmp_path / "saknas.csv")
    with pytest.raises(CommandError, match="Det finns ingen kanal med id 0"):
        call_command("import_items", "0", str(tmp_path / "saknas.csv"))


def test_a_failure_while_storing_leaves_nothing_of_the_batch(channel):
    """Validation passed, then storing failed half-way (a crash, a lost connection)."""

    def fail_at_the_second(done, total):
        if done == 2:
            raise RuntimeError("avbrott")

    with pytest.raises(RuntimeError):
        ingest.ingest_items(
            channel,
            [item_data(external_id=f"x-{n}") for n in range(3)],
            progress=fail_at_the_second,
            step=1,
        )

    assert not Item.objects.exists()
