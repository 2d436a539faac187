"""The user's state per paper, in two kinds of TinyDB files:

- ``state.json``: starred, tags, "not interested" (``dismissed``) and their
  times, for papers that have any (the ``dismissed`` pair only where it was
  ever set, so the other records stay as schema 2 wrote them);
- ``read/<block>.json``: read flags and their times, split by the same
  blocks as the paper cache (``blocks.read_block``).

Starring writes ``state.json`` alone, whose size follows the starred and
tagged papers, never the read ones; marking a paper read rewrites one small
read block. A paper's read record and its star/tags record are independent
(neither refers to the other), so a crash between the files of one flush
leaves each record either before or after the change, never damaged.

Only papers with non-default state are stored. The store is write-behind:
``set`` changes memory, ``flush`` writes every changed file, the read blocks
first and ``state.json`` last (the reader flushes from a worker thread).
``state.json`` files of schema 1 also held read flags; they are split when
opened (and written in the new form by the next flush). Schema 3 added
``dismissed``; files of schema 2 read as they are, and a paperread that
knows only schema 2 refuses a schema 3 file rather than drop the mark when
it rewrites a record.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import PaperState
from .atomic import (
    META_TABLE,
    Tables,
    ensure_directory,
    load_or_recover,
    remove_stale_temps_below,
)
from .blocks import READ_OTHER_DIR, list_blocks, read_block
from .bulk import without_gc
from .errors import CorruptFile
from .tinydb_ext import KeyedTable, open_write_behind

SCHEMA = 3  # of state.json; schema 1 held the read flags too, schema 2 no dismissed
READ_SCHEMA = 1
STATE_TABLE = "state"
READ_TABLE = "read"
READ_DIR = "read"

Half = dict[str, Any]


def _problem(name: str, value: Any) -> str | None:
    """What is wrong with one stored field, or None (unknown fields are left
    to newer versions)."""
    if name in ("read", "starred", "dismissed") and not isinstance(value, bool):
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
    for table in (STATE_TABLE, READ_TABLE):
        for paper_id, document in data.get(table, {}).items():
            for name, value in document.items():
                problem = _problem(name, value)
                if problem:
                    where = f"{name!r} of paper {paper_id!r}"
                    raise CorruptFile(path, f"{where} is {problem}: {value!r:.40}")


def _halves(state: PaperState) -> tuple[Half | None, Half | None]:
    """The read record and the star/tags/dismissed record of a state; None
    where a record is all defaults (both for a default state)."""
    if state.is_default():
        return None, None
    read = None
    if state.read or state.read_at is not None:
        read = {"read": state.read, "read_at": state.read_at}
    mark = None
    dismissal = state.dismissed or state.dismissed_at is not None
    starred = state.starred or state.starred_at is not None
    if starred or state.tags or state.tags_at is not None or dismissal:
        mark = {
            "starred": state.starred,
            "tags": list(state.tags),
            "starred_at": state.starred_at,
            "tags_at": state.tags_at,
        }
        if dismissal:
            mark["dismissed"] = state.dismissed
            mark["dismissed_at"] = state.dismissed_at
    return read, mark


def _state(read: Mapping[str, Any] | None, mark: Mapping[str, Any] | None) -> PaperState:
    read = read or {}
    mark = mark or {}
    return PaperState(
        read.get("read", False),
        mark.get("starred", False),
        list(mark.get("tags", ())),
        read.get("read_at"),
        mark.get("starred_at"),
        mark.get("tags_at"),
        mark.get("dismissed", False),
        mark.get("dismissed_at"),
    )


class _File:
    """One file of the store, held in memory by TinyDB (write-behind)."""

    def __init__(self, path: Path, data: Tables | None, schema: int, table: str, readonly: bool) -> None:
        self.path = path
        data = dict(data or {})
        data[META_TABLE] = {"1": {"schema": schema}}  # written in this version's form
        self.db, self.memory = open_write_behind(path, data, schema=schema, readonly=readonly)
        self.table: KeyedTable = self.db.table(table)


class StateStore:
    """User state keyed by paper id (see module docstring).

    Opening repairs a damaged file from its backup and explains what it did
    in ``open_messages``; with no usable backup it raises CorruptFile (after
    moving the damaged file aside) rather than starting empty unnoticed.
    A failed write raises StorageError; the change stays in memory and the
    store stays dirty, so a later ``flush`` can retry.
    """

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.read_dir = self.path.parent / READ_DIR
        self.readonly = readonly
        data, self.open_messages = load_or_recover(
            self.path, schema=SCHEMA, readonly=readonly, required=True, check=check_states
        )
        self._marks = _File(self.path, data, SCHEMA, STATE_TABLE, readonly)
        self._reads: dict[str, _File] = without_gc(self._load_read_blocks)
        if not readonly:
            remove_stale_temps_below(self.read_dir)
        # _lock guards memory; _flush_lock orders writers so an older
        # snapshot never lands after a newer one
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._closed = False
        self._split_old_records()

    def _load_read_blocks(self) -> dict[str, _File]:
        files = {}
        for block in list_blocks(self.read_dir, extra_dirs=(READ_OTHER_DIR,)):
            data, messages = load_or_recover(
                self._read_path(block),
                schema=READ_SCHEMA,
                readonly=self.readonly,
                required=True,
                check=check_states,
                label=f"{READ_DIR}/{block}.json",
            )
            self.open_messages.extend(messages)
            files[block] = _File(self._read_path(block), data, READ_SCHEMA, READ_TABLE, self.readonly)
        return files

    def _read_path(self, block: str) -> Path:
        return self.read_dir / f"{block}.json"

    def _read_file(self, block: str) -> _File:
        file = self._reads.get(block)
        if file is None:
            file = self._reads[block] = _File(
                self._read_path(block), None, READ_SCHEMA, READ_TABLE, self.readonly
            )
        return file

    def _split_old_records(self) -> None:
        """Move read flags found in ``state.json`` (schema 1) to the read
        blocks. Written by the next flush: read blocks first, so a crash
        before ``state.json`` is replaced only repeats this on the next open.
        Read-only stores do it in memory."""
        records = self._marks.table.raw()
        if not any("read" in document or "read_at" in document for document in records.values()):
            return
        states = {paper_id: _state(document, document) for paper_id, document in records.items()}
        self._apply(states, replace=True)
        if self.readonly:
            for file in self._files():
                file.memory.mark_saved(file.memory.generation)

    def _files(self) -> list[_File]:
        """Every file in write order: read blocks, then ``state.json``."""
        return [self._reads[block] for block in sorted(self._reads)] + [self._marks]

    def get(self, paper_id: str) -> PaperState:
        with self._lock:
            mark = self._marks.table.raw().get(paper_id)
            file = self._reads.get(read_block(paper_id))
            read = file.table.raw().get(paper_id) if file is not None else None
            return _state(read, mark)

    def all(self) -> dict[str, PaperState]:
        return without_gc(self._all)

    def _all(self) -> dict[str, PaperState]:
        with self._lock:
            reads: dict[str, Mapping[str, Any]] = {}
            for file in self._reads.values():
                reads.update(file.table.raw())
            marks = self._marks.table.raw()
            states = {paper_id: _state(read, marks.get(paper_id)) for paper_id, read in reads.items()}
            for paper_id, mark in marks.items():
                if paper_id not in reads:
                    states[paper_id] = _state(None, mark)
        return {paper_id: state for paper_id, state in states.items() if not state.is_default()}

    def set(self, paper_id: str, state: PaperState) -> None:
        self.set_many({paper_id: state})

    def set_many(self, states: Mapping[str, PaperState]) -> None:
        """Change many papers as one update, written by one flush."""
        with self._lock:
            self._apply(states)

    def _apply(self, states: Mapping[str, PaperState], replace: bool = False) -> None:
        """Store ``states`` in the tables (``replace``: even records that
        look unchanged, to rewrite old forms); caller holds the lock or is
        the constructor."""
        marks = self._marks.table.raw()
        mark_put: dict[str, Half] = {}
        mark_remove: list[str] = []
        read_put: dict[str, dict[str, Half]] = {}
        read_remove: dict[str, list[str]] = {}
        for paper_id, state in states.items():
            read, mark = _halves(state)
            if mark is None:
                if paper_id in marks:
                    mark_remove.append(paper_id)
            elif replace or marks.get(paper_id) != mark:
                mark_put[paper_id] = mark
            block = read_block(paper_id)
            file = self._reads.get(block)
            stored = file.table.raw().get(paper_id) if file is not None else None
            if read is None:
                if stored is not None:
                    read_remove.setdefault(block, []).append(paper_id)
            elif stored != read:
                read_put.setdefault(block, {})[paper_id] = read
        for block in sorted(read_put.keys() | read_remove.keys()):
            self._read_file(block).table.apply(read_put.get(block, {}), read_remove.get(block, ()))
        self._marks.table.apply(mark_put, mark_remove)

    @property
    def dirty(self) -> bool:
        with self._lock:
            return any(file.memory.dirty for file in self._files())

    def flush(self) -> None:
        """Write every changed file (one atomic write each), read blocks
        first; no-op when clean. Returns once all are on disk. Raises
        StorageError when the disk refuses, keeping the old file and the
        change in memory for a retry."""
        with self._flush_lock:
            with self._lock:
                pending = [(file, *file.memory.snapshot()) for file in self._files() if file.memory.dirty]
            for file, generation, payload in pending:
                if file is not self._marks and not self.readonly:
                    ensure_directory(file.path.parent)
                file.memory.storage.write_encoded(payload)
                with self._lock:
                    file.memory.mark_saved(generation)

    def close(self) -> None:
        """Flush and close; if the flush fails the store stays open."""
        if self._closed:
            return
        if not self.readonly:
            self.flush()
        for file in self._files():
            file.db.close()
        self._closed = True

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
