import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from channels.models import Channel
from moderation.services import ingest


class Command(BaseCommand):
    help = (
        "Importerar inlägg till en kanal från en CSV-fil (rubrikrad, semikolon eller komma) "
        'eller en JSON-fil (en lista eller {"items": [...]}), med samma kontroller som API:et. '
        "Allt eller inget: en fil med något fel importeras inte alls."
    )

    def add_arguments(self, parser):
        parser.add_argument("channel_id", type=int, help="Kanalens id.")
        parser.add_argument("path", help="Filen, .csv eller .json.")

    def handle(self, *args, channel_id, path, **options):
        channel = Channel.objects.filter(pk=channel_id).first() if channel_id > 0 else None
        if channel is None:
            raise CommandError(f"Det finns ingen kanal med id {channel_id}.")
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"Filen {path} finns inte.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"Filen {path} är inte kodad i UTF-8.") from error
        except OSError as error:
            raise CommandError(f"Filen {path} kan inte läsas: {error.strerror}.") from error
        suffix = file.suffix.lower()
        if suffix == ".csv":
            items, places = _read_csv(text)
        elif suffix == ".json":
            items, places = _read_json(text)
        else:
            raise CommandError("Filen ska sluta på .csv eller .json.")
        if not items:
            raise CommandError("Filen innehåller inga inlägg.")
        try:
            results = ingest.ingest_items(channel, items, progress=self._progress, step=100)
        except ingest.BatchError as error:
            for index, field, message in error.errors:
                place = places[index] if index is not None else "Filen"
                self.stderr.write(f"{place}: {field + ': ' if field else ''}{message}")
            raise CommandError(f"Inget importerades: {len(error.errors)} fel i {path}.") from error
        created = sum(1 for _item, was_created in results if was_created)
        # An item culled before has no id: it is not stored again (Gallring).
        culled = [index for index, (item, _created) in enumerate(results) if item.pk is None]
        self.stderr.write("")
        for index in culled:
            self.stdout.write(
                f"{places[index]}: {results[index][0].external_id} är redan gallrat och "
                "hoppades över."
            )
        existing = len(results) - created - len(culled)
        skipped = f" {len(culled)} hoppades över: redan gallrade." if culled else ""
        self.stdout.write(f"{created} inlägg importerade, {existing} fanns redan.{skipped}")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()


def _read_csv(text: str) -> tuple[list, list[str]]:
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    items, places, faults = [], [], []
    try:
        for row in reader:
            if None in row:
                # An unquoted delimiter inside a text shifts every later column.
                faults.append(
                    f"Rad {reader.line_num}: raden har fler kolumner än rubrikraden "
                    "(sätt citattecken kring text som innehåller avgränsaren)."
                )
                continue
            items.append(row)
            places.append(f"Rad {reader.line_num}")
    except csv.Error as error:
        raise CommandError(f"Rad {reader.line_num}: filen är inte giltig CSV ({error}).") from error
    if faults:
        raise CommandError("Inget importerades: " + " ".join(faults))
    return items, places


def _read_json(text: str) -> tuple[list, list[str]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise CommandError(f"Filen är inte giltig JSON: {error}.") from error
    if isinstance(data, dict) and set(data) == {"items"}:
        data = data["items"]
    if not isinstance(data, list):
        raise CommandError('Filen ska innehålla en lista med inlägg eller {"items": [...]}.')
    return data, [f"Inlägg {number}" for number in range(1, len(data) + 1)]
