"""Security headers on every page, and pages that keep to the Content-Security-Policy.

The policy allows no inline script or style, so the pages must carry none: a browser would
silently drop it and the page would break only for the user.
"""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


class InlineCodeFinder(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.inline_scripts: list[str] = []
        self.event_handlers: list[str] = []
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self._in_inline_script = True
            self.inline_scripts.append("")
        if tag == "style":
            self.style_elements += 1
        if "style" in names:
            self.style_attributes.append(f"<{tag} style={names['style']!r}>")
        self.event_handlers += [f"<{tag} {name}=...>" for name in names if name.startswith("on")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script:
            self.inline_scripts[-1] += data


def inline_code(response) -> InlineCodeFinder:
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    finder.close()
    return finder


@pytest.fixture
def login_page(client):
    return client.get("/logga-in/")


@pytest.fixture
def start_page_for_ingrid(client, ingrid):
    client.force_login(ingrid)
    return client.get("/")


def test_csp_defaults_every_source_to_own_origin(login_page):
    assert csp_directives(login_page)["default-src"] == ["'self'"]


def test_csp_allows_scripts_only_from_own_origin(login_page):
    assert csp_directives(login_page)["script-src"] == ["'self'"]


def test_csp_allows_no_inline_or_evaluated_code_in_any_directive(login_page):
    sources = [source for values in csp_directives(login_page).values() for source in values]

    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources


def test_csp_allows_data_uri_images_for_bootstrap_icons(login_page):
    img_src = csp_directives(login_page)["img-src"]

    assert "'self'" in img_src
    assert "data:" in img_src


def test_csp_forbids_framing_by_any_site(login_page):
    assert csp_directives(login_page)["frame-ancestors"] == ["'none'"]


def test_csp_forbids_plugin_objects(login_page):
    assert csp_directives(login_page)["object-src"] == ["'none'"]


def test_x_frame_options_denies_framing_for_older_browsers(login_page):
    assert login_page["X-Frame-Options"] == "DENY"


def test_browser_is_told_not_to_sniff_content_types(login_page):
    assert login_page["X-Content-Type-Options"] == "nosniff"


def test_referrer_is_sent_only_to_own_origin(login_page):
    assert login_page["Referrer-Policy"] == "same-origin"


@pytest.fixture(params=["login_page", "start_page_for_ingrid"])
def page(request):
    response = request.getfixturevalue(request.param)
    assert response.status_code == 200
    return response


def test_page_has_no_inline_script_the_csp_would_block(page):
    found = inline_code(page)

    assert found.inline_scripts == []
    assert found.event_handlers == []


def test_page_has_no_inline_style_the_csp_would_block(page):
    found = inline_code(page)

    assert found.style_attributes == []
    assert found.style_elements == 0
