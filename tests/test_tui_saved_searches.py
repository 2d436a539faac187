"""Saved searches of the reader: the two sources, the query a view plus a
search stands for, and counts kept up to date without recounting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paperread.export import FORMATS
from paperread.library import ALL, SORT_ORDERS, View
from paperread.query import parse_query
from paperread.session import Session
from paperread.tui.data.labels import (
    FORMAT_EXTENSIONS,
    FORMAT_NAMES,
    SORT_LABELS,
    next_sort_order,
)
from paperread.tui.data.saved_searches import (
    SavedSearchError,
    SavedSearches,
    SavedSearchCounts,
    combine_queries,
    match_all,
    view_query,
)
from tests.tui_library import build_session


@pytest.fixture
def session(data_dir: Path, tmp_path: Path) -> Iterator[Session]:
    session = build_session(data_dir, tmp_path)
    yield session
    session.close()


def test_config_and_reader_searches() -> None:
    searches = SavedSearches(
        {"Graphs": "graph", "Mine": "is:starred"},
        {"Surveys": "survey", "Graphs": "shadowed", "": "no name", "Bad": 3},  # type: ignore[dict-item]
    )
    assert searches.all() == {"Graphs": "graph", "Mine": "is:starred", "Surveys": "survey"}
    assert searches.reader_views == {"Surveys": "survey"}
    assert searches.is_from_config("Graphs") and not searches.is_from_config("Surveys")
    assert searches.name_of("survey") == "Surveys" and searches.name_of("nothing") is None

    searches.add("  New   one ", "diffusion")
    assert searches.reader_views == {"Surveys": "survey", "New one": "diffusion"}
    searches.add("Surveys", "survey -benchmark")  # a reader search of that name is replaced
    assert searches.reader_views["Surveys"] == "survey -benchmark"
    with pytest.raises(SavedSearchError, match="in the config file"):
        searches.add("Graphs", "other")
    with pytest.raises(SavedSearchError, match="already saved as 'Graphs'"):
        searches.add("Again", "graph")
    with pytest.raises(SavedSearchError, match="needs a name"):
        searches.add("   ", "x")
    with pytest.raises(SavedSearchError, match=r"comes from the config file \(\[views\]\)"):
        searches.remove("Mine")
    with pytest.raises(SavedSearchError, match="no saved search"):
        searches.remove("Unknown")
    searches.remove("New one")
    assert list(searches.all()) == ["Graphs", "Mine", "Surveys"]


@pytest.mark.parametrize("search", ["graph", "graph OR survey", "-graph", "language | protein", "is:starred"])
def test_view_plus_search_as_one_query_selects_the_same_papers(session: Session, search: str) -> None:
    library = session.library
    session.actions.add_tags(["2604.20003", "2604.10006"], ["to read"])
    views = library.views({"Saved graph": "graph OR tag:gnn"})
    assert {view.kind for view in views} == {"unread", "starred", "all", "saved", "tag", "feed"}
    for view in views:
        query = view_query(view, library.feed_names)
        assert query is not None
        combined = combine_queries(query, search)
        expected = [paper.id for paper in library.select(view, _and(session, view, search))]
        got = [paper.id for paper in library.select(ALL, session.predicate(parse_query(combined)))]
        assert got == expected, (view, combined)


def _and(session: Session, view: View, search: str):
    tests = [session.predicate(parse_query(search))]
    if view.kind == "saved":
        tests.append(session.predicate(parse_query(view.value)))
    return lambda paper: all(test(paper) for test in tests)


def test_view_query_quotes_names_and_gives_up_on_quotes() -> None:
    names = {"https://example.org/feed": 'The "Best" feed'}
    assert view_query(View("tag", "to read", "to read"), {}) == 'tag:"to read"'
    assert view_query(View("tag", "-x", "-x"), {}) == 'tag:"-x"'
    assert view_query(View("tag", "ml", "ml"), {}) == "tag:ml"
    assert view_query(View("feed", "Best", "https://example.org/feed"), names) is None
    assert view_query(ALL, {}) == ""
    assert combine_queries("", "graph") == "graph"
    assert combine_queries("is:unread", "a OR b", "  ") == "is:unread (a OR b)"


def test_counts_follow_changes_and_survive_a_count_in_progress(session: Session) -> None:
    library = session.library
    counts = SavedSearchCounts(library.state)
    tests = {
        "saved:graph": session.predicate(parse_query("graph")),
        "saved:is:starred": session.predicate(parse_query("is:starred")),
    }
    assert counts.count("saved:graph") is None, "not counted yet"

    generation = counts.begin(tests)
    snapshot = list(library.papers.values())
    results = match_all(tests, snapshot, library.state)
    # while that count "runs", a graph paper is read and another starred
    session.actions.set_read(["2604.20001"], True)
    session.actions.set_starred(["2604.20002"], True)
    counts.update(library.papers[pid] for pid in ("2604.20001", "2604.20002"))
    counts.install(results, generation)
    graph, starred = counts.count("saved:graph"), counts.count("saved:is:starred")
    assert graph is not None and (graph.unread, graph.total) == (1, 2)
    assert starred is not None and (starred.unread, starred.total) == (2, 2)

    session.actions.set_starred(["2604.10005"], False)
    counts.update([library.papers["2604.10005"]])
    starred = counts.count("saved:is:starred")
    assert starred is not None and (starred.unread, starred.total) == (1, 1)
    # the counts agree with a count from scratch
    fresh = match_all(tests, library.papers.values(), library.state)
    for key, matches in fresh.items():
        count = counts.count(key)
        assert count is not None and (count.unread, count.total) == (len(matches.unread), len(matches.matched))

    counts.keep_only(["saved:graph"])
    assert counts.count("saved:is:starred") is None


def test_a_count_overtaken_by_a_later_one_is_dropped(session: Session) -> None:
    library = session.library
    counts = SavedSearchCounts(library.state)
    tests = {"saved:graph": session.predicate(parse_query("graph"))}
    first = counts.begin(tests)
    stale = match_all(tests, [library.papers["2604.20001"]], library.state)  # an older, smaller library
    second = counts.begin(tests)
    fresh = match_all(tests, library.papers.values(), library.state)
    counts.install(fresh, second)
    counts.install(stale, first)  # finishes last, but is older
    count = counts.count("saved:graph")
    assert count is not None and count.total == 2

    gone = counts.begin(tests)
    counts.keep_only([])  # the view was removed meanwhile
    counts.install(fresh, gone)
    assert counts.count("saved:graph") is None


def test_choices_cover_every_order_and_format() -> None:
    assert set(SORT_LABELS) == set(SORT_ORDERS)
    assert set(FORMAT_NAMES) == set(FORMAT_EXTENSIONS) == set(FORMATS)
    order = "newest"
    seen = []
    for _ in SORT_ORDERS:
        order = next_sort_order(order)
        seen.append(order)
    assert seen == [*SORT_ORDERS[1:], "newest"]
