"""Errors the storage layer raises; each message is a sentence a user can act on."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class for every storage error."""


class CorruptFile(StoreError):
    """A data file could not be used: invalid JSON, the wrong shape, or
    written by a newer paperread."""

    def __init__(self, path: Path | str, reason: str, detail: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.detail = detail
        message = f"{self.path} is unreadable ({reason})"
        super().__init__(f"{message}; {detail}" if detail else message)


class FutureSchema(CorruptFile):
    """The file is intact but was written by a newer paperread. It is never
    moved aside or replaced by its backup: a newer version can still read it."""

    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"written by a newer paperread: schema {found}, this version reads up to {supported}",
            "upgrade paperread to use it",
        )


class StorageError(StoreError):
    """Saving failed (disk full, read-only file system, no permission, or the
    store was opened read-only). The previous file on disk is intact."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"could not save {self.path}: {reason}; the previous version is kept")


class LibraryLocked(StoreError):
    """Another process holds the library lock."""

    def __init__(self, data_dir: Path | str, pid: int | None, since: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.pid = pid
        self.since = since
        if pid is None:
            holder = "another paperread process"
        elif since:
            holder = f"paperread (pid {pid}, since {since})"
        else:
            holder = f"paperread (pid {pid})"
        # the situation alone, for a caller with other advice than the reader's
        self.in_use = f"the library in {self.data_dir} is in use by {holder}"
        super().__init__(f"{self.in_use}; close it first or use --readonly")
