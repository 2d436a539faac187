"""The search bar over the list: ``/`` opens it, each change lists the
matches, Escape clears it. A query that does not parse (often one still
being typed: ``title:"quan``) says why under the box and lists what its
finished terms find, never what a half-typed one happened to mean."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Input, Static

from paperread.query import Query, QueryError, parse_complete_part, parse_query

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from paperread.tui.pacing import KeystrokeGate
    from paperread.tui.widgets import PaperList


class SearchActions:
    """Mixin of MainScreen: the search bar."""

    gate: KeystrokeGate
    paper_list: PaperList
    search_input: Input
    search_query: Query | None
    searched_at: float
    query_one: Callable[..., DOMNode]
    reload_keeping_cursor: Callable[[], None]

    def action_search(self) -> None:
        self.query_one("#search-bar").add_class("-shown")
        self.search_input.focus()

    def search_changed(self, value: str) -> None:
        """The search box changed: list its matches. Called as the box's
        value changes (a watcher), not on its Changed message, so that the
        new list is drawn in the same frame as the typed character instead
        of one frame later."""
        self.gate.give_way()
        error_line = self.query_one("#search-error", Static)
        try:
            query = parse_query(value) if value.strip() else None
        except QueryError as error:
            error_line.update(Content(error.message))
            error_line.add_class("-shown")
            # a query still being typed: list what its finished terms find
            query = parse_complete_part(value)
            if (query.text if query else None) == (self.search_query.text if self.search_query else None):
                return
        else:
            error_line.remove_class("-shown")
        self.search_query = query
        self.searched_at = time.monotonic()
        self.reload_keeping_cursor()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        if not event.value.strip():
            self.query_one("#search-bar").remove_class("-shown")
        self.paper_list.focus()

    def action_back(self) -> None:
        """Escape: back to the list from any pane; on the list (or in the
        search box), clear the search."""
        if self.paper_list.has_focus or self.search_input.has_focus:
            self.clear_search()
        else:
            self.paper_list.focus()

    def clear_search(self) -> None:
        self.search_input.value = ""  # posts Changed, which lists everything again
        self.query_one("#search-error").remove_class("-shown")
        self.query_one("#search-bar").remove_class("-shown")
        self.paper_list.focus()
