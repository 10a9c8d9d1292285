"""What browser tests do often: log in (through the real form, or by a session cookie where
the form is not what the test is about), check a page with axe-core, and take a screenshot."""

import os
import re
from pathlib import Path

LOGIN_PATH = "/logga-in/"

# WCAG 2.1 level A and AA: what lag (2018:1937) and EN 301 549 require of the municipality.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def login(page, live_server, username: str, password: str) -> None:
    """Fill in the Swedish login form and submit it; returns once the next page has loaded."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()


def login_by_cookie(page, live_server, user) -> None:
    """Log `user` in without the form: Django's test client makes a session (as the login
    view would) and its cookie is copied into the page's browser context. Much faster than
    the form, for the people of a flow whose login is not what the test is about."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot as NAME.png in E2E_SCREENSHOT_DIR, if that is set; a way
    for a person to look at the pages the tests visit. Does nothing otherwise."""
    directory = os.environ.get("E2E_SCREENSHOT_DIR")
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-")
    page.screenshot(path=str(Path(directory) / f"{safe}.png"), full_page=True)


def _selector(target: list) -> str:
    """axe-core's target: one selector per frame, a list of them inside shadow roots."""
    return " >>> ".join(" >> ".join(part) if isinstance(part, list) else part for part in target)


def _describe(violation: dict) -> str:
    targets = "; ".join(_selector(node["target"]) for node in violation["nodes"])
    return f"  - {violation['id']} ({violation['impact']}): {violation['help']}\n    at {targets}"


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one readable entry each.

    The library injects axe.min.js with page.evaluate, which runs through the DevTools
    protocol and is not subject to the page's Content-Security-Policy; the policy stays as
    strict as in production.
    """
    from axe_playwright_python.sync_playwright import Axe  # only where the browser runs

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [_describe(violation) for violation in results.response["violations"]]


def assert_accessible(page) -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.1 A/AA violation on the page."""
    violations = accessibility_violations(page)
    assert not violations, f"axe-core found WCAG violations on {page.url}:\n" + "\n".join(
        violations
    )


def assert_pages_accessible(page, live_server, paths: dict[str, str], *, prefix: str) -> None:
    """Open each of `paths` (name: path) in turn and fail, after visiting them all, with
    every page that does not answer 200 or has a WCAG 2.1 A/AA violation. One browser page
    for many page types is much faster than a test each; the report still names each page.
    Each is saved as a screenshot PREFIX-NAME when E2E_SCREENSHOT_DIR is set."""
    problems = []
    for name, path in paths.items():
        response = page.goto(f"{live_server.url}{path}")
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        screenshot(page, f"{prefix}-{name}")
        violations = accessibility_violations(page)
        if violations:
            problems.append(f"{path}:\n" + "\n".join(violations))
    assert not problems, "pages that failed or have WCAG violations (axe-core):\n" + "\n".join(
        problems
    )
