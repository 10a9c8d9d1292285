"""Where the archive's files are stored.

Files go through Django's storage API only, so that an S3-compatible storage can replace the
local disk in production by configuration: set STORAGES["archive"] (or change "default") and
no code changes. On local disk a file is never seen half written: it is written to a
temporary name in the same directory, flushed to disk (fsync) and then moved to its name in
one step, so that a worker killed halfway leaves at most a temporary file, never a partial
file under a real name (S3-like storages make an object visible only when it is complete).
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage, default_storage, storages

TEMPORARY_PREFIX = ".tmp-"


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files appear whole or not at all."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=directory)
        try:
            with os.fdopen(descriptor, "wb") as target:
                if hasattr(content, "seek") and content.seekable():
                    content.seek(0)
                for chunk in content.chunks():
                    target.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                target.flush()
                os.fsync(target.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o644)
            while True:
                try:
                    if self._allow_overwrite:
                        os.replace(temporary, full_path)
                    else:
                        # A hard link fails if the name exists: no file is ever replaced.
                        os.link(temporary, full_path)
                        os.unlink(temporary)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        _fsync_directory(os.path.dirname(full_path))
        self._ensure_location_group_id(full_path)
        return str(os.path.relpath(full_path, self.location)).replace("\\", "/")


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def archive_storage():
    """The archive's storage: STORAGES["archive"] when configured; otherwise the default
    storage, made atomic when it is the local disk."""
    from django.conf import settings

    if "archive" in settings.STORAGES:
        return storages["archive"]
    if settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        return AtomicFileSystemStorage(**settings.STORAGES["default"].get("OPTIONS", {}))
    return default_storage
