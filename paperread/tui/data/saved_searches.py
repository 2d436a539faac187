"""Saved searches in the sidebar: where they come from and how many papers
each one holds.

Two sources: the config's ``[views]`` table, which the reader never rewrites,
and the searches saved from the reader, kept in ``ui.json`` (see
``ui_state``). Both show under "Saved"; only the reader's own can be removed
from the reader.

Counting a saved search means running its query over the whole library
(about 20-35 ms per search at 10k papers, 100-300 ms at 100k), too slow for
every keypress. So each search keeps the set of ids it matches and the
subset that is unread: built once over all papers (in a worker thread), then
kept up to date by re-testing only the papers whose state changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from paperread.library import Count, View
from paperread.model import Paper, PaperState

PaperTest = Callable[[Paper], bool]

_NEEDS_QUOTES_RE = re.compile(r'[\s()|"]|^-')
_TOP_LEVEL_OR_RE = re.compile(r"\bOR\b|\|")


class SavedSearchError(ValueError):
    """A saved search that cannot be added or removed, with the reason."""


class SavedSearches:
    """The config's saved searches and the reader's, config first. A name
    that is in both is the config's (the reader refuses to make one)."""

    def __init__(self, config_views: Mapping[str, str], reader_views: Mapping[str, str]) -> None:
        self._config = dict(config_views)
        self._reader = {
            name: query
            for name, query in reader_views.items()
            if isinstance(name, str) and isinstance(query, str) and name.strip() and name not in self._config
        }

    @property
    def reader_views(self) -> dict[str, str]:
        """The searches saved from the reader (what ``ui.json`` stores)."""
        return dict(self._reader)

    def all(self) -> dict[str, str]:
        """Every saved search, name -> query, config ones first."""
        return {**self._config, **self._reader}

    def is_from_config(self, name: str) -> bool:
        return name in self._config

    def name_of(self, query: str) -> str | None:
        """The name a query is already saved under, if any."""
        return next((name for name, saved in self.all().items() if saved == query), None)

    def add(self, name: str, query: str) -> None:
        """Save ``query`` as ``name`` (replacing a reader search of that name)."""
        name = " ".join(name.split())
        if not name:
            raise SavedSearchError("a saved search needs a name")
        if not query.strip():
            raise SavedSearchError("there is no search to save")
        if name in self._config:
            raise SavedSearchError(f"{name!r} is a saved search in the config file; choose another name")
        existing = self.name_of(query)
        if existing is not None and existing != name:
            raise SavedSearchError(f"this search is already saved as {existing!r}")
        self._reader[name] = query

    def remove(self, name: str) -> None:
        if name in self._config:
            raise SavedSearchError(
                f"{name!r} comes from the config file ([views]); remove it there"
            )
        if name not in self._reader:
            raise SavedSearchError(f"there is no saved search {name!r}")
        del self._reader[name]


def _term(field_name: str, value: str) -> str:
    """``field:value``, quoted when the value would not read as one word."""
    if _NEEDS_QUOTES_RE.search(value):
        return f'{field_name}:"{value}"'
    return f"{field_name}:{value}"


def view_query(view: View, feed_names: Mapping[str, str]) -> str | None:
    """The query that selects the papers of ``view``: '' for All, None when
    the view cannot be written as a query (a tag or feed name with a quote)."""
    if view.kind == "all":
        return ""
    if view.kind in ("unread", "starred"):
        return f"is:{view.kind}"
    if view.kind == "saved":
        return view.value
    value = view.value if view.kind == "tag" else feed_names.get(view.value, view.value)
    if '"' in value:
        return None
    return _term(view.kind, value)


def combine_queries(*queries: str) -> str:
    """The queries ANDed into one, each in parentheses when it has a
    top-level OR that would otherwise bind across the others."""
    parts = [query.strip() for query in queries if query.strip()]
    if len(parts) == 1:
        return parts[0]
    return " ".join(f"({part})" if _TOP_LEVEL_OR_RE.search(part) else part for part in parts)


@dataclass(slots=True)
class ViewMatches:
    """The ids a saved search matches and those of them that are unread."""

    test: PaperTest
    matched: set[str] = field(default_factory=set)
    unread: set[str] = field(default_factory=set)

    def retest(self, paper: Paper, read: bool) -> None:
        if self.test(paper):
            self.matched.add(paper.id)
            if read:
                self.unread.discard(paper.id)
            else:
                self.unread.add(paper.id)
        else:
            self.matched.discard(paper.id)
            self.unread.discard(paper.id)


def match_all(
    tests: Mapping[str, PaperTest],
    papers: Iterable[Paper],
    state_of: Callable[[str], PaperState],
) -> dict[str, ViewMatches]:
    """Run every test over ``papers`` (a snapshot list: this runs in a
    worker thread while the library may change)."""
    results = {key: ViewMatches(test) for key, test in tests.items()}
    for paper in papers:
        read: bool | None = None
        for matches in results.values():
            if matches.test(paper):
                if read is None:
                    read = state_of(paper.id).read
                matches.matched.add(paper.id)
                if not read:
                    matches.unread.add(paper.id)
    return results


class SavedSearchCounts:
    """Counts of saved searches by view key; None while not yet counted.

    ``begin`` a count before handing a snapshot to ``match_all`` elsewhere,
    and ``install`` its result with the number ``begin`` gave. Papers
    ``update``d while it runs are re-tested then, so a change made meanwhile
    is never lost; and a count that a later one overtook (a refresh during
    the first count) is dropped for the views the later one covers.
    """

    def __init__(self, state_of: Callable[[str], PaperState]) -> None:
        self._state_of = state_of
        self._views: dict[str, ViewMatches] = {}
        self._changed: dict[str, Paper] = {}
        self._running = 0
        self._generation = 0
        self._latest: dict[str, int] = {}  # view key -> the count that decides it

    def count(self, key: str) -> Count | None:
        matches = self._views.get(key)
        if matches is None:
            return None
        return Count(unread=len(matches.unread), total=len(matches.matched))

    def begin(self, keys: Iterable[str]) -> int:
        """Note that a count of the views ``keys`` starts; its number."""
        self._generation += 1
        self._running += 1
        for key in keys:
            self._latest[key] = self._generation
        return self._generation

    def install(self, results: Mapping[str, ViewMatches], generation: int) -> None:
        """Take the counts of a finished ``match_all`` (count ``generation``)
        for the views no later count covers, and re-test the papers that
        changed while it ran."""
        self._running = max(0, self._running - 1)
        fresh = {key: matches for key, matches in results.items() if self._latest.get(key) == generation}
        self._views.update(fresh)
        changed = list(self._changed.values())
        if not self._running:
            self._changed.clear()
        for paper in changed:
            read = self._state_of(paper.id).read
            for matches in fresh.values():
                matches.retest(paper, read)

    def put(self, key: str, matches: ViewMatches) -> None:
        """Set one view's matches directly (e.g. none, for a broken query),
        overriding any count still running for it."""
        self._generation += 1
        self._latest[key] = self._generation
        self._views[key] = matches

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget the views that are gone (and counts still running for them)."""
        wanted = set(keys)
        for key in [key for key in self._latest if key not in wanted]:
            del self._latest[key]
        for key in [key for key in self._views if key not in wanted]:
            del self._views[key]

    def update(self, papers: Iterable[Paper]) -> None:
        """Re-test ``papers`` (their state or record changed) in every view."""
        papers = list(papers)
        if self._running:
            self._changed.update((paper.id, paper) for paper in papers)
        if not self._views:
            return
        for paper in papers:
            read = self._state_of(paper.id).read
            for matches in self._views.values():
                matches.retest(paper, read)
