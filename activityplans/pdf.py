"""The plan as a PDF in Bilaga 2's layout, rendered by WeasyPrint.

WeasyPrint fetches nothing from the network or the file system: the stylesheet is inlined in
the template and the fetcher refuses every URL that is not a data: URI. Plan fields are user
input and are escaped by the template, so the guard is a second wall, not the only one.
"""

import hashlib
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import selectors

logger = logging.getLogger(__name__)


class DenyingURLFetcher(URLFetcher):
    """Deny by default: only inline data: URIs, no redirects."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=2, **kwargs)

    def fetch(self, url, headers=None):
        if not url.lower().startswith("data:"):
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise ValueError(f"Fetching refused: {url[:200]}")
        return super().fetch(url, headers)


def render_plan_pdf(plan) -> bytes:
    valid = selectors.valid_signatures(plan)
    html = render_to_string(
        "activityplans/plan_pdf.html",
        {
            "plan": plan,
            "municipality_name": settings.MUNICIPALITY_NAME,
            "administrators": list(plan.administrators.all()),
            "daily_operators": list(plan.daily_operators.all()),
            "signatures": valid,
            "rendered_at": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=None, url_fetcher=DenyingURLFetcher()).write_pdf()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
