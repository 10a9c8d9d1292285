"""Biblioteket's blog on the simulated WordPress: the site, its application password and
helpers to write comments there, for the WordPress and the pull and action tests."""

import json
import time

from moderation.platforms import registry
from moderation.platforms.wordpress import simulator as wordpress

SITE = "bibblan.atvidaberg.se"
USER = "redaktor"
PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"
CREDENTIAL = f"{USER}:{PASSWORD}"
CREDENTIALS = {"username": USER, "application_password": PASSWORD}


def connector(credentials=None):
    return registry.connector_for("blogg", account_id=SITE, credentials=credentials or CREDENTIALS)


def open_blog(state, permissions=wordpress.PERMISSIONS):
    """The site with the tool's credential granted and one post; returns the post."""
    state.grant("wordpress", CREDENTIAL, SITE, permissions)
    return state.add(
        "wordpress",
        SITE,
        "post",
        "Sommarläsning\n\nNu börjar sommarlovsläsningen på biblioteket.",
        author="Biblioteket",
        by_account=True,
        created=time.time() - 3600,
    )


def comment(state, post, text, *, author="Anna Andersson", parent=None, ago=60.0):
    return state.add(
        "wordpress",
        SITE,
        "comment",
        text,
        author=author,
        parent=parent.id if parent is not None else post.id,
        created=time.time() - ago,
    )


def comments(state, post, count, *, ago=600.0):
    """`count` comments, oldest first, a second apart."""
    return [
        comment(
            state,
            post,
            f"Kommentar nummer {n} om läsningen.",
            author=f"Läsare {n}",
            ago=ago - n * 0.01,
        )
        for n in range(count)
    ]


def saved(cursor: str) -> dict:
    return json.loads(cursor)


def blog_channel(library, alice, bob, dora):
    """Biblioteket's blog, with an approved plan naming alice (Kontoansvarig) and dora, and
    the starter rules (a transactional test's flush may have emptied them)."""
    from tests.conftest import moderated_channel

    return moderated_channel(library, alice, bob, dora, platform="blogg", url=f"https://{SITE}/")


def connect(channel):
    """The channel's connection to the simulated blog (the connection page's service is the
    UI's; the row is what it stores)."""
    from moderation.models import PlatformConnection

    return PlatformConnection.objects.create(
        channel=channel, platform="blogg", account_id=SITE, credentials=json.dumps(CREDENTIALS)
    )


class FailingBackend:
    """A mail server that refuses every mail."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")
