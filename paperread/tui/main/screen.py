"""The reader's main screen: the sidebar, the paper list under its search
bar, and the abstract pane, laid out for the width of the terminal.

What the keys do is split by feature into the mixins beside this module
(state keys, saved searches, export, links, loading, refresh, search,
the pane). They share the screen's state through the attributes set in
``MainScreen.__init__`` and a few methods: ``say``, ``reload_list``,
``state_changed``, ``show_view``, ``show_highlighted``, ``count_of``,
``all_views``, ``update_sub_title``.

The screen sets its own layout classes on every resize, also while a modal
(help, tags, the palette) is on top of it: a background screen gets the
terminal's Resize too. When the app set them, they went to whichever
screen was on top, and the main screen kept the old size's layout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from paperread.library import SORT_ORDERS, UNREAD, Count, View
from paperread.model import Paper
from paperread.query import Query, QueryError, parse_query
from paperread.session import Session
from paperread.store.errors import StoreError
from paperread.tui.bindings import (
    ABSTRACT_BINDINGS,
    HELP_AND_QUIT,
    LIST_MOVES,
    READER_BINDINGS,
    key_names,
)
from paperread.tui.data.full_records import FullRecords
from paperread.tui.data.labels import DATE_ORDERS, next_sort_order
from paperread.tui.data.listing import Listing
from paperread.tui.data.prefs import save_ui_state
from paperread.tui.data.saved_searches import SavedSearchCounts, SavedSearches
from paperread.tui.data.status_line import StatusLine
from paperread.tui.main.export import ExportActions
from paperread.tui.main.for_you import RANKED_KINDS, RANKED_VIEWS, ForYouActions
from paperread.tui.main.links import LinkActions
from paperread.tui.main.loading import Loading
from paperread.tui.main.pane import PaneFollowing
from paperread.tui.main.refresh import RefreshActions
from paperread.tui.main.saved_searches import SavedSearchActions
from paperread.tui.main.search import SearchActions
from paperread.tui.main.state_keys import StateKeys
from paperread.tui.messages import SetSort, ShowView
from paperread.tui.pacing import KeystrokeGate, freeze_heap
from paperread.tui.widgets import (
    AbstractPane,
    PaperList,
    ReaderHeader,
    SearchBox,
    Sidebar,
)

NARROW_WIDTH = 120  # below this the abstract pane goes under the list
VERY_NARROW_WIDTH = 100  # below this the sidebar hides (the backslash key brings it back)
SEARCH_PLACEHOLDER = 'search: words, "phrases", author:, cat:, tag:, is:starred, since:7d'


class MainScreen(
    StateKeys,
    ForYouActions,
    SavedSearchActions,
    ExportActions,
    LinkActions,
    SearchActions,
    PaneFollowing,
    Loading,
    RefreshActions,
    Screen[None],
):
    """The panes, their layout, the list's view, order and search."""

    BINDINGS = HELP_AND_QUIT + READER_BINDINGS + LIST_MOVES + ABSTRACT_BINDINGS

    paper_list = getters.query_one("#papers", PaperList)
    sidebar = getters.query_one("#sidebar", Sidebar)
    abstract_pane = getters.query_one("#abstract", AbstractPane)
    search_input = getters.query_one("#search", Input)

    def __init__(
        self,
        session: Session,
        gate: KeystrokeGate,
        empty_text: Callable[[], str],
        prefs: Mapping[str, object],
        refresh_check: float,
        keymap: Mapping[str, str],
    ) -> None:
        super().__init__()
        self.session = session
        self.keymap = keymap
        self.gate = gate
        self._empty_text = empty_text
        self._refresh_check = refresh_check  # seconds between checks for a due refresh
        self._width = NARROW_WIDTH
        self.sidebar_override: bool | None = None  # set by the toggle key
        self.current_view: View = UNREAD
        self.search_query: Query | None = None  # the last query that parsed
        sort = prefs.get("sort")
        self.sort_order: str = sort if isinstance(sort, str) and sort in SORT_ORDERS else "newest"
        reader_views = prefs.get("views")
        self.saved_searches = SavedSearches(
            session.config.views, reader_views if isinstance(reader_views, dict) else {}
        )
        self.saved_counts = SavedSearchCounts(session.library.state)
        self.view_errors: dict[str, str] = {}  # saved search key -> why its query fails
        self.raw_abstract = False
        self.refresh_status: dict[str, str] = {}  # feed url -> progress text
        self._shown_feed_errors: dict[str, str] = {}  # feed url -> the error the sidebar shows
        self.listing = Listing(session)
        self.full_records = FullRecords()
        # search texts: made in a worker after the first paint; with
        # summaries, the abstracts they come from are read then too
        self.texts_ready = not session.summaries
        self.texts_taken = 0
        self.init_pane_following()
        self.init_for_you()
        # set once the panes exist and are filled: the app's own Mount comes before that
        self.mounted = asyncio.Event()

    def compose(self) -> ComposeResult:
        session = self.session
        yield ReaderHeader()
        with Horizontal(id="main"):
            yield Sidebar(id="sidebar")
            with Horizontal(id="content"):
                with Vertical(id="list-column"):
                    with Vertical(id="search-bar"):
                        yield SearchBox(placeholder=SEARCH_PLACEHOLDER, id="search")
                        yield Static(id="search-error")
                    yield PaperList(
                        session.library.state,
                        watched_of=session.is_watched if session.watchlist else None,
                        empty_text=self._empty_text,
                        id="papers",
                    )
                yield AbstractPane(id="abstract")
        yield Static(id="refresh-status")
        yield Footer()

    def on_mount(self) -> None:
        self.lay_out(self.app.size.width)
        if self.texts_ready:
            self.count_saved_searches()
        self.rebuild_sidebar()
        self.reload_list()
        self.paper_list.focus()
        self.watch(self.search_input, "value", self.search_changed, init=False)
        self.gate.start()
        self.start_loading()
        for message in self.session.messages:
            self.say(message, "warning", timeout=10)
        if self.session.readonly:
            self.say("read-only: changes will not be saved", "warning")
        freeze_heap()
        self.refresh_if_due()
        # a reader left open all day refreshes as often as one started anew
        self.set_interval(self._refresh_check, self.refresh_if_due)
        self.mounted.set()

    def say(self, message: str, severity: SeverityLevel = "information", timeout: float | None = None) -> None:
        """A notification whose text is never read as markup (it may quote
        feed text or file names)."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    # -- layout ------------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        if self.is_mounted:  # a first Resize comes before the panes exist; on_mount lays them out
            self.lay_out(event.size.width)

    def lay_out(self, width: int) -> None:
        """The layout classes for a terminal ``width`` columns wide."""
        self._width = width
        self.set_class(width < NARROW_WIDTH, "-narrow")
        self.set_class(width < VERY_NARROW_WIDTH, "-very-narrow")
        self._show_sidebar()

    @property
    def sidebar_shown(self) -> bool:
        if self.sidebar_override is not None:
            return self.sidebar_override
        return self._width >= VERY_NARROW_WIDTH

    def action_toggle_sidebar(self) -> None:
        """Show or hide the sidebar, whatever the width says."""
        self.sidebar_override = not self.sidebar_shown
        self._show_sidebar()
        if not self.sidebar_shown and self.sidebar.has_focus:
            self.paper_list.focus()

    def _show_sidebar(self) -> None:
        shown = self.sidebar_shown
        self.sidebar.display = shown
        self.set_class(not shown, "-no-sidebar")

    def action_move_list(self, action: str) -> None:
        """A move of the list (``cursor_down``, ``next_unread``, …), from
        whatever pane has the focus."""
        getattr(self.paper_list, f"action_{action}")()

    def action_scroll_abstract(self, how: str) -> None:
        """Scroll the abstract ``down``, ``up``, ``page_down`` or ``page_up``."""
        pane = self.abstract_pane
        {"down": pane.scroll_down, "up": pane.scroll_up,
         "page_down": pane.scroll_page_down, "page_up": pane.scroll_page_up}[how](animate=False)

    def action_toggle_raw(self) -> None:
        self.raw_abstract = not self.raw_abstract
        self.show_highlighted()

    # -- the status line -----------------------------------------------------------
    def update_sub_title(self) -> None:
        searched = self.search_query.text.strip() if self.search_query else ""
        view = self.current_view
        if view.kind in RANKED_KINDS:
            label, count = self.ranked_label(view), self.ranked_count(view)
        else:
            label, count = view.label, self.listing.view_count()
        line = StatusLine(
            label, count, searched, len(self.paper_list.papers), self.sort_order,
            self.texts_loading(), self.session.readonly,
        )
        self.app.sub_title = line.text()

    # -- list and views ----------------------------------------------------------
    def _listed_papers(self) -> list[Paper]:
        view = self.current_view
        if view.kind in RANKED_KINDS:
            return self.ranked_papers(view)
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
        ranked = self.current_view.kind in RANKED_KINDS
        self.paper_list.set_papers(
            papers, keep_id=keep_id, keep=keep, grouped=not ranked and self.sort_order in DATE_ORDERS,
            by_upvotes=not ranked and self.sort_order == "upvotes",
            sections=self.ranked_sections(papers), marks=self.ranked_marks(),
        )
        self.update_sub_title()

    def reload_keeping_cursor(self) -> None:
        highlighted = self.paper_list.highlighted
        self.reload_list(keep_id=highlighted.id if highlighted else None)

    def all_views(self) -> list[View]:
        """Every sidebar entry. A saved search's key is its query, so of two
        saved searches with the same query only the first is listed."""
        unique: dict[str, View] = {RANKED_VIEWS[0].key: RANKED_VIEWS[0]}
        for view in (*self.session.library.views(self.saved_searches.all()), RANKED_VIEWS[1]):
            unique.setdefault(view.key, view)
        return list(unique.values())

    def count_of(self, view: View) -> Count | None:
        """A view's counts; None for a saved search still being counted."""
        if view.kind == "saved":
            return self.saved_counts.count(view.key)
        if view.kind in RANKED_KINDS:
            return self.ranked_count(view) if self.ranking is not None else None
        return self.session.library.count(view)

    def rebuild_sidebar(self) -> None:
        self._shown_feed_errors = self.session.feed_errors()
        self.sidebar.show_views(
            self.all_views(), self.count_of, self._shown_feed_errors, self.current_view.key, self.view_errors
        )

    def update_sidebar(self) -> None:
        """The sidebar after a refresh: new counts in place, or rebuilt when
        an entry or a feed's error came or went."""
        if self.sidebar.views != self.all_views() or self.session.feed_errors() != self._shown_feed_errors:
            self.rebuild_sidebar()
        else:
            self.sidebar.update_counts(self.count_of)

    def state_changed(self, ids: Iterable[str]) -> None:
        """Show a state change everywhere at once: rows, pane, counts."""
        ids = list(ids)
        if len(ids) > 50:
            self.paper_list.refresh()  # rows are re-rendered when their state differs
        else:
            for paper_id in ids:
                self.paper_list.refresh_paper(paper_id)
        self.show_state_of_highlighted(ids)
        self.listing.state_changed(ids)
        self.ranked_state_changed(ids)
        self.rank_soon()
        papers = self.session.library.papers
        self.saved_counts.update(papers[paper_id] for paper_id in ids if paper_id in papers)
        if self.sidebar.views != self.all_views():
            self.rebuild_sidebar()  # a tag appeared or went away
        else:
            self.sidebar.update_counts(self.count_of)
        self.update_sub_title()

    def show_view(self, view: View) -> None:
        self.current_view = view
        self.sidebar.set_current(view.key)
        self.reload_list()
        self.paper_list.focus()

    def on_sidebar_view_chosen(self, event: Sidebar.ViewChosen) -> None:
        self.show_view(event.view)

    def on_show_view(self, message: ShowView) -> None:
        self.show_view(message.view)

    # -- order -------------------------------------------------------------------
    def action_sort(self) -> None:
        self.set_sort(next_sort_order(self.sort_order))

    def on_set_sort(self, message: SetSort) -> None:
        self.set_sort(message.order)

    def set_sort(self, order: str) -> None:
        """List the papers in ``order`` (one of SORT_ORDERS), keeping the
        cursor on its paper, and remember the order."""
        self.sort_order = order
        self.reload_keeping_cursor()
        if not self.session.readonly:
            self._remember_sort(order)

    @work(thread=True, group="ui-state")
    def _remember_sort(self, order: str) -> None:
        try:
            save_ui_state(self.session.data_dir, sort=order)
        except StoreError as error:
            self.app.call_from_thread(self.say, f"could not remember the sort order: {error}", "warning")

    # -- for the palette, which lists from this screen ----------------------------------
    @property
    def available_themes(self) -> Mapping[str, object]:
        return self.app.available_themes

    def keys_of(self, binding: Binding) -> str:
        """The keys of ``binding`` as the user's keymap has them, e.g. ``s`` or ``j / ↓``."""
        return " / ".join(key_names(self.app, binding, self.keymap))
