"""For you over a session's library: the papers' vectors stored in
DATA/foryou/ (read on first use, kept up to date by a backfill and after a
refresh) and the ranking made with them. ``Session`` owns one
``LibraryVectors`` and its ``for_you``, ``for_you_missing``,
``for_you_backfill`` and ``sync_vectors`` are these.

Importing this module loads no numpy: the vectors' modules load on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from paperread.store import StoreError

if TYPE_CHECKING:
    from paperread.foryou import Ranking, Vectors, VectorStore
    from paperread.library import Library
    from paperread.model import Paper
    from paperread.watch import Watchlist

BACKFILL_STORE_EVERY = 5000  # papers vectorised by a backfill between two stored segments


class VectorsOwner(Protocol):
    """What ``LibraryVectors`` reads of the session that owns it."""

    library: Library
    summaries: bool
    watchlist: Watchlist
    # whether the vectors made may be stored (else they are kept in memory)
    write_vectors: bool
    # what went wrong with the stored vectors, once each
    vector_warnings: list[str]

    @property
    def foryou_dir(self) -> Path: ...

    def is_watched(self, paper: Paper) -> bool: ...

    def full_papers(self, papers: Iterable[Paper]) -> list[Paper]: ...


class LibraryVectors:
    """The vectors of ``owner``'s papers: read from the store on first use,
    added to in memory and in the store (when ``owner.write_vectors``); a
    lock guards them, so worker threads may share them."""

    def __init__(self, owner: VectorsOwner) -> None:
        self._owner = owner
        self._vectors: Vectors | None = None
        self._store: VectorStore | None = None
        self._lock = threading.Lock()

    def for_you(
        self,
        *,
        tag: str | None = None,
        like: str | None = None,
        include_read: bool = False,
        among: Collection[str] | None = None,
    ) -> Ranking:
        """The library's papers ranked for this reader (``foryou.rank``):
        trained on every paper's state, ranking the unread ones (all but the
        dismissed with ``include_read``), only those in ``among`` (paper
        ids) when given. Uses the stored vectors by id, read on the first
        call (seconds at 100k papers: call it from a worker thread); papers
        without one come last (``Ranking.unranked``) and the description
        says how many have one until ``backfill`` has run."""
        from paperread import foryou

        owner = self._owner
        vectors = self._stored()
        papers = list(owner.library.papers.values())
        liked = owner.library.papers.get(like) if like is not None else None
        if liked is not None and like not in vectors:
            vectors = vectors.plus(foryou.Vectors.of(owner.full_papers([liked])))
        return foryou.rank(
            papers, owner.library.states(), vectors, watchlist=_OwnerWatch(owner) if owner.watchlist else None,
            tag=tag, like=like, include_read=include_read, among=among, vectorise_missing=False,
        )  # fmt: skip

    def missing(self) -> int:
        """How many papers have no stored vector (reads the vectors once)."""
        vectors = self._stored()
        return len(self._owner.library.papers.keys() - vectors.row.keys())

    def backfill(self, pause: Callable[[], None] = lambda: None, chunk: int = 500) -> Iterator[int]:
        """Vectorise the papers without a stored vector (with full records
        also those whose text changed since), ``chunk`` papers at a time,
        calling ``pause`` between chunks, and yield how many are done so
        far. Run it in a worker thread; nothing happens until it is
        iterated, and it yields nothing when every paper has its vector.
        The vectors are stored every ``BACKFILL_STORE_EVERY`` papers and at
        the end (a segment a time: fewer merges of the whole store), and
        ``for_you`` sees them from then on."""
        from paperread.foryou import Vectors

        owner = self._owner
        vectors = self._stored()
        missing = vectors.missing(list(owner.library.papers.values()), check_text=not owner.summaries)
        pending = Vectors.empty()
        done = 0
        for start in range(0, len(missing), max(chunk, 1)):
            if start:
                pause()
            part = owner.full_papers(missing[start : start + max(chunk, 1)])
            pending = pending.plus(Vectors.of(part))
            done += len(part)
            if len(pending) >= BACKFILL_STORE_EVERY or done == len(missing):
                self._add(pending)
                pending = Vectors.empty()
            yield done

    def sync(self, papers: Sequence[Paper]) -> str | None:
        """Vectorise and store ``papers`` (full records: e.g. a refresh's
        changed papers) where they are new or their text changed; the
        problem, in one line, when they could not be stored. Run it in a
        worker thread. Before the vectors are read (no ``for_you`` yet) the
        papers are vectorised and stored without reading them; and not at
        all while no vector is stored (For you never used): the first
        ``backfill`` makes them all, so a refresh into a new library does
        not wait for it."""
        from paperread.foryou import Vectors

        with self._lock:
            loaded = self._vectors
            if loaded is None and not self._open_store().has_vectors():
                return None
        if loaded is None:
            return self._add(Vectors.of(list(papers)), append_only=True)
        return self._add(Vectors.of(loaded.missing(papers)))

    def _stored(self) -> Vectors:
        with self._lock:
            if self._vectors is None:
                store = self._open_store()
                vectors = store.load()
                self._note_warnings(store.warnings)
                self._vectors = vectors
            return self._vectors

    def _open_store(self) -> VectorStore:
        if self._store is None:
            from paperread.foryou import VectorStore

            self._store = VectorStore(self._owner.foryou_dir)
        return self._store

    def _note_warnings(self, warnings: list[str]) -> None:
        noted = self._owner.vector_warnings
        for warning in warnings:
            if warning not in noted:
                noted.append(warning)
        warnings.clear()

    def _add(self, added: Vectors, append_only: bool = False) -> str | None:
        """``added`` into the vectors in memory (when read) and the store
        (when it may be written); the problem when it could not be stored."""
        if not len(added):
            return None
        with self._lock:
            store = self._open_store()
            vectors = self._vectors
            problem = None
            if self._owner.write_vectors:
                try:
                    if append_only and vectors is None:
                        store.append(added)
                    else:
                        assert vectors is not None
                        self._vectors = store.add(added, vectors)
                        return None
                except (StoreError, OSError, ValueError) as error:
                    problem = f"For you: could not store the papers' vectors in {self._owner.foryou_dir}: {error}"
                    self._note_warnings([problem])
            if vectors is not None:
                self._vectors = vectors.plus(added)
            return problem


class _OwnerWatch:
    """The watch list as ``foryou.rank`` asks it, with the session's
    verdicts (made from the whole records where the library holds summaries)."""

    def __init__(self, owner: VectorsOwner) -> None:
        self._owner = owner

    def __bool__(self) -> bool:
        return bool(self._owner.watchlist)

    def matches(self, paper: Paper) -> bool:
        return self._owner.is_watched(paper)

    def matched_terms(self, paper: Paper) -> list[str]:
        return self._owner.watchlist.matched_terms(paper)
