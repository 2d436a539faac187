"""Two small TinyDB extensions the stores share.

``KeyedTable`` uses caller-chosen string ids (paper ids, feed URLs) as
document ids and changes many documents in one table update, so a bulk
action is one write. ``WriteBehindMiddleware`` keeps the database in memory:
reads never touch the file, writes only mark it dirty, and ``flush`` writes
once. Unlike TinyDB's CachingMiddleware it never writes on its own, and it
lets the owner serialise under its lock and do the disk work outside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.middlewares import Middleware
from tinydb.table import Table

from .atomic import AtomicJSONStorage, Tables


class KeyedTable(Table):
    """A table whose document ids are strings chosen by the caller."""

    document_id_class = str

    def raw(self) -> Mapping[str, dict[str, Any]]:
        """The stored documents without per-document copies; do not mutate."""
        return self._read_table()

    def apply(
        self, put: Mapping[str, Mapping[str, Any]], remove: Iterable[str] = ()
    ) -> None:
        """Insert or replace the documents in ``put`` and delete the ids in
        ``remove``, as one table update (one storage write)."""
        removals = list(remove)
        if not put and not removals:
            return

        def updater(table: dict[str, Mapping[str, Any]]) -> None:
            for doc_id in removals:
                table.pop(doc_id, None)
            for doc_id, document in put.items():
                table[doc_id] = dict(document)

        self._update_table(updater)


class KeyedDB(TinyDB):
    table_class = KeyedTable

    def table(self, name: str, **kwargs: Any) -> KeyedTable:
        return cast(KeyedTable, super().table(name, **kwargs))


class WriteBehindMiddleware(Middleware):
    """Holds the whole database in memory and writes it only on ``flush``.

    ``generation`` counts changes; the database is dirty while it is ahead of
    the last generation written.
    """

    storage: AtomicJSONStorage

    def __init__(self, storage_cls: type[AtomicJSONStorage]) -> None:
        super().__init__(storage_cls)
        self._cache: Tables | None = None
        self.generation = 0
        self.saved_generation = 0

    def prime(self, data: Tables | None) -> None:
        """Start from data already read (and checked) by the caller."""
        self._cache = data if data is not None else {}

    def read(self) -> Tables:
        if self._cache is None:
            self._cache = self.storage.read() or {}
        return self._cache

    def write(self, data: Tables) -> None:
        self._cache = data
        self.generation += 1

    @property
    def dirty(self) -> bool:
        return self.generation != self.saved_generation

    def snapshot(self) -> tuple[int, bytes]:
        """The current generation and its serialised form."""
        return self.generation, self.storage.encode(self.read())

    def mark_saved(self, generation: int) -> None:
        self.saved_generation = generation

    def flush(self) -> None:
        if self.dirty:
            generation, payload = self.snapshot()
            self.storage.write_encoded(payload)
            self.mark_saved(generation)

    def close(self) -> None:
        """Close without writing; owners flush explicitly so a failed write is
        reported where it happens."""
        self.storage.close()


def open_write_behind(
    path: Path, data: Tables | None, *, schema: int, readonly: bool = False
) -> tuple[KeyedDB, WriteBehindMiddleware]:
    """A KeyedDB on an AtomicJSONStorage, held in memory from ``data``
    (already read and checked by the caller)."""
    storage = WriteBehindMiddleware(AtomicJSONStorage)
    db = KeyedDB(path, storage=storage, schema=schema, readonly=readonly)
    storage.prime(data)
    return db, storage
