"""Role-matrix inputs of the staff backup pages: URL names, a valid POST body, URL argument factories.

The factories make cheap objects: a "backup" whose stored archive is not a real one (restoring it
is refused at once) and a refused restore (confirming it is refused), so an allowed POST redirects
without replacing the store's data.
"""

from django.core.files.base import ContentFile

from truestyle.backups.archive import archive_storage
from truestyle.backups.models import BackupLog, RestoreLog


class _ArchiveFile:
    """An upload the matrix can post once per role: unlike a file object, it reads in full every time."""

    name = "store.tar.gz"

    def read(self) -> bytes:
        return b"not a backup archive"


def _backup_id() -> str:
    stored = archive_storage().save("backup.tar.gz", ContentFile(b"not a backup archive", name="backup.tar.gz"))
    return str(BackupLog.objects.create(status="succeeded", progress=100, archive=stored, size_bytes=20).pk)


NAMES = {"backups", "backup-start", "backup", "backup-download", "backup-restore", "backups-restore-upload",
         "backups-restore", "backups-restore-confirm"}
POST_DATA = {"archive": _ArchiveFile(), "confirm_phrase": "RESTORE"}
ARGUMENTS = {
    "backup_id": _backup_id,
    "restore_id": lambda: str(RestoreLog.objects.create(source="upload", archive="0" * 24 + ".tar.gz",
                                                        status="refused", validation_errors=["Not an archive."]).pk),
}
