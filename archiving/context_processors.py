from .culling import selectors as culling_selectors


def archive(request):
    """Whether the archive's pages offer culling's review or only its log."""
    user = getattr(request, "user", None)
    return {"may_cull": culling_selectors.may_cull(user) if user is not None else False}
