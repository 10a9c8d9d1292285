"""The published register as open data: JSON and CSV of one version."""

import csv
import io
import json

from django.utils import timezone

from .register import PARTY_LINK_DISCLAIMER

CSV_HEADER = ["typ", "plattform", "namn", "webbadress", "förvaltning", "verksamhet", "anmärkning"]

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A leading quote makes a spreadsheet show the cell as text (OWASP, CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def version_as_json(version) -> dict:
    content = version.content
    return {
        "version": version.number,
        "published_at": timezone.localtime(version.published_at).isoformat(),
        "channels": [
            {
                "platform": channel["platform_label"],
                "account_name": channel["account_name"],
                "url": channel["url"],
                "forvaltning": channel["administration"],
                "unit": channel["unit"],
            }
            for channel in content["channels"]
        ],
        "party_links": [
            {"party": link["party"], "platform": link["platform_label"], "url": link["url"]}
            for link in content["party_links"]
        ],
        "party_links_disclaimer": str(PARTY_LINK_DISCLAIMER),
    }


def version_as_json_text(version) -> str:
    return json.dumps(version_as_json(version), ensure_ascii=False)


def version_as_csv(version) -> str:
    """UTF-8 with a byte-order mark and semicolons, as Swedish spreadsheets expect."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def write(cells: list[str]) -> None:
        writer.writerow([spreadsheet_safe(cell) for cell in cells])

    write(CSV_HEADER)
    for channel in version.content["channels"]:
        write(
            [
                "kanal",
                channel["platform_label"],
                channel["account_name"],
                channel["url"],
                channel["administration"],
                channel["unit"],
                "",
            ]
        )
    disclaimer = str(PARTY_LINK_DISCLAIMER)
    for link in version.content["party_links"]:
        write(["partilänk", link["platform_label"], link["party"], link["url"], "", "", disclaimer])
    return buffer.getvalue()
