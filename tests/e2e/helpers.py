"""What browser tests do often: log in through the real form, and check a page with axe-core."""

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


def _selector(target: list) -> str:
    """axe-core's target: one selector per frame, a list of them inside shadow roots."""
    return " >>> ".join(" >> ".join(part) if isinstance(part, list) else part for part in target)


def _describe(violation: dict) -> str:
    targets = "; ".join(_selector(node["target"]) for node in violation["nodes"])
    return f"  - {violation['id']} ({violation['impact']}): {violation['help']}\n    at {targets}"


def assert_accessible(page) -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.1 A/AA violation on the page.

    The library injects axe.min.js with page.evaluate, which runs through the DevTools
    protocol and is not subject to the page's Content-Security-Policy; the policy stays as
    strict as in production.
    """
    from axe_playwright_python.sync_playwright import Axe  # only where the browser runs

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    assert not violations, f"axe-core found WCAG violations on {page.url}:\n" + "\n".join(
        _describe(violation) for violation in violations
    )
