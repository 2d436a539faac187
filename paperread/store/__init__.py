"""Storage: user state, the paper cache and feed metadata in TinyDB files
written atomically, guarded by a per-library lock.

Layout of a data directory::

    lock                     flock held by the one writing process
    state.json               starred/tags per paper (small; written on every star)
    read/<block>.json        read flags, split like the paper blocks
    feeds.json               per-feed validators, outcome and counts
    papers/<block>.json      paper records, about 1000 a file (see blocks.py)
    papers/<block>.idx.json  each block's summary index (rebuilt when stale)
    *.bak                    the previous version of each file (indexes have none)
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import AtomicJSONStorage
from .blocks import paper_month
from .cache import PaperCache
from .errors import CorruptFile, FutureSchema, LibraryLocked, StorageError, StoreError
from .feedmeta import FeedMeta, FeedMetaStore
from .lock import LibraryLock
from .state import StateStore

__all__ = [
    "AtomicJSONStorage",
    "CorruptFile",
    "FeedMeta",
    "FeedMetaStore",
    "FutureSchema",
    "LibraryLock",
    "LibraryLocked",
    "LibraryStore",
    "PaperCache",
    "StateStore",
    "StorageError",
    "StoreError",
    "open_library_store",
    "paper_month",
]

STATE_FILE = "state.json"
FEEDS_FILE = "feeds.json"
PAPERS_DIR = "papers"


@dataclass
class LibraryStore:
    """Everything stored for one library. ``lock`` is None when read-only."""

    data_dir: Path
    readonly: bool
    state: StateStore
    cache: PaperCache
    feeds: FeedMetaStore
    lock: LibraryLock | None
    notes: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        """Sentences for the user: read-only fallback and repaired files
        (including paper blocks repaired while the cache is read)."""
        opened = self.state.open_messages + self.feeds.open_messages
        return self.notes + opened + self.cache.messages

    def close(self) -> None:
        """Flush and release the lock. A failed flush raises StorageError
        and keeps the lock, so the caller can retry or report it."""
        self.state.close()
        self.feeds.close()
        if self.lock is not None:
            self.lock.release()


def _write_problem(data_dir: Path) -> str | None:
    """Why ``data_dir`` cannot be created or written, or None if it can. A
    real probe file rather than os.access, which is blind to read-only
    mounts and to root."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".probe-"):
            pass
    except OSError as error:
        return error.strerror or str(error)
    return None


def open_library_store(data_dir: Path, readonly: bool = False) -> LibraryStore:
    """Open (creating if needed) the library in ``data_dir``.

    Takes the library lock unless ``readonly`` (raises LibraryLocked when
    another process holds it). A directory that cannot be written is opened
    read-only, with a message saying so. Raises CorruptFile when
    ``state.json`` is damaged and has no usable backup.
    """
    data_dir = Path(data_dir)
    notes: list[str] = []
    if not readonly:
        problem = _write_problem(data_dir)
        if problem is not None:
            readonly = True
            notes.append(
                f"{data_dir} is not writable ({problem}); opened read-only, "
                "changes will not be saved"
            )
    lock = None if readonly else LibraryLock(data_dir)
    if lock is not None:
        lock.acquire()
    try:
        state = StateStore(data_dir / STATE_FILE, readonly=readonly)
        feeds = FeedMetaStore(data_dir / FEEDS_FILE, readonly=readonly)
        cache = PaperCache(data_dir / PAPERS_DIR, readonly=readonly)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return LibraryStore(data_dir, readonly, state, cache, feeds, lock, notes)
