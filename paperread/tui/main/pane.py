"""The abstract pane follows the list's cursor: after the list's frame, or
once typing pauses during a search; with a library of summaries, the full
records (abstracts) are read in a worker, the highlighted one first, then
its neighbours.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.worker import get_current_worker

from paperread.model import Paper, PaperState
from paperread.tui.messages import FullRecordRead
from paperread.tui.widgets import AbstractPane, PaperList

if TYPE_CHECKING:
    from paperread.query import Query
    from paperread.session import Session
    from paperread.tui.data.full_records import FullRecords

PANE_DELAY = 0.15  # while a search is typed, the pane waits for a pause this long


class PaneFollowing:
    """Mixin of MainScreen: what the abstract pane shows."""

    session: Session
    paper_list: PaperList
    abstract_pane: AbstractPane
    search_query: Query | None
    raw_abstract: bool
    full_records: FullRecords
    state_changed: Callable[[list[str]], None]
    why_ranked: Callable[[Paper | None], str | None]
    set_timer: Callable[..., Timer]
    call_after_refresh: Callable[..., bool]
    post_message: Callable[..., bool]
    is_running: bool

    def init_pane_following(self) -> None:
        self.searched_at = -PANE_DELAY  # when the search last changed
        self._pane_timer: Timer | None = None
        self._pane_follows = False  # the pane's update waits for the list's frame

    def show_highlighted(self) -> None:
        try:
            paper_list = self.paper_list
        except NoMatches:  # a pane timer that outlived the main screen (at exit)
            return
        paper = paper_list.highlighted
        terms = self.search_query.highlight_terms() if self.search_query else []
        session = self.session
        watched = paper is not None and bool(session.watchlist) and session.is_watched(paper)
        shown, pending = paper, False
        if paper is not None and session.summaries:
            shown = self.full_records.get(paper)
            pending = shown is None
            if shown is None:
                shown = paper
                self._read_full_records(paper, self.full_records.missing_near(paper_list.papers, paper_list.cursor))
        if watched and shown is not None:
            terms = [*terms, *session.watchlist.matched_terms(shown)]
        self.abstract_pane.show_paper(
            shown,
            session.library.state(paper.id) if paper else PaperState(),
            session.library.feed_names,
            raw=self.raw_abstract,
            highlight_terms=terms,
            watched=watched,
            abstract_pending=pending,
            why=self.why_ranked(shown),  # the full record: its abstract's terms can be named
        )

    def show_state_of_highlighted(self, ids: list[str]) -> None:
        """After a state change: the pane's state line when it shows the
        highlighted paper (all that can have changed), else the whole pane."""
        paper = self.paper_list.highlighted
        pane = self.abstract_pane
        if paper is None or pane.paper is None or pane.paper.id != paper.id:
            self.show_highlighted()
        elif paper.id in ids:
            session = self.session
            watched = bool(session.watchlist) and session.is_watched(paper)
            pane.show_state(session.library.state(paper.id), watched)

    @work(thread=True, exclusive=True, group="full-records", description="read full records")
    def _read_full_records(self, paper: Paper, nearby: list[Paper]) -> None:
        """Read the highlighted paper's full record, then its neighbours'."""
        session = self.session
        full = session.full_paper(paper.id)
        if full is not None:
            self.post_message(FullRecordRead([(paper, full)]))
        if get_current_worker().is_cancelled:
            return
        others = [other for other in nearby if other is not paper]
        read = session.full_papers(others)
        self.post_message(FullRecordRead([(other, full) for other, full in zip(others, read) if full.abstract]))

    def on_full_record_read(self, message: FullRecordRead) -> None:
        if not self.is_running:  # posted while the app closes
            return
        highlighted = self.paper_list.highlighted
        self.full_records.put(message.records)
        shown = self.abstract_pane.paper
        read = highlighted is not None and any(paper is highlighted for paper, _ in message.records)
        if read and shown is not None and highlighted is not None and shown.id == highlighted.id:
            self.show_highlighted()

    def on_paper_list_highlighted(self, event: PaperList.Highlighted) -> None:
        if event.paper_list is None or not event.paper_list.is_attached:
            return  # posted just before the screen closed
        paper = event.paper
        session = self.session
        if (
            paper is not None
            and session.config.mark_read_on_highlight
            and not session.readonly
            and not session.library.state(paper.id).read
        ):
            session.actions.set_read([paper.id], True)
            self.state_changed([paper.id])
        elif time.monotonic() - self.searched_at < PANE_DELAY:
            self._show_highlighted_soon()
        elif not self._pane_follows:
            # after the list's frame: a new paper in the pane lays the screen
            # out (10-14 ms at 160x48), which would hold back the cursor
            self._pane_follows = True
            self.call_after_refresh(self._show_highlighted_after_list)

    def _show_highlighted_after_list(self) -> None:
        self._pane_follows = False
        self.show_highlighted()

    def _show_highlighted_soon(self) -> None:
        """While a search is being typed, show the pane once the typing
        pauses: the list follows every key, the pane need not."""
        if self._pane_timer is not None:
            self._pane_timer.stop()
        self._pane_timer = self.set_timer(PANE_DELAY, self.show_highlighted)

    def on_paper_list_selected(self, event: PaperList.Selected) -> None:
        self.show_highlighted()
        self.abstract_pane.focus()
        session = self.session
        if not session.readonly and not session.library.state(event.paper.id).read:
            session.actions.set_read([event.paper.id], True)
            self.state_changed([event.paper.id])
