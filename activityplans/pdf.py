"""The plan as a PDF in Bilaga 2's layout, rendered by WeasyPrint.

It is written as PDF/A-1a, tagged and with its font embedded, so that the approved plan can go
to the archive as it is (see atvida_social/organisation/pdf.py for the choice of variant).
WeasyPrint fetches nothing from the network or the file system: the stylesheet is inlined in
the template and the fetcher refuses every URL that is neither a data: URI nor the project's
own vendored font. Plan fields are user input and are escaped by the template, so the guard is
a second wall, not the only one.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from atvida_social.organisation.pdf import GuardedURLFetcher, font_face_css, pdfa_bytes

from . import selectors
from .workflow import PlanStatus

# A draft's PDF is rendered once per content; a day keeps the cache small and fresh.
DRAFT_PDF_CACHE_SECONDS = 24 * 3600


# The guard is shared with the archive's PDFs; the old name stays for the tests that use it.
DenyingURLFetcher = GuardedURLFetcher


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
            "font_face_css": font_face_css(),
        },
    )
    return pdfa_bytes(html, fetcher=GuardedURLFetcher())


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
