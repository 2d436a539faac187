"""Saved searches in the sidebar: counted in a worker over the whole
library, saved from the search bar (``V``) and removed (Delete in the
sidebar, or the palette); the reader's own are kept in ui.json, the
config's ``[views]`` only read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import work

from paperread.library import UNREAD, View
from paperread.model import Paper
from paperread.query import QueryError, parse_query
from paperread.store.errors import StoreError
from paperread.tui.data.prefs import save_ui_state
from paperread.tui.data.saved_searches import (
    SavedSearchCounts,
    SavedSearchError,
    SavedSearches,
    ViewMatches,
    combine_queries,
    match_all,
    view_query,
)
from paperread.tui.messages import RemoveSavedSearch, SavedSearchesCounted
from paperread.tui.screens import ConfirmScreen, PromptScreen
from paperread.tui.widgets import Sidebar

if TYPE_CHECKING:
    from textual.app import App

    from paperread.query import Query
    from paperread.session import Session
    from paperread.tui.widgets import PaperList


def _never(paper: Paper) -> bool:
    return False


class SavedSearchActions:
    """Mixin of MainScreen: saving, removing and counting saved searches."""

    app: App[object]
    session: Session
    sidebar: Sidebar
    paper_list: PaperList
    current_view: View
    search_query: Query | None
    saved_searches: SavedSearches
    saved_counts: SavedSearchCounts
    view_errors: dict[str, str]
    texts_ready: bool
    post_message: Callable[..., bool]
    say: Callable[..., None]
    all_views: Callable[[], list[View]]
    rebuild_sidebar: Callable[[], None]
    show_view: Callable[[View], None]
    count_of: Callable[..., object]
    update_sub_title: Callable[[], None]

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
                self.view_errors[view.key] = error.message
                self.saved_counts.put(view.key, ViewMatches(_never))
            else:
                self.view_errors.pop(view.key, None)
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
        self.update_sub_title()

    def reader_saved_searches(self) -> list[str]:
        """The names of the searches saved from the reader (the palette can remove those)."""
        return list(self.saved_searches.reader_views)

    @work(group="modal", description="save the search")
    async def action_save_search(self) -> None:
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
        detail = f"Query: {query}"
        if base is None:
            detail += f"\n(only the search: {self.current_view.label} cannot be written as a query)"
        name = await self.app.push_screen_wait(
            PromptScreen(
                "Save this search as", placeholder="a name for the sidebar", detail=detail,
                hint="Enter saves it under Saved in the sidebar, Escape cancels.",
            )
        )
        if name is not None and name.strip():
            self.add_saved_search(name, query)

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

    @work(group="modal", description="remove a saved search")
    async def remove_saved_search(self, name: str) -> None:
        """Ask, then remove a search saved from the reader (config ones are
        refused with the reason)."""
        if self.session.readonly:
            self.say("read-only: cannot remove saved searches", "warning")
            return
        if self.saved_searches.is_from_config(name):
            self.say(f"{name!r} comes from the config file ([views]); remove it there", "warning")
            return
        if not await self.app.push_screen_wait(ConfirmScreen(f"Remove the saved search {name!r}?")):
            return
        if not self._change_saved_searches(lambda searches: searches.remove(name), "could not remove the search"):
            return
        if self.current_view.kind == "saved" and self.current_view.label == name:
            self.show_view(UNREAD)
        self.saved_counts.keep_only(view.key for view in self.all_views() if view.kind == "saved")
        self.rebuild_sidebar()
        self.say(f"removed saved search {name!r}")

    def on_sidebar_remove_requested(self, event: Sidebar.RemoveRequested) -> None:
        self.remove_saved_search(event.view.label)

    def on_remove_saved_search(self, message: RemoveSavedSearch) -> None:
        self.remove_saved_search(message.name)
