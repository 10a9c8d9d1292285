"""Real-browser end-to-end tests: headless Chromium drives the application on a live server.

One browser per session, a fresh context and page per test (`page`), and another fresh one for
each further person a test needs (`new_page()`). A test fails at teardown if any of its pages
logged a console error or threw an uncaught exception: Content-Security-Policy
violations (an inline script or style the policy drops) and failed resource loads show up
there, though the page may still look right.

Tests marked `e2e` are skipped, with the reason, when Playwright cannot be imported or the
Chromium binary (CHROMIUM_PATH, default /usr/bin/chromium) is missing. Nothing is ever
downloaded: the system's Chromium is used, never `playwright install`.
"""

import os
import shutil

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=sv-SE",
]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


def _unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if sync_playwright is None:
        return "e2e: playwright cannot be imported (pip install -e '.[dev]')"
    if shutil.which(CHROMIUM_PATH) is None:
        return f"e2e: no Chromium at {CHROMIUM_PATH} (set CHROMIUM_PATH to the binary)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _unavailable_reason()
    if reason is None:
        return
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    """The one headless Chromium of the test session."""
    reason = _unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of fresh Swedish-locale browser contexts, each with one page: one per person
    in a test that has several (an author, her manager, an anonymous visitor). Console errors
    on any of them fail the test.

    Requesting `live_server` here makes every browser test a transactional one, with the
    application served on a real port in a thread of this process.
    """
    contexts = []
    problems: list[str] = []

    def open_page():
        # Reduced motion: Bootstrap then draws no colour transitions, so that axe measures
        # the colours a state settles on, not a frame halfway into them.
        context = browser.new_context(locale="sv-SE", reduced_motion="reduce")
        context.set_default_timeout(5_000)
        contexts.append(context)
        new = context.new_page()

        def on_console(message):
            if message.type == "error":
                where = (message.location or {}).get("url") or new.url
                problems.append(f"console error on {where}: {message.text}")

        new.on("console", on_console)
        new.on("pageerror", lambda error: problems.append(f"page error on {new.url}: {error}"))
        return new

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
    if problems:
        pytest.fail(
            "The browser reported errors (a CSP violation, a failed load or a script error):\n"
            + "\n".join(f"  - {problem}" for problem in problems),
            pytrace=False,
        )


@pytest.fixture
def page(new_page):
    """A fresh Swedish-locale browser context and page; console errors fail the test."""
    return new_page()
