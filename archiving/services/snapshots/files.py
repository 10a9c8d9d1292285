"""The files of a snapshot run: where they are written, how they are stored with their
SHA-256 and size, and how those no record names are removed."""

import hashlib
import logging
import secrets

from django.core.files import File

from ...models import ArchiveFile, SnapshotRun, run_directory

logger = logging.getLogger(__name__)


def archive_storage():
    """The storage the archive's files are written to (ArchiveFile.file's)."""
    return ArchiveFile._meta.get_field("file").storage


def hash_and_size(handle) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
        size += len(block)
    handle.seek(0)
    return digest.hexdigest(), size


def store_file(storage, name: str, handle) -> tuple[str, str, int]:
    """Store a finished temporary file under `name`; (stored name, SHA-256, size)."""
    sha256, size = hash_and_size(handle)
    stored = storage.save(name, File(handle, name=name))
    return stored, sha256, size


def attempt_name(run: SnapshotRun, filename: str) -> str:
    # A token per attempt: two deliveries of one part never write to the same name.
    return f"{run_directory(run)}/{secrets.token_hex(4)}-{filename}"


def delete_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a file that cannot be removed must not hide the real error
            logger.warning("Could not remove archive file %s", name, exc_info=True)


def remove_strays(storage, run: SnapshotRun, *, keep: set[str]) -> None:
    """Remove the files in the run's directory that no record names: those of attempts that
    failed or came second, and temporary files of a worker killed while writing."""
    try:
        _directories, files = storage.listdir(run_directory(run))
    except (FileNotFoundError, NotImplementedError):
        return
    strays = [f"{run_directory(run)}/{name}" for name in files]
    delete_files(storage, [name for name in strays if name not in keep])
