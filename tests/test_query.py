"""The query language: parsing, matching every field and operator, error
messages with positions, and properties over arbitrary input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from paperread.model import ANNOUNCE_TYPES, Paper, PaperState
from paperread.sources import parse_feed
from paperread.query import MAX_NESTING, MatchContext, QueryError, parse_query, search_text

TODAY = date(2026, 4, 27)
HF = "https://huggingface.co/api/daily_papers"
ARXIV_LG = "https://rss.arxiv.org/rss/cs.LG"
ARXIV_QP = "https://rss.arxiv.org/rss/quant-ph"
BLOG = "https://blog.example.org/feed.xml"
CL_QUERY = "https://export.arxiv.org/api/query?search_query=cat:cs.CL"
FEED_NAMES = {
    ARXIV_LG: "arXiv cs.LG",
    HF: "HF Daily",
    BLOG: "Example Blog",
    CL_QUERY: "cs.CL query",
}

CORPUS: dict[str, tuple[Paper, PaperState, bool]] = {
    "p1": (
        Paper(
            id="2504.00001",
            title="Graph Neural Networks for Molecules",
            authors=["Alice Smith", "Bob Jones"],
            abstract="We study graph   neural\nnetworks on molecules.",
            categories=["cs.LG", "stat.ML"],
            primary_category="cs.LG",
            announce_type="new",
            announced="2026-04-25",
            feeds=[ARXIV_LG],
            code_links=["https://github.com/a/b"],
            doi="10.1000/xyz",
        ),
        PaperState(starred=True, tags=["ToRead"]),
        False,
    ),
    "p2": (
        Paper(
            id="2504.00002",
            title="A Survey of Graph Methods",
            authors=["Carol Smithson"],
            abstract="We review methods for graphs.",
            categories=["cs.AI"],
            primary_category="cs.AI",
            announce_type="cross",
            announced="2026-04-10",
            feeds=[HF],
            github_repo="https://github.com/c/d",
            upvotes=15,
        ),
        PaperState(read=True),
        False,
    ),
    "p3": (
        Paper(
            id="quant-ph/0601001",
            title="Quantum Walks",
            authors=["Dan Quantum"],
            abstract="Entanglement in quantum walks on lattices.",
            categories=["quant-ph"],
            primary_category="quant-ph",
            announce_type="replace",
            published="2006-01-01T00:00:00Z",
            feeds=[ARXIV_QP],
            upvotes=3,
        ),
        PaperState(),
        False,
    ),
    "p4": (
        Paper(
            id="doi:10.5555/abc",
            title="Deep Learning in Practice",
            announced="2026-04-27",
            feeds=[BLOG],
            doi="10.5555/abc",
            upvotes=10,
        ),
        PaperState(read=True, tags=["ml"]),
        False,
    ),
    "p5": (
        Paper(
            id="2504.00005",
            title="Transformers",
            authors=["Eve Adams"],
            abstract="Attention   is\tall you need.",
            categories=["cs.CL", "cs.LG"],
            primary_category="cs.CL",
            announce_type="replace-cross",
            announced="2026-03-27",
            feeds=[CL_QUERY],
        ),
        PaperState(),
        True,
    ),
    "p6": (
        Paper(id="guid:note-1", title="Untitled note", abstract="A note about graph theory."),
        PaperState(dismissed=True, dismissed_at="2026-04-26T09:00:00Z"),
        False,
    ),
}
ALL_IDS = set(CORPUS)


def context(state: PaperState, watched: bool = False, today: date = TODAY) -> MatchContext:
    return MatchContext(state=state, feed_names=FEED_NAMES, watched=watched, today=today)


def matching(text: str, today: date | None = TODAY) -> set[str]:
    query = parse_query(text, today=today)
    found = set()
    for key, (paper, state, watched) in CORPUS.items():
        ctx = context(state, watched)
        with_haystack = query.matches(paper, ctx, search_text(paper))
        assert query.matches(paper, ctx) == with_haystack
        if with_haystack:
            found.add(key)
    return found


MATCH_CASES = [
    # empty
    ("", ALL_IDS),
    ("   \t ", ALL_IDS),
    # free words and phrases: title, authors, abstract, id; case and whitespace
    ("graph", {"p1", "p2", "p6"}),
    ("GRAPH", {"p1", "p2", "p6"}),
    ('"graph neural"', {"p1"}),
    ('"neural networks on"', {"p1"}),
    ('"Attention is all"', {"p5"}),
    ('"graph    neural"', {"p1"}),
    ("smith", {"p1", "p2"}),
    ("2504.00002", {"p2"}),
    ("graph survey", {"p2"}),
    ("10:30", set()),
    # a phrase never spans two parts (title / authors)
    ('"molecules alice"', set()),
    # negation
    ("graph -survey", {"p1", "p6"}),
    ('graph -"survey of"', {"p1", "p6"}),
    ("-graph", {"p3", "p4", "p5"}),
    ("--graph", {"p1", "p2", "p6"}),
    ("-(graph OR quantum)", {"p4", "p5"}),
    ("-cat:cs.*", {"p3", "p4", "p6"}),
    # OR, |, AND, grouping, precedence
    ("transformers OR quantum", {"p3", "p5"}),
    ("transformers | quantum", {"p3", "p5"}),
    ("transformers|quantum", {"p3", "p5"}),
    ("transformers or quantum", set()),
    ("(transformers OR quantum) walks", {"p3"}),
    ("graph AND methods", {"p2"}),
    ("graph OR cat:quant-ph is:unread", {"p1", "p2", "p3", "p6"}),
    ("(graph OR cat:quant-ph) is:unread", {"p1", "p3", "p6"}),
    ("((graph))", {"p1", "p2", "p6"}),
    # text fields
    ("title:graph", {"p1", "p2"}),
    ('title:"graph   NEURAL"', {"p1"}),
    ("title:study", set()),
    ("TITLE:molecules", {"p1"}),
    ("abs:study", {"p1"}),
    ("abs:review", {"p2"}),
    ("title:review", set()),
    ("author:smith", {"p1", "p2"}),
    ('author:"alice smith"', {"p1"}),
    ("author:graph", set()),
    ("id:2504", {"p1", "p2", "p5"}),
    ("id:2504.00002v3", {"p2"}),
    ("arxiv:2504.00002", {"p2"}),
    ("arXiv:2504.00005v1", {"p5"}),
    ("id:quant-ph/0601001", {"p3"}),
    ("id:doi", {"p4"}),
    # parts stay apart even when some are empty (p4 has no authors or abstract)
    ("abs:deep", set()),
    ("author:deep", set()),
    ("id:deep", set()),
    ("title:abc", set()),
    ("title:practice", {"p4"}),
    ("id:abc", {"p4"}),
    # categories
    ("cat:cs.LG", {"p1", "p5"}),
    ("cat:CS.lg", {"p1", "p5"}),
    ("cat:cs.*", {"p1", "p2", "p5"}),
    ("cat:cs", set()),
    ("cat:quant-ph", {"p3"}),
    ("cat:stat.ML", {"p1"}),
    ("primary:cs.LG", {"p1"}),
    ("primary:cs.*", {"p1", "p2", "p5"}),
    ("primary:quant-ph", {"p3"}),
    ("primary:stat.ML", set()),
    # feeds: URL or display name
    ("feed:hf", {"p2"}),
    ('feed:"example blog"', {"p4"}),
    ("feed:blog.example", {"p4"}),
    ("feed:rss.arxiv.org", {"p1", "p3"}),
    ('feed:"cs.cl query"', {"p5"}),
    ("feed:arxiv", {"p1", "p3", "p5"}),
    # tags: exact, case-insensitive
    ("tag:toread", {"p1"}),
    ("tag:TOREAD", {"p1"}),
    ("tag:to", set()),
    ("tag:ml", {"p4"}),
    # is:
    ("is:unread", {"p1", "p3", "p5", "p6"}),
    ("IS:UNREAD", {"p1", "p3", "p5", "p6"}),
    ("is:read", {"p2", "p4"}),
    ("is:starred", {"p1"}),
    ("is:watched", {"p5"}),
    ("is:dismissed", {"p6"}),
    ("is:Dismissed graph", {"p6"}),
    ("-is:dismissed", ALL_IDS - {"p6"}),
    ("is:unread -is:dismissed", {"p1", "p3", "p5"}),
    # type:
    ("type:new", {"p1"}),
    ("type:cross", {"p2"}),
    ("type:replace", {"p3"}),
    ("type:replace-cross", {"p5"}),
    ("Type:NEW", {"p1"}),
    ("-type:new", ALL_IDS - {"p1"}),
    # dates: announced, else published day; papers without a date never match
    ("since:2026-04-25", {"p1", "p4"}),
    ("before:2026-04-25", {"p2", "p3", "p5"}),
    ("since:2000-01-01", ALL_IDS - {"p6"}),
    ("-since:2000-01-01", {"p6"}),
    ("since:7d", {"p1", "p4"}),
    ("since:0d", {"p4"}),
    ("since:3w", {"p1", "p2", "p4"}),
    ("since:1m", {"p1", "p2", "p4", "p5"}),
    ("since:1M", {"p1", "p2", "p4", "p5"}),
    ("before:1m", {"p3"}),
    ("since:999999m", ALL_IDS - {"p6"}),
    ("since:999999d", ALL_IDS - {"p6"}),
    ("since:2026-04-10 before:2026-04-26", {"p1", "p2"}),
    # has:
    ("has:code", {"p1", "p2"}),
    ("has:tags", {"p1", "p4"}),
    ("has:doi", {"p1", "p4"}),
    ("HAS:CODE", {"p1", "p2"}),
    # upvotes
    ("upvotes:>10", {"p2"}),
    ("upvotes:>=10", {"p2", "p4"}),
    ("upvotes:10", {"p2", "p4"}),
    ("upvotes:<10", {"p3"}),
    ("upvotes:<=10", {"p3", "p4"}),
    ("upvotes:=3", {"p3"}),
    ("-upvotes:>=0", {"p1", "p5", "p6"}),
    # the benchmark's combined query
    ("cat:cs.* is:unread graph -survey", {"p1"}),
]


@pytest.mark.parametrize(
    ("text", "expected"), MATCH_CASES, ids=[case[0] or "<empty>" for case in MATCH_CASES]
)
def test_match_table(text: str, expected: set[str]) -> None:
    assert matching(text) == expected


def test_cat_matches_arxiv_categories_not_msc_or_acm_classes(extra_feeds: Path) -> None:
    body = (extra_feeds / "arxiv-api-legacy-2019-08-10-all-science-m10.xml").read_bytes()
    papers = parse_feed(body, CL_QUERY).papers

    def hits(text: str) -> set[str]:
        query = parse_query(text, today=TODAY)
        return {paper.id for paper in papers if query.matches(paper, context(PaperState()))}

    assert hits("cat:cs.LO") == {"0705.1367", "1802.03292"}
    assert hits("cat:cs.*") == {"0705.1367", "1802.03292", "1501.05039"}
    assert hits("cat:03*") == hits("cat:F.*") == set()


def test_relative_dates_follow_context_today_when_not_pinned() -> None:
    query = parse_query("since:7d")
    paper, state, _ = CORPUS["p1"]  # announced 2026-04-25
    assert query.matches(paper, context(state, today=date(2026, 4, 27)))
    assert query.matches(paper, context(state, today=date(2026, 5, 2)))
    assert not query.matches(paper, context(state, today=date(2026, 5, 3)))


def test_pinned_today_ignores_context_today() -> None:
    query = parse_query("since:7d", today=date(2026, 4, 27))
    paper, state, _ = CORPUS["p1"]
    assert query.matches(paper, context(state, today=date(2030, 1, 1)))


@pytest.mark.parametrize(
    ("today", "months", "first_day_in", "last_day_out"),
    [
        (date(2026, 3, 31), 1, "2026-02-28", "2026-02-27"),  # clamped to the month's end
        (date(2024, 3, 31), 1, "2024-02-29", "2024-02-28"),  # leap year
        (date(2026, 1, 15), 2, "2025-11-15", "2025-11-14"),  # across a year
        (date(2026, 1, 15), 12, "2025-01-15", "2025-01-14"),
    ],
)
def test_months_are_calendar_months(
    today: date, months: int, first_day_in: str, last_day_out: str
) -> None:
    query = parse_query(f"since:{months}m", today=today)
    ctx = context(PaperState(), today=today)
    assert query.matches(Paper(id="x", title="t", announced=first_day_in), ctx)
    assert not query.matches(Paper(id="x", title="t", announced=last_day_out), ctx)


def test_published_day_when_not_announced() -> None:
    query = parse_query("since:2026-04-01 before:2026-04-02")
    ctx = context(PaperState())
    assert query.matches(Paper(id="x", title="t", published="2026-04-01T23:59:59Z"), ctx)
    assert not query.matches(Paper(id="x", title="t", published="2026-04-02T00:00:00Z"), ctx)
    # announced wins over published
    announced = Paper(id="x", title="t", announced="2026-03-01", published="2026-04-01T00:00:00Z")
    assert not query.matches(announced, ctx)


def test_feed_without_display_name_matches_on_url() -> None:
    query = parse_query("feed:unnamed")
    paper = Paper(id="x", title="t", feeds=["https://unnamed.example/rss"])
    assert query.matches(paper, MatchContext(state=PaperState(), feed_names={}, today=TODAY))


def test_search_text_layout() -> None:
    paper, _, _ = CORPUS["p1"]
    assert search_text(paper) == (
        "graph neural networks for molecules\n"
        "alice smith, bob jones\n"
        "we study graph neural networks on molecules.\n"
        "2504.00001"
    )


def test_fields_hold_with_a_haystack_lacking_part_separators() -> None:
    """A caller's haystack with the parts run together still gives field
    tests their own part (they fall back to search_text)."""
    paper, state, _ = CORPUS["p1"]
    flat = " ".join(search_text(paper).split())
    ctx = context(state)
    for text, expected in [
        ("title:study", False),
        ("abs:study", True),
        ("author:molecules", False),
        ("author:jones", True),
        ("id:2504.00001", True),
        ("id:graph", False),
        ("title:graph", True),
        ("graph", True),
    ]:
        assert parse_query(text).matches(paper, ctx, flat) is expected, text


def test_search_text_case_folds() -> None:
    paper = Paper(id="X1", title="Die STRASSE  der   Σίσυφος")
    text = search_text(paper)
    assert text.split("\n")[0] == "die strasse der σίσυφοσ"
    assert parse_query("straße").matches(paper, context(PaperState()))
    assert parse_query("ΣΊΣΥΦΟΣ").matches(paper, context(PaperState()))
    assert parse_query("id:x1").matches(paper, context(PaperState()))


def test_query_keeps_text() -> None:
    assert parse_query("graph -survey").text == "graph -survey"


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("", []),
        ("graph -survey", ["graph"]),
        ('"graph   neural" OR tree', ["graph neural", "tree"]),
        ('title:"Graph Neural" author:smith abs:diffusion', ["Graph Neural", "smith", "diffusion"]),
        ("-(graph OR tree) leaf", ["leaf"]),
        ("--graph", ["graph"]),
        ("-title:graph -author:x cat:cs.LG id:2504 feed:hf tag:a is:read", []),
        ("Graph graph GRAPH", ["Graph"]),
    ],
)
def test_highlight_terms(text: str, terms: list[str]) -> None:
    assert parse_query(text).highlight_terms() == terms


REFINE_CASES = [
    # (narrower, broader, refines?)
    ("graph", "grap", True),
    ("grap", "graph", False),
    ("Graph", "graph", True),
    ("graph", "", True),
    ("", "", True),
    ("", "graph", False),
    ("graph -s", "graph", True),
    ("graph -su", "graph -s", False),
    ("graph -s", "graph -su", True),
    ('"graph neural"', "graph", True),
    ('"graph neural"', '"graph neu"', True),
    ("title:graph", "graph", True),
    ("graph", "title:graph", False),
    ("title:graphs", "title:GRAPH", True),
    ("abs:graph", "title:graph", False),
    ("cat:cs.LG graph", "cat:cs.LG", True),
    ("cat:cs.LG", "cat:cs.L", False),
    ("is:unread graph", "graph is:unread", True),
    ("x cat:cs.LG", "cat:cs.LG", True),
    ("graph OR tree", "graph", False),
    ("(graph OR tree) x", "(graph OR tree)", True),
    ("-(graph OR tree) x", "-(graph OR tree)", True),
    ("since:7d graph", "since:7d", True),
]


@pytest.mark.parametrize(("narrower", "broader", "expected"), REFINE_CASES)
def test_refines(narrower: str, broader: str, expected: bool) -> None:
    assert parse_query(narrower).refines(parse_query(broader)) is expected


def test_refines_needs_the_same_pinned_today() -> None:
    assert not parse_query("since:7d x", today=TODAY).refines(
        parse_query("since:7d", today=date(2026, 1, 1))
    )
    assert parse_query("since:7d x", today=TODAY).refines(parse_query("since:7d", today=TODAY))


def test_refines_gives_up_on_huge_queries() -> None:
    words = " ".join(f"w{index}" for index in range(200))
    assert not parse_query(words).refines(parse_query(words))


def test_refining_while_typing_keeps_the_same_matches() -> None:
    typed = "cat:cs.* is:unread graph -survey"
    previous, previous_ids = parse_query(""), ALL_IDS
    for end in range(1, len(typed) + 1):
        try:
            query = parse_query(typed[:end], today=TODAY)
        except QueryError:
            continue
        expected = matching(typed[:end])
        if query.refines(previous):
            assert expected <= previous_ids
        previous, previous_ids = query, expected
    assert previous_ids == {"p1"}


ERROR_CASES = [
    # (query, pieces the message must contain, position)
    ('graph "neural', ["unclosed quote at column 7"], 6),
    ('title:"graph', ["unclosed quote at column 7"], 6),
    ("foo:bar", ["unknown field 'foo:' at column 1", "(fields: title, author"], 0),
    ("graph Foo:bar", ["unknown field 'Foo:' at column 7"], 6),
    ("https://example.org", ["unknown field 'https:'", "quotes"], 0),
    ("since:xyz", ["bad date 'xyz' in since:", "column 7"], 6),
    ("since:2026-02-30", ["bad date '2026-02-30' in since:"], 6),
    ("before:2026-4-1", ["bad date '2026-4-1' in before:"], 7),
    ("before:20260401", ["bad date '20260401' in before:"], 7),
    ("since:7y", ["bad date '7y' in since:"], 6),
    ("(graph OR tree", ["expected ')' at column 15", "'(' at column 1"], 14),
    ("((graph)", ["expected ')' at column 9", "'(' at column 1"], 8),
    ("is:x", ["unknown is: value 'x'", "(unread, read, starred, watched, dismissed)"], 3),
    ("type:old", ["unknown type: value 'old'", "(new, cross, replace, replace-cross)"], 5),
    ("has:pdf", ["unknown has: value 'pdf'", "(code, tags, doi)"], 4),
    ("upvotes:many", ["bad number 'many' in upvotes:"], 8),
    ("upvotes:>1234567890", ["bad number '>1234567890' in upvotes:"], 8),
    ("upvotes:=>3", ["bad number"], 8),
    ("graph)", ["unexpected ')' at column 6"], 5),
    (")", ["unexpected ')' at column 1"], 0),
    ("OR graph", ["OR at column 1 needs a term before it"], 0),
    ("| graph", ["OR at column 1 needs a term before it"], 0),
    ("graph OR", ["OR at column 7 needs a term after it"], 6),
    ("graph AND", ["AND at column 7 needs a term after it"], 6),
    ("graph OR OR tree", ["OR at column 7 needs a term after it"], 6),
    ("graph AND OR tree", ["AND at column 7 needs a term after it"], 6),
    ("(graph OR)", ["OR at column 8 needs a term after it"], 7),
    ("-OR graph", ["'-' at column 1 needs a term after it"], 0),
    ("()", ["empty parentheses at column 1"], 0),
    ("graph ( )", ["empty parentheses at column 7"], 6),
    ("(", ["expected ')' at column 2"], 1),
    ("-", ["'-' at column 1 must be followed by"], 0),
    ("graph -", ["'-' at column 7 must be followed by"], 6),
    ("graph - tree", ["'-' at column 7 must be followed by"], 6),
    ("(graph -)", ["'-' at column 8 must be followed by"], 7),
    ("title:", ["title: needs a value at column 7"], 6),
    ("tree title: graph", ["title: needs a value at column 12"], 11),
    ('title:""', ["empty quotes at column 7"], 6),
    ('graph "  "', ["empty quotes at column 7"], 6),
    (
        "(" * (MAX_NESTING + 1) + "x" + ")" * (MAX_NESTING + 1),
        ["nested too deep", f"column {MAX_NESTING + 1}"],
        MAX_NESTING,
    ),
]


@pytest.mark.parametrize(
    ("text", "pieces", "position"), ERROR_CASES, ids=[case[0][:40] for case in ERROR_CASES]
)
def test_error_table(text: str, pieces: list[str], position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    error = caught.value
    for piece in pieces:
        assert piece in error.message
    assert error.position == position
    assert str(error) == error.message
    assert isinstance(error, ValueError)


def test_nesting_at_the_limit_parses() -> None:
    text = "(" * MAX_NESTING + "graph" + ")" * MAX_NESTING
    assert matching(text) == {"p1", "p2", "p6"}


def test_long_queries_do_not_recurse() -> None:
    words = " ".join(f"w{index}" for index in range(5000))
    assert matching(words) == set()
    assert matching(" OR ".join(["nothing"] * 5000 + ["graph"])) == {"p1", "p2", "p6"}
    assert matching("-" * 5001 + "graph") == {"p3", "p4", "p5"}


# --- properties ----------------------------------------------------------------

FRAGMENTS = [
    "(", ")", '"', "-", "|", " ", "  ", "OR", "AND", "or", ":", "*", ">", ">=", "<", "=",
    "title:", "author:", "abs:", "id:", "arxiv:", "cat:", "primary:", "feed:", "tag:",
    "is:", "type:", "since:", "before:", "has:", "upvotes:", "foo:",
    "graph", "cs.*", "cs.LG", "unread", "starred", "watched", "dismissed", "new", "replace-cross",
    "code", "doi", "tags", "7d", "2w", "3m", "2026-04-01", "2026-02-30", "10", "99999999999",
    "2504.00001v2", "\t", "\n", "ß", "Σ",
]  # fmt: skip
query_texts = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=25).map("".join),
)
optional_text = st.none() | st.text(max_size=20)
day_text = (
    st.none() | st.sampled_from(["2026-04-01", "2006-01-01T00:00:00Z", ""]) | st.text(max_size=12)
)
papers = st.builds(
    Paper,
    id=st.text(max_size=20),
    title=st.text(max_size=40),
    authors=st.lists(st.text(max_size=15), max_size=3),
    abstract=st.text(max_size=80),
    categories=st.lists(
        st.sampled_from(["cs.LG", "cs.AI", "quant-ph", "math.GT"]) | st.text(max_size=6), max_size=3
    ),
    primary_category=optional_text,
    announce_type=st.none() | st.sampled_from(ANNOUNCE_TYPES) | st.text(max_size=5),
    announced=day_text,
    published=day_text,
    doi=optional_text,
    code_links=st.lists(st.text(max_size=10), max_size=2),
    upvotes=st.none() | st.integers(),
    github_repo=optional_text,
    feeds=st.lists(st.sampled_from([HF, BLOG, ARXIV_LG]) | st.text(max_size=10), max_size=2),
)
states = st.builds(
    PaperState,
    read=st.booleans(),
    starred=st.booleans(),
    tags=st.lists(st.text(max_size=8), max_size=3),
    dismissed=st.booleans(),
)
contexts = st.builds(
    MatchContext,
    state=states,
    feed_names=st.dictionaries(st.sampled_from([HF, BLOG, ARXIV_LG]), st.text(max_size=10)),
    watched=st.booleans(),
    today=st.dates(),
)


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(text=query_texts)
def test_any_text_gives_a_query_or_a_query_error(text: str) -> None:
    try:
        query = parse_query(text, today=TODAY)
    except QueryError as error:
        assert 0 <= error.position <= len(text)
        assert f"column {error.position + 1}" in error.message
        return
    assert query.text == text
    assert isinstance(query.highlight_terms(), list)
    for paper, state, watched in CORPUS.values():
        assert isinstance(query.matches(paper, context(state, watched)), bool)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(text=query_texts, paper=papers, ctx=contexts, pinned=st.booleans())
def test_matches_never_raises_and_negation_is_the_complement(
    text: str, paper: Paper, ctx: MatchContext, pinned: bool
) -> None:
    today = TODAY if pinned else None
    try:
        query = parse_query(text, today=today)
        negated = parse_query(f"-({text})", today=today) if text.split() else None
    except QueryError:
        assume(False)
    result = query.matches(paper, ctx)
    assert isinstance(result, bool)
    assert query.matches(paper, ctx, search_text(paper)) == result
    if negated is not None:
        assert negated.matches(paper, ctx) == (not result)


@settings(max_examples=300)
@given(paper=papers, ctx=contexts)
def test_every_field_tolerates_any_paper(paper: Paper, ctx: MatchContext) -> None:
    text = (
        "graph OR title:a OR author:b OR abs:c OR id:2504.00001v2 OR cat:cs.* OR cat:cs.LG"
        " OR primary:quant-ph OR feed:hf OR tag:x OR is:unread OR is:read OR is:starred"
        " OR is:watched OR type:new OR since:7d OR before:2026-01-01 OR has:code OR has:tags"
        " OR has:doi OR upvotes:>3"
    )
    for today in (None, TODAY):
        query = parse_query(text, today=today)
        assert isinstance(query.matches(paper, ctx), bool)
        assert isinstance(query.matches(paper, ctx, search_text(paper)), bool)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=query_texts, cut=st.integers(min_value=0), other=query_texts, paper=papers, ctx=contexts
)
def test_refines_is_sound(text: str, cut: int, other: str, paper: Paper, ctx: MatchContext) -> None:
    """A refining query never matches a paper the broader one rejects, for
    prefixes (typing) and for unrelated pairs."""
    try:
        query = parse_query(text)
    except QueryError:
        assume(False)
    for candidate in (text[: cut % (len(text) + 1)], other, text + " x", text + " -y"):
        try:
            broader = parse_query(candidate)
        except QueryError:
            continue
        if query.refines(broader) and query.matches(paper, ctx):
            assert broader.matches(paper, ctx)
        if broader.refines(query) and broader.matches(paper, ctx):
            assert query.matches(paper, ctx)
