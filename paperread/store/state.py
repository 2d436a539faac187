"""The user's state per paper (read, starred, tags) in ``state.json``.

Kept apart from the paper cache so that starring a paper writes a file the
size of the user's state, never the size of the library. Only papers with
non-default state are stored. The store is write-behind: ``set`` changes
memory, ``flush`` writes once (the reader flushes from a worker thread).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import PaperState
from .atomic import Tables, load_or_recover
from .errors import CorruptFile
from .tinydb_ext import open_write_behind

SCHEMA = 1
STATE_TABLE = "state"


def _problem(name: str, value: Any) -> str | None:
    """What is wrong with one stored field, or None (unknown fields are left
    to newer versions)."""
    if name in ("read", "starred") and not isinstance(value, bool):
        return "not true/false"
    if name == "tags" and not (
        isinstance(value, list) and all(isinstance(tag, str) for tag in value)
    ):
        return "not a list of strings"
    if name.endswith("_at") and not (value is None or isinstance(value, str)):
        return "not a time"
    return None


def check_states(path: Path, data: Tables) -> None:
    """Raise CorruptFile for a state document with fields of the wrong type:
    valid JSON of the wrong shape must be repaired, not crash the reader."""
    for paper_id, document in data.get(STATE_TABLE, {}).items():
        for name, value in document.items():
            problem = _problem(name, value)
            if problem:
                where = f"{name!r} of paper {paper_id!r}"
                raise CorruptFile(path, f"{where} is {problem}: {value!r:.40}")


class StateStore:
    """User state keyed by paper id, backed by one TinyDB file.

    Opening repairs a damaged file from its backup and explains what it did
    in ``open_messages``; with no usable backup it raises CorruptFile (after
    moving the damaged file aside) rather than starting empty unnoticed.
    A failed write raises StorageError; the change stays in memory and the
    store stays dirty, so a later ``flush`` can retry.
    """

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        data, self.open_messages = load_or_recover(
            self.path, schema=SCHEMA, readonly=readonly, required=True, check=check_states
        )
        self._db, self._memory = open_write_behind(
            self.path, data, schema=SCHEMA, readonly=readonly
        )
        self._table = self._db.table(STATE_TABLE)
        # _lock guards memory; _flush_lock orders writers so an older
        # snapshot never lands after a newer one
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._closed = False

    def get(self, paper_id: str) -> PaperState:
        with self._lock:
            document = self._table.raw().get(paper_id)
            return PaperState.from_dict(document).copy() if document else PaperState()

    def all(self) -> dict[str, PaperState]:
        with self._lock:
            return {
                paper_id: PaperState.from_dict(document).copy()
                for paper_id, document in self._table.raw().items()
            }

    def set(self, paper_id: str, state: PaperState) -> None:
        self.set_many({paper_id: state})

    def set_many(self, states: Mapping[str, PaperState]) -> None:
        """Change many papers as one update, written by one flush."""
        with self._lock:
            stored = self._table.raw()
            put: dict[str, dict[str, Any]] = {}
            remove: list[str] = []
            for paper_id, state in states.items():
                if state.is_default():
                    if paper_id in stored:
                        remove.append(paper_id)
                    continue
                document = state.to_dict()
                if stored.get(paper_id) != document:
                    put[paper_id] = document
            self._table.apply(put, remove)

    @property
    def dirty(self) -> bool:
        with self._lock:
            return self._memory.dirty

    def flush(self) -> None:
        """Write pending changes (one atomic write); no-op when clean.
        Raises StorageError when the disk refuses, keeping the old file."""
        with self._flush_lock:
            with self._lock:
                if not self._memory.dirty:
                    return
                generation, payload = self._memory.snapshot()
            self._memory.storage.write_encoded(payload)
            with self._lock:
                self._memory.mark_saved(generation)

    def close(self) -> None:
        """Flush and close; if the flush fails the store stays open."""
        if self._closed:
            return
        if not self.readonly:
            self.flush()
        self._db.close()
        self._closed = True

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
