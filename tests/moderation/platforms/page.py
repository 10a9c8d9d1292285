"""A Facebook page on the simulated Graph API, for the tests of the connection pages, the
platform state and the permission matrix: the page, its token and a channel connected to it
through the connection page's service."""

from moderation.platforms.facebook import simulator as facebook
from moderation.services import connections

PAGE = "104523998765432"
TOKEN = "EAAB-hemlig-sidtoken-4711"
CREDENTIALS = {"access_token": TOKEN}
# The label Facebook's connector gives the permission to hide comments.
HIDING = "Dölja, ta bort och besvara kommentarer (pages_manage_engagement)"


def open_page(state, *, token=TOKEN, permissions=facebook.PERMISSIONS):
    """The page with its two demo posts, `token` granted `permissions`; the newest post."""
    facebook.seed_demo(state, PAGE, token)
    state.grant("facebook", token, PAGE, permissions)
    return state.listing("facebook", PAGE, "post")[-1]


def comment(state, post, text, *, author="Anna Andersson"):
    return state.add("facebook", PAGE, "comment", text, author=author, parent=post.id)


def connect(channel, *, by, token=TOKEN, account_id=PAGE):
    """The channel connected to the page (untested), as the connection page saves it."""
    return connections.save_connection(
        channel, by=by, account_id=account_id, credentials={"access_token": token}
    )
