"""The reader: sidebar | paper list | abstract pane, driven by the keyboard.

The app only wires things together. State changes go through
``session.actions`` (memory at once) and reach the disk from a timer that
flushes in a worker thread; refreshes run as an async worker on the event
loop, parsing in a process pool; saved searches are counted and exports
written in worker threads. So no keypress waits on disk or network.

Workers that take data get a ``description``: Textual otherwise describes a
worker by the repr() of its arguments, which for a list of 100k papers is a
string of hundreds of megabytes made in seconds.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import Event, Key
from textual.notifications import SeverityLevel
from textual.reactive import Reactive
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, get_current_worker

from paperread.bibtex import bibtex_entry
from paperread.export import export_papers, write_file
from paperread.feedspec import FeedSpec
from paperread.library import SORT_ORDERS, UNREAD, Count, View
from paperread.links import abs_link, pdf_link
from paperread.model import Paper, PaperState
from paperread.query import Query, QueryError, parse_query
from paperread.session import Session, TextChunk
from paperread.store.errors import StoreError
from paperread.text import is_safe_url
from paperread.tui.bindings import (
    APP_BINDINGS,
    apply_keymap,
    check_keymap,
    help_rows,
)
from paperread.tui.data.labels import (
    DATE_ORDERS,
    FORMAT_NAMES,
    SORT_LABELS,
    default_export_path,
    next_sort_order,
)
from paperread.tui.commands import ReaderCommands
from paperread.tui.css import stylesheet_path
from paperread.tui.data.listing import Listing
from paperread.tui.main import MainScreen
from paperread.tui.messages import (
    ExportFinished,
    ExportView,
    FlushFailed,
    FullRecordRead,
    RefreshFinished,
    RefreshProgress,
    RemoveSavedSearch,
    SavedSearchesCounted,
    SetSort,
    SetTheme,
    ShowView,
    StarAll,
    TagAll,
    TextsDone,
    TextsMade,
    WordIndexBuilt,
)
from paperread.tui.rendering import format_tags
from paperread.tui.data.saved_searches import (
    SavedSearchError,
    SavedSearches,
    SavedSearchCounts,
    ViewMatches,
    combine_queries,
    match_all,
    view_query,
)
from paperread.tui.screens import ConfirmScreen, HelpScreen, PromptScreen, TagsScreen
from paperread.tui.terminal import ExitGuard, ReaderDriver
from paperread.tui.textual_private import event_loop
from paperread.tui.themes import start_theme, theme_choice
from paperread.tui.typeahead import TypeAhead
from paperread.tui.data.prefs import load_ui_state, save_ui_state
from paperread.tui.widgets import AbstractPane, PaperList, Sidebar
from paperread.tui.widgets.paper_list import EMPTY_TEXT, empty_library_text
from paperread.wordindex import WordIndex

if TYPE_CHECKING:  # the refresh machinery (httpx, feedparser) loads on the first refresh
    from rich.console import RenderableType
    from textual.screen import Screen

    from paperread.refresh import FeedOutcome, RefreshReport, Stage

CONFIRM_OVER = 20  # "mark all read" and "star all" ask first above this many papers
FLUSH_SECONDS = 0.5
REFRESH_CHECK_SECONDS = 60.0  # how often an open reader checks whether a refresh is due
FULL_RECORDS_KEPT = 256  # full records (abstracts) kept for the pane
READ_AHEAD, READ_BEHIND = 8, 2  # neighbours read with the highlighted paper
PANE_DELAY = 0.15  # while a search is typed, the pane waits for a pause this long
SWITCH_INTERVAL = 0.001  # seconds a busy thread holds the interpreter before the others get a turn
INDEX_AFTER_REFRESH = 3.0  # seconds between a refresh and indexing its papers' words
GIVE_WAY_AT_MOST = 0.25  # seconds a background thread waits for a keystroke's frame
STEP_PAUSE = 0.02  # seconds between the steps that show a refresh's papers
NUMBER_SLICE = 5000  # papers numbered in the word index between two checks for a keystroke
_paper_id = attrgetter("id")


def _freeze_heap(collect: bool = False) -> None:
    """Exempt every object alive now (the library: 100k papers are millions
    of objects) from garbage collection. Otherwise a full collection walks
    them all, a pause of about half a second at some random keypress; the
    papers live as long as the reader anyway. ``collect`` first collects
    the objects made since the last freeze (a short pause, proportional to
    them), so that no garbage from that time is kept forever."""
    if collect:
        gc.collect()
    gc.freeze()


def _plural(count: int, word: str = "paper") -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _never(paper: Paper) -> bool:
    return False


class ReaderApp(App[int]):
    TITLE = "paperread"
    CSS_PATH = stylesheet_path()
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {ReaderCommands}
    # The sub-title (view, counts, search) changes with every read mark; App's
    # own reactive repaints the whole screen for it, while only the header
    # (which watches it) shows it.
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

    def __init__(
        self,
        session: Session,
        keymap: dict[str, str] | None = None,
        refresh_check: float = REFRESH_CHECK_SECONDS,
    ) -> None:
        super().__init__(driver_class=ReaderDriver)
        self.session = session
        self._refresh_check = refresh_check  # seconds between checks for a due refresh
        self.keymap = keymap if keymap is not None else check_keymap(session.config.keys)
        self.current_view: View = UNREAD
        self.search_query: Query | None = None  # the last query that parsed
        self._ui_state = load_ui_state(session.data_dir)
        sort = self._ui_state.get("sort")
        self.sort_order: str = sort if sort in SORT_ORDERS else "newest"
        reader_views = self._ui_state.get("views")
        self.saved_searches = SavedSearches(
            session.config.views, reader_views if isinstance(reader_views, dict) else {}
        )
        self.saved_counts = SavedSearchCounts(session.library.state)
        self._view_errors: dict[str, str] = {}  # saved search key -> why its query fails
        self.raw_abstract = False
        self.refresh_status: dict[str, str] = {}  # feed url -> progress text
        self._shown_feed_errors: dict[str, str] = {}  # feed url -> the error the sidebar shows
        self._switch_interval = sys.getswitchinterval()
        self._flushing = False
        self._flush_error: str | None = None
        self._quit_warned = False
        self.exit_guard: ExitGuard | None = None  # set by run_reader: a real terminal only
        self.type_ahead = TypeAhead(self)
        self.listing = Listing(session)
        self.main = MainScreen(session, self._empty_list_text)
        self._searched_at = -PANE_DELAY  # when the search last changed
        self._pane_timer: Timer | None = None
        self._pane_follows = False  # the pane's update waits for the list's frame
        # search texts: made in a worker after the first paint; with
        # summaries, the abstracts they come from are read then too
        self.texts_ready = not session.summaries
        self._texts_taken = 0
        # full records read for the abstract pane (summaries only):
        # paper id -> (the listed record, its full record), newest last
        self._full_records: OrderedDict[str, tuple[Paper, Paper]] = OrderedDict()
        # cleared while a keystroke's work is done and drawn: see _give_way
        self._background_may_run = threading.Event()
        self._background_may_run.set()
        self._collector_held = False  # paused by _give_way, to resume after the frame
        self._frame_awaited: asyncio.TimerHandle | None = None  # _go_on at the latest, see _give_way
        self._collector_paused = False  # paused while the abstracts load

    # -- layout ------------------------------------------------------------------
    def get_default_screen(self) -> MainScreen:
        return self.main

    def _empty_list_text(self) -> str:
        if self.session.library.papers:
            return EMPTY_TEXT
        refresh_key = self.keymap.get("app.refresh", "r").split(",")[0]
        return empty_library_text(self.session.config.path, refresh_key)

    @property
    def paper_list(self) -> PaperList:
        return self.main.paper_list

    @property
    def sidebar(self) -> Sidebar:
        return self.main.sidebar

    @property
    def abstract_pane(self) -> AbstractPane:
        return self.main.abstract_pane

    @property
    def search_input(self) -> Input:
        return self.main.search_input

    async def on_mount(self) -> None:
        apply_keymap(self, self.keymap)
        self._start_theme()
        # the panes fill before the first frame, as when the app composed them
        await self.main.mounted.wait()
        if self.texts_ready:
            self.count_saved_searches()
        self.rebuild_sidebar()
        self.reload_list()
        self.paper_list.focus()
        self.watch(self.search_input, "value", self._search_changed, init=False)
        # background threads (search texts, word index, reading records)
        # hand the interpreter back to the event loop within 1 ms, not 5
        sys.setswitchinterval(SWITCH_INTERVAL)
        # no collections while the abstracts load: each full one walks the
        # growing heap (13-25 ms, holding the interpreter at any keystroke);
        # what loaded is frozen when they are in (on_texts_done)
        self._collector_paused = gc.isenabled()
        gc.disable()
        self._texts_worker(self.session.text_chunks(self._wait_turn))
        for message in self.session.messages:
            self.say(message, "warning", timeout=10)
        if self.session.readonly:
            self.say("read-only: changes will not be saved", "warning")
        self.set_interval(FLUSH_SECONDS, self.flush_soon)
        _freeze_heap()
        self._refresh_if_due()
        # a reader left open all day refreshes as often as one started anew
        self.set_interval(self._refresh_check, self._refresh_if_due)

    # -- notices -----------------------------------------------------------------
    def say(self, message: str, severity: SeverityLevel = "information", timeout: float | None = None) -> None:
        """A notification whose text is never read as markup (it may quote
        feed text or file names)."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def _update_sub_title(self) -> None:
        view = self.current_view
        papers = self.paper_list.papers
        count = self.count_of(view)
        if count is None:  # a saved search not counted yet: the listed papers say it
            count = Count(sum(not self.session.library.state(paper.id).read for paper in papers), len(papers))
        parts = [view.label, f"{count.unread} unread / {count.total}"]
        query = self.search_input.value.strip()
        loading = self._texts_loading()
        if query:
            found = f"{len(papers)}, in the abstracts loaded so far" if loading else str(len(papers))
            parts.append(f"search: {query} ({found})")
        parts.append(SORT_LABELS[self.sort_order])
        if loading:
            parts.append(loading)
        if self.session.readonly:
            parts.append("read-only")
        self.sub_title = " · ".join(parts)

    # -- list and views ----------------------------------------------------------
    def _listed_papers(self) -> list[Paper]:
        view = self.current_view
        view_query = None
        if view.kind == "saved":
            try:
                view_query = parse_query(view.value)
            except QueryError as error:
                self.say(f"saved search {view.label}: {error.message}", "error")
                return []
        return self.listing.papers(view, self.sort_order, view_query, self.search_query)

    def reload_list(self, keep_id: str | None = None) -> None:
        """Select the current view's papers again (after a view change, a
        search or a refresh), keeping the cursor on ``keep_id`` if listed."""
        papers = self._listed_papers()
        if keep_id is None and papers:
            keep_id = papers[0].id
        # the lists hold the library's own records: the kept one is found by identity
        keep = self.session.library.papers.get(keep_id) if keep_id is not None else None
        self.paper_list.set_papers(papers, keep_id=keep_id, keep=keep, grouped=self.sort_order in DATE_ORDERS)
        self._update_sub_title()

    def all_views(self) -> list[View]:
        """Every sidebar entry. A saved search's key is its query, so of two
        saved searches with the same query only the first is listed."""
        unique: dict[str, View] = {}
        for view in self.session.library.views(self.saved_searches.all()):
            unique.setdefault(view.key, view)
        return list(unique.values())

    def count_of(self, view: View) -> Count | None:
        """A view's counts; None for a saved search still being counted."""
        if view.kind == "saved":
            return self.saved_counts.count(view.key)
        return self.session.library.count(view)

    def rebuild_sidebar(self) -> None:
        self._shown_feed_errors = self.session.feed_errors()
        self.sidebar.show_views(
            self.all_views(), self.count_of, self._shown_feed_errors, self.current_view.key, self._view_errors
        )

    def update_sidebar(self) -> None:
        """The sidebar after a refresh: new counts in place, or rebuilt when
        an entry or a feed's error came or went."""
        if self.sidebar.views != self.all_views() or self.session.feed_errors() != self._shown_feed_errors:
            self.rebuild_sidebar()
        else:
            self.sidebar.update_counts(self.count_of)

    def count_saved_searches(self, keys: Iterable[str] | None = None) -> None:
        """Count the saved searches (all, or those with ``keys``) over the
        whole library in a worker thread; a query that does not parse gets
        an error in the sidebar instead. While abstracts are still loading
        the counts wait (they show as pending) and all are made when the
        last abstract is in."""
        if not self.texts_ready:
            return
        wanted = set(keys) if keys is not None else None
        tests: dict[str, Callable[[Paper], bool]] = {}
        for view in self.all_views():
            if view.kind != "saved" or (wanted is not None and view.key not in wanted):
                continue
            try:
                tests[view.key] = self.session.predicate(parse_query(view.value))
            except QueryError as error:
                self._view_errors[view.key] = error.message
                self.saved_counts.put(view.key, ViewMatches(_never))
            else:
                self._view_errors.pop(view.key, None)
        if tests:
            generation = self.saved_counts.begin(tests)
            self._count_worker(tests, list(self.session.library.papers.values()), generation)

    @work(thread=True, group="saved-counts", description="count saved searches")
    def _count_worker(
        self, tests: dict[str, Callable[[Paper], bool]], papers: list[Paper], generation: int
    ) -> None:
        results = match_all(tests, papers, self.session.library.state)
        self.post_message(SavedSearchesCounted(results, generation))

    def on_saved_searches_counted(self, message: SavedSearchesCounted) -> None:
        self.saved_counts.install(message.results, message.generation)
        self.sidebar.update_counts(self.count_of)
        self._update_sub_title()

    def _state_changed(self, ids: Iterable[str]) -> None:
        """Show a state change everywhere at once: rows, pane, counts."""
        ids = list(ids)
        if len(ids) > 50:
            self.paper_list.refresh()  # rows are re-rendered when their state differs
        else:
            for paper_id in ids:
                self.paper_list.refresh_paper(paper_id)
        self._show_state_of_highlighted(ids)
        papers = self.session.library.papers
        self.saved_counts.update(papers[paper_id] for paper_id in ids if paper_id in papers)
        if self.sidebar.views != self.all_views():
            self.rebuild_sidebar()  # a tag appeared or went away
        else:
            self.sidebar.update_counts(self.count_of)
        self._update_sub_title()

    def show_view(self, view: View) -> None:
        self.current_view = view
        self.sidebar.set_current(view.key)
        self.reload_list()
        self.paper_list.focus()

    def _show_state_of_highlighted(self, ids: list[str]) -> None:
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
            shown = self._full_record(paper)
            pending = shown is None
            if shown is None:
                shown = paper
                self._read_full_records(paper, self._neighbours())
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
        )

    # -- full records (a library of summaries) ---------------------------------------
    def _full_record(self, paper: Paper) -> Paper | None:
        """The full record read for the listed ``paper``, if any."""
        known = self._full_records.get(paper.id)
        if known is None or known[0] is not paper:
            return None
        self._full_records.move_to_end(paper.id)
        return known[1]

    def _neighbours(self) -> list[Paper]:
        """The papers around the cursor, read ahead with the highlighted one."""
        papers = self.paper_list.papers
        cursor = self.paper_list.cursor
        nearby = papers[max(0, cursor - READ_BEHIND) : cursor + READ_AHEAD + 1]
        return [paper for paper in nearby if self._full_record(paper) is None]

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
        for paper, full in message.records:
            self._full_records[paper.id] = (paper, full)
            self._full_records.move_to_end(paper.id)
        while len(self._full_records) > FULL_RECORDS_KEPT:
            self._full_records.popitem(last=False)
        shown = self.abstract_pane.paper
        read = highlighted is not None and any(paper is highlighted for paper, _ in message.records)
        if read and shown is not None and highlighted is not None and shown.id == highlighted.id:
            self.show_highlighted()

    # -- search texts ----------------------------------------------------------------
    @work(thread=True, group="texts", description="make search texts")
    def _texts_worker(self, chunks: Iterator[TextChunk]) -> None:
        """Make the search texts a chunk at a time, each handed to the app
        before the next is made (so the event loop is never far behind)."""
        worker = get_current_worker()
        for chunk in chunks:
            taken = threading.Event()
            self.post_message(TextsMade(chunk, taken))
            while not taken.wait(0.1):
                if worker.is_cancelled:
                    return
            if self._after_giving_way(worker):
                return
        self.post_message(TextsDone())

    async def on_event(self, event: Event) -> None:
        if isinstance(event, Key):
            if not event.is_forwarded and not self.type_ahead.admit(event):
                return  # kept: handed back once the keys before it have settled
            self._give_way()
        await super().on_event(event)

    def _give_way(self) -> None:
        """Hold the background threads (search texts, word index) and the
        garbage collector until the screen shows what a keystroke did.
        Each thread would otherwise take the interpreter every millisecond,
        about doubling the keystroke's time; and a collection run meanwhile
        walks the lists the search just made (100k papers: 5-10 ms a list,
        two or three times a keystroke). Collected after the frame instead.

        "After the frame" is after the next frame is written (``_display``),
        not ``call_after_refresh``: that runs once the screen is idle, which
        comes before the focused widget has even handled the key, so the
        threads took turns with the handling and drawing of a move down
        while the abstracts loaded. A keystroke that changes nothing on
        screen lets go after ``GIVE_WAY_AT_MOST``."""
        self._background_may_run.clear()
        if not self._collector_held and gc.isenabled():
            gc.disable()
            self._collector_held = True
        if self._frame_awaited is None:
            self._frame_awaited = asyncio.get_running_loop().call_later(GIVE_WAY_AT_MOST, self._go_on)

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        """Textual writes every frame here."""
        super()._display(screen, renderable)
        if renderable is not None and self._frame_awaited is not None:
            self._go_on()

    def _go_on(self) -> None:
        """The keystroke's frame is drawn: let the background work resume."""
        if self._frame_awaited is not None:
            self._frame_awaited.cancel()
            self._frame_awaited = None
        self._background_may_run.set()
        if self._collector_held:
            self._collector_held = False
            gc.enable()

    def _resume_collector(self) -> None:
        """End the pause of the collector while the abstracts load."""
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()

    def _wait_turn(self) -> None:
        """For a background thread in the middle of its work: wait while a
        keystroke is handled (never long)."""
        self._background_may_run.wait(GIVE_WAY_AT_MOST)

    def _after_giving_way(self, worker: Worker[None]) -> bool:
        """For a background thread between two pieces of work: wait while
        a keystroke is handled (never long), then say whether to stop."""
        self._wait_turn()
        return worker.is_cancelled

    def on_texts_made(self, message: TextsMade) -> None:
        self.session.install_texts(message.chunk)
        self._texts_taken += len(message.chunk.texts)
        message.taken.set()
        if not self.texts_ready and self.is_running:
            self._update_sub_title()

    def on_texts_done(self, message: TextsDone) -> None:
        if not self.is_running:
            return
        # no collection first: it walks every object made while loading
        # (~50k, 17-27 ms on the event loop) and found no garbage there
        _freeze_heap()
        self._resume_collector()
        self._start_index()
        if self.texts_ready:
            return
        self.texts_ready = True
        errors = dict(self._view_errors)
        self.count_saved_searches()
        # rebuilt only when a saved search turned out not to parse (its
        # error line); otherwise the counts change in place, no relayout
        if self._view_errors != errors:
            self.rebuild_sidebar()
        else:
            self.update_sidebar()
        if self.search_query is not None:
            highlighted = self.paper_list.highlighted
            self.reload_list(keep_id=highlighted.id if highlighted else None)
        else:
            self._update_sub_title()

    @work(thread=True, exclusive=True, group="word-index", description="index words")
    def _index_worker(self, texts: Collection[tuple[str, str]], rows: list[Paper] | None) -> None:
        """Index the words of the search texts (a few seconds at 100k
        papers), then number ``rows`` (the listed view's papers) in it; a
        newer build (after a refresh) cancels this one."""
        worker = get_current_worker()

        def cancelled() -> bool:
            return self._after_giving_way(worker)

        index = WordIndex.build(texts, cancelled)
        if index is None or worker.is_cancelled:
            return
        numbers = None
        if rows is not None:
            numbers = []
            get = index.numbers.get
            # in slices: one map over 100k papers holds the interpreter 30 ms
            for start in range(0, len(rows), NUMBER_SLICE):
                numbers += map(get, map(_paper_id, rows[start : start + NUMBER_SLICE]), repeat(-1))
                if cancelled():
                    return
        self.post_message(WordIndexBuilt(index, rows, numbers))

    def _start_index(self) -> None:
        self._index_worker(self.session.library.index_snapshot(), self.listing.view_rows_papers())

    def _reindex(self) -> None:
        if self.is_running:  # the timer may fire while the app closes
            self._start_index()

    def on_word_index_built(self, message: WordIndexBuilt) -> None:
        if not self.is_running:
            return
        self.session.library.set_word_index(message.index)
        if message.rows is not None and message.numbers is not None:
            self.listing.adopt_numbers(message.rows, message.numbers, message.index)
        _freeze_heap()

    def _texts_loading(self) -> str:
        """"loading abstracts N%" while they load (summaries only), else ''."""
        if self.texts_ready:
            return ""
        total = max(1, len(self.session.library.papers))
        return f"loading abstracts {min(99, self._texts_taken * 100 // total)}%"

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, event: PaperList.Highlighted) -> None:
        if event.paper_list is None or not event.paper_list.is_attached:
            return  # posted just before the screen closed
        paper = event.paper
        if (
            paper is not None
            and self.session.config.mark_read_on_highlight
            and not self.session.readonly
            and not self.session.library.state(paper.id).read
        ):
            self.session.actions.set_read([paper.id], True)
            self._state_changed([paper.id])
        elif time.monotonic() - self._searched_at < PANE_DELAY:
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

    @on(PaperList.Selected)
    def _paper_selected(self, event: PaperList.Selected) -> None:
        self.show_highlighted()
        self.abstract_pane.focus()
        if not self.session.readonly and not self.session.library.state(event.paper.id).read:
            self.session.actions.set_read([event.paper.id], True)
            self._state_changed([event.paper.id])

    @on(Sidebar.ViewChosen)
    def _view_chosen(self, event: Sidebar.ViewChosen) -> None:
        self.show_view(event.view)

    # -- order -------------------------------------------------------------------
    def action_sort(self) -> None:
        self.set_sort(next_sort_order(self.sort_order))

    def set_sort(self, order: str) -> None:
        """List the papers in ``order`` (one of SORT_ORDERS), keeping the
        cursor on its paper, and remember the order."""
        self.sort_order = order
        highlighted = self.paper_list.highlighted
        self.reload_list(keep_id=highlighted.id if highlighted else None)
        if not self.session.readonly:
            self._remember_sort(order)

    @work(thread=True, group="ui-state")
    def _remember_sort(self, order: str) -> None:
        try:
            save_ui_state(self.session.data_dir, sort=order)
        except StoreError as error:
            self.call_from_thread(self.say, f"could not remember the sort order: {error}", "warning")

    # -- saved searches ----------------------------------------------------------
    def action_save_search(self) -> None:
        if self.session.readonly:
            self.say("read-only: cannot save searches", "warning")
            return
        if self.search_query is None:
            self.say("type a search first (/), then save it with V", "warning")
            return
        base = view_query(self.current_view, self.session.library.feed_names)
        query = combine_queries(base or "", self.search_query.text)
        existing = self.saved_searches.name_of(query)
        if existing is not None:
            self.say(f"this search is already saved as {existing!r}")
            return

        def save(name: str | None) -> None:
            if name is not None and name.strip():
                self.add_saved_search(name, query)

        detail = f"Query: {query}"
        if base is None:
            detail += f"\n(only the search: {self.current_view.label} cannot be written as a query)"
        self.push_screen(
            PromptScreen(
                "Save this search as", placeholder="a name for the sidebar", detail=detail,
                hint="Enter saves it under Saved in the sidebar, Escape cancels.",
            ),
            save,
        )

    def _change_saved_searches(self, change: Callable[[SavedSearches], None], failing: str) -> bool:
        """Apply ``change`` to a copy of the saved searches, store the
        reader's ones in ui.json, and only then use the copy."""
        searches = SavedSearches(self.session.config.views, self.saved_searches.reader_views)
        try:
            change(searches)
            save_ui_state(self.session.data_dir, views=searches.reader_views)
        except SavedSearchError as error:
            self.say(str(error), "warning")
            return False
        except StoreError as error:
            self.say(f"{failing}: {error}", "error")
            return False
        self.saved_searches = searches
        return True

    def add_saved_search(self, name: str, query: str) -> None:
        name = " ".join(name.split())
        if self._change_saved_searches(lambda searches: searches.add(name, query), "could not save the search"):
            self.count_saved_searches([View("saved", name, query).key])
            self.rebuild_sidebar()
            self.say(f"saved search {name!r}")

    def remove_saved_search(self, name: str) -> None:
        """Ask, then remove a search saved from the reader (config ones are
        refused with the reason)."""
        if self.session.readonly:
            self.say("read-only: cannot remove saved searches", "warning")
            return
        if self.saved_searches.is_from_config(name):
            self.say(f"{name!r} comes from the config file ([views]); remove it there", "warning")
            return

        def remove(confirmed: bool | None) -> None:
            if not confirmed:
                return
            if not self._change_saved_searches(
                lambda searches: searches.remove(name), "could not remove the search"
            ):
                return
            if self.current_view.kind == "saved" and self.current_view.label == name:
                self.show_view(UNREAD)
            self.saved_counts.keep_only(view.key for view in self.all_views() if view.kind == "saved")
            self.rebuild_sidebar()
            self.say(f"removed saved search {name!r}")

        self.push_screen(ConfirmScreen(f"Remove the saved search {name!r}?"), remove)

    @on(Sidebar.RemoveRequested)
    def _remove_requested(self, event: Sidebar.RemoveRequested) -> None:
        self.remove_saved_search(event.view.label)

    # -- palette requests ----------------------------------------------------------
    def reader_saved_searches(self) -> list[str]:
        """The names of the searches saved from the reader (the palette can remove those)."""
        return list(self.saved_searches.reader_views)

    def on_show_view(self, message: ShowView) -> None:
        self.show_view(message.view)

    def on_set_sort(self, message: SetSort) -> None:
        self.set_sort(message.order)

    def on_export_view(self, message: ExportView) -> None:
        self.export_view(message.fmt)

    def on_remove_saved_search(self, message: RemoveSavedSearch) -> None:
        self.remove_saved_search(message.name)

    def on_set_theme(self, message: SetTheme) -> None:
        self.set_theme(message.name)

    def on_star_all(self, message: StarAll) -> None:
        self.action_star_all()

    def on_tag_all(self, message: TagAll) -> None:
        self.action_tag_all()

    # -- search ------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#search-bar").add_class("-shown")
        self.search_input.focus()

    def _search_changed(self, value: str) -> None:
        """The search box changed: list its matches. Called as the box's
        value changes (a watcher), not on its Changed message, so that the
        new list is drawn in the same frame as the typed character instead
        of one frame later."""
        self._give_way()
        error_line = self.query_one("#search-error", Static)
        try:
            query = parse_query(value) if value.strip() else None
        except QueryError as error:
            error_line.update(Content(error.message))
            error_line.add_class("-shown")
            return  # keep showing the last good result
        error_line.remove_class("-shown")
        self.search_query = query
        self._searched_at = time.monotonic()
        highlighted = self.paper_list.highlighted
        self.reload_list(keep_id=highlighted.id if highlighted else None)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#search-bar").remove_class("-shown")
        self.paper_list.focus()

    def action_clear_search(self) -> None:
        self.search_input.value = ""  # posts Changed, which lists everything again
        self.query_one("#search-error").remove_class("-shown")
        self.query_one("#search-bar").remove_class("-shown")
        self.paper_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_search":
            return self.query_one("#search-bar").has_class("-shown")
        return True

    # -- state keys --------------------------------------------------------------
    def _target(self, doing: str) -> Paper | None:
        """The highlighted paper, or None (with a notice) when there is none
        or the library is read-only."""
        if self.session.readonly:
            self.say(f"read-only: cannot {doing}; the library is open elsewhere or not writable", "warning")
            return None
        paper = self.paper_list.highlighted
        if paper is None:
            self.say("no paper here", "warning")
        return paper

    def action_toggle_read(self) -> None:
        paper = self._target("change read state")
        if paper is not None:
            self.session.actions.toggle_read(paper.id)
            self._state_changed([paper.id])

    def action_toggle_star(self) -> None:
        paper = self._target("star")
        if paper is not None:
            self.session.actions.toggle_star(paper.id)
            self._state_changed([paper.id])

    def action_triage(self) -> None:
        paper = self._target("mark read")
        if paper is None:
            return
        if self.session.actions.set_read([paper.id], True):
            self._state_changed([paper.id])
        self.paper_list.action_cursor_down()

    def action_edit_tags(self) -> None:
        paper = self._target("edit tags")
        if paper is None:
            return
        library = self.session.library

        def save(tags: list[str] | None) -> None:
            if tags is not None and self.session.actions.set_tags(paper.id, tags):
                self._state_changed([paper.id])

        self.push_screen(TagsScreen(paper.title, library.state(paper.id).tags, library.tags()), save)

    def action_mark_all_read(self) -> None:
        if self._target("mark read") is None:
            return
        library = self.session.library
        ids = [paper.id for paper in self.paper_list.papers if not library.state(paper.id).read]
        if not ids:
            self.say("nothing unread here")
            return

        def mark(confirmed: bool | None) -> None:
            if confirmed:
                changed = self.session.actions.set_read(ids, True)
                self._state_changed(ids)
                self.say(f"marked {changed} paper{'s' if changed != 1 else ''} read (u undoes)")

        if len(ids) > CONFIRM_OVER:
            self.push_screen(ConfirmScreen(f"Mark {len(ids)} papers in {self.current_view.label} read?"), mark)
        else:
            mark(True)

    def _bulk_papers(self, doing: str) -> list[Paper] | None:
        """The papers listed (the view with the search applied), or None
        (with a notice) when there are none or the library is read-only."""
        if self.session.readonly:
            self.say(f"read-only: cannot {doing}; the library is open elsewhere or not writable", "warning")
            return None
        papers = list(self.paper_list.papers)
        if not papers:
            self.say("no papers in this view", "warning")
            return None
        return papers

    def _listing(self, count: int) -> str:
        """What a bulk action covers, e.g. "12 papers in Unread matching graph"."""
        text = f"{_plural(count)} in {self.current_view.label}"
        if self.search_query is not None:
            text += f" matching {self.search_query.text}"
        return text

    def action_star_all(self) -> None:
        papers = self._bulk_papers("star")
        if papers is None:
            return
        library = self.session.library
        ids = [paper.id for paper in papers if not library.state(paper.id).starred]
        if not ids:
            self.say("every paper here is starred already")
            return

        def star(confirmed: bool | None) -> None:
            if confirmed:
                changed = self.session.actions.set_starred(ids, True)
                self._state_changed(ids)
                self.say(f"starred {_plural(changed)} (u undoes)")

        if len(ids) > CONFIRM_OVER:
            self.push_screen(ConfirmScreen(f"Star {self._listing(len(ids))}?"), star)
        else:
            star(True)

    def action_tag_all(self) -> None:
        papers = self._bulk_papers("tag")
        if papers is None:
            return
        ids = [paper.id for paper in papers]

        def tag(tags: list[str] | None) -> None:
            if not tags:
                return
            changed = self.session.actions.add_tags(ids, tags)
            self._state_changed(ids)
            self.say(f"tagged {_plural(changed)} {format_tags(tags)} (u undoes)")

        screen = TagsScreen(self._listing(len(ids)), [], self.session.library.tags(), heading="Add tags to")
        self.push_screen(screen, tag)

    def action_undo(self) -> None:
        if self.session.readonly:
            self.say("read-only: nothing to undo", "warning")
            return
        step = self.session.actions.undo()
        if step is None:
            self.say("nothing to undo")
            return
        count = len(step.before)
        self.say(f"undone: {step.description} ({count} paper{'s' if count != 1 else ''})")
        self._state_changed(step.before)

    # -- links and clipboard -----------------------------------------------------
    def _open(self, url: str | None, what: str) -> None:
        if url is None:
            self.say(f"this paper has no {what} link", "warning")
        elif not is_safe_url(url):
            self.say(f"not opening {what} link (only http and https): {url}", "error")
        else:
            self.open_url(url)

    def action_open_abs(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self._open(abs_link(paper), "page")

    def action_open_pdf(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self._open(pdf_link(paper), "PDF")

    def action_copy_url(self) -> None:
        paper = self.paper_list.highlighted
        if paper is None:
            return
        url = abs_link(paper)
        if url is None:
            self.say("this paper has no page link", "warning")
        elif not is_safe_url(url):
            self.say(f"not copying the page link (only http and https): {url}", "error")
        else:
            self.copy_to_clipboard(url)
            self.say(f"copied {url}")

    def action_copy_bibtex(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self.copy_to_clipboard(bibtex_entry(paper))
            self.say("copied the BibTeX entry")

    # -- export ------------------------------------------------------------------
    def export_view(self, fmt: str) -> None:
        """Ask for a file, then write the papers listed to it in ``fmt``."""
        papers = list(self.paper_list.papers)
        if not papers:
            self.say("no papers in this view to export", "warning")
            return

        def chosen(answer: str | None) -> None:
            if answer is None or not answer.strip():
                return
            path = Path(answer.strip()).expanduser().absolute()
            if path.is_dir():
                self.say(f"{path} is a folder; give a file name", "error")
            elif path.exists():

                def replace(confirmed: bool | None) -> None:
                    if confirmed:
                        self._export(papers, fmt, path)

                self.push_screen(ConfirmScreen(f"{path} exists. Replace it?"), replace)
            else:
                self._export(papers, fmt, path)

        self.push_screen(
            PromptScreen(
                f"Export {self._listing(len(papers))} as {FORMAT_NAMES[fmt]} to",
                value=default_export_path(fmt),
                hint="Enter writes the file, Escape cancels.",
            ),
            chosen,
        )

    def _export(self, papers: list[Paper], fmt: str, path: Path) -> None:
        library = self.session.library
        self._export_worker(papers, library.states(), dict(library.feed_names), fmt, path)

    @work(thread=True, group="export", description="export papers")
    def _export_worker(
        self,
        papers: list[Paper],
        states: dict[str, PaperState],
        feed_names: dict[str, str],
        fmt: str,
        path: Path,
    ) -> None:
        try:
            papers = self.session.full_papers(papers)
            write_file(path, export_papers(papers, states, fmt, feed_names))
        except StoreError as error:
            self.post_message(ExportFinished(path, 0, str(error)))
        else:
            self.post_message(ExportFinished(path, len(papers)))

    def on_export_finished(self, message: ExportFinished) -> None:
        if message.error is not None:
            self.say(f"export failed: {message.error}", "error", timeout=15)
        else:
            self.say(f"exported {_plural(message.count)} to {message.path}")

    # -- panes -------------------------------------------------------------------
    def action_toggle_sidebar(self) -> None:
        self.main.toggle_sidebar()
        if not self.main.sidebar_shown and self.sidebar.has_focus:
            self.paper_list.focus()

    def action_toggle_raw(self) -> None:
        self.raw_abstract = not self.raw_abstract
        self.show_highlighted()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_rows(self, self.keymap)))

    # -- themes ------------------------------------------------------------------
    def _start_theme(self) -> None:
        theme = start_theme(self.session.config.theme, self._ui_state)
        if theme.name is not None:
            self.theme = theme.name
        if theme.forget_choice and not self.session.readonly:
            self._save_theme(None)
        # after the change above is announced (call_next keeps the order):
        # only a theme chosen from now on is remembered as a choice
        self.call_next(self.theme_changed_signal.subscribe, self, self._theme_changed)

    def set_theme(self, name: str) -> None:
        self.theme = name

    def _theme_changed(self, theme: Theme) -> None:
        if not self.session.readonly:
            self._save_theme(theme.name)

    @work(thread=True, group="ui-state")
    def _save_theme(self, name: str | None) -> None:
        try:
            save_ui_state(self.session.data_dir, **theme_choice(name, self.session.config.theme))
        except StoreError as error:
            self.call_from_thread(self.say, f"could not remember the theme: {error}", "warning")

    # -- saving ------------------------------------------------------------------
    def flush_soon(self) -> None:
        """Timer tick: write pending state in a worker thread if there is any."""
        if self.session.readonly or self._flushing or not self.session.has_unsaved_changes:
            return
        self._flushing = True
        self._flush_worker()

    @work(thread=True, group="flush")
    def _flush_worker(self) -> None:
        try:
            self.session.flush()
        except StoreError as error:
            self.post_message(FlushFailed(error))
        else:
            if self._flush_error is not None:
                self.call_from_thread(self._flush_recovered)
        finally:
            self._flushing = False

    def _flush_recovered(self) -> None:
        self._flush_error = None
        self.say("saved")

    def on_flush_failed(self, message: FlushFailed) -> None:
        text = str(message.error)
        if text != self._flush_error:  # say it once, not on every retry
            self._flush_error = text
            self.say(f"{text}; changes are kept in memory and saving is retried", "error", timeout=15)

    def flush_now(self) -> bool:
        """Write pending state now (quitting, a signal); False if it failed."""
        if self.session.readonly:
            return True
        try:
            self.session.flush()
        except StoreError as error:
            self.say(str(error), "error", timeout=15)
            return False
        return True

    async def action_quit(self) -> None:
        if not self.flush_now() and not self._quit_warned:
            self._quit_warned = True
            self.say("press q again to quit without saving", "warning", timeout=15)
            return
        self.exit(0)

    def request_exit(self) -> None:
        """Close the app, from any thread or a signal handler."""
        loop = event_loop(self)
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.exit, 0)

    def on_unmount(self) -> None:
        self.flush_now()
        # the process as it was (many apps run in one test process)
        self._resume_collector()
        self._go_on()
        gc.unfreeze()
        sys.setswitchinterval(self._switch_interval)

    # -- refresh -----------------------------------------------------------------
    def _refresh_if_due(self) -> None:
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
        _freeze_heap()  # the modules just loaded stay for good

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
            _freeze_heap(collect=True)

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
        _freeze_heap()  # the new records stay: out of the collector's way
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
            self.set_timer(INDEX_AFTER_REFRESH, self._reindex)
        self.count_saved_searches()
        self.update_sidebar()
        lines = [f"{report.new_count} new paper{'s' if report.new_count != 1 else ''}"]
        lines += [outcome.summary() for outcome in report.failed]
        self.say("\n".join(lines), "warning" if report.failed else "information", timeout=10)


def run_reader(session: Session) -> int:
    """Run the reader on ``session`` until the user quits; the exit code.
    The config's key bindings and theme were checked as it was read."""
    app = ReaderApp(session)
    app.exit_guard = ExitGuard(lambda: session.readonly or session.flush(), app.request_exit)
    app.exit_guard.install()
    try:
        result = app.run()
    finally:
        app.exit_guard.uninstall()
    app.exit_guard.end_after_app(session.close)
    return result if isinstance(result, int) else app.return_code or 0
