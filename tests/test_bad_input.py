"""No input that a form, a URL or a query string can carry gives a server error.

Every URL of the project is sent malformed values (NUL bytes, 10 000-character values,
broken percent-encoding, repeated keys, out-of-range integers, wrong types, list values)
by an anonymous visitor, a unit editor and a staff superuser. The test client re-raises
an exception from a view, so a crash fails the test with its traceback.

An anonymous visitor's probes of a URL behind the login all stop at the same guard: they are
one test per URL, which sends every probe and names each that fails.

`test_every_url_pattern_is_probed_with_bad_input` makes a new URL without such probes fail.
`make test` runs this module on PostgreSQL: a NUL byte that SQLite stores is an error there.
"""

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from activityplans import services as plan_services
from activityplans.forms import PlanForm
from archiving import services as archiving_services
from archiving.culling import services as culling
from archiving.models import CullingProposal, DispositionDecision
from atvida_social.organisation.models import AuditLogEntry
from atvida_social.organisation.roles import Role
from channels import services
from moderation import services as moderation_services
from moderation.models import PlatformAction, Rule
from moderation.platforms.simulator import app as simulator_app
from moderation.platforms.simulator.state import Fault
from moderation.services import connections, ingest, platform_actions, supervision
from moderation.workflow import DecisionKind
from tests.archiving.conftest import make_snapshot
from tests.factories import (
    TEST_PASSWORD,
    ActivityPlanFactory,
    ChannelFactory,
    PartyLinkFactory,
    UnitFactory,
    UserFactory,
)
from tests.moderation.platforms import page

NUL = "\x00"
LONG = "x" * 10_000
HUGE = "99999999999999999999"  # beyond a 64-bit integer


@dataclass(frozen=True)
class Probe:
    """One request. `{unit}`, `{channel}` ... in the URL and the form data are replaced by
    the ids of real objects."""

    method: str
    url: str
    data: dict | None = None
    body: str | None = None
    content_type: str = "application/x-www-form-urlencoded"
    headers: dict = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        url = self.url if len(self.url) <= 70 else f"{self.url[:60]}…({len(self.url)})"
        return f"{self.method} {url}{' ' + self.label if self.label else ''}"

    def send(self, client: Client, ids: dict[str, int]):
        url = self.url.format(**ids)
        if self.body is not None:
            headers = {
                name: value.replace("{secret}", str(ids.get("secret", "")))
                for name, value in self.headers.items()
            }
            return client.generic(
                self.method, url, self.body, content_type=self.content_type, headers=headers
            )
        if self.method == "GET":
            return client.get(url, headers=self.headers)
        if self.method == "POST":
            return client.post(url, _with_ids(self.data or {}, ids), headers=self.headers)
        return client.generic(self.method, url, headers=self.headers)


def _with_ids(data: dict, ids: dict[str, int]) -> dict:
    def fill(value):
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value.format(**ids) if value.startswith("{") else value

    return {name: fill(value) for name, value in data.items()}


# Query strings, raw as a browser or a script could send them.
QUERY_STRINGS = {
    "nul": "q=%00",
    "nul-key": "%00=%00",
    "long": f"q={LONG}",
    "bad-percent": "q=%ZZ&sida=%",
    "bad-utf8": "q=%C3%28",
    "repeated": "q=a&q=b&sida=1&sida=2",
    "too-many-keys": "&".join(["k=1"] * 1_001),
}
PAGE_NUMBERS = ["abc", "-1", "0", HUGE, "1.5", "%00"]


def bad_queries(path: str, *, paginated: bool = False) -> list[Probe]:
    probes = [Probe("GET", f"{path}?{query}", label=name) for name, query in QUERY_STRINGS.items()]
    if paginated:
        probes += [Probe("GET", f"{path}?sida={number}") for number in PAGE_NUMBERS]
    return probes


def bad_posts(path: str, fields: list[str], *, compact=False) -> list[Probe]:
    """A form POSTed with every field NUL, overlong, out of range, a list, or missing; and
    raw bodies (left out when `compact`: they only repeat Django's body parsing)."""
    probes = [
        Probe("POST", path, dict.fromkeys(fields, f"a{NUL}b"), label="nul"),
        Probe("POST", path, dict.fromkeys(fields, LONG), label="long"),
        Probe("POST", path, dict.fromkeys(fields, HUGE), label="huge"),
        Probe("POST", path, {name: ["1", "2"] for name in fields}, label="lists"),
        Probe("POST", path, {}, label="missing"),
    ]
    if compact:
        return probes
    return [
        *probes,
        Probe("POST", path, body="&".join(f"{n}=%ZZ%C3%28%00" for n in fields), label="raw"),
        Probe(
            "POST",
            path,
            body="--x\r\nContent-Disposition: form-data; name=\r\n\r\nbroken",
            content_type="multipart/form-data; boundary=x",
            label="broken-multipart",
        ),
    ]


CONNECTION_FIELDS = ["account_id", "secret_access_token"]

LOGIN_PROBES = [
    *bad_queries("/logga-in/"),
    Probe("GET", "/logga-in/?next=javascript:alert(1)"),
    Probe("GET", "/logga-in/?next=%00"),
    Probe("GET", f"/logga-in/?next=/{LONG}"),
    Probe("GET", "/logga-in/?next=https://evil.example/"),
    *bad_posts("/logga-in/", ["username", "password", "next"]),
    Probe(
        "POST",
        "/logga-in/",
        {"username": "a" * 256, "password": "fel"},
        label="256-character username",
    ),
    Probe(
        "POST",
        "/logga-in/",
        {"username": "a" * 255, "password": "fel"},
        label="255-character username",
    ),
    Probe(
        "POST",
        "/logga-in/?%00=%00",
        {"username": "alice", "password": "fel", "next": f"/{NUL}", f"x{NUL}": NUL},
        label="failed login with nul extras",
    ),
    Probe(
        "POST",
        "/logga-in/",
        {"username": "alice", "password": "fel"},
        headers={"User-Agent": LONG, "Accept": LONG},
        label="failed login with long headers",
    ),
    Probe("POST", "/logga-in/", {"username": f"alice{NUL}", "password": TEST_PASSWORD}),
    Probe("POST", "/logga-in/", {"username": "alice", "password": f"{TEST_PASSWORD}{NUL}"}),
    Probe("POST", "/logga-in/", {"username": "alice", "password": LONG}, label="long password"),
    Probe("POST", "/logga-in/", {"username": "alice"}, label="no password"),
    Probe("POST", "/logga-in/", {"password": TEST_PASSWORD}, label="no username"),
    Probe(
        "POST",
        "/logga-in/",
        {"username": "alice", "password": TEST_PASSWORD, "next": "javascript:alert(1)"},
        label="javascript next",
    ),
    Probe(
        "POST",
        "/logga-in/",
        {"username": "alice", "password": TEST_PASSWORD, "next": f"/{NUL}"},
        label="nul next",
    ),
    Probe("PUT", "/logga-in/"),
    Probe("DELETE", "/logga-in/"),
]

LOGOUT_PROBES = [
    Probe("GET", "/logga-ut/"),
    Probe("POST", "/logga-ut/"),
    Probe("POST", "/logga-ut/", {"next": "javascript:alert(1)"}, label="javascript next"),
    Probe("POST", "/logga-ut/", {"next": f"/{NUL}"}, label="nul next"),
    Probe("POST", "/logga-ut/?next=%00"),
    Probe("POST", "/logga-ut/", {"next": ["/", "https://evil.example/"]}, label="list next"),
]

HEALTHZ_PROBES = [
    Probe("GET", "/healthz"),
    Probe("GET", "/healthz?%00=%ZZ"),
    Probe("HEAD", "/healthz"),
    Probe("POST", "/healthz"),
    Probe("PUT", "/healthz"),
    Probe("PATCH", "/healthz"),
    Probe("DELETE", "/healthz"),
    Probe("OPTIONS", "/healthz"),
]

STATIC_PAGE_PROBES = [
    *bad_queries("/"),
    Probe("GET", "/favicon.ico?%00"),
    Probe("POST", "/favicon.ico"),
    *bad_queries("/tillganglighet"),
    Probe("POST", "/tillganglighet"),
]

UNIT_PROBES = [
    *bad_queries("/organisation/verksamheter/", paginated=True),
    Probe("GET", "/organisation/verksamheter/?q=Bibl%00"),
    Probe("GET", f"/organisation/verksamheter/?q={LONG}&sida={HUGE}"),
    Probe("GET", "/organisation/verksamheter/{unit}/"),
    Probe("GET", "/organisation/verksamheter/{unit}/?%00=%00"),
    Probe("GET", "/organisation/verksamheter/0/"),
    Probe("GET", f"/organisation/verksamheter/{HUGE}/"),
    Probe("GET", f"/organisation/verksamheter/{HUGE}{HUGE}/"),
    Probe("GET", "/organisation/verksamheter/abc/"),
    Probe("GET", "/organisation/verksamheter/-1/"),
    Probe("GET", "/organisation/verksamheter/%00/"),
    Probe("GET", "/organisation/verksamheter/%C3%28/"),
    Probe("GET", "/organisation/verksamheter/1%2F2/"),
    Probe("POST", "/organisation/verksamheter/{unit}/"),
]

CHANNEL_FIELDS = [
    "platform",
    "account_name",
    "url",
    "unit",
    "status",
    "started_on",
    "ended_on",
    "description",
    "contact_email",
]
VALID_CHANNEL = {
    "platform": "facebook",
    "account_name": "Biblioteket",
    "url": "https://www.facebook.com/atvida-bibliotek-ny",
    "status": "aktiv",
    "started_on": "2025-01-01",
    "contact_email": "info@atvidaberg.se",
}

CHANNEL_PROBES = [
    *bad_queries("/kanaler/", paginated=True),
    Probe("GET", "/kanaler/?platform=%00&status=%00"),
    Probe("GET", "/kanaler/?platform=zz&status=zz&q=%ZZ"),
    Probe("GET", f"/kanaler/?q={LONG}&platform={LONG}"),
    Probe("GET", "/kanaler/?platform=facebook&platform=x&sida=2"),
    Probe("GET", "/kanaler/{channel}/"),
    Probe("GET", "/kanaler/0/"),
    Probe("GET", f"/kanaler/{HUGE}/"),
    Probe("GET", "/kanaler/abc/"),
    Probe("GET", "/kanaler/ny/"),
    Probe("GET", "/kanaler/ny/?%00"),
    *bad_posts("/kanaler/ny/", CHANNEL_FIELDS),
    Probe("POST", "/kanaler/ny/", {**VALID_CHANNEL, "unit": HUGE}, label="huge unit"),
    Probe("POST", "/kanaler/ny/", {**VALID_CHANNEL, "unit": "-1"}, label="negative unit"),
    Probe("POST", "/kanaler/ny/", {**VALID_CHANNEL, "unit": "{unit}"}, label="valid"),
    Probe(
        "POST",
        "/kanaler/ny/",
        {**VALID_CHANNEL, "unit": "{unit}", "description": f"a{NUL}b"},
        label="nul description only",
    ),
    Probe(
        "POST",
        "/kanaler/ny/",
        {**VALID_CHANNEL, "unit": "{unit}", "started_on": "99999-99-99", "ended_on": "0000-00-00"},
        label="impossible dates",
    ),
    Probe(
        "POST",
        "/kanaler/ny/",
        {**VALID_CHANNEL, "unit": "{unit}", "url": f"https://www.facebook.com/{LONG}"},
        label="long url",
    ),
    Probe(
        "POST",
        "/kanaler/ny/",
        {**VALID_CHANNEL, "unit": "{unit}", "url": f"https://www.facebook.com/{NUL}"},
        label="nul url",
    ),
    Probe("GET", "/kanaler/{channel}/andra/"),
    Probe("GET", f"/kanaler/{HUGE}/andra/"),
    *bad_posts("/kanaler/{channel}/andra/", CHANNEL_FIELDS),
    Probe("POST", f"/kanaler/{HUGE}/andra/", VALID_CHANNEL, label="valid"),
    Probe("PUT", "/kanaler/{channel}/andra/"),
    Probe("DELETE", "/kanaler/{channel}/andra/"),
]

PARTY_FIELDS = ["name", "is_represented", "term_start", "term_end"]
LINK_FIELDS = ["platform", "url"]

PARTY_PROBES = [
    *bad_queries("/kanaler/partier/"),
    Probe("GET", "/kanaler/partier/ny/"),
    *bad_posts("/kanaler/partier/ny/", PARTY_FIELDS),
    Probe(
        "POST",
        "/kanaler/partier/ny/",
        {"name": "Nytt parti", "term_start": "-1", "term_end": "70000"},
        label="out of range years",
    ),
    Probe("GET", "/kanaler/partier/{party}/andra/"),
    Probe("GET", f"/kanaler/partier/{HUGE}/andra/"),
    *bad_posts("/kanaler/partier/{party}/andra/", PARTY_FIELDS),
    Probe("GET", "/kanaler/partier/{party}/lankar/ny/"),
    Probe("GET", f"/kanaler/partier/{HUGE}/lankar/ny/"),
    *bad_posts("/kanaler/partier/{party}/lankar/ny/", LINK_FIELDS),
    Probe("GET", "/kanaler/partier/{party}/lankar/{link}/andra/"),
    Probe("GET", f"/kanaler/partier/{{party}}/lankar/{HUGE}/andra/"),
    Probe("GET", f"/kanaler/partier/{HUGE}/lankar/{{link}}/andra/"),
    *bad_posts("/kanaler/partier/{party}/lankar/{link}/andra/", LINK_FIELDS),
    Probe("GET", "/kanaler/partier/{party}/lankar/{link}/ta-bort/"),
    Probe("GET", f"/kanaler/partier/{HUGE}/lankar/{HUGE}/ta-bort/"),
    Probe("POST", f"/kanaler/partier/{HUGE}/lankar/{HUGE}/ta-bort/"),
    Probe("POST", "/kanaler/partier/{party}/lankar/{link}/ta-bort/?%00", {"x": NUL}),
]

PUBLISH_PROBES = [
    *bad_queries("/kanaler/publicera/"),
    *bad_posts("/kanaler/publicera/", ["base"]),
    Probe("POST", "/kanaler/publicera/", {"base": "-1"}, label="negative base"),
    Probe("POST", "/kanaler/publicera/", {"base": "{version}"}, label="current base"),
    Probe("PUT", "/kanaler/publicera/"),
    *bad_queries("/kanaler/versioner/"),
]

PUBLIC_REGISTER_PROBES = [
    *bad_queries("/sociala-medier"),
    Probe("POST", "/sociala-medier"),
    Probe("GET", "/sociala-medier", headers={"If-None-Match": f'"{NUL}", W/"x", *'}),
    Probe("GET", "/sociala-medier", headers={"If-Modified-Since": "yesterday"}),
    Probe("GET", "/sociala-medier", headers={"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99"}),
    Probe("GET", "/sociala-medier.json?%00=%ZZ"),
    Probe("GET", "/sociala-medier.json", headers={"If-None-Match": LONG}),
    Probe("GET", "/sociala-medier.csv?%00=%ZZ"),
    Probe("DELETE", "/sociala-medier.csv"),
    *bad_queries("/sociala-medier/versioner"),
    Probe("GET", "/sociala-medier/versioner/{version}"),
    Probe("GET", "/sociala-medier/versioner/{version}?%00"),
    Probe(
        "GET",
        "/sociala-medier/versioner/{version}",
        headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT", "If-None-Match": NUL},
    ),
    Probe("GET", "/sociala-medier/versioner/0"),
    Probe("GET", f"/sociala-medier/versioner/{HUGE}"),
    Probe("GET", "/sociala-medier/versioner/abc"),
    Probe("GET", "/sociala-medier/versioner/{version}.json"),
    Probe("GET", f"/sociala-medier/versioner/{HUGE}.json"),
    Probe("GET", "/sociala-medier/versioner/{version}.csv"),
    Probe("GET", f"/sociala-medier/versioner/{HUGE}.csv"),
    Probe("GET", "/sociala-medier/versioner/{version}/jamfor/{version}"),
    Probe("GET", f"/sociala-medier/versioner/{{version}}/jamfor/{HUGE}"),
    Probe("GET", f"/sociala-medier/versioner/{HUGE}/jamfor/{{version}}"),
    Probe("GET", "/sociala-medier/versioner/{version}/jamfor/0"),
]

PLAN_FIELDS = [*PlanForm._meta.fields, "administrators", "daily_operators"]
PLAN_ACTIONS = [
    "skicka",
    "dra-tillbaka",
    "granska",
    "grafisk-profil",
    "godkann",
    "aterremittera",
    "avsla",
    "revidera",
]

CREDENTIAL_FIELDS = ["username", "password", "recovery_notes", "expires_on"]

ACTIVITY_PLAN_PROBES = [
    *bad_queries("/aktivitetsplaner/", paginated=True),
    Probe("GET", "/aktivitetsplaner/?status=%00"),
    Probe("GET", f"/aktivitetsplaner/?status={LONG}&status=utkast"),
    Probe("GET", "/aktivitetsplaner/ny/"),
    Probe("GET", "/aktivitetsplaner/ny/?%00=%00"),
    *bad_posts("/aktivitetsplaner/ny/", PLAN_FIELDS),
    Probe(
        "POST",
        "/aktivitetsplaner/ny/",
        {"unit": HUGE, "manager": HUGE, "administrators": [HUGE, "abc"], "hours_per_week": HUGE},
        label="huge ids",
    ),
    Probe("GET", "/aktivitetsplaner/{plan}/"),
    Probe("GET", "/aktivitetsplaner/0/"),
    Probe("GET", f"/aktivitetsplaner/{HUGE}/"),
    Probe("GET", "/aktivitetsplaner/abc/"),
    Probe("GET", "/aktivitetsplaner/{plan}/andra/"),
    Probe("GET", f"/aktivitetsplaner/{HUGE}/andra/"),
    *bad_posts("/aktivitetsplaner/{plan}/andra/", PLAN_FIELDS),
    Probe("DELETE", "/aktivitetsplaner/{plan}/andra/"),
    *[Probe("GET", f"/aktivitetsplaner/{{plan}}/{action}/") for action in PLAN_ACTIONS],
    *[Probe("POST", f"/aktivitetsplaner/{HUGE}/{action}/") for action in PLAN_ACTIONS],
    *[
        probe
        for action in PLAN_ACTIONS
        for probe in bad_posts(
            f"/aktivitetsplaner/{{plan}}/{action}/", ["note", "approved"], compact=True
        )
    ],
    Probe("GET", "/aktivitetsplaner/{plan}/pdf/?%00=%ZZ"),
    Probe("GET", f"/aktivitetsplaner/{HUGE}/pdf/"),
    Probe("POST", "/aktivitetsplaner/{plan}/pdf/"),
    Probe("GET", "/aktivitetsplaner/{approved}/inloggning/"),
    Probe("GET", "/aktivitetsplaner/{plan}/inloggning/"),
    Probe("GET", f"/aktivitetsplaner/{HUGE}/inloggning/"),
    *bad_posts("/aktivitetsplaner/{approved}/inloggning/", CREDENTIAL_FIELDS),
    Probe(
        "POST",
        "/aktivitetsplaner/{approved}/inloggning/",
        {"username": "bibblan", "password": "x", "expires_on": "99999-12-31"},
        label="impossible expiry",
    ),
    *bad_queries("/aktivitetsplaner/inloggningsuppgifter/"),
    Probe("GET", "/aktivitetsplaner/inloggningsuppgifter/{credential}/visa/"),
    Probe("GET", f"/aktivitetsplaner/inloggningsuppgifter/{HUGE}/visa/"),
    Probe("POST", f"/aktivitetsplaner/inloggningsuppgifter/{HUGE}/visa/", {"reason": "x"}),
    *bad_posts("/aktivitetsplaner/inloggningsuppgifter/{credential}/visa/", ["reason"]),
    Probe("DELETE", "/aktivitetsplaner/inloggningsuppgifter/{credential}/visa/"),
    Probe("GET", "/aktivitetsplaner/{plan}/signera/"),
    Probe("GET", f"/aktivitetsplaner/{HUGE}/signera/"),
    *bad_posts("/aktivitetsplaner/{plan}/signera/", ["password"]),
]

ADMIN_PROBES = [
    Probe("GET", "/admin/"),
    Probe("GET", "/admin/?%00=%ZZ"),
    Probe("GET", "/admin/login/?next=javascript:alert(1)"),
    Probe("GET", "/admin/login/?next=%00"),
    Probe("POST", "/admin/login/", {"username": NUL, "password": NUL}, label="nul"),
    Probe(
        "POST",
        "/admin/login/",
        {"username": LONG, "password": LONG},
        label="long",
    ),
    Probe("GET", "/admin/logout/"),
    Probe("GET", "/admin/jsi18n/"),
    Probe("GET", "/admin/organisation/"),
    Probe("GET", "/admin/nonexistent/"),
    # Units: list filters of the wrong type, ordering and paging nonsense.
    Probe("GET", "/admin/organisation/unit/"),
    Probe("GET", "/admin/organisation/unit/?administration__id__exact=abc"),
    Probe("GET", f"/admin/organisation/unit/?administration__id__exact={HUGE}"),
    Probe("GET", "/admin/organisation/unit/?administration__id__exact=%00"),
    Probe("GET", "/admin/organisation/unit/?is_confidential__exact=zz"),
    Probe("GET", "/admin/organisation/unit/?o=zz"),
    Probe("GET", f"/admin/organisation/unit/?o={HUGE}"),
    Probe("GET", "/admin/organisation/unit/?o=-1.abc.%00"),
    Probe("GET", "/admin/organisation/unit/?q=%00"),
    Probe("GET", f"/admin/organisation/unit/?q={LONG}"),
    Probe("GET", "/admin/organisation/unit/?q=%ZZ%C3%28"),
    Probe("GET", "/admin/organisation/unit/?e=1"),
    Probe("GET", "/admin/organisation/unit/?p=abc"),
    Probe("GET", f"/admin/organisation/unit/?p={HUGE}"),
    Probe("GET", "/admin/organisation/unit/?all=&p=-1"),
    Probe("GET", "/admin/organisation/unit/?nonexistent=1"),
    Probe("GET", "/admin/organisation/unit/?administration__name__regex=(("),
    Probe("GET", "/admin/organisation/unit/?_changelist_filters=%00"),
    Probe("GET", "/admin/organisation/unit/{unit}/change/"),
    Probe("GET", "/admin/organisation/unit/{unit}/change/?_changelist_filters=%00"),
    Probe("GET", "/admin/organisation/unit/{unit}/history/"),
    Probe("GET", "/admin/organisation/unit/{unit}/delete/"),
    Probe("GET", "/admin/organisation/unit/abc/change/"),
    Probe("GET", "/admin/organisation/unit/%00/change/"),
    Probe("GET", f"/admin/organisation/unit/{HUGE}/change/"),
    Probe("GET", f"/admin/organisation/unit/{HUGE}/history/"),
    Probe("GET", f"/admin/organisation/unit/{HUGE}/delete/"),
    Probe("GET", "/admin/organisation/unit/abc/"),
    Probe("GET", "/admin/organisation/unit/add/?administration=%00&name=%00"),
    *bad_posts("/admin/organisation/unit/add/", ["name", "administration", "is_confidential"]),
    *bad_posts("/admin/organisation/unit/{unit}/change/", ["name", "administration"]),
    Probe(
        "POST",
        "/admin/organisation/unit/",
        {"action": "delete_selected", "_selected_action": ["abc", NUL, HUGE]},
        label="action on bad ids",
    ),
    Probe(
        "POST",
        "/admin/organisation/unit/",
        {"action": NUL, "_selected_action": ["{unit}"]},
        label="unknown action",
    ),
    # The audit log: date hierarchy and filters.
    Probe("GET", "/admin/organisation/auditlogentry/"),
    Probe("GET", "/admin/organisation/auditlogentry/?at__gte=notadate"),
    Probe("GET", "/admin/organisation/auditlogentry/?at__lt=%00"),
    Probe("GET", "/admin/organisation/auditlogentry/?at__year=abc"),
    Probe(
        "GET",
        f"/admin/organisation/auditlogentry/?at__year={HUGE}",
    ),
    Probe(
        "GET",
        "/admin/organisation/auditlogentry/?at__year=9999&at__month=12",
    ),
    Probe(
        "GET",
        "/admin/organisation/auditlogentry/?at__year=9999&at__month=12&at__day=31",
    ),
    Probe("GET", "/admin/organisation/auditlogentry/?at__year=9999"),
    Probe(
        "GET",
        "/admin/organisation/auditlogentry/?at__year=1&at__month=1&at__day=1",
    ),
    Probe("GET", "/admin/organisation/auditlogentry/?at__year=0"),
    Probe("GET", "/admin/organisation/auditlogentry/?at__year=2025&at__month=13"),
    Probe("GET", "/admin/organisation/auditlogentry/?at__year=2025&at__month=2&at__day=31"),
    Probe(
        "GET",
        f"/admin/organisation/auditlogentry/?at__year=2025&at__month={HUGE}",
    ),
    Probe("GET", "/admin/organisation/auditlogentry/?action__exact=%00"),
    Probe("GET", "/admin/organisation/auditlogentry/?content_type__id__exact=abc"),
    Probe("GET", "/admin/organisation/auditlogentry/?q=%00"),
    Probe("GET", "/admin/organisation/auditlogentry/?e=1"),
    Probe("GET", "/admin/organisation/auditlogentry/{entry}/change/"),
    Probe("GET", f"/admin/organisation/auditlogentry/{HUGE}/change/"),
    Probe("POST", "/admin/organisation/auditlogentry/{entry}/change/", {"action": NUL}),
    # Users.
    Probe("GET", "/admin/organisation/user/"),
    Probe("GET", "/admin/organisation/user/?groups__id__exact=abc"),
    Probe("GET", f"/admin/organisation/user/?unit__id__exact={HUGE}"),
    Probe("GET", "/admin/organisation/user/?unit__administration__id__exact=%00"),
    Probe("GET", "/admin/organisation/user/?is_staff__exact=maybe&is_active__exact=%00"),
    Probe("GET", "/admin/organisation/user/?q=%00"),
    Probe("GET", f"/admin/organisation/user/?q={LONG}"),
    Probe("GET", "/admin/organisation/user/?o=1.2.3.4.5.6.7.8.9"),
    Probe("GET", "/admin/organisation/user/{user}/change/"),
    Probe("GET", "/admin/organisation/user/{user}/password/"),
    Probe("GET", "/admin/organisation/user/abc/password/"),
    Probe("GET", f"/admin/organisation/user/{HUGE}/password/"),
    *bad_posts("/admin/organisation/user/add/", ["username", "password1", "password2", "unit"]),
    *bad_posts("/admin/organisation/user/{user}/password/", ["password1", "password2"]),
    Probe("GET", "/admin/organisation/administration/?q=%00"),
    # The register's admin pages.
    Probe("GET", "/admin/channels/channel/?unit__id__exact=abc&platform__exact=%00"),
    Probe("GET", "/admin/channels/channel/?q=%00"),
    Probe(
        "GET",
        "/admin/channels/channel/?platform__exact=%00&status__exact=%00",
    ),
    Probe("GET", "/admin/channels/party/?is_represented__exact=%00&q=%00"),
    Probe(
        "GET",
        f"/admin/channels/registerversion/?published_at__year={HUGE}",
    ),
    Probe(
        "GET",
        "/admin/channels/registerversion/?published_at__year=9999&published_at__month=12",
    ),
    Probe("GET", "/admin/channels/registerversion/{version}/change/"),
    # Autocomplete and view-on-site.
    Probe(
        "GET",
        "/admin/autocomplete/?term=%00&app_label=organisation&model_name=unit"
        "&field_name=administration",
    ),
    Probe("GET", "/admin/autocomplete/?term=x&app_label=%00&model_name=zz&field_name=zz"),
    Probe(
        "GET", "/admin/autocomplete/?term=x&app_label=organisation&model_name=unit&field_name=%00"
    ),
    Probe("GET", f"/admin/r/{HUGE}/1/"),
    Probe("GET", "/admin/r/1/abc/"),
    Probe("GET", "/admin/r/1/%00/"),
    # The schedule (django-celery-beat).
    *bad_queries("/admin/django_celery_beat/periodictask/"),
    Probe("GET", "/admin/django_celery_beat/periodictask/?start_time__year=9999"),
    Probe("GET", "/admin/django_celery_beat/periodictask/?enabled__exact=%00&task=%00"),
    Probe("GET", "/admin/django_celery_beat/periodictask/?last_run_at__gte=notadate"),
    Probe("GET", "/admin/django_celery_beat/periodictask/?o=-9.abc"),
    Probe("GET", "/admin/django_celery_beat/periodictask/{job}/change/"),
    Probe("GET", f"/admin/django_celery_beat/periodictask/{HUGE}/change/"),
    Probe("GET", "/admin/django_celery_beat/periodictask/%00/change/"),
    *bad_posts(
        "/admin/django_celery_beat/periodictask/{job}/change/",
        ["name", "task", "interval", "crontab", "args", "kwargs", "headers", "priority"],
        compact=True,
    ),
    Probe(
        "POST",
        "/admin/django_celery_beat/periodictask/{job}/change/",
        {"name": "x", "task": "x", "interval": "{interval}", "args": "[{", "headers": "[]"},
        label="bad json",
    ),
    *[
        Probe(
            "POST",
            "/admin/django_celery_beat/periodictask/",
            {"action": action, "_selected_action": ["abc", NUL, HUGE]},
            label=f"{action} on bad ids",
        )
        for action in ("run_tasks", "enable_tasks", "disable_tasks")
    ],
    Probe(
        "POST",
        "/admin/django_celery_beat/periodictask/",
        {"action": "run_tasks", "_selected_action": ["{job}"]},
        label="run a job whose task is missing",
    ),
    *bad_posts(
        "/admin/django_celery_beat/crontabschedule/add/",
        ["minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone"],
        compact=True,
    ),
    Probe(
        "POST",
        "/admin/django_celery_beat/crontabschedule/add/",
        {
            "minute": "99",
            "hour": "-1",
            "day_of_month": "0",
            "month_of_year": "13",
            "day_of_week": "8",
            "timezone": "Mars/Olympus",
        },
        label="out of range",
    ),
    Probe("GET", "/admin/django_celery_beat/crontabschedule/{crontab}/change/"),
    *bad_posts(
        "/admin/django_celery_beat/intervalschedule/add/", ["every", "period"], compact=True
    ),
    *bad_posts("/admin/django_celery_beat/clockedschedule/add/", ["clocked_time"], compact=True),
    *bad_posts(
        "/admin/django_celery_beat/solarschedule/add/",
        ["event", "latitude", "longitude"],
        compact=True,
    ),
]

ITEM_FIELDS = ["channel", "kind", "external_id", "author", "text", "url", "received_at"]
DECISION_FIELDS = [
    "kind",
    "category",
    "reply_text",
    "forwarded_to",
    "diarienummer",
    "reason",
    "police_report",
    "police_reference",
]
RULE_FIELDS = ["name", "kind", "pattern", "category", "action", "is_active", "test_mode"]

MODERATION_PROBES = [
    *bad_queries("/moderering/", paginated=True),
    *[
        Probe("GET", f"/moderering/?{name}={value}")
        for name in ("channel", "unit", "category", "sla", "kind", "assigned", "unregistered")
        for value in ("%00", HUGE, "abc", LONG)
    ],
    Probe("GET", "/moderering/nytt/"),
    *bad_posts("/moderering/nytt/", ITEM_FIELDS),
    Probe(
        "POST",
        "/moderering/nytt/",
        {
            "channel": "{channel}",
            "kind": "comment",
            "external_id": "x",
            "text": "\u202e" * 3,
            "received_at": "9999-12-31T23:59",
        },
        label="far future",
    ),
    Probe(
        "POST",
        "/moderering/nytt/",
        {
            "channel": "{channel}",
            "kind": "comment",
            "external_id": "x",
            "text": "Hej",
            "received_at": "0001-01-01T00:00",
        },
        label="year one",
    ),
    Probe("GET", "/moderering/{item}/"),
    Probe("GET", "/moderering/0/"),
    Probe("GET", f"/moderering/{HUGE}/"),
    *bad_posts("/moderering/{item}/beslut/", DECISION_FIELDS, compact=True),
    Probe("POST", "/moderering/{item}/beslut/", {"kind": "forward", "forwarded_to": HUGE}),
    Probe("POST", f"/moderering/{HUGE}/beslut/", {"kind": "keep"}),
    Probe("GET", "/moderering/{item}/beslut/"),
    *bad_posts("/moderering/{item}/tilldela/", ["assigned_to"], compact=True),
    Probe("POST", f"/moderering/{HUGE}/tilldela/", {"assigned_to": "{user}"}),
    Probe("POST", "/moderering/{item}/sekretess-borttaget/", {"extra": LONG}),
    Probe("POST", f"/moderering/{HUGE}/sekretess-borttaget/"),
    Probe("GET", "/moderering/{item}/sekretess-borttaget/"),
    *bad_posts("/moderering/beslut/", ["items", *DECISION_FIELDS], compact=True),
    Probe("POST", "/moderering/beslut/", {"items": [HUGE, "abc"], "kind": "keep"}),
    *bad_queries("/moderering/regler/"),
    Probe("GET", f"/moderering/regler/?text={LONG}"),
    Probe("GET", "/moderering/regler/?text=%00"),
    Probe("GET", "/moderering/regler/ny/"),
    *bad_posts("/moderering/regler/ny/", RULE_FIELDS),
    Probe(
        "POST",
        "/moderering/regler/ny/",
        {"name": "r", "kind": "regex", "pattern": "(a+)+$", "category": "fortal", "action": "flag"},
        label="catastrophic regex",
    ),
    Probe(
        "POST",
        "/moderering/regler/ny/",
        {"name": "r", "kind": "regex", "pattern": r"(?<!a)(b)\1", "category": "fortal"},
        label="regex RE2 cannot run",
    ),
    Probe(
        "POST",
        "/moderering/regler/ny/",
        {"name": "r", "kind": "regex", "pattern": r"(?:\w{1,99}){1,99}", "category": "fortal"},
        label="regex too large for RE2",
    ),
    Probe("GET", "/moderering/regler/{rule}/andra/"),
    Probe("GET", f"/moderering/regler/{HUGE}/andra/"),
    *bad_posts("/moderering/regler/{rule}/andra/", RULE_FIELDS, compact=True),
]

ABSENCE_FIELDS = ["operator", "starts_at", "ends_at", "substitute", "reason"]
SUPERVISION_PROBES = [
    *bad_queries("/moderering/tillsyn/"),
    Probe("POST", "/moderering/tillsyn/"),
    Probe("POST", "/moderering/tillsyn/{channel}/granskad/"),
    Probe("POST", "/moderering/tillsyn/0/granskad/"),
    Probe("POST", f"/moderering/tillsyn/{HUGE}/granskad/"),
    Probe("GET", "/moderering/tillsyn/{channel}/granskad/"),
    *bad_posts("/moderering/tillsyn/{channel}/granskad/", ["confirm"], compact=True),
    *bad_queries("/moderering/franvaro/"),
    *bad_posts("/moderering/franvaro/", ABSENCE_FIELDS),
    Probe(
        "POST",
        "/moderering/franvaro/",
        {
            "operator": "{user}",
            "starts_at": "2026-12-05T08:00",
            "ends_at": "2026-12-01T08:00",
            "substitute": "{user}",
        },
        label="ends before it starts, own substitute",
    ),
    Probe(
        "POST",
        "/moderering/franvaro/",
        {"operator": "{user}", "starts_at": "9999-12-31T23:59", "ends_at": "0001-01-01T00:00"},
        label="edge dates",
    ),
    Probe("PUT", "/moderering/franvaro/"),
    Probe("GET", "/moderering/franvaro/{absence}/avsluta/"),
    Probe("GET", "/moderering/franvaro/0/avsluta/"),
    Probe("GET", f"/moderering/franvaro/{HUGE}/avsluta/"),
    Probe("POST", f"/moderering/franvaro/{HUGE}/avsluta/"),
    *bad_posts("/moderering/franvaro/{absence}/avsluta/", ["confirm"], compact=True),
    Probe("PUT", "/moderering/franvaro/{absence}/avsluta/"),
]

INGEST_ITEM = (
    '{"external_id": "api-1", "kind": "comment", "author": "A", "text": "Hej",'
    ' "received_at": "2026-03-27T16:30:00+01:00", "url": "", "parent": null}'
)
BEARER = {"Authorization": "Bearer {secret}"}


def _json_post(url: str, body: str, *, headers=None, label: str = "") -> Probe:
    return Probe(
        "POST", url, body=body, content_type="application/json", headers=headers or {}, label=label
    )


API_PROBES = [
    Probe("GET", "/api/v1/ingest"),
    Probe("PUT", "/api/v1/ingest"),
    *bad_queries("/api/v1/ingest"),
    *bad_posts("/api/v1/ingest", ["items"]),
    _json_post("/api/v1/ingest", '{"items": []}', label="no token"),
    _json_post("/api/v1/ingest", "{}", headers={"Authorization": "Bearer x"}, label="wrong token"),
    _json_post("/api/v1/ingest", "{}", headers={"Authorization": NUL}, label="nul header"),
    _json_post("/api/v1/ingest", "{", headers=BEARER, label="broken json"),
    _json_post(
        "/api/v1/ingest",
        '{"items": [' + INGEST_ITEM.replace('"Hej"', '"\\udcff"') + "]}",
        headers=BEARER,
        label="lone surrogate",
    ),
    _json_post(
        "/api/v1/ingest",
        '{"items": [' + INGEST_ITEM.replace('"api-1"', '"\\udcff"') + "]}",
        headers=BEARER,
        label="lone surrogate id",
    ),
    _json_post("/api/v1/ingest", "[" * 100_000, headers=BEARER, label="deep json"),
    _json_post("/api/v1/ingest", '{"items": 1e999}', headers=BEARER, label="infinite"),
    _json_post("/api/v1/ingest", '{"items": [null, 1, []]}', headers=BEARER, label="non-items"),
    _json_post(
        "/api/v1/ingest",
        '{"items": [' + INGEST_ITEM.replace('"Hej"', '"a\\u0000b"') + "]}",
        headers=BEARER,
        label="nul text",
    ),
    _json_post(
        "/api/v1/ingest",
        '{"items": [' + INGEST_ITEM.replace('"api-1"', f'"{LONG}"') + "]}",
        headers=BEARER,
        label="long external id",
    ),
    _json_post(
        "/api/v1/ingest",
        '{"items": [' + INGEST_ITEM.replace("2026-03-27T16:30:00+01:00", "99999-99-99") + "]}",
        headers=BEARER,
        label="impossible date",
    ),
    _json_post(
        "/api/v1/ingest",
        '{"items": ['
        + INGEST_ITEM.replace("2026-03-27T16:30:00+01:00", "0001-01-01T00:00+01:00")
        + "]}",
        headers=BEARER,
        label="year one east",
    ),
    _json_post(
        "/api/v1/ingest",
        '{"items": ['
        + INGEST_ITEM.replace("2026-03-27T16:30:00+01:00", "0001-01-01T00:00-05:00")
        + "]}",
        headers=BEARER,
        label="year one west",
    ),
    _json_post(
        "/api/v1/ingest",
        '{"items": [' + INGEST_ITEM[:-1] + "".join(f', "f{n}": 1' for n in range(5000)) + "}]}",
        headers=BEARER,
        label="many unknown fields",
    ),
    _json_post(
        "/api/v1/ingest",
        '{"items": [' + INGEST_ITEM.replace("null", f'"{HUGE}"') + "]}",
        headers=BEARER,
        label="unknown parent",
    ),
    _json_post("/api/v1/ingest", '{"items": [' + INGEST_ITEM + "]}", headers=BEARER, label="ok"),
    *bad_queries("/api/v1/openapi.json"),
    Probe("POST", "/api/v1/openapi.json"),
    Probe("GET", "/api/v1/webhook/{subscribed}/"),
    Probe("GET", "/api/v1/webhook/{subscribed}/?hub.mode=subscribe&hub.verify_token=%00"),
    Probe(
        "GET",
        f"/api/v1/webhook/{{subscribed}}/?hub.mode=subscribe&hub.verify_token={LONG}"
        f"&hub.challenge={LONG}",
    ),
    Probe("GET", "/api/v1/webhook/{subscribed}/?hub.verify_token=%C3%28&hub.challenge=%00"),
    Probe("GET", f"/api/v1/webhook/{HUGE}/?hub.mode=subscribe"),
    Probe("GET", "/api/v1/webhook/0/"),
    Probe("GET", "/api/v1/webhook/{channel}/?hub.mode=subscribe&hub.verify_token=x"),
    _json_post("/api/v1/webhook/{channel}/", "{}", label="unsubscribed channel"),
    *bad_queries("/api/v1/webhook/{subscribed}/"),
    *bad_posts("/api/v1/webhook/{subscribed}/", ["entry"]),
    _json_post("/api/v1/webhook/{subscribed}/", "{}", label="unsigned"),
    _json_post(
        "/api/v1/webhook/{subscribed}/",
        "{}",
        headers={"X-Hub-Signature-256": f"sha256={NUL}{LONG}"},
        label="bad signature",
    ),
    _json_post(
        "/api/v1/webhook/{subscribed}/",
        "{}",
        headers={"X-Hub-Signature-256": "sha256=ééé"},
        label="non-ascii signature",
    ),
    _json_post(f"/api/v1/webhook/{HUGE}/", "{}", label="huge channel"),
    Probe("DELETE", "/api/v1/webhook/{subscribed}/"),
    *bad_queries("/moderering/api-nycklar/"),
    Probe("POST", "/moderering/api-nycklar/"),
    Probe("GET", "/moderering/api-nycklar/{token}/aterkalla/"),
    Probe("GET", f"/moderering/api-nycklar/{HUGE}/aterkalla/"),
    Probe("GET", "/moderering/api-nycklar/0/aterkalla/"),
    Probe("POST", f"/moderering/api-nycklar/{HUGE}/aterkalla/"),
    *bad_posts("/moderering/api-nycklar/{token}/aterkalla/", ["confirm"], compact=True),
    Probe("PUT", "/moderering/api-nycklar/{token}/aterkalla/"),
]

ARCHIVE_PROBES = [
    *bad_queries("/arkiv/", paginated=True),
    *[
        Probe("GET", f"/arkiv/?{name}={value}")
        for name in ("channel", "unit", "year")
        for value in ("%00", HUGE, "abc", LONG, "-1", "1.5")
    ],
    *bad_queries("/arkiv/pagar.json"),
    *[
        Probe("GET", f"/arkiv/pagar.json?run={value}")
        for value in (HUGE, "abc", "%C2%B2", "%00", "-1", "{snapshot_run}")
    ],
    Probe("GET", "/arkiv/pagar.json?" + "&".join(["run=1"] * 500), label="many runs"),
    Probe("GET", "/arkiv/korningar/{snapshot_run}/forsok-igen/"),
    Probe("GET", "/arkiv/korningar/0/forsok-igen/"),
    Probe("GET", f"/arkiv/korningar/{HUGE}/forsok-igen/"),
    *bad_posts("/arkiv/korningar/{snapshot_run}/forsok-igen/", ["confirm"], compact=True),
    Probe("POST", f"/arkiv/korningar/{HUGE}/forsok-igen/", {}),
    *bad_queries("/arkiv/kanaler/"),
    Probe("GET", "/arkiv/kanaler/{channel}/ogonblicksbild/"),
    Probe("GET", "/arkiv/kanaler/0/ogonblicksbild/"),
    Probe("GET", f"/arkiv/kanaler/{HUGE}/ogonblicksbild/"),
    *bad_posts("/arkiv/kanaler/{channel}/ogonblicksbild/", ["note"]),
    Probe(
        "POST",
        "/arkiv/kanaler/{channel}/ogonblicksbild/",
        {"note": "Byter\u202enamn"},
        label="direction override",
    ),
    Probe("POST", f"/arkiv/kanaler/{HUGE}/ogonblicksbild/", {"note": "Ny profil."}),
    Probe("POST", "/arkiv/kanaler/{planned}/ogonblicksbild/", {"note": "Ny."}, label="planned"),
    *bad_queries("/arkiv/dokument/", paginated=True),
    *bad_queries("/arkiv/kontroller/", paginated=True),
    Probe("GET", "/arkiv/kontroller/ny/"),
    *bad_posts("/arkiv/kontroller/ny/", ["confirm"], compact=True),
    Probe("GET", "/arkiv/filer/{archive_file}/"),
    *bad_queries("/arkiv/filer/{archive_file}/"),
    Probe("GET", "/arkiv/filer/0/"),
    Probe("GET", f"/arkiv/filer/{HUGE}/"),
    Probe("GET", "/arkiv/filer/{archive_file}/kontrollera/"),
    *bad_posts("/arkiv/filer/{archive_file}/kontrollera/", ["confirm"], compact=True),
    Probe("POST", f"/arkiv/filer/{HUGE}/kontrollera/"),
    Probe("POST", "/arkiv/filer/0/kontrollera/"),
    # The diarium's copy of an item
    Probe("GET", "/arkiv/diarieexemplar/{diarium_copy}/"),
    *bad_queries("/arkiv/diarieexemplar/{diarium_copy}/"),
    Probe("GET", "/arkiv/diarieexemplar/0/"),
    Probe("GET", f"/arkiv/diarieexemplar/{HUGE}/"),
    Probe("POST", "/arkiv/diarieexemplar/{diarium_copy}/", {}),
    Probe("GET", "/arkiv/filer/{diarium_copy}/"),
    # Culling
    *bad_queries("/arkiv/gallring/"),
    *bad_posts("/arkiv/gallring/forslag/{proposal}/godkann/", ["confirm"], compact=True),
    *bad_posts("/arkiv/gallring/forslag/{proposal}/avvisa/", ["confirm"], compact=True),
    Probe("GET", "/arkiv/gallring/forslag/{proposal}/godkann/"),
    Probe("POST", f"/arkiv/gallring/forslag/{HUGE}/godkann/"),
    Probe("POST", "/arkiv/gallring/forslag/0/avvisa/"),
    *bad_posts("/arkiv/gallring/beslut/", ["reference", "description", "adopted_on"]),
    Probe(
        "POST",
        "/arkiv/gallring/beslut/",
        {"reference": "KS 1\nKS 2", "description": "x", "adopted_on": "2026-01-01"},
        label="two-line reference",
    ),
    Probe(
        "POST",
        "/arkiv/gallring/beslut/",
        {"reference": "KS 1", "description": "x", "adopted_on": "99999-01-01"},
        label="year 99999",
    ),
    Probe(
        "POST",
        "/arkiv/gallring/beslut/",
        {"reference": "KS 1", "description": "x", "adopted_on": "0001-01-01"},
        label="year 1",
    ),
    Probe("GET", "/arkiv/gallring/beslut/"),
    *bad_posts("/arkiv/gallring/stopp/", ["channel", "reason"]),
    Probe("POST", "/arkiv/gallring/stopp/", {"channel": HUGE, "reason": "x"}, label="huge"),
    Probe("POST", "/arkiv/gallring/stopp/", {"channel": "0", "reason": "x"}, label="no channel"),
    Probe("POST", "/arkiv/gallring/stopp/", {"channel": "{channel}", "reason": f"a{NUL}b"}),
    *bad_posts("/arkiv/gallring/stopp/{hold}/hav/", ["confirm"], compact=True),
    Probe("POST", f"/arkiv/gallring/stopp/{HUGE}/hav/"),
    Probe("POST", "/arkiv/gallring/stopp/0/hav/"),
    Probe("POST", "/arkiv/gallring/stopp/{hold}/hav/", {"from": "item"}, label="from item"),
    *bad_posts("/arkiv/gallring/stopp/inlagg/{item}/", ["reason"]),
    Probe("POST", "/arkiv/gallring/stopp/inlagg/{item}/", {"reason": " \t "}, label="blank"),
    Probe("POST", f"/arkiv/gallring/stopp/inlagg/{HUGE}/", {"reason": "x"}),
    Probe("POST", "/arkiv/gallring/stopp/inlagg/0/", {"reason": "x"}),
    Probe("GET", f"/arkiv/gallring/stopp/inlagg/{HUGE}/"),
    Probe("GET", "/arkiv/gallring/stopp/inlagg/0/"),
    *bad_queries("/arkiv/gallring/stopp/inlagg/{item}/"),
    *bad_queries("/arkiv/gallring/logg/", paginated=True),
    *bad_queries("/arkiv/gallring/logg.csv"),
]

STATISTICS_PROBES = [
    probe
    for path in ("/moderering/statistik/", "/moderering/statistik.csv")
    for probe in [
        *bad_queries(path),
        *[
            Probe("GET", f"{path}?{name}={value}")
            for name in ("year", "unit", "channel")
            for value in ("%00", HUGE, "abc", LONG, "-1", "0", "1.5", "99999")
        ],
        Probe("GET", f"{path}?year=2026&unit={{unit}}&channel={{channel}}", label="own"),
        Probe("GET", f"{path}?year=2026&year=2025&unit=1&unit=2", label="repeated"),
        Probe("POST", path, {"year": "2026"}),
    ]
]

REPORT_FIELDS = ["channel", "content_url", "reason", "other_reason", "message", "name", "email"]
VALID_REPORT = {
    "channel": "{channel}",
    "content_url": "https://www.facebook.com/atvida/posts/1",
    "reason": "annat",
    "other_reason": "Falsk information",
}

CITIZEN_PROBES = [
    *bad_queries("/sociala-medier/kanal/{channel}"),
    Probe("GET", "/sociala-medier/kanal/0"),
    Probe("GET", f"/sociala-medier/kanal/{HUGE}"),
    Probe("GET", "/sociala-medier/kanal/{planned}"),
    Probe("POST", "/sociala-medier/kanal/{channel}"),
    *bad_queries("/sociala-medier/anmal"),
    *[
        Probe("GET", f"/sociala-medier/anmal?kanal={value}")
        for value in ("%00", HUGE, "-1", "abc", LONG, "{planned}")
    ],
    *bad_posts("/sociala-medier/anmal", REPORT_FIELDS),
    Probe("POST", "/sociala-medier/anmal", {**VALID_REPORT, "channel": HUGE}, label="huge"),
    Probe("POST", "/sociala-medier/anmal", {**VALID_REPORT, "channel": "{planned}"}, label="plan"),
    Probe(
        "POST",
        "/sociala-medier/anmal",
        {**VALID_REPORT, "content_url": "javascript:alert(1)"},
        label="javascript url",
    ),
    Probe(
        "POST",
        "/sociala-medier/anmal",
        {**VALID_REPORT, "other_reason": "rad\u2028rad", "email": f"a@{LONG}.se"},
        label="line separator",
    ),
    Probe("POST", "/sociala-medier/anmal", {**VALID_REPORT, "webbplats": NUL}, label="honeypot"),
    Probe("POST", "/sociala-medier/anmal", VALID_REPORT, label="valid"),
    Probe("PUT", "/sociala-medier/anmal"),
    Probe("GET", "/sociala-medier/anmal/kvitto/abc"),
    Probe("GET", "/sociala-medier/anmal/kvitto/%00"),
    Probe("GET", "/sociala-medier/anmal/kvitto/%C3%28:%ZZ:x"),
    Probe("GET", f"/sociala-medier/anmal/kvitto/{LONG}"),
    Probe("GET", "/sociala-medier/anmal/kvitto/e30:1xXnSc:AAAA"),
    Probe("POST", "/sociala-medier/anmal/kvitto/abc"),
    Probe("GET", "/moderering/kanaler/{channel}/ordningsregler/"),
    *bad_queries("/moderering/kanaler/{channel}/ordningsregler/"),
    Probe("GET", "/moderering/kanaler/0/ordningsregler/"),
    Probe("GET", f"/moderering/kanaler/{HUGE}/ordningsregler/"),
    Probe("GET", "/moderering/kanaler/{planned}/ordningsregler/"),
    Probe("POST", "/moderering/kanaler/{channel}/ordningsregler/"),
    # A channel's platform connection (the approved plan's channel is connected).
    Probe("GET", "/moderering/kanaler/{subscribed}/anslutning/"),
    Probe("GET", "/moderering/kanaler/{channel}/anslutning/"),
    Probe("GET", "/moderering/kanaler/0/anslutning/"),
    Probe("GET", f"/moderering/kanaler/{HUGE}/anslutning/"),
    *bad_queries("/moderering/kanaler/{subscribed}/anslutning/"),
    *bad_posts("/moderering/kanaler/{subscribed}/anslutning/", CONNECTION_FIELDS),
    *bad_posts("/moderering/kanaler/{channel}/anslutning/", CONNECTION_FIELDS, compact=True),
    Probe(
        "POST",
        "/moderering/kanaler/{subscribed}/anslutning/",
        {"account_id": "1", "secret_access_token": "a\nb"},
        label="two-line secret",
    ),
    Probe(
        "POST",
        "/moderering/kanaler/{subscribed}/anslutning/",
        {"account_id": "1", "secret_access_token": "x" * 4097},
        label="overlong secret",
    ),
    Probe("PUT", "/moderering/kanaler/{subscribed}/anslutning/"),
    Probe("POST", "/moderering/kanaler/{subscribed}/anslutning/testa/"),
    Probe("POST", "/moderering/kanaler/{channel}/anslutning/testa/"),
    Probe("POST", f"/moderering/kanaler/{HUGE}/anslutning/testa/"),
    Probe("GET", "/moderering/kanaler/{subscribed}/anslutning/testa/"),
    *bad_posts("/moderering/kanaler/{subscribed}/anslutning/testa/", ["confirm"], compact=True),
    Probe("POST", "/moderering/kanaler/{subscribed}/anslutning/hamta/"),
    Probe("POST", "/moderering/kanaler/0/anslutning/hamta/"),
    Probe("POST", f"/moderering/kanaler/{HUGE}/anslutning/hamta/"),
    Probe("GET", "/moderering/kanaler/{subscribed}/anslutning/hamta/"),
    *bad_posts("/moderering/kanaler/{subscribed}/anslutning/hamta/", ["confirm"], compact=True),
    Probe("GET", "/moderering/kanaler/{subscribed}/anslutning/ta-bort/"),
    Probe("GET", "/moderering/kanaler/{channel}/anslutning/ta-bort/"),
    Probe("GET", f"/moderering/kanaler/{HUGE}/anslutning/ta-bort/"),
    Probe("POST", f"/moderering/kanaler/{HUGE}/anslutning/ta-bort/"),
    *bad_posts("/moderering/kanaler/{subscribed}/anslutning/ta-bort/", ["confirm"], compact=True),
    Probe("PUT", "/moderering/kanaler/{subscribed}/anslutning/ta-bort/"),
    *bad_queries("/moderering/anslutningar/"),
    Probe("POST", "/moderering/anslutningar/"),
    # Trying a failed platform action again.
    Probe("POST", "/moderering/plattformsatgarder/{platform_action}/forsok-igen/"),
    Probe("POST", "/moderering/plattformsatgarder/0/forsok-igen/"),
    Probe("POST", f"/moderering/plattformsatgarder/{HUGE}/forsok-igen/"),
    Probe("GET", "/moderering/plattformsatgarder/{platform_action}/forsok-igen/"),
    *bad_posts(
        "/moderering/plattformsatgarder/{platform_action}/forsok-igen/", ["confirm"], compact=True
    ),
    # The queue's filter of items that failed on the platform, and the YouTube confirmation.
    Probe("GET", "/moderering/?plattformsfel=%00"),
    Probe("GET", f"/moderering/?plattformsfel={LONG}"),
    Probe("GET", "/moderering/?plattformsfel=on&plattformsfel=off"),
    Probe("POST", "/moderering/{item}/beslut/", {"kind": "remove", "confirm_reject": NUL}),
    Probe("POST", "/moderering/beslut/", {"items": ["{item}"], "confirm_reject": ["1", "2"]}),
]

PROBES = [
    *LOGIN_PROBES,
    *LOGOUT_PROBES,
    *HEALTHZ_PROBES,
    *STATIC_PAGE_PROBES,
    *UNIT_PROBES,
    *CHANNEL_PROBES,
    *PARTY_PROBES,
    *PUBLISH_PROBES,
    *PUBLIC_REGISTER_PROBES,
    *ACTIVITY_PLAN_PROBES,
    *MODERATION_PROBES,
    *STATISTICS_PROBES,
    *SUPERVISION_PROBES,
    *ARCHIVE_PROBES,
    *CITIZEN_PROBES,
    *API_PROBES,
    *ADMIN_PROBES,
]

VISITORS = ["anonymous", "alice", "ingrid"]

# The wrappers of the access guards, by their code's name: login_required, the project's role
# guards (information_unit_required, archive_required ...) and the admin's admin_view (which
# the admin's URLs call through their get_urls wrap()).
GUARDS = (
    "user_passes_test.<locals>",
    "_required.<locals>",
    "AdminSite.admin_view.<locals>",
    "get_urls.<locals>.wrap.<locals>",
)


def _path(probe: Probe) -> str:
    return probe.url.split("?")[0]


def _behind_login(probe: Probe) -> bool:
    """An anonymous visitor's request to this URL stops at the login redirect (or earlier):
    its view is wrapped in an access guard."""
    path = probe.url.format_map(defaultdict(lambda: "1")).split("?")[0]
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    while view is not None:
        # The code's own name: functools.wraps gives the wrapper the view's __qualname__.
        code = getattr(view, "__code__", None)
        if code and any(guard in code.co_qualname for guard in GUARDS):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def _cases():
    """A test per probe and visitor; except the anonymous visitor's probes of a URL behind
    the login, which all meet the same guard: those are one test per URL
    (test_bad_input_to_a_url_behind_the_login_never_gives_a_server_error)."""
    for probe in PROBES:
        for visitor in VISITORS:
            if visitor == "anonymous" and _behind_login(probe):
                continue
            yield pytest.param(probe, visitor, id=f"{visitor}: {probe.id}")


def _urls_behind_login() -> dict[str, list[Probe]]:
    urls = defaultdict(list)
    for probe in PROBES:
        if _behind_login(probe):
            urls[_path(probe)].append(probe)
    return urls


@dataclass
class World:
    """One of each object, published, so that every URL has a real id to reach; and a
    logged-in session for each visitor (logging in anew for each request is slow)."""

    sessions: dict[str, str | None]
    ids: dict[str, int]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module's ~1 200 requests, inside a transaction rolled back at the
    end; each test runs in a savepoint within it, so no request sees another's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        library = UnitFactory(name="Biblioteket")
        information_unit = UnitFactory(name="Informationsenheten")
        alice = UserFactory(
            username="alice", unit=library, roles=[Role.ACCOUNT_OWNER, Role.DAILY_OPERATOR]
        )
        # Informationsenheten with the admin open: staff and superuser.
        ingrid = UserFactory(
            username="ingrid",
            unit=information_unit,
            roles=[Role.INFORMATION_UNIT],
            is_staff=True,
            is_superuser=True,
        )
        bob = UserFactory(username="bob", unit=library, roles=[Role.MANAGER])
        dan = UserFactory(username="dan", unit=library, roles=[Role.ACCOUNT_OWNER])

        def new_plan():
            return ActivityPlanFactory(
                unit=library,
                manager=bob,
                prepared_by=alice,
                administrators=[alice, dan],
                daily_operators=[alice],
            )

        plan = new_plan()
        approved = new_plan()
        plan_services.submit_plan(approved, by=alice)
        for signer in (bob, alice, dan):
            plan_services.sign_plan(approved, by=signer, password=TEST_PASSWORD)
        plan_services.start_review(approved, by=ingrid)
        plan_services.approve_plan(approved, by=ingrid)
        approved.refresh_from_db()
        credential = plan_services.save_credential(
            approved, by=alice, username="bibblan", password="hemligt"
        )
        channel = ChannelFactory(unit=library)
        item, _ = moderation_services.register_item(
            approved.channel,
            {
                "external_id": "fb-1",
                "kind": "question",
                "author": "Anna",
                "text": "Du är en idiot",
                "received_at": "2026-03-27T16:30:00+01:00",
            },
        )
        registered = moderation_services.decide_item(
            moderation_services.register_item(
                approved.channel,
                {
                    "external_id": "dm-1",
                    "kind": "message",
                    "author": "Anna",
                    "text": "Jag vill överklaga.",
                    "received_at": "2026-03-27T16:30:00+01:00",
                },
            )[0],
            by=ingrid,
            kind="secrecy",
            diarienummer="KS 2026/1",
        )
        diarium_copy = archiving_services.archive_diarium_copy(registered.pk)
        ingest_token, ingest_secret = ingest.create_ingest_token(approved.channel)
        ingest.save_webhook_subscription(approved.channel, app_secret="hemlig")
        # Connected to its page on the simulated Facebook; a removal that failed there.
        connections.save_connection(
            approved.channel, by=alice, account_id=page.PAGE, credentials=page.CREDENTIALS
        )
        simulator = simulator_app.STATE
        simulator.reset()
        page.open_page(simulator)
        removed, _ = moderation_services.register_item(
            approved.channel,
            {
                "external_id": "fb-2",
                "kind": "comment",
                "author": "Reklam AB",
                "text": "Köp billiga klockor här!",
                "received_at": "2026-03-27T16:31:00+01:00",
            },
        )
        moderation_services.decide_item(
            removed, by=alice, kind=DecisionKind.REMOVE, category="reklam"
        )
        platform_action = PlatformAction.objects.get(item=removed)
        simulator.inject(Fault("facebook", "server_error", times=platform_actions.MAX_ATTEMPTS))
        for _attempt in range(platform_actions.MAX_ATTEMPTS):
            platform_actions.carry_out_platform_action(platform_action.pk)
        simulator.reset()
        link = PartyLinkFactory()
        version = services.publish_register(by=ingrid)
        snapshot = make_snapshot(approved.channel)
        planned = ChannelFactory(unit=library, status="planerad")
        culling_decision = DispositionDecision.objects.create(
            reference="KS 2026/17 § 4",
            description="Ringa inlägg gallras efter tre månader.",
            adopted_on=datetime.date(2026, 1, 20),
            created_by=ingrid,
        )
        proposal = CullingProposal.objects.create(
            decision=culling_decision, cutoff=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
        )
        hold = culling.place_legal_hold(channel, by=ingrid, reason="Begäran om allmän handling.")
        absence = supervision.register_absence(
            alice,
            by=alice,
            starts_at=datetime.datetime(2030, 1, 7, 7, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2030, 1, 11, 16, tzinfo=datetime.UTC),
        )
        sessions = {"anonymous": None}
        for name, user in {"alice": alice, "ingrid": ingrid}.items():
            login = Client()
            login.force_login(user)
            sessions[name] = login.cookies[settings.SESSION_COOKIE_NAME].value
        yield World(
            sessions=sessions,
            ids={
                "unit": library.pk,
                "channel": channel.pk,
                "party": link.party_id,
                "link": link.pk,
                "version": version.number,
                "user": alice.pk,
                "plan": plan.pk,
                "approved": approved.pk,
                "credential": credential.pk,
                "entry": AuditLogEntry.objects.values_list("pk", flat=True).first(),
                "item": item.pk,
                "rule": Rule.objects.values_list("pk", flat=True).first(),
                "token": ingest_token.pk,
                "subscribed": approved.channel_id,
                "secret": ingest_secret,
                "archive_file": snapshot.files.order_by("pk").first().pk,
                "diarium_copy": diarium_copy.pk,
                "snapshot_run": snapshot.run_id,
                "planned": planned.pk,
                "proposal": proposal.pk,
                "hold": hold.pk,
                "absence": absence.pk,
                "platform_action": platform_action.pk,
                **_schedule_ids(),
            },
        )
        transaction.set_rollback(True)


def _schedule_ids() -> dict[str, int]:
    """A job of the schedule whose task this installation does not have, and its times."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    interval = IntervalSchedule.objects.create(every=60, period="seconds")
    crontab = CrontabSchedule.objects.create(minute="0", hour="2", timezone="Europe/Stockholm")
    job = PeriodicTask.objects.create(name="Sond", task="archiving.tasks.missing", crontab=crontab)
    return {"job": job.pk, "interval": interval.pk, "crontab": crontab.pk}


@pytest.fixture(autouse=True)
def _facebook_page(simulator):
    """The world's channel's page on the simulated Facebook, its token granted."""
    page.open_page(simulator)


@pytest.mark.django_db
@pytest.mark.parametrize(("probe", "visitor"), list(_cases()))
def test_bad_input_never_gives_a_server_error(world, probe, visitor):
    client = Client()
    if world.sessions[visitor] is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[visitor]

    response = probe.send(client, world.ids)

    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize(
    "probes",
    [pytest.param(probes, id=f"anonymous: {url}") for url, probes in _urls_behind_login().items()],
)
def test_bad_input_to_a_url_behind_the_login_never_gives_a_server_error(world, probes):
    """Every probe of the URL as an anonymous visitor, each in a savepoint of its own; every
    probe that gives a server error is named."""
    errors = []
    for probe in probes:
        try:
            with transaction.atomic():
                response = probe.send(Client(), world.ids)
                transaction.set_rollback(True)
        except Exception as error:  # the test client re-raises a view's error
            errors.append(f"{probe.id}: {error!r}")
            continue
        if response.status_code >= 500:
            errors.append(f"{probe.id}: {response.status_code}")

    assert errors == []


def _non_admin_views(patterns, namespace: str = ""):
    """Every non-admin URL pattern, named as ResolverMatch.view_name names it."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _non_admin_views(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.lookup_str}"


def _probed_views() -> set[str]:
    probed = set()
    for probe in PROBES:
        path = probe.url.format_map(defaultdict(lambda: "1"))
        with contextlib.suppress(Resolver404):
            probed.add(resolve(path.split("?")[0]).view_name)
    return probed


def test_every_url_pattern_is_probed_with_bad_input():
    """A URL added without bad-input probes in the table above fails here."""
    unprobed = set(_non_admin_views(get_resolver().url_patterns)) - _probed_views()

    assert unprobed == set()
