"""The reader's main screen: the sidebar, the paper list under its search
bar, and the abstract pane, laid out for the width of the terminal.

The screen sets its own layout classes on every resize, also while a modal
(help, tags, the palette) is on top of it: a background screen gets the
terminal's Resize too. When the app set them, they went to whichever
screen was on top, and the main screen kept the old size's layout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import getters
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from paperread.session import Session
from paperread.tui.widgets import AbstractPane, PaperList, ReaderHeader, SearchBox, Sidebar

NARROW_WIDTH = 120  # below this the abstract pane goes under the list
VERY_NARROW_WIDTH = 80  # below this the sidebar hides
SEARCH_PLACEHOLDER = 'search: words, "phrases", author:, cat:, tag:, is:starred, since:7d'


class MainScreen(Screen[None]):
    """The panes and their layout; what the keys do is the app's."""

    paper_list = getters.query_one("#papers", PaperList)
    sidebar = getters.query_one("#sidebar", Sidebar)
    abstract_pane = getters.query_one("#abstract", AbstractPane)
    search_input = getters.query_one("#search", Input)

    def __init__(self, session: Session, empty_text: Callable[[], str]) -> None:
        super().__init__()
        self.session = session
        self._empty_text = empty_text
        self._width = NARROW_WIDTH
        self.sidebar_override: bool | None = None  # set by the toggle key
        # set once the panes exist: the app's own Mount comes before that
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
        self.mounted.set()

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

    def toggle_sidebar(self) -> None:
        """Show or hide the sidebar, whatever the width says."""
        self.sidebar_override = not self.sidebar_shown
        self._show_sidebar()

    def _show_sidebar(self) -> None:
        shown = self.sidebar_shown
        self.sidebar.display = shown
        self.set_class(not shown, "-no-sidebar")
