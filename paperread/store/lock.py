"""One writer per library: an exclusive ``flock`` on ``<data_dir>/lock``.

The kernel drops a flock when its holder dies, so a crashed paperread never
leaves a stale lock behind. The file's contents (the holder's pid and since
when it holds the lock) only serve the error message.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

from ..model import utc_now
from .errors import LibraryLocked, StoreError

LOCK_NAME = "lock"
HOLDER_WAIT = 0.25  # seconds to wait for a holder's pid before naming nobody


class LibraryLock:
    """``with LibraryLock(data_dir): ...`` or ``acquire()`` / ``release()``.

    ``acquire`` raises LibraryLocked, naming the holder's pid, when another
    process (or another LibraryLock in this one) holds the lock.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            reason = error.strerror or str(error)
            raise StoreError(f"cannot open the lock file {self.path}: {reason}") from error
        try:
            self._lock_or_name_holder(fd)
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": utc_now()}).encode(), 0)
        except OSError:
            # The flock is held; the holder's pid only serves the message a
            # second process prints. A full disk must not stop the open: the
            # first real write then fails with a StorageError that says why.
            pass
        self._fd = fd

    def _lock_or_name_holder(self, fd: int) -> None:
        """Take the flock, or raise LibraryLocked naming the holder. A holder
        that has just taken the lock writes its pid a moment later, and one
        that is letting go empties the file first: while the file names
        nobody, wait a little, trying again."""
        deadline = time.monotonic() + HOLDER_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pid, since = _read_holder(fd)
                if pid is not None or time.monotonic() >= deadline:
                    raise LibraryLocked(self.data_dir, pid, since) from None
                time.sleep(0.01)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the last descriptor drops the flock

    def __enter__(self) -> LibraryLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _read_holder(fd: int) -> tuple[int | None, str | None]:
    """The pid and start time the holder wrote; (None, None) while it has
    not written them yet or the file is foreign."""
    try:
        holder = json.loads(os.pread(fd, 4096, 0) or b"null")
    except ValueError:
        return None, None
    if not isinstance(holder, dict):
        return None, None
    pid = holder.get("pid")
    since = holder.get("since")
    return (pid if isinstance(pid, int) else None), (since if isinstance(since, str) else None)
