"""Opening a library: config, feeds, store and the in-memory library, as one
object that the CLI and the reader share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from paperread import feedspec
from paperread.actions import StateActions
from paperread.config import Config, load_config
from paperread.feedspec import FeedSpec
from paperread.library import Library
from paperread.model import Paper, PaperState
from paperread.query import MatchContext, Query
from paperread.store import LibraryStore, open_library_store
from paperread.watch import Watchlist


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
    # paper id -> (the paper record matched, whether it is watched)
    _watched: dict[str, tuple[Paper, bool]] = field(default_factory=dict, init=False, repr=False)

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

    def predicate(self, query: Query, today: date | None = None):
        """``query`` as a function of a paper, with this library's state."""
        library = self.library
        names = library.feed_names
        day = today or date.today()
        # Only a query containing the word can test is:watched (values ignore
        # case), so other queries skip the watch list.
        uses_watched = bool(self.watchlist) and "watched" in query.text.casefold()
        is_watched = self.is_watched if uses_watched else None

        # Most papers have the default state and are not watched: they share
        # one context instead of allocating one each per keystroke.
        shared = MatchContext(state=PaperState(), feed_names=names, today=day)

        def matches(paper: Paper) -> bool:
            watched = is_watched(paper) if is_watched else False
            if watched or library.has_state(paper.id):
                context = MatchContext(
                    state=library.state(paper.id), feed_names=names, watched=watched, today=day
                )
            else:
                context = shared
            return query.matches(paper, context, library.search_text(paper))

        return matches

    def close(self) -> None:
        self.store.close()


def open_session(
    data_dir: Path,
    config_file: Path,
    feed_specs: list[str] | None = None,
    offline: bool = False,
    readonly: bool = False,
) -> Session:
    """Load the config, resolve the feeds (``feed_specs`` replaces the
    configured ones for this run), open the store and build the library.

    Raises ConfigError, FeedSpecError or a store error with a message for the
    user; nothing is created or changed before the config has been read."""
    config = load_config(config_file)
    if feed_specs:
        feeds = [feedspec.resolve(spec) for spec in feed_specs]
    else:
        feeds = config.feeds
    store = open_library_store(data_dir, readonly=readonly)
    try:
        papers = store.cache.load_all()
        library = Library(papers, store.state.all(), {feed.url: feed.name for feed in feeds})
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
    )
