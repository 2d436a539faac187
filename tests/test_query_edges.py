"""Edges of the query language that test_query.py's tables pass over: the
far end of relative dates and refinement within one field."""

from __future__ import annotations

from datetime import date

import pytest

from paperread.model import Paper, PaperState
from paperread.query import MatchContext, QueryError, parse_complete_part, parse_query, search_text

TODAY = date(2026, 5, 15)


def announced_on(day: str) -> Paper:
    return Paper(id="2605.00001", title="t", announced=day)


def context() -> MatchContext:
    return MatchContext(state=PaperState(), feed_names={}, today=TODAY)


@pytest.mark.parametrize(
    ("months", "first_day_in", "last_day_out"),
    [
        # 2026-05 minus 24,300 months is May of year 1: still a real day
        (24_300, "0001-05-15", "0001-05-14"),
        (24_304, "0001-01-15", "0001-01-14"),
    ],
)
def test_months_back_to_the_first_year(months: int, first_day_in: str, last_day_out: str) -> None:
    query = parse_query(f"since:{months}m", today=TODAY)
    assert query.matches(announced_on(first_day_in), context())
    assert not query.matches(announced_on(last_day_out), context())


def test_months_back_past_the_first_year_include_every_day() -> None:
    query = parse_query("since:24305m", today=TODAY)  # December of year 0: no such day
    assert query.matches(announced_on("0001-01-01"), context())


@pytest.mark.parametrize(
    ("narrower", "broader", "expected"),
    [
        ("abs:graph abs:neural", "abs:graph", True),
        ('abs:"graph neural"', "abs:graph", True),
        ("abs:graphs", "abs:graph", True),
        ("abs:graph", "abs:graphs", False),
        ("author:smithson", "author:smith", True),
        ("author:smith", "abs:smith", False),
        ("abs:graph", "graph", True),
    ],
)
def test_refines_within_one_field(narrower: str, broader: str, expected: bool) -> None:
    assert parse_query(narrower).refines(parse_query(broader)) is expected


def test_a_category_wildcard_stops_at_the_dot() -> None:
    query = parse_query("cat:math.*")
    ctx = context()
    assert query.matches(Paper(id="x", title="t", categories=["math.CO"]), ctx)
    assert not query.matches(Paper(id="x", title="t", categories=["math-ph"]), ctx)


def test_two_phrases_are_two_terms() -> None:
    query = parse_query('"graph neural" "message passing"')
    assert query.highlight_terms() == ["graph neural", "message passing"]
    ctx = context()
    assert not query.matches(Paper(id="x", title="graph neural networks"), ctx)
    assert query.matches(Paper(id="x", title="graph neural message passing"), ctx)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "since:yesterday",
            "bad date 'yesterday' in since: at column 7 (use YYYY-MM-DD, or 7d, 2w, 3m for days,"
            " weeks, months ago)",
        ),
        ("upvotes:many", "bad number 'many' in upvotes: at column 9 (e.g. upvotes:>10, upvotes:<=5, upvotes:20)"),
    ],
)
def test_bad_values_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("abs:graphs", True),  # the abstract's first word
        ("abs:z", False),  # only the last letter of the authors
        ("abs:2401", False),  # only in the id
        ("abs:kurz", False),
        ("author:kurz", True),
        ("author:graphs", False),
    ],
)
def test_field_tests_see_only_their_part(query: str, expected: bool) -> None:
    paper = Paper(id="2401.00001", title="On trees", authors=["A. Kurz"], abstract="Graphs are everywhere.")
    assert parse_query(query).matches(paper, context()) is expected


@pytest.mark.parametrize("text", ["-since:7d", "since:7d x", "since:7d OR zzz", "-(since:7d x)"])
def test_a_pinned_today_holds_inside_negations_and_groups(text: str) -> None:
    pinned = parse_query(text, today=date(2026, 5, 15))
    floating = parse_query(text)
    recent = Paper(id="2605.00001", title="x marks", announced="2026-05-10")
    later = MatchContext(state=PaperState(), feed_names={}, today=date(2026, 6, 30))
    # the pinned query still sees 2026-05-10 as within seven days; the floating one does not
    assert pinned.matches(recent, later) != floating.matches(recent, later)
    assert pinned.matches(recent, later) == parse_query(text, today=date(2026, 5, 15)).matches(recent, context())


def test_a_doubly_negated_word_is_highlighted() -> None:
    assert parse_query("-(-graph) -tree").highlight_terms() == ["graph"]


@pytest.mark.parametrize(("text", "message"), [("AND graph", "AND at column 1 needs a term before it"),
                                               ("OR graph", "OR at column 1 needs a term before it")])
def test_an_operator_first_needs_a_term_before_it(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert (caught.value.message, caught.value.position) == (message, 0)


def test_empty_parts_of_a_paper_hold_no_text() -> None:
    paper = Paper(id="2401.00001", title="t")  # no authors, no abstract
    assert search_text(paper) == "t\n\n\n2401.00001"
    assert not parse_query("xxxx").matches(paper, context())


def test_a_bar_needs_no_spaces_around_it() -> None:
    query = parse_query("graph|tree")
    assert query.matches(Paper(id="x", title="tree search"), context())
    assert query.highlight_terms() == ["graph", "tree"]


def test_a_minus_before_a_capital_x_excludes_it() -> None:
    query = parse_query("-XLA model")
    assert query.matches(Paper(id="x", title="a model"), context())
    assert not query.matches(Paper(id="x", title="an XLA model"), context())


@pytest.mark.parametrize(
    ("typed", "complete"),
    [
        ('title:"quan', None),
        ("is:bo", None),
        ("since:2026-1", None),
        ('graph title:"quantum comp', "graph"),
        ("graph is:bo", "graph"),
        ("graph (tree", "graph"),
        ("graph -", "graph"),
        ("graph tree", "graph tree"),
        ("   ", None),
    ],
)
def test_the_complete_part_of_a_query_being_typed_is_whole_terms_that_parse(typed: str, complete: str | None) -> None:
    query = parse_complete_part(typed)
    assert (query.text if query is not None else None) == complete
