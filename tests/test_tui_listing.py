"""The list the reader shows, kept between keystrokes: always the same
papers, in the same order, as selecting afresh would give, whatever was
typed and whatever state changed in between."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from paperread import search as search_module
from paperread.library import ALL, SORT_ORDERS, STARRED, UNREAD, View, compact_search_text
from paperread.model import Paper, PaperState
from paperread.query import parse_query
from paperread.session import Session
from paperread.tui.data.listing import Listing
from paperread.wordindex import WordIndex
from tests.factories import make_paper
from tests.tui_library import LG, build_session

WORDS = ["graph", "neural", "quantum", "entanglement", "survey", "Schrödinger", "𝒪(n)", "model"]


def papers(count: int) -> list[Paper]:
    rng = random.Random(11)
    return [
        make_paper(
            f"2604.{number:05d}",
            title=" ".join(rng.sample(WORDS, 3)).capitalize(),
            abstract=" ".join(rng.choices(WORDS, k=12)),
            announced=f"2026-04-{rng.randint(20, 28)}",
            upvotes=rng.choice([None, 1, 5]),
            feeds=[LG] if rng.random() < 0.5 else [],
        )
        for number in range(count)
    ]


def fresh(session: Session, view: View, order: str, search: str) -> list[str]:
    """What selecting afresh gives."""
    tests = []
    if view.kind == "saved":
        tests.append(session.predicate(parse_query(view.value)))
    if search.strip():
        tests.append(session.predicate(parse_query(search)))
    selected = session.library.select(view, lambda paper: all(test(paper) for test in tests), order)
    return [paper.id for paper in selected]


def listed(listing: Listing, view: View, order: str, search: str) -> list[str]:
    view_query = parse_query(view.value) if view.kind == "saved" else None
    query = parse_query(search) if search.strip() else None
    return [paper.id for paper in listing.papers(view, order, view_query, query)]


@pytest.mark.parametrize("indexed", [False, True])
def test_typing_and_state_changes_keep_the_list_exact(
    data_dir: Path, tmp_path: Path, indexed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = build_session(data_dir, tmp_path, papers=papers(300), states={})
    rng = random.Random(4)
    if indexed:  # words looked up in the word index, and papers arriving after it
        monkeypatch.setattr(search_module, "INDEX_FROM", 0)
        library = session.library
        library.compact_texts(library.papers.values())
        library.set_word_index(WordIndex.build(library.index_snapshot()))
        later = papers(320)[300:] + [
            make_paper(paper.id, title=paper.title + " quantum graph", abstract="entanglement", feeds=paper.feeds)
            for paper in papers(300)[:20]
        ]
        session.add_prepared(session.prepare_papers(later))
    views = [UNREAD, STARRED, ALL, View("tag", "later", "later"), View("feed", "LG", LG),
             View("saved", "unread quantum", "is:unread quantum")]  # fmt: skip
    typed = ["quantum entanglement", "graph -survey", "schrödinger model", "neural"]
    try:
        listing = Listing(session)
        ids = list(session.library.papers)
        for view in views:
            for order in ("newest", rng.choice(SORT_ORDERS)):
                for text in typed:
                    for end in range(len(text) + 1):
                        search = text[:end]
                        if search.endswith("-"):
                            continue  # not a query yet
                        assert listed(listing, view, order, search) == fresh(session, view, order, search), (
                            view, order, search)
                        # a state change now and then, as a reader would make
                        if rng.random() < 0.3:
                            changed = rng.sample(ids, rng.choice([1, 1, 2, 40]))
                            change = rng.choice(["read", "unread", "star", "tag"])
                            if change in ("read", "unread"):
                                session.actions.set_read(changed, change == "read")
                            elif change == "star":
                                session.actions.set_starred(changed, rng.random() < 0.7)
                            else:
                                session.actions.add_tags(changed, ["later"])
    finally:
        session.close()


def test_a_search_narrowing_the_last_filters_its_matches(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path, papers=papers(200), states={})
    try:
        listing = Listing(session)
        broad = listing.papers(ALL, "newest", None, parse_query("quantum"))
        narrow = listing.papers(ALL, "newest", None, parse_query("quantum graph"))
        assert narrow and set(map(id, narrow)) <= set(map(id, broad))
        # an unrelated query starts from the whole view again
        other = listing.papers(ALL, "newest", None, parse_query("survey"))
        assert [p.id for p in other] == fresh(session, ALL, "newest", "survey")
        # a paper marked read leaves the Unread list in its place, and comes back
        unread = list(listing.papers(UNREAD, "newest", None, None))
        gone = unread[5]
        session.actions.set_read([gone.id], True)
        after = listing.papers(UNREAD, "newest", None, None)
        assert after == unread[:5] + unread[6:]
        session.actions.undo()
        assert listing.papers(UNREAD, "newest", None, None) == unread
    finally:
        session.close()


def test_papers_arriving_after_a_refresh_are_listed(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path, papers=papers(100), states={"2604.00003": PaperState(read=True)})
    try:
        listing = Listing(session)
        before = listing.papers(UNREAD, "newest", None, parse_query("quantum"))
        added = make_paper("2604.99999", title="Quantum news", announced="2026-04-30")
        session.add_prepared(session.prepare_papers([added]))
        after = listing.papers(UNREAD, "newest", None, parse_query("quantum"))
        assert after[0].id == "2604.99999" and after[1:] == before
    finally:
        session.close()


def test_numbers_made_in_a_worker_are_adopted_only_for_the_same_rows(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = build_session(data_dir, tmp_path, papers=papers(300), states={})
    monkeypatch.setattr(search_module, "INDEX_FROM", 0)
    library = session.library
    try:
        listing = Listing(session)
        # a saved search chosen before some texts changed: chosen again, not kept
        saved = View("saved", "unread quantum", "is:unread quantum")
        listed(listing, saved, "newest", "")
        saved_rows = listing.view_rows_papers()
        first = saved_rows[0]
        library.set_texts({first.id: (first, compact_search_text(first))})
        index = WordIndex.build(library.index_snapshot())
        library.set_word_index(index)
        assert not listing.adopt_numbers(saved_rows, [index.numbers[p.id] for p in saved_rows], index)

        listed(listing, ALL, "newest", "")
        rows = listing.view_rows_papers()
        numbers = [index.numbers.get(paper.id, -1) for paper in rows]
        assert not listing.adopt_numbers(rows[1:], numbers[1:], index), "other rows"
        assert not listing.adopt_numbers(rows, numbers, WordIndex.build([])), "not the library's index"
        assert listing.adopt_numbers(rows, numbers, index)

        def no_numbering(papers: list) -> list:
            raise AssertionError("the adopted numbers are used")

        monkeypatch.setattr(library, "index_numbers", no_numbering)
        for search in ("quantum", "quantum graph"):
            assert listed(listing, ALL, "newest", search) == fresh(session, ALL, "newest", search)
    finally:
        session.close()
