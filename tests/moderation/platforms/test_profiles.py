"""The account's profile on each platform (`Connector.profile`) against the simulator: the
call each connector makes, what it maps, and the text cleaned and bounded."""

import datetime

import pytest
import time_machine

from moderation.platforms import base, registry
from moderation.platforms.facebook import simulator as facebook
from moderation.platforms.instagram import simulator as instagram
from moderation.platforms.wordpress import simulator as wordpress
from moderation.platforms.x import simulator as x
from moderation.platforms.youtube import simulator as youtube

UTC = datetime.UTC
TOKEN = "profil-token-4711"
# (registry platform, simulator platform, account, simulator module, credentials)
PLATFORMS = {
    "facebook": ("facebook", "104523998765432", facebook, {"access_token": TOKEN}),
    "instagram": ("instagram", "17841400000000001", instagram, {"access_token": TOKEN}),
    "x": ("x", "1500000000000000001", x, {"access_token": TOKEN}),
    "youtube": (
        "youtube",
        "UCkommunAtvidaberg000001",
        youtube,
        youtube.demo_credentials("", TOKEN),
    ),
    "blogg": (
        "wordpress",
        "bibblan.atvidaberg.se",
        wordpress,
        wordpress.demo_credentials("", TOKEN),
    ),
}


def open_account(state, platform: str):
    """The platform's demo account (its Swedish demo profile) and a connector for it."""
    api, account, module, credentials = PLATFORMS[platform]
    module.seed_demo(state, account, TOKEN)
    connector = registry.connector_for(platform, account_id=account, credentials=credentials)
    return api, account, connector


EXPECTED = {
    "facebook": (
        "Åtvidabergs kommun (demo)",
        "Kommunens officiella sida. Vi svarar på frågor vardagar 8–16.",
        "https://www.facebook.com/104523998765432",
        ("GET", "/104523998765432", {"fields": "name,about,description,link"}),
    ),
    "instagram": (
        "Åtvidabergs kommun (demo)",
        "Bilder och nyheter från Åtvidabergs kommun. Frågor? Skriv till oss här.",
        "https://www.instagram.com/atvidabergs_kommun_demo/",
        ("GET", "/17841400000000001", {"fields": "name,username,biography"}),
    ),
    "x": (
        "Åtvidabergs kommun (demo)",
        "Nyheter och information från Åtvidabergs kommun. Vi svarar vardagar 8–16.",
        "https://x.com/konto1500000000000000001",
        (
            "GET",
            "/users/1500000000000000001",
            {"user.fields": "description,name,username"},
        ),
    ),
    "youtube": (
        "Åtvidabergs kommun (demo)",
        "Filmer från Åtvidabergs kommun: om service, fritid och det som händer.",
        "https://www.youtube.com/@atvidabergskommundemo",
        ("GET", "/channels", {"part": "snippet", "id": "UCkommunAtvidaberg000001"}),
    ),
    "blogg": (
        "Bibliotekets blogg (demo)",
        "Boktips, evenemang och nyheter från biblioteket i Åtvidaberg.",
        "https://bibblan.atvidaberg.se",
        ("GET", "/sites/bibblan.atvidaberg.se/settings", {"_fields": "title,description,url"}),
    ),
}


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_each_connector_reads_the_profile_the_platform_shows_in_one_call(simulator, platform):
    api, _account, connector = open_account(simulator, platform)
    name, description, url, (method, path, params) = EXPECTED[platform]

    profile = connector.profile()

    assert profile == base.Profile(name=name, description=description, url=url)
    calls = [(c.method, c.path, c.params) for c in simulator.calls_to(api) if c.path != "/token"]
    assert calls == [(method, path, params)]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_a_description_changed_on_the_platform_is_read_as_it_now_is(simulator, platform):
    api, account, connector = open_account(simulator, platform)
    simulator.set_profile(api, account, description="Ny beskrivning från och med i dag.")

    assert connector.profile().description == "Ny beskrivning från och med i dag."


def test_a_facebook_page_without_an_about_text_shows_its_longer_description(simulator):
    api, account, connector = open_account(simulator, "facebook")
    simulator.set_profile(api, account, description="")

    assert connector.profile().description == facebook.DEMO_PROFILE["long_description"]


def test_the_profile_is_cleaned_of_control_characters_and_bounded(simulator):
    api, account, connector = open_account(simulator, "facebook")
    simulator.set_profile(
        api,
        account,
        name="Åtvidabergs\x00 kommun\n\u202eofficiell\x07" + "x" * 500,
        description="Rad ett\r\nRad två\x1b[31m\u2066" + "å" * 10_000,
        link="javascript:alert(1)",
    )

    profile = connector.profile()

    assert profile.name.startswith("Åtvidabergs kommun officiell")
    assert len(profile.name) == base.PROFILE_NAME_MAX
    assert profile.description.startswith("Rad ett\nRad två[31m")
    assert len(profile.description) == base.PROFILE_DESCRIPTION_MAX
    assert not any(ord(char) < 32 and char != "\n" for char in profile.name + profile.description)
    # Not an https address: the page's own address instead.
    assert profile.url == f"https://www.facebook.com/{account}"


def test_a_profile_without_an_https_address_keeps_none():
    assert base.profile_of("Namn", "Text", "http://example.org/").url == ""
    assert base.profile_of("Namn", "Text", "https://exa mple.org/").url == ""
    assert base.profile_of(None, 42, None) == base.Profile(name="", description="", url="")


@time_machine.travel(datetime.datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
def test_the_youtube_profile_costs_one_quota_unit_and_keeps_the_reserve_for_actions(simulator):
    _api, _account, connector = open_account(simulator, "youtube")
    connector.limits = {"quota_day": "2026-12-06", "quota_used": 100}

    connector.profile()

    assert connector.limits["quota_used"] == 101
    # A pull's call: within the reserve left for hiding and rejecting it is refused.
    connector.limits = {"quota_day": "2026-12-06", "quota_used": 9_500}
    with pytest.raises(base.RateLimited):
        connector.profile()
    assert [c.path for c in simulator.calls_to("youtube") if c.path == "/channels"] == ["/channels"]


def test_the_x_profile_counts_in_the_user_lookup_window(simulator):
    _api, _account, connector = open_account(simulator, "x")

    connector.profile()

    assert connector.limits["endpoints"]["user"]["remaining"] == x.LIMITS["user"] - 1


def test_wordpress_settings_without_a_title_give_no_profile(simulator):
    api, account, connector = open_account(simulator, "blogg")
    simulator.set_profile(api, account, name="")

    with pytest.raises(base.PlatformError) as refused:
        connector.profile()

    assert refused.value.message == "Bloggens inställningar gav inget namn på webbplatsen."


def test_a_blog_user_who_may_not_read_the_settings_gives_no_profile_and_no_error(
    simulator, library, alice, bob, dora
):
    """WordPress lets only a user who may change the settings (manage_options) read them: an
    editor's password reads no profile, and that is no failure of the pull."""
    from moderation.services import pulls
    from tests.moderation.platforms import blog

    blog.open_blog(simulator, permissions=("moderate_comments", "edit_posts", "read"))
    connection = blog.connect(blog.blog_channel(library, alice, bob, dora))

    result = pulls.pull_connection(connection.pk)

    connection.refresh_from_db()
    assert (result.error, result.profile_read, connection.profile) == ("", False, {})
