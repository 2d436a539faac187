"""One refresh: fetch every feed, parse each body in a worker process, merge
the papers into the library's records, and store what changed.

Feeds fail alone: a feed that cannot be fetched or parsed gets a one-line
reason in its outcome, and every other feed is still stored. Parsing runs in
a process pool so that a 2000-item feed never holds the caller's thread (the
reader draws while this runs on its event loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

from paperread.feedspec import FeedSpec
from paperread.fetch import FeedRequest, FetchLimits, FetchResult, fetch_all
from paperread.fetch import _new_client as new_client
from paperread.merge import merge_paper
from paperread.model import Paper, ParsedFeed, utc_now
from paperread.parser_pool import parse_feed, parser_pool, start_resource_tracker
from paperread.store import LibraryStore

Stage = Literal["fetching", "parsing", "done"]
MAX_LOCAL_BYTES = 50 * 2**20


@dataclass(slots=True)
class FeedOutcome:
    feed: FeedSpec
    status: Literal["ok", "not-modified", "error", "skipped"] = "ok"
    new: int = 0
    updated: int = 0
    total: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    title: str | None = None  # the feed's own title

    def summary(self) -> str:
        """One line for the CLI: the feed's name and ``detail``."""
        return f"{self.feed.name}: {self.detail()}"

    def detail(self) -> str:
        """What happened, without the feed's name (the reader shows its own)."""
        if self.status == "error":
            return f"error: {self.error}"
        if self.status == "not-modified":
            return "not modified"
        if self.status == "skipped":
            return "skipped (offline: a network feed)"
        line = f"{self.new} new, {self.updated} updated, {self.total} total"
        return line + "".join(f" ({warning})" for warning in self.warnings)


@dataclass(slots=True)
class RefreshReport:
    outcomes: list[FeedOutcome]
    changed: dict[str, Paper]

    @property
    def failed(self) -> list[FeedOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "error"]

    known_ids: frozenset[str] = frozenset()
    # problems beside the feeds' own (a step after the merge that failed
    # without failing the refresh), one line each
    warnings: list[str] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        """Papers new to the library (a paper in two feeds counts once)."""
        return len(self.changed) - len(self.changed.keys() & self.known_ids)


ProgressCallback = Callable[[FeedSpec, Stage, FeedOutcome | None], None]
FullRecords = Callable[[list[str]], Mapping[str, Paper]]
MERGE_SLICE = 200  # papers merged between two returns to the event loop


def _read_local(path: str) -> FetchResult:
    try:
        with open(path, "rb") as handle:
            body = handle.read(MAX_LOCAL_BYTES + 1)
    except OSError as error:
        return FetchResult(url=path, status="error", error=f"cannot read {path}: {error.strerror}")
    if len(body) > MAX_LOCAL_BYTES:
        return FetchResult(url=path, status="error", error=f"{path} is larger than 50 MB")
    return FetchResult(url=path, status="ok", body=body)


class _Refresh:
    """The state of one refresh run; merges happen on the event loop thread
    (a slice of papers at a time, returning to the loop in between), one
    feed at a time, so no locking is needed."""

    def __init__(
        self,
        feeds: list[FeedSpec],
        known: Mapping[str, Paper],
        store: LibraryStore,
        on_progress: ProgressCallback | None,
        executor: Executor | None,
        full_records: FullRecords | None = None,
    ) -> None:
        self.feeds = {feed.url: feed for feed in feeds}
        self.known = known
        self.full_records = full_records
        self.full: dict[str, Paper] = {}  # full records read for known papers
        self.store = store
        self.on_progress = on_progress or (lambda feed, stage, outcome: None)
        self.executor = executor
        self.changed: dict[str, Paper] = {}
        self.outcomes: dict[str, FeedOutcome] = {}
        self.results: dict[str, FetchResult] = {}
        self.tasks: list[asyncio.Task[None]] = []
        self.started = utc_now()
        self.unsaved: set[str] = set()  # changed since the last save began
        self.saving: asyncio.Task[None] | None = None
        self.save_error: BaseException | None = None

    def skip(self, feed: FeedSpec) -> None:
        """A network feed left alone (offline): no fetch, so nothing to store."""
        outcome = self.outcomes[feed.url] = FeedOutcome(feed, status="skipped")
        self.on_progress(feed, "done", outcome)

    def fetched(self, result: FetchResult) -> None:
        """Called as each fetch finishes: start parsing its body at once."""
        self.tasks.append(asyncio.get_running_loop().create_task(self.handle(result)))

    async def handle(self, result: FetchResult) -> None:
        feed = self.feeds[result.url]
        outcome = FeedOutcome(feed)
        if result.status == "error":
            outcome.status, outcome.error = "error", result.error
        elif result.status == "not-modified":
            outcome.status = "not-modified"
        else:
            self.on_progress(feed, "parsing", None)
            parsed = await self.parse(result)
            if parsed.error:
                outcome.status, outcome.error = "error", parsed.error
            else:
                outcome.warnings, outcome.title = list(parsed.warnings), parsed.title
                await self.read_full_records(parsed.papers)
                await self.merge(parsed.papers, outcome)
                self.save_soon()
        self.outcomes[feed.url] = outcome
        self.results[feed.url] = result
        self.on_progress(feed, "done", outcome)

    async def parse(self, result: FetchResult) -> ParsedFeed:
        loop = asyncio.get_running_loop()
        body = result.body or b""
        try:
            return await loop.run_in_executor(
                self.executor, parse_feed, body, result.url, result.content_type
            )
        except Exception as error:  # a crashed worker process must not end the refresh
            return ParsedFeed(format="unknown", error=f"parser failed: {error!r}")

    async def read_full_records(self, papers: list[Paper]) -> None:
        """When ``known`` holds summaries (papers without their abstracts),
        read the stored records of the known papers among ``papers`` (in a
        thread): a merge must start from the whole record, or a feed item
        without an abstract would store the paper without one."""
        if self.full_records is None:
            return
        wanted = [
            paper.id
            for paper in papers
            if paper.id in self.known and paper.id not in self.changed and paper.id not in self.full
        ]
        if wanted:
            self.full.update(await asyncio.to_thread(self.full_records, list(dict.fromkeys(wanted))))

    async def merge(self, papers: list[Paper], outcome: FeedOutcome) -> None:
        now = utc_now()
        seen: set[str] = set()
        for done, paper in enumerate(papers, 1):
            if done % MERGE_SLICE == 0:
                await asyncio.sleep(0)  # let the reader draw
            old = self.changed.get(paper.id) or self.full.get(paper.id) or self.known.get(paper.id)
            merged, status = merge_paper(old, paper, now)
            if old is None or merged != old:
                self.changed[paper.id] = merged
                self.unsaved.add(paper.id)
            if paper.id not in seen:
                seen.add(paper.id)
                # counted per feed: "new" means new in this feed, so the
                # numbers do not depend on which feed happened to finish first
                if old is None or outcome.feed.url not in old.feeds:
                    outcome.new += 1
                elif status == "updated":
                    outcome.updated += 1
        outcome.total = len(seen)

    def save_soon(self) -> None:
        """Store what has changed, in rounds that overlap the parsing of the
        feeds still to come (rather than all of it after the last one): a
        round takes every paper changed since the previous round began."""
        if self.saving is None and self.unsaved and self.save_error is None:
            self.saving = asyncio.get_running_loop().create_task(self._save_rounds())

    async def _save_rounds(self) -> None:
        try:
            while self.unsaved:
                batch = [self.changed[paper_id] for paper_id in self.unsaved]
                self.unsaved = set()
                await asyncio.to_thread(self.store.cache.save, batch)
        except BaseException as error:
            self.save_error = error
        finally:
            self.saving = None

    async def finish_saving(self) -> None:
        """Wait until every changed paper is stored; raises what a save raised."""
        self.save_soon()
        if self.saving is not None:
            await self.saving
        if self.save_error is not None:
            raise self.save_error

    def meta_changes(self, result: FetchResult, outcome: FeedOutcome) -> dict[str, object]:
        """What this refresh learnt about one feed, for ``FeedMetaStore``."""
        fields: dict[str, object] = {"last_attempt": self.started, "last_status": outcome.status}
        if outcome.status == "error":
            fields["last_error"] = outcome.error
            if result.retry_after:
                until = datetime.now(timezone.utc).timestamp() + result.retry_after
                fields["retry_after_until"] = datetime.fromtimestamp(until, timezone.utc).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                )
        else:
            fields.update(last_success=self.started, last_error=None, retry_after_until=None)
            fields["counts"] = {"new": outcome.new, "updated": outcome.updated, "total": outcome.total}
            if outcome.title:
                fields["title"] = outcome.title
            # A body parsed only in part (cut short, malformed) must be fetched
            # whole next time, not answered with a 304.
            partial = any(w.startswith(("malformed", "unreadable")) for w in outcome.warnings)
            if result.status == "ok" and not partial:
                fields.update(etag=result.etag, last_modified=result.last_modified)
        return fields


def _rate_limited(store: LibraryStore, feed: FeedSpec) -> str | None:
    until = store.feeds.get(feed.url).retry_after_until
    if until and until > utc_now():
        return f"the server asked to wait; next try after {until}"
    return None


async def refresh_feeds(
    feeds: list[FeedSpec],
    known: Mapping[str, Paper],
    store: LibraryStore,
    on_progress: ProgressCallback | None = None,
    limits: FetchLimits | None = None,
    executor: Executor | None = None,
    full_records: FullRecords | None = None,
    offline: bool = False,
) -> RefreshReport:
    """Refresh ``feeds`` against the papers already ``known`` and store the
    result. ``executor`` parses bodies; by default a fresh process pool.
    ``full_records`` is needed when ``known`` holds summaries: it reads the
    stored records of the ids given (e.g. ``PaperCache.get_many``).
    ``offline`` reads the local files and skips the network feeds, each with
    an outcome of its own."""
    run = _Refresh(feeds, known, store, on_progress, executor, full_records)
    own_pool = None
    if executor is None:
        start_resource_tracker()
        own_pool = run.executor = await asyncio.to_thread(parser_pool)
    try:
        requests = []
        for feed in feeds:
            if offline and not feed.is_local:
                run.skip(feed)
                continue
            run.on_progress(feed, "fetching", None)
            waiting = _rate_limited(store, feed)
            if waiting:
                run.fetched(FetchResult(url=feed.url, status="error", error=waiting))
            elif feed.is_local:
                result = await asyncio.to_thread(_read_local, feed.url)
                run.fetched(result)
            else:
                meta = store.feeds.get(feed.url)
                requests.append(FeedRequest(feed.url, meta.etag, meta.last_modified))
        if requests:
            limits = limits or FetchLimits()
            # making a client loads the TLS certificates (~0.1 s): not on the event loop
            client = await asyncio.to_thread(new_client, limits)
            async with client:
                await fetch_all(requests, limits, on_done=run.fetched, client=client)
        while run.tasks:
            pending, run.tasks = run.tasks, []
            await asyncio.gather(*pending)
        await run.finish_saving()
        # Validators only after the papers are safely stored: otherwise a crash
        # in between would turn the next fetch into a 304 for lost papers.
        store.feeds.update_many(
            {url: run.meta_changes(result, run.outcomes[url]) for url, result in run.results.items()}
        )
    except BaseException:
        if own_pool:  # a cancelled refresh does not wait for its workers
            own_pool.shutdown(wait=False, cancel_futures=True)
        raise
    if own_pool:
        # joined, off the event loop: a pool thread still running when the
        # interpreter exits can race its own clean-up and print an OSError
        await asyncio.to_thread(own_pool.shutdown)
    outcomes = [run.outcomes[feed.url] for feed in feeds if feed.url in run.outcomes]
    return RefreshReport(outcomes, run.changed, frozenset(paper_id for paper_id in run.changed if paper_id in known))
