"""Opening a library: config, feeds, store and the in-memory library, as one
object that the CLI and the reader share.

The CLI loads every paper whole. The reader opens with ``fast=True``: the
papers without their abstracts (``PaperCache.load_summaries``), which is
enough to list, sort and count them, so the first screen comes quickly; a
worker then reads the abstracts a block at a time (``text_chunks``) to make
the search text, and the abstract pane reads the one record it shows
(``full_paper``). The abstracts are not kept: the search text (folded, in the
compact form ``library.compact`` describes) is what searching needs, and
keeping both would double the memory of a 100k-paper library.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from paperread import feedspec, search
from paperread.actions import StateActions
from paperread.config import Config, load_config
from paperread.feedspec import FeedSpec, feed_label
from paperread.foryou.library_vectors import LibraryVectors
from paperread.library import Library, PreparedAdd, compact_search_text
from paperread.links import lean_links
from paperread.model import Paper
from paperread.query import Query
from paperread.search import Rows
from paperread.store import LibraryStore, open_library_store
from paperread.store.bulk import without_gc
from paperread.store.feedmeta import FeedMeta
from paperread.watch import Watchlist

if TYPE_CHECKING:  # the refresh machinery (httpx, feedparser) loads on the first refresh
    from concurrent.futures import Executor

    from paperread.foryou import Ranking
    from paperread.refresh import ProgressCallback, RefreshReport

TEXT_CHUNK = 250  # papers per chunk of search texts (~3 ms of work: see ReaderApp._give_way)
TURN_EVERY = 10  # papers between two calls of a chunk maker's wait_turn (~0.15 ms of work)


@dataclass(slots=True)
class PreparedPapers:
    """Papers to add (after a refresh) with everything the library needs and
    the watch list's verdicts, made in a worker thread by
    ``Session.prepare_papers``."""

    library: PreparedAdd
    watched: dict[str, tuple[Paper, bool]]


@dataclass(slots=True)
class TextChunk:
    """Search texts made in a worker: paper id -> (the record it was made
    from, its compact search text), the watch list's verdict on the papers
    whose abstracts it saw, and the papers' links without those their arXiv
    id gives anyway (``lean_links``)."""

    texts: dict[str, tuple[Paper, str]]
    watched: dict[str, tuple[Paper, bool]] = field(default_factory=dict)
    links: dict[str, tuple[Paper, dict[str, str]]] = field(default_factory=dict)


# The library's records are replaced, never changed in place (a refresh
# merges into copies), so the many summaries with no affiliations, code links
# or links of their own share these instead of holding one each: about 15 MB
# at 100k papers.
_NO_AFFILIATIONS: dict[str, str] = {}
_NO_CODE_LINKS: list[str] = []
_NO_LINKS: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A feed as ``paperread feeds`` lists it. ``configured``: one of the
    session's feeds, not only a feed that papers of the library came from."""

    url: str
    label: str
    configured: bool
    meta: FeedMeta


def feed_labels(feeds: Iterable[FeedSpec], metas: Mapping[str, FeedMeta]) -> dict[str, str]:
    """Feed URL -> what the feed is called (see ``feedspec.feed_label``)."""
    return {feed.url: feed_label(feed, metas[feed.url].title if feed.url in metas else None) for feed in feeds}


@dataclass
class Session:
    config: Config
    feeds: list[FeedSpec]
    store: LibraryStore
    library: Library
    actions: StateActions
    data_dir: Path
    offline: bool = False
    messages: list[str] = field(default_factory=list)
    watchlist: Watchlist = field(default_factory=Watchlist)
    # True when the library holds papers without abstracts (``fast``)
    summaries: bool = False
    # whether For you may store the vectors it makes (DATA/foryou/); else
    # they are kept in memory only (--readonly)
    write_vectors: bool = True
    # what went wrong with the stored vectors (damaged, not writable), once each
    vector_warnings: list[str] = field(default_factory=list)
    # paper id -> (the paper record matched, whether it is watched)
    _watched: dict[str, tuple[Paper, bool]] = field(default_factory=dict, init=False, repr=False)
    # For you: the papers' vectors, read on first use
    _foryou: LibraryVectors = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._foryou = LibraryVectors(self)

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def is_watched(self, paper: Paper) -> bool:
        """Whether the watch list matches ``paper``. Remembered per paper
        record: a refresh stores a new record, which is matched afresh."""
        known = self._watched.get(paper.id)
        if known is not None and known[0] is paper:
            return known[1]
        watched = self.watchlist.matches(paper)
        self._watched[paper.id] = (paper, watched)
        return watched

    def predicate(self, query: Query, today: date | None = None) -> Callable[[Paper], bool]:
        """``query`` as a function of a paper, with this library's state and
        watch list (``search.predicate``)."""
        return search.predicate(self.library, query, self._watch_test(), today)

    def filter(self, query: Query, rows: Rows, matched: Query | None = None) -> Rows:
        """The ``rows`` whose papers ``query`` matches, in their order;
        ``matched`` a query they are all known to match (``search.filter_rows``)."""
        return search.filter_rows(self.library, query, rows, matched, is_watched=self._watch_test())

    def _watch_test(self) -> Callable[[Paper], bool] | None:
        return self.is_watched if self.watchlist else None

    def full_paper(self, paper_id: str) -> Paper | None:
        """The paper with every field (abstract, raw text): the stored record
        when the library holds summaries. Reads a file then: call it from a
        worker thread."""
        if not self.summaries:
            return self.library.papers.get(paper_id)
        return self.store.cache.get(paper_id) or self.library.papers.get(paper_id)

    def full_papers(self, papers: Iterable[Paper]) -> list[Paper]:
        """``papers`` with every field, in order (see ``full_paper``)."""
        papers = list(papers)
        if not self.summaries:
            return papers
        stored = self.store.cache.get_many(paper.id for paper in papers)
        return [stored.get(paper.id, paper) for paper in papers]

    def text_chunks(self, wait_turn: Callable[[], object] = lambda: None) -> Iterator[TextChunk]:
        """The search texts still missing, a chunk at a time, for a worker
        thread to make (``install_texts`` takes each on the event loop).
        ``wait_turn`` is called every ``TURN_EVERY`` papers: a reader's
        thread waits there while a keystroke is handled, so the keystroke
        does not wait for the rest of a chunk.

        With summaries, the abstracts are read from the store, newest blocks
        first; otherwise the texts are made from the records in memory (the
        list of them is taken now, not in the worker)."""
        if self.summaries:
            return self._chunks_from_store(wait_turn)
        papers = [paper for paper in self.library.papers.values() if not self.library.has_text(paper.id)]
        return self._chunks_from_records(papers, wait_turn)

    def _chunks_from_store(self, wait_turn: Callable[[], object]) -> Iterator[TextChunk]:
        papers = self.library.papers
        watchlist = self.watchlist
        chunk = TextChunk({})
        for abstracts in self.store.cache.iter_abstracts():
            for done, (paper_id, abstract) in enumerate(abstracts.items(), 1):
                if done % TURN_EVERY == 0:
                    wait_turn()
                paper = papers.get(paper_id)
                if paper is None:
                    continue
                chunk.texts[paper_id] = (paper, compact_search_text(paper, abstract))
                lean = lean_links(paper)
                if lean is not None:
                    chunk.links[paper_id] = (paper, lean)
                if watchlist and abstract:
                    whole = dataclasses.replace(paper, abstract=abstract)
                    chunk.watched[paper_id] = (paper, watchlist.matches(whole))
                if len(chunk.texts) == TEXT_CHUNK:
                    yield chunk
                    chunk = TextChunk({})
        if chunk.texts:
            yield chunk

    def _chunks_from_records(self, papers: list[Paper], wait_turn: Callable[[], object]) -> Iterator[TextChunk]:
        for start in range(0, len(papers), TEXT_CHUNK):
            chunk = TextChunk({})
            for done, paper in enumerate(papers[start : start + TEXT_CHUNK], 1):
                if done % TURN_EVERY == 0:
                    wait_turn()
                chunk.texts[paper.id] = (paper, compact_search_text(paper))
            yield chunk

    def prepare_papers(self, papers: Iterable[Paper]) -> PreparedPapers:
        """Everything ``add_prepared`` needs to add ``papers`` (full records,
        e.g. ``RefreshReport.changed``): their search texts, the library's
        sorted lists with them in, and with summaries the records to keep
        (without their text: the abstract pane reads the stored record).
        Call it from a worker thread; it changes nothing."""
        full = list(papers)
        texts = {paper.id: compact_search_text(paper) for paper in full}
        records = full
        if self.summaries:
            records = [
                dataclasses.replace(paper, abstract="", raw_title="", raw_abstract="") for paper in full
            ]
        watched = {}
        if self.watchlist:
            watched = {
                record.id: (record, self.watchlist.matches(paper)) for record, paper in zip(records, full)
            }
        return PreparedPapers(self.library.prepare_add(records, texts), watched)

    def add_prepared(self, prepared: PreparedPapers) -> None:
        """Add papers prepared by ``prepare_papers`` (on the event loop),
        and the feeds' titles the refresh that brought them learnt."""
        self.library.add_prepared(prepared.library)
        self._watched.update(prepared.watched)
        self.library.feed_names.update(feed_labels(self.feeds, self.store.feeds.all()))

    def feed_entries(self) -> list[FeedEntry]:
        """The session's feeds, then every other feed that papers of the
        library came from (no longer configured, or given once with
        ``--feed``), called by their own title where a refresh learnt it."""
        metas = self.store.feeds.all()
        names = self.library.feed_names
        listed = [
            FeedEntry(feed.url, names.get(feed.url, feed.name), True, metas.get(feed.url) or FeedMeta(feed.url))
            for feed in self.feeds
        ]
        others = []
        for url in set(self.library.feed_urls()) - {feed.url for feed in self.feeds}:
            meta = metas.get(url) or FeedMeta(url)
            others.append(FeedEntry(url, meta.title or url, False, meta))
        return listed + sorted(others, key=lambda entry: entry.label.casefold())

    def install_texts(self, chunk: TextChunk) -> int:
        """Take a chunk made by ``text_chunks`` (on the event loop thread);
        how many texts were taken."""
        papers = self.library.papers
        for paper_id, (paper, watched) in chunk.watched.items():
            if papers.get(paper_id) is paper:
                self._watched[paper_id] = (paper, watched)
        for paper_id, (paper, links) in chunk.links.items():
            if papers.get(paper_id) is paper:
                paper.links = links or _NO_LINKS
        for paper_id, (paper, _) in chunk.texts.items():
            if papers.get(paper_id) is paper:
                if not paper.affiliations:
                    paper.affiliations = _NO_AFFILIATIONS
                if not paper.code_links:
                    paper.code_links = _NO_CODE_LINKS
        return self.library.set_texts(chunk.texts)

    # -- For you (``foryou.library_vectors``) -------------------------------------
    @property
    def foryou_dir(self) -> Path:
        """Where For you keeps the papers' vectors."""
        return self.data_dir / "foryou"

    def for_you(
        self,
        *,
        tag: str | None = None,
        like: str | None = None,
        include_read: bool = False,
        among: Collection[str] | None = None,
    ) -> Ranking:
        """The library's papers ranked for this reader (``LibraryVectors.for_you``)."""
        return self._foryou.for_you(tag=tag, like=like, include_read=include_read, among=among)

    def for_you_missing(self) -> int:
        """How many papers have no stored vector (``LibraryVectors.missing``)."""
        return self._foryou.missing()

    def for_you_backfill(self, pause: Callable[[], None] = lambda: None, chunk: int = 500) -> Iterator[int]:
        """Vectorise the papers without a stored vector, yielding how many
        are done so far (``LibraryVectors.backfill``)."""
        return self._foryou.backfill(pause, chunk)

    def sync_vectors(self, papers: Sequence[Paper]) -> str | None:
        """Vectorise and store ``papers`` where they are new or their text
        changed; the problem when they could not be stored (``LibraryVectors.sync``)."""
        return self._foryou.sync(papers)

    # -- the store, through the session ------------------------------------------
    @property
    def has_unsaved_changes(self) -> bool:
        """State changes (read, star, tags) not yet on disk."""
        return self.store.state.dirty

    def flush(self) -> None:
        """Write the pending state changes (thread safe); StoreError if it fails."""
        self.store.state.flush()

    def feed_errors(self) -> dict[str, str]:
        """Feed URL -> the error of its last fetch, for the feeds that failed."""
        errors = {}
        for feed in self.feeds:
            meta = self.store.feeds.get(feed.url)
            if meta.last_status == "error" and meta.last_error:
                errors[feed.url] = meta.last_error
        return errors

    def refresh_due(self, now: datetime | None = None) -> bool:
        """Whether ``refresh_interval`` has passed since the last refresh
        (never offline, read-only, without feeds or with the interval 0)."""
        minutes = self.config.refresh_interval_minutes
        if self.offline or self.readonly or not self.feeds or minutes <= 0:
            return False
        last = self.store.feeds.last_refresh()
        if last is None:
            return True
        try:
            when = datetime.strptime(last, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return True
        return (now or datetime.now(timezone.utc)) - when >= timedelta(minutes=minutes)

    async def refresh(
        self,
        feeds: list[FeedSpec],
        on_progress: ProgressCallback | None = None,
        executor: Executor | None = None,
        *,
        sync_vectors: bool = True,
    ) -> RefreshReport:
        """Refresh ``feeds`` into this library's store (offline: the feeds
        read from files only), parsing in ``executor`` (by default a pool of
        its own). Loads the refresh machinery on first use. Then, with
        ``sync_vectors``, stores For you's vectors of the changed papers (in
        a thread, about 0.3 ms a paper); without it that is the caller's to
        do (``sync_vectors`` in a worker) if it would rather show the papers
        first."""
        from paperread.refresh import refresh_feeds

        report = await refresh_feeds(
            feeds,
            self.library.papers,
            self.store,
            on_progress,
            executor=executor,
            full_records=self.store.cache.get_many if self.summaries else None,
            offline=self.offline,
        )
        if sync_vectors and report.changed:
            # For you's vectors of the new and changed papers: derived data,
            # so a failure is a warning of the refresh, never its end
            try:
                problem = await asyncio.to_thread(self.sync_vectors, list(report.changed.values()))
            except Exception as error:  # noqa: BLE001
                problem = f"For you: could not vectorise the new papers: {error!r}"
            if problem:
                report.warnings.append(problem)
        return report

    def close(self) -> None:
        self.store.close()


def open_session(
    data_dir: Path,
    config_file: Path,
    feed_specs: list[str] | None = None,
    offline: bool = False,
    readonly: bool = False,
    fast: bool = False,
    write_vectors: bool | None = None,
) -> Session:
    """Load the config, resolve the feeds (``feed_specs`` replaces the
    configured ones for this run), open the store and build the library.
    ``fast`` loads the papers without their abstracts when the store can
    (see the module docstring): for the reader, not for commands that print
    or export papers. ``write_vectors``: whether For you may store the
    vectors it makes (default: when not ``readonly``; a command that only
    reads the library may still keep them).

    Raises ConfigError, FeedSpecError or a store error with a message for the
    user; nothing is created or changed before the config has been read."""
    config = load_config(config_file)
    if feed_specs:
        feeds = [feedspec.resolve(spec) for spec in feed_specs]
    else:
        feeds = config.feeds
    store = open_library_store(data_dir, readonly=readonly)
    load_summaries = getattr(store.cache, "load_summaries", None) if fast else None
    names = feed_labels(feeds, store.feeds.all())

    def load() -> Library:
        papers = load_summaries() if load_summaries is not None else store.cache.load_all()
        library = Library(papers, store.state.all(), names)
        if fast:
            # The reader keeps the library for its lifetime: out of the
            # collector's sight from now on. Done before the collector is
            # back on, or its first run would walk all of it (0.1 s).
            gc.freeze()
        return library

    try:
        library = without_gc(load)
    except BaseException:
        store.close()
        raise
    return Session(
        config=config,
        feeds=feeds,
        store=store,
        library=library,
        actions=StateActions(library, store.state),
        data_dir=data_dir,
        offline=offline,
        messages=list(store.messages),
        watchlist=Watchlist(config.watch_keywords, config.watch_authors),
        summaries=load_summaries is not None,
        write_vectors=not readonly if write_vectors is None else write_vectors,
    )
