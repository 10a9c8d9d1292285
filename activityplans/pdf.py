"""The plan as a PDF in Bilaga 2's layout, rendered by WeasyPrint.

WeasyPrint fetches nothing from the network or the file system: the stylesheet is inlined in
the template and the fetcher refuses every URL that is not a data: URI. Plan fields are user
input and are escaped by the template, so the guard is a second wall, not the only one.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import selectors
from .workflow import PlanStatus

logger = logging.getLogger(__name__)

# A draft's PDF is rendered once per content; a day keeps the cache small and fresh.
DRAFT_PDF_CACHE_SECONDS = 24 * 3600


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
    final = plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED)
    html = render_to_string(
        "activityplans/plan_pdf.html",
        {
            "plan": plan,
            "municipality_name": settings.MUNICIPALITY_NAME,
            "administrators": list(plan.administrators.all()),
            "daily_operators": list(plan.daily_operators.all()),
            "signatures": valid,
            "graphic_profile_decision": selectors.graphic_profile_decision(plan),
            "draft_marker": "" if final else _("UTKAST – EJ GODKÄND"),
            "rendered_at": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=None, url_fetcher=DenyingURLFetcher()).write_pdf()


def is_stored_as_signed(plan) -> bool:
    return bool(plan.approved_pdf) and plan.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED)


def plan_pdf(plan) -> bytes:
    """What a download gives: an approved plan's stored PDF, as signed; anything else
    rendered from its present content, marked as a draft, once per content and state."""
    if is_stored_as_signed(plan):
        with plan.approved_pdf.open("rb") as stored:
            return stored.read()
    signatures = ",".join(str(s.pk) for s in selectors.valid_signatures(plan))
    key = f"plan-pdf:{plan.pk}:{plan.content_hash()}:{plan.status}:{signatures}"
    data = cache.get(key)
    if data is None:
        data = render_plan_pdf(plan)
        cache.set(key, data, DRAFT_PDF_CACHE_SECONDS)
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
