"""The published register as open data: JSON and CSV of one version."""

import csv
import io
import json

from django.utils import timezone

CSV_HEADER = ["typ", "plattform", "namn", "webbadress", "förvaltning", "verksamhet"]


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
    }


def version_as_json_text(version) -> str:
    return json.dumps(version_as_json(version), ensure_ascii=False)


def version_as_csv(version) -> str:
    """UTF-8 with a byte-order mark and semicolons, as Swedish spreadsheets expect."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for channel in version.content["channels"]:
        writer.writerow(
            [
                "kanal",
                channel["platform_label"],
                channel["account_name"],
                channel["url"],
                channel["administration"],
                channel["unit"],
            ]
        )
    for link in version.content["party_links"]:
        writer.writerow(["partilänk", link["platform_label"], link["party"], link["url"], "", ""])
    return buffer.getvalue()
