from . import selectors
from .culling import selectors as culling_selectors


def archive(request):
    """Whether the navigation shows the archive."""
    user = getattr(request, "user", None)
    return {
        "may_see_archive": selectors.may_see_archive(user) if user is not None else False,
        "may_cull": culling_selectors.may_cull(user) if user is not None else False,
    }
