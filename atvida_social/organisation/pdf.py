"""Writing archival PDFs with WeasyPrint: PDF/A, tagged, with the project's own embedded font,
and a URL fetcher that reaches nothing outside the project.

The variant is PDF/A-1a. RA-FS 2009:2 (Riksarkivets föreskrifter om tekniska krav för
elektroniska handlingar) names PDF/A-1, ISO 19005-1, as the archival form of PDF; Riksarkivet's
later guidance accepts PDF/A-2 as well, but every archive that follows the regulation takes
PDF/A-1. Of its two levels, "a" (accessible) is the one that is also a tagged PDF: headings,
paragraphs and lists carry their structure, so that a screen reader can follow the document;
"b" only fixes the appearance. WeasyPrint writes PDF/A-1a itself (`pdf_variant`, with tags).

Fonts are embedded, as PDF/A requires: DejaVu Sans, vendored under static/ with its licence,
loaded by @font-face, so that the output is the same on every machine whatever fonts the
system has.
"""

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-1a"
FONT_FAMILY = "Arkivtext"
FONT_DIR = "vendor/dejavu-fonts-2.37"
FONT_FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


def _static_roots() -> list[Path]:
    return [Path(root).resolve() for root in settings.STATICFILES_DIRS]


class GuardedURLFetcher(URLFetcher):
    """Deny by default: inline data: URIs, and files inside the project's own static
    directories; no network, no other file, no redirects. A refusal is logged and raised,
    so that WeasyPrint leaves the resource out and nothing of it reaches the PDF."""

    def __init__(self, **kwargs):
        super().__init__(
            allowed_protocols=("data", "file"), allow_redirects=False, timeout=2, **kwargs
        )
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and self._is_own_static_file(url):
            return super().fetch(url, headers)
        self.refused.append(url[:200])
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        raise ValueError(f"Fetching refused: {url[:200]}")

    @staticmethod
    def _is_own_static_file(url: str) -> bool:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            return False
        path = Path(unquote(parts.path)).resolve()
        return path.is_file() and any(path.is_relative_to(root) for root in _static_roots())


def font_face_css() -> str:
    """@font-face rules for the vendored font, by file: URL inside the project's static files."""
    rules = []
    for weight, filename in FONT_FILES.items():
        found = finders.find(f"{FONT_DIR}/{filename}")
        if not found:
            raise RuntimeError(f"The vendored font {FONT_DIR}/{filename} is missing.")
        url = Path(found).resolve().as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
            f'src: url("{url}"); }}'
        )
    return "\n".join(rules)


def render_document(html: str, *, fetcher: URLFetcher | None = None):
    """Lay the HTML out; the result's `pages` are counted before it is written."""
    return HTML(string=html, base_url=None, url_fetcher=fetcher or GuardedURLFetcher()).render(
        pdf_variant=PDF_VARIANT
    )


def write_pdfa(document, target) -> None:
    """Write a laid-out document as PDF/A-1a to a path or a binary file object."""
    document.write_pdf(target, pdf_variant=PDF_VARIANT)


def pdfa_bytes(html: str, *, fetcher: URLFetcher | None = None) -> bytes:
    return render_document(html, fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)


# The page tree's root says how many pages there are: "/Type /Pages ... /Count N".
_PAGE_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", re.DOTALL)


def count_pages(data: bytes) -> int | None:
    """The number of pages of a PDF written by WeasyPrint (PDF/A-1 has no object streams,
    so its page tree is plain text); None when it cannot be read."""
    counts = [int(found) for found in _PAGE_COUNT.findall(data)]
    return max(counts) if counts else None
