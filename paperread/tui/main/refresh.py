"""Refreshing the feeds from the reader: ``r``, at start-up and whenever
the configured interval has passed while the reader is open. The refresh
runs as an async worker on the event loop (parsing in a process pool); a
status line shows each feed's progress; the new papers reach the list,
then the counts, each step with a pause before it so keys get in between.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.widgets import Static

from paperread.feedspec import FeedSpec
from paperread.store.errors import StoreError
from paperread.tui.data.labels import plural
from paperread.tui.messages import RefreshFinished, RefreshProgress
from paperread.tui.pacing import freeze_heap
from paperread.tui.rendering import fit

if TYPE_CHECKING:  # the refresh machinery (httpx, feedparser) loads on the first refresh
    from textual.dom import DOMNode
    from textual.timer import Timer

    from paperread.refresh import FeedOutcome, RefreshReport, Stage
    from paperread.session import Session
    from paperread.tui.widgets import PaperList

INDEX_AFTER_REFRESH = 3.0  # seconds between a refresh and indexing its papers' words
STEP_PAUSE = 0.02  # seconds between the steps that show a refresh's papers
FEED_LABEL_WIDTH = 40  # a feed's name in a notice is cut to this (a URL would wrap mid-word)


def refresh_notice(report: RefreshReport, label_of: Callable[[FeedSpec], str]) -> list[str]:
    """What a refresh says when it ends: how many new papers, then a line
    per failed feed (its name cut to ``FEED_LABEL_WIDTH``: a URL would wrap
    mid-word in a notice) and per other problem."""
    failed = [f"{fit(label_of(outcome.feed), FEED_LABEL_WIDTH)}: {outcome.detail()}" for outcome in report.failed]
    return [plural(report.new_count, "new paper"), *failed, *report.warnings]


class RefreshActions:
    """Mixin of MainScreen: the refresh and its status line."""

    session: Session
    paper_list: PaperList
    refresh_status: dict[str, str]
    texts_ready: bool
    is_running: bool
    post_message: Callable[..., bool]
    query_one: Callable[..., DOMNode]
    set_timer: Callable[..., Timer]
    say: Callable[..., None]
    reload_list: Callable[..., None]
    reindex: Callable[[], None]
    count_saved_searches: Callable[[], None]
    update_sidebar: Callable[[], None]
    rank_soon: Callable[[], None]

    def refresh_if_due(self) -> None:
        """Start a refresh when the interval has passed since the last one,
        unless one is running (starting another would cancel it)."""
        if not self.refresh_status and self.session.refresh_due():
            self.start_refresh()

    def _feeds_to_refresh(self) -> list[FeedSpec]:
        """Every feed; offline, only the feeds read from files."""
        feeds = self.session.feeds
        return [feed for feed in feeds if feed.is_local] if self.session.offline else list(feeds)

    def _feed_label(self, feed: FeedSpec) -> str:
        """As the sidebar calls it (the feed's own title where it has no name)."""
        return self.session.library.feed_names.get(feed.url, feed.name)

    def action_refresh(self) -> None:
        if self.session.readonly:
            self.say("read-only: cannot refresh", "warning")
        elif self.refresh_status:
            self.say("a refresh is already running")
        elif not self._feeds_to_refresh():
            self.say("offline: no feed read from a file to refresh (started with --offline)", "warning")
        else:
            self.start_refresh()

    def start_refresh(self) -> None:
        feeds = self._feeds_to_refresh()
        self.refresh_status = {feed.url: f"{self._feed_label(feed)} ⟳" for feed in feeds}
        self._show_refresh_status()
        self._refresh_worker(feeds)

    @work(exclusive=True, group="refresh", description="refresh")
    async def _refresh_worker(self, feeds: list[FeedSpec]) -> None:
        # loaded on the first refresh (httpx, feedparser: ~0.15 s), in a
        # thread so that the screen goes on being drawn meanwhile
        await asyncio.to_thread(importlib.import_module, "paperread.refresh")
        freeze_heap()  # the modules just loaded stay for good

        def progress(feed: FeedSpec, stage: Stage, outcome: FeedOutcome | None) -> None:
            self.post_message(RefreshProgress(feed, stage, outcome))

        session = self.session
        try:
            report = await session.refresh(feeds, progress)
        except (StoreError, OSError) as error:
            self.post_message(RefreshFinished(None, str(error)))
            return
        # search texts and sorted lists with the new papers in, made off the
        # event loop: the library only swaps them in
        prepared = await asyncio.to_thread(session.prepare_papers, report.changed.values())
        self.post_message(RefreshFinished(report, prepared=prepared))

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        feed, outcome = message.feed, message.outcome
        label = self._feed_label(feed)
        if outcome is None:
            text = f"{label} ⟳ {message.stage}"
        elif outcome.status == "error":
            text = f"{label} ✗"
        elif outcome.status == "not-modified":
            text = f"{label} ✓ unchanged"
        else:
            text = f"{label} ✓ {outcome.new} new"
        self.refresh_status[feed.url] = text
        self._show_refresh_status()
        if message.stage == "done":
            # the feed's papers are merged: out of the collector's way, or
            # its full collections grow with every feed (a 0.1 s pause)
            freeze_heap(collect=True)

    def _show_refresh_status(self) -> None:
        line = self.query_one("#refresh-status", Static)
        # one line that never wraps: a new text needs no layout pass, only
        # showing or hiding the line does (set_class does that)
        line.update(Content("Refreshing: " + " · ".join(self.refresh_status.values())), layout=False)
        line.set_class(bool(self.refresh_status), "-shown")

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        report, prepared = message.report, message.prepared
        if report is None or prepared is None:
            self.refresh_status = {}
            self._show_refresh_status()
            self.say(f"refresh failed: {message.error}", "error", timeout=15)
            return
        highlighted = self.paper_list.highlighted
        self.session.add_prepared(prepared)
        freeze_heap()  # the new records stay: out of the collector's way
        # the list, and then the rest, each a step of its own with a pause
        # before it, so that keys and frames get in between (call_later and
        # call_after_refresh may run it right away: 40 ms in one go)
        keep_id = highlighted.id if highlighted else None
        self.set_timer(STEP_PAUSE, lambda: self._list_refreshed(report, keep_id))

    def _list_refreshed(self, report: RefreshReport, keep_id: str | None) -> None:
        if not self.is_running:  # the timer may fire while the app closes
            return
        self.reload_list(keep_id=keep_id)
        self.set_timer(STEP_PAUSE, lambda: self._refreshed(report))

    def _refreshed(self, report: RefreshReport) -> None:
        if not self.is_running:
            return
        self.refresh_status = {}
        self._show_refresh_status()
        if report.changed and self.texts_ready:
            # the new papers into the word index, once the screen has settled
            self.set_timer(INDEX_AFTER_REFRESH, self.reindex)
        self.count_saved_searches()
        self.update_sidebar()
        self.rank_soon()
        lines = refresh_notice(report, self._feed_label)
        self.say("\n".join(lines), "warning" if report.failed or report.warnings else "information", timeout=10)
