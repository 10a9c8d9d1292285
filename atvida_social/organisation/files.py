"""Stored files (approved PDFs, archive snapshots) leave only through views that checked
permission first: nothing serves MEDIA_ROOT by URL (see `atvida_social/urls.py` and the
`organisation.E001` system check).
"""

import logging

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def stored_file_response(
    field_file, filename: str, *, content_type: str | None = None
) -> FileResponse:
    """Stream a stored file as a download named `filename`.

    Call it only after the view has checked that the user may see the file. The file is
    always an attachment with its type fixed (`nosniff`), so stored HTML or an image from an
    archived post is never rendered on this site; no shared cache keeps a copy.
    """
    if not field_file or not field_file.name:
        raise Http404(_("Filen finns inte."))
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError:
        logger.error("Stored file %s is missing from the storage.", field_file.name)
        raise Http404(_("Filen finns inte längre i lagringen.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
