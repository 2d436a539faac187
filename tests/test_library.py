import dataclasses
import random
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperread import search as search_module
from paperread import session as session_module
from paperread.actions import StateActions, normalise_tags
from paperread.library import (
    ALL,
    SORT_ORDERS,
    STARRED,
    UNREAD,
    Library,
    View,
    compact,
    compact_search_text,
    expand,
    merge_sorted,
    sort_papers,
    sorted_position,
)
from paperread.model import PaperState
from paperread.query import parse_query, search_text
from paperread.search import Rows, free_words
from paperread.wordindex import WordIndex
from tests.factories import make_paper
from tests.tui_library import build_session, sample_papers

LG = "https://rss.arxiv.org/rss/cs.LG"
CL = "https://rss.arxiv.org/rss/cs.CL"


class RecordingSink:
    def __init__(self) -> None:
        self.writes: list[dict[str, PaperState]] = []

    def set_many(self, states: dict[str, PaperState]) -> None:
        self.writes.append({key: value.copy() for key, value in states.items()})


def library() -> Library:
    papers = {
        "2504.00001": make_paper("2504.00001", announced="2026-04-27", feeds=[LG], upvotes=5, title="Beta"),
        "2504.00002": make_paper("2504.00002", announced="2026-04-28", feeds=[LG, CL], title="alpha"),
        "2504.00003": make_paper("2504.00003", announced="2026-04-26", feeds=[CL], upvotes=9, title="Gamma",
                                 authors=["Zed Zulu"]),
    }
    states = {"2504.00001": PaperState(read=True, tags=["gnn"]), "2504.00003": PaperState()}
    return Library(papers, states, {LG: "cs.LG", CL: "cs.CL"})


def test_counts_per_view() -> None:
    lib = library()
    assert (lib.count(ALL).unread, lib.count(ALL).total) == (2, 3)
    assert lib.count(UNREAD).total == 2
    assert lib.count(STARRED).total == 0
    assert (lib.count(View("feed", "cs.LG", LG)).unread, lib.count(View("feed", "cs.LG", LG)).total) == (1, 2)
    assert lib.count(View("tag", "gnn", "gnn")).total == 1
    assert [view.key for view in lib.views({"mine": "tag:gnn"})] == [
        "unread", "starred", "all", "saved:tag:gnn", "tag:gnn", f"feed:{LG}", f"feed:{CL}",
    ]


def test_orders() -> None:
    lib = library()
    ids = lambda order: [paper.id for paper in lib.select(order=order)]
    assert ids("newest") == ["2504.00002", "2504.00001", "2504.00003"]
    assert ids("oldest") == ["2504.00003", "2504.00001", "2504.00002"]
    assert ids("title") == ["2504.00002", "2504.00001", "2504.00003"]
    assert ids("upvotes") == ["2504.00003", "2504.00001", "2504.00002"]
    assert ids("author") == ["2504.00001", "2504.00002", "2504.00003"]


def test_views_filter() -> None:
    lib = library()
    assert [p.id for p in lib.select(UNREAD)] == ["2504.00002", "2504.00003"]
    assert [p.id for p in lib.select(View("feed", "cs.CL", CL))] == ["2504.00002", "2504.00003"]
    assert [p.id for p in lib.select(ALL, predicate=lambda p: p.upvotes)] == ["2504.00001", "2504.00003"]


def test_actions_update_counts_incrementally_and_undo_in_one_step() -> None:
    lib, sink = library(), RecordingSink()
    actions = StateActions(lib, sink)
    assert actions.toggle_star("2504.00002") is True
    assert lib.count(STARRED).total == 1
    assert actions.set_read(["2504.00002", "2504.00003", "2504.00001"], True) == 2
    assert lib.count(UNREAD).total == 0 and lib.count(View("feed", "cs.CL", CL)).unread == 0
    assert sink.writes[-1].keys() == {"2504.00002", "2504.00003"}
    step = actions.undo()
    assert step is not None and step.description == "mark read"
    assert lib.count(UNREAD).total == 2 and lib.state("2504.00002").starred
    actions.undo()
    assert lib.count(STARRED).total == 0
    assert actions.undo() is None


def test_dismissing_is_one_undo_step_and_leaves_every_view_as_it_was() -> None:
    lib, sink = library(), RecordingSink()
    actions = StateActions(lib, sink)
    counts = all_counts(lib)
    views = {view.key: [paper.id for paper in lib.select(view)] for view in lib.views()}
    mark = lib.state_mark()

    assert actions.toggle_dismissed("2504.00002") is True
    state = lib.state("2504.00002")
    assert state.dismissed and state.dismissed_at is not None and not state.is_default()
    assert sink.writes[-1] == {"2504.00002": state}
    assert lib.changed_since(mark) == ["2504.00002"]
    # dismissed papers stay in Unread, All, their feeds; only For you leaves them out
    assert all_counts(lib) == counts
    assert {view.key: [paper.id for paper in lib.select(view)] for view in lib.views()} == views
    assert lib.in_view(lib.papers["2504.00002"], UNREAD)

    assert actions.set_dismissed(["2504.00001", "2504.00002", "2504.00003"], True) == 2
    assert [lib.state(paper_id).dismissed for paper_id in ("2504.00001", "2504.00003")] == [True, True]
    assert lib.state("2504.00001").tags == ["gnn"] and lib.state("2504.00001").read
    step = actions.undo()
    assert step is not None and step.description == "not interested" and len(step.before) == 2
    assert not lib.state("2504.00001").dismissed and not lib.state("2504.00003").dismissed
    assert lib.state("2504.00001").tags == ["gnn"]

    assert actions.toggle_dismissed("2504.00002") is False
    assert actions.undo_stack[-1].description == "interested again"
    assert not lib.has_state("2504.00002")  # all defaults again: nothing to keep
    assert actions.set_dismissed(["2504.00002"], False) == 0  # a no-op is no undo step
    actions.undo()
    assert lib.state("2504.00002").dismissed
    actions.undo()
    assert not lib.has_state("2504.00002") and sink.writes[-1] == {"2504.00002": PaperState()}
    assert all_counts(lib) == counts


def test_tags() -> None:
    lib, sink = library(), RecordingSink()
    actions = StateActions(lib, sink)
    actions.set_tags("2504.00002", ["to read", " GNN ", "gnn", ""])
    assert lib.state("2504.00002").tags == ["to read", "GNN"]
    assert lib.tags() == ["gnn", "GNN", "to read"]
    actions.remove_tags(["2504.00002", "2504.00001"], ["gnn"])
    assert lib.state("2504.00001").tags == [] and lib.state("2504.00002").tags == ["to read"]
    assert lib.tags() == ["to read"]
    assert lib.state("2504.00001").tags_at is not None


def test_no_op_changes_are_not_undo_steps() -> None:
    lib, sink = library(), RecordingSink()
    actions = StateActions(lib, sink)
    assert actions.set_read(["2504.00001"], True) == 0
    assert actions.undo_stack == [] and sink.writes == []


def test_add_papers_replaces_and_counts() -> None:
    lib = library()
    lib.add_papers([make_paper("2504.00009", feeds=[CL]), make_paper("2504.00002", feeds=[CL])])
    assert lib.count(ALL).total == 4
    assert lib.count(View("feed", "cs.LG", LG)).total == 1
    assert "paper 2504.00009" in lib.search_text(lib.papers["2504.00009"])


def test_normalise_tags() -> None:
    assert normalise_tags(["a", "A", "  b  c ", ","]) == ["a", "b c"]


# -- sized for 100k: bulk counts, kept orders, compact search texts, state log --------




FEEDS = [f"https://example.org/feed/{number}" for number in range(4)]


def random_papers(rng: random.Random, count: int, start: int = 0) -> list:
    """Papers whose sort keys collide often (few titles, days, surnames)."""
    titles = ["Alpha", "beta", "Gamma", "alpha"]
    return [
        make_paper(
            f"2504.{number:05d}",
            title=rng.choice(titles),
            authors=[f"{rng.choice('ABC')} {rng.choice(['Smith', 'Jones', 'Émile'])}"] if rng.random() < 0.9 else [],
            announced=rng.choice([None, "2026-04-26", "2026-04-27", "2026-04-28"]),
            published=rng.choice([None, "2026-04-20T00:00:00Z", "2026-04-21T00:00:00Z"]),
            first_seen=rng.choice([None, "2026-04-22T00:00:00Z"]),
            upvotes=rng.choice([None, 0, 3, 9]),
            feeds=rng.sample(FEEDS, rng.randint(0, 3)),
        )
        for number in range(start, start + count)
    ]


def random_states(rng: random.Random, ids: list[str]) -> dict[str, PaperState]:
    states = {}
    for paper_id in rng.sample(ids, len(ids) // 2) + ["2504.99999"]:  # one for a paper not in the library
        states[paper_id] = PaperState(
            read=rng.random() < 0.6, starred=rng.random() < 0.2, tags=rng.sample(["a", "b", "to read"], rng.randint(0, 2)),
            dismissed=rng.random() < 0.2,
        )
    return states


def all_counts(lib: Library) -> dict[str, tuple[int, int]]:
    return {
        view.key: (lib.count(view).unread, lib.count(view).total)
        for view in [*lib.views(), *(View("feed", url, url) for url in FEEDS)]
    }


def test_bulk_counts_equal_counting_each_state_change() -> None:
    rng = random.Random(5)
    papers = random_papers(rng, 400)
    states = random_states(rng, [paper.id for paper in papers])
    bulk = Library({paper.id: paper for paper in papers}, states)
    one_by_one = Library({paper.id: paper for paper in papers}, {})
    for paper_id, state in states.items():
        one_by_one.set_state(paper_id, state)
    assert all_counts(bulk) == all_counts(one_by_one)
    assert bulk.tags() == one_by_one.tags() == ["a", "b", "to read"]
    # papers added and replaced in bulk: the counts of a library built with them
    added = random_papers(rng, 300, start=200)
    bulk.add_papers(added)
    final = {paper.id: paper for paper in papers} | {paper.id: paper for paper in added}
    assert all_counts(bulk) == all_counts(Library(final, states))


def test_kept_orders_merge_to_exactly_a_full_sort() -> None:
    rng = random.Random(9)
    papers = random_papers(rng, 300)
    added = random_papers(rng, 120, start=250)  # 50 replace a paper, 70 are new
    final = {paper.id: paper for paper in papers} | {paper.id: paper for paper in added}
    replaced = [paper.id for paper in added if paper.id in {p.id for p in papers}]
    for order in SORT_ORDERS:
        merged = merge_sorted(sort_papers(papers, order), replaced, added, order)
        assert merged == sort_papers(final.values(), order), order
        # no two papers tie: the order does not depend on the order they came in
        assert sort_papers(reversed(list(final.values())), order) == merged, order

    lib = Library({paper.id: paper for paper in papers}, {})
    for order in SORT_ORDERS:
        lib.ordered(order)
    lib.add_prepared(lib.prepare_add(added))
    fresh = Library(final, {})
    for order in SORT_ORDERS:
        assert [p.id for p in lib.ordered(order)] == [p.id for p in fresh.ordered(order)], order
    assert all(lib.search_text(paper) == search_text(paper) for paper in final.values())
    # lists prepared before another change are not swapped in: sorted again
    late = lib.prepare_add(random_papers(rng, 5, start=900))
    lib.add_papers(random_papers(rng, 5, start=950))
    lib.ordered("title")
    lib.add_prepared(late)
    assert [p.id for p in lib.ordered("title")] == [p.id for p in sort_papers(lib.papers.values(), "title")]
    assert len(lib.ordered("newest")) == len(lib.papers) == 380


def test_sorted_position_finds_each_paper_and_each_gap() -> None:
    rng = random.Random(4)
    papers = random_papers(rng, 200)
    outside = random_papers(rng, 30, start=500)
    for order in SORT_ORDERS:
        listed = sort_papers(papers, order)
        for index, paper in enumerate(listed):
            assert sorted_position(listed, paper, order) == index, order
        for paper in outside:
            index = sorted_position(listed, paper, order)
            assert sort_papers([*listed, paper], order)[index] is paper, order
        assert sorted_position([], papers[0], order) == 0


def test_views_select_from_the_kept_order() -> None:
    rng = random.Random(2)
    papers = random_papers(rng, 200)
    states = random_states(rng, [paper.id for paper in papers])
    lib = Library({paper.id: paper for paper in papers}, states)
    for view in [ALL, UNREAD, STARRED, View("tag", "a", "a"), View("feed", "f", FEEDS[1])]:
        for order in SORT_ORDERS:
            expected = [paper for paper in sort_papers(papers, order) if lib.in_view(paper, view)]
            assert lib.view_papers(view, order) == expected
            assert lib.select(view, order=order) == expected


@given(st.text(), st.text(alphabet=string.ascii_letters + string.digits + " -.", min_size=1))
def test_an_ascii_needle_matches_the_compact_text_as_the_text(text: str, needle: str) -> None:
    packed = compact(text)
    assert expand(packed) == text
    assert all(ord(char) < 256 for char in packed)
    assert (needle in packed) == (needle in text)


@given(st.text(), st.text(min_size=1))
def test_any_compacted_needle_matches_as_in_the_text(text: str, needle: str) -> None:
    assert (compact(needle) in compact(text)) == (needle in text)


def test_compact_search_text_with_an_abstract_given() -> None:
    paper = make_paper("2504.00005", title="Équations of 𝒪(n) size", abstract="")
    whole = make_paper("2504.00005", title="Équations of 𝒪(n) size", abstract="Über-fast Mixing")
    assert compact_search_text(paper, "Über-fast Mixing") == compact(search_text(whole))
    assert expand(compact_search_text(whole)) == search_text(whole)


def test_state_changes_are_logged_for_lists_made_earlier() -> None:
    lib = library()
    mark = lib.state_mark()
    lib.set_state("2504.00002", PaperState(starred=True))
    lib.set_state("2504.00003", PaperState(read=True))
    lib.set_state("2504.00002", PaperState())
    assert lib.changed_since(mark) == ["2504.00002", "2504.00003"]
    assert lib.changed_since(lib.state_mark()) == []
    from paperread import library as module

    later = lib.state_mark()
    for number in range(module.STATE_LOG_LIMIT + 1):
        lib.set_state("2504.00001", PaperState(read=number % 2 == 0))
    assert lib.changed_since(later) is None  # too many: select afresh


# -- the reader's session: summaries first, search texts from the store after ----------





QUERIES = [
    "graph", "GRAPH transformer", "cramér", "𝒪(n²)", "ü", "graph -survey", '"language models"',
    "title:graph", "abs:calibrate", "is:unread graph", "cat:cs.CL OR upvotes:>5", "author:gödel",
    "scaling laws", "zzz", "5%",
]  # fmt: skip


def test_free_words() -> None:
    assert free_words("graph  Transformer über") == ["graph", "Transformer", "über"]
    for text in ["", "  ", "graph -survey", '"a b"', "title:x", "a OR b", "a AND b", "(a)", "a|b"]:
        assert free_words(text) is None, text


def test_fast_session_lists_summaries_and_searches_the_stored_abstracts(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path, fast=True, extra_config='[watch]\nkeywords = ["worst case"]')
    try:
        library = session.library
        assert session.summaries and len(library.papers) == len(sample_papers())
        assert not any(paper.abstract or paper.raw_abstract for paper in library.papers.values())
        query = parse_query("transformer attention")  # "attention" is only in an abstract
        assert session.filter(query, Rows(library.ordered())).papers == []
        stored = session.full_paper("2604.20001")
        assert stored is not None and "attention costs 𝒪(n²)" in stored.abstract and stored.raw_abstract
        assert [paper.id for paper in session.full_papers(library.ordered()[:3])] == [
            paper.id for paper in library.ordered()[:3]
        ]
        taken = sum(session.install_texts(chunk) for chunk in session.text_chunks())
        assert taken == len(library.papers)
        assert [paper.id for paper in session.filter(query, Rows(library.ordered())).papers] == ["2604.20001"]
        # the watch list saw the abstracts too
        assert session.is_watched(library.papers["2604.20001"])
        assert not session.is_watched(library.papers["2604.20002"])
    finally:
        session.close()


@pytest.mark.parametrize("fast", [True, False])
def test_text_chunk_makers_offer_a_turn_between_papers(
    data_dir: Path, tmp_path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader's thread waits at ``wait_turn`` while a key is handled: it
    is called every TURN_EVERY papers, inside a chunk, from both makers
    (abstracts from the store, texts from records in memory)."""
    monkeypatch.setattr(session_module, "TURN_EVERY", 1)
    session = build_session(data_dir, tmp_path, fast=fast)
    try:
        turns: list[int] = []
        made: list[int] = []
        for chunk in session.text_chunks(lambda: turns.append(sum(made))):
            made.append(len(chunk.texts))
        assert sum(made) > 0
        assert len(turns) >= sum(made), "a turn before each paper"
        assert turns[-1] < sum(made), "turns inside the last chunk, not only between chunks"
    finally:
        session.close()


@pytest.mark.parametrize("indexed", [False, True])
def test_filter_matches_the_predicate_on_every_query(
    data_dir: Path, tmp_path: Path, indexed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = build_session(data_dir, tmp_path)
    try:
        library = session.library
        papers = library.ordered()
        if indexed:  # the word index for every row, but one paper replaced since
            monkeypatch.setattr(search_module, "INDEX_FROM", 0)
            library.compact_texts(papers)
            library.set_word_index(WordIndex.build(library.index_snapshot()))
            survey = library.papers["2604.20003"]
            library.add_papers([dataclasses.replace(survey, title=survey.title + " with graph transformer")])
            papers = library.ordered()
            assert library.index_numbers(papers).count(-1) == 1
        for text in QUERIES:
            query = parse_query(text)
            expected = [paper for paper in papers if session.predicate(query)(paper)]
            rows = session.filter(query, Rows(papers))
            assert rows.papers == expected, text
            assert rows.texts in (None, library.compact_texts(expected)), text
        # narrowing a previous search: its words are not looked for again
        broad, narrow = parse_query("graph"), parse_query("graph transformer")
        pool = session.filter(broad, Rows(papers))
        narrowed = session.filter(narrow, pool, matched=broad)
        assert narrowed.papers == session.filter(narrow, Rows(papers)).papers
        expected = ["2604.20003", "2604.20001"] if indexed else ["2604.20001"]
        assert [p.id for p in narrowed.papers] == expected
    finally:
        session.close()


def test_prepared_papers_are_added_without_their_text_in_a_fast_session(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path, fast=True)
    try:
        library = session.library
        library.ordered("newest")
        changed = make_paper("2604.20002", title="Calibrated Uncertainty, Revised", abstract="Now with zebrafish.",
                             announced="2026-04-29", feeds=[LG])
        new = make_paper("2604.30000", title="A New Paper", abstract="About okapis.", announced="2026-04-29")
        prepared = session.prepare_papers([changed, new])
        session.add_prepared(prepared)
        assert library.ordered("newest")[:2] == [library.papers["2604.30000"], library.papers["2604.20002"]]
        assert not library.papers["2604.30000"].abstract  # the pane reads the stored record
        for word, paper_id in (("zebrafish", "2604.20002"), ("okapis", "2604.30000")):
            assert [p.id for p in session.filter(parse_query(word), Rows(library.ordered())).papers] == [paper_id]
    finally:
        session.close()


def test_lean_links_drop_only_what_the_id_gives() -> None:
    from paperread.links import abs_link, pdf_link
    from paperread.links import lean_links

    paper = make_paper(
        "2504.00007", version=3, doi="10.1/x",
        links={"abs": "https://arxiv.org/abs/2504.00007", "pdf": "https://arxiv.org/pdf/2504.00007v3",
               "doi": "https://doi.org/10.1/x", "source": "https://example.org/item"},
    )  # fmt: skip
    lean = lean_links(paper)
    assert lean == {"source": "https://example.org/item"}
    before = (abs_link(paper), pdf_link(paper))
    paper.links = lean
    assert (abs_link(paper), pdf_link(paper)) == before
    other = make_paper("2504.00008", links={"pdf": "https://mirror.example/2504.00008.pdf"})
    assert lean_links(other) is None
    assert lean_links(make_paper("doi:10.1/y", links={"abs": "https://arxiv.org/abs/doi:10.1/y"})) is None
