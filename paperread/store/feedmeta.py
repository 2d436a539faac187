"""What the last refreshes learnt about each feed, in ``feeds.json``:
validators for conditional GET, outcome, counts, back-off and the feed's
own title.

Callers should record a feed's new ``etag``/``last_modified`` only after its
papers are saved, or a crash in between would make the next refresh get a
304 for papers that never reached the cache.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .atomic import load_or_recover
from .tinydb_ext import open_write_behind

SCHEMA = 1
FEEDS_TABLE = "feeds"
STATUSES = ("ok", "error", "not-modified")


@dataclass(slots=True)
class FeedMeta:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: str | None = None  # UTC ISO time of the last fetch attempt
    last_success: str | None = None
    last_status: str | None = None  # one of STATUSES
    last_error: str | None = None
    # "new", "updated", "total" from the last refresh
    counts: dict[str, int] = field(default_factory=dict)
    retry_after_until: str | None = None
    title: str | None = None  # the channel's or feed's title, as the feed gives it

    @classmethod
    def from_dict(cls, url: str, data: dict[str, Any]) -> FeedMeta:
        values = {key: value for key, value in data.items() if key in _FIELDS}
        values["counts"] = dict(values.get("counts") or {})
        return cls(url=url, **values)


_FIELDS = frozenset(f.name for f in fields(FeedMeta)) - {"url"}


class FeedMetaStore:
    """Per-feed metadata keyed by feed URL. Each ``update`` is written at
    once (one small atomic write). A damaged file without a usable backup is
    moved aside and the store starts empty: the cost is one unconditional
    fetch per feed."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        data, self.open_messages = load_or_recover(
            self.path, schema=SCHEMA, readonly=readonly, required=False
        )
        self._db, self._memory = open_write_behind(
            self.path, data, schema=SCHEMA, readonly=readonly
        )
        self._table = self._db.table(FEEDS_TABLE)
        self._lock = threading.Lock()

    def get(self, url: str) -> FeedMeta:
        with self._lock:
            return FeedMeta.from_dict(url, self._table.raw().get(url, {}))

    def all(self) -> dict[str, FeedMeta]:
        with self._lock:
            return {url: FeedMeta.from_dict(url, doc) for url, doc in self._table.raw().items()}

    def update(self, url: str, **changes: Any) -> FeedMeta:
        """Set the given fields for ``url`` and write the file. Raises
        TypeError for unknown fields, ValueError for an unknown status and
        StorageError when the write fails (memory keeps the change)."""
        return self.update_many({url: changes})[url]

    def update_many(self, changes: dict[str, dict[str, Any]]) -> dict[str, FeedMeta]:
        """``update`` for several feeds, in one write (a refresh of ten
        feeds wrote the file ten times, 5-8 ms each, after its last feed).
        Nothing changes when any of the changes is refused."""
        for fields_ in changes.values():
            unknown = set(fields_) - _FIELDS
            if unknown:
                raise TypeError(f"unknown feed metadata fields: {', '.join(sorted(unknown))}")
            status = fields_.get("last_status")
            if status is not None and status not in STATUSES:
                raise ValueError(f"last_status must be one of {STATUSES}, not {status!r}")
        with self._lock:
            updated: dict[str, FeedMeta] = {}
            documents: dict[str, dict[str, Any]] = {}
            for url, fields_ in changes.items():
                current = FeedMeta.from_dict(url, self._table.raw().get(url, {}))
                for name, value in fields_.items():
                    setattr(current, name, value)
                documents[url] = asdict(current)
                del documents[url]["url"]
                updated[url] = current
            self._table.apply(documents)
            self._memory.flush()
            return updated

    def last_refresh(self) -> str | None:
        """The latest ``last_attempt`` over all feeds."""
        with self._lock:
            documents = self._table.raw().values()
            attempts = [doc["last_attempt"] for doc in documents if doc.get("last_attempt")]
        return max(attempts, default=None)

    def close(self) -> None:
        with self._lock:
            if not self.readonly:
                self._memory.flush()
            self._db.close()
