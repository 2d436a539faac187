"""A syntax tree compiled into nested closures over (paper, context,
search text), AND/OR operands ordered cheap-first; the test of each field."""

from __future__ import annotations

import calendar
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from paperread.arxiv_ids import parse_arxiv_id
from paperread.model import ANNOUNCE_TYPES, Paper
from paperread.query.context import (
    MatchContext,
    Predicate,
    QueryError,
    _column,
    fold,
    search_text,
)
from paperread.query.syntax import _All, _Field, _Node, _Not, _Text

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RELATIVE_RE = re.compile(r"([0-9]{1,6})([dwm])", re.IGNORECASE)
_UPVOTES_RE = re.compile(r"(>=|<=|>|<|=)?([0-9]{1,9})")
_COMPARE = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}

# Rough relative cost of one test, so that AND/OR try cheap operands first.
_COST_FLAG, _COST_LIST, _COST_SHORT_TEXT, _COST_TEXT = 1, 2, 3, 5


@dataclass(frozen=True, slots=True)
class _Compiled:
    predicate: Predicate
    cost: int
    uses_text: bool


def _compile(node: _Node, today: date | None) -> _Compiled:
    if isinstance(node, _Text):
        needle = fold(node.value)
        return _Compiled(lambda paper, ctx, text: needle in text, _COST_TEXT, True)
    if isinstance(node, _Field):
        return _compile_field(node, today)
    if isinstance(node, _Not):
        inner = _compile(node.operand, today)
        test = inner.predicate
        return _Compiled(
            lambda paper, ctx, text: not test(paper, ctx, text), inner.cost, inner.uses_text
        )
    parts = sorted(
        (_compile(operand, today) for operand in node.operands), key=lambda part: part.cost
    )
    tests = tuple(part.predicate for part in parts)
    cost = sum(part.cost for part in parts)
    uses_text = any(part.uses_text for part in parts)
    # plain loops below: per paper they beat all()/any() over a generator
    if isinstance(node, _All):

        def every(paper: Paper, ctx: MatchContext, text: str) -> bool:
            for test in tests:
                if not test(paper, ctx, text):
                    return False
            return True

        return _Compiled(every, cost, uses_text)

    def some(paper: Paper, ctx: MatchContext, text: str) -> bool:
        for test in tests:
            if test(paper, ctx, text):
                return True
        return False

    return _Compiled(some, cost, uses_text)


def _parts(paper: Paper, text: str) -> str:
    """``text`` when it has the part separators of :func:`search_text`, else
    ``search_text(paper)``: a haystack built another way cannot be split into
    title, authors, abstract and id. (The check stops at the end of the title.)"""
    return text if "\n" in text else search_text(paper)


def _in_part(needle: str, part: int) -> Predicate:
    """Substring test on one newline-separated part of :func:`search_text`
    (0 title, 1 authors, 2 abstract, 3 id), finding the part's bounds with
    short scans so that the abstract is read once."""

    def title(paper: Paper, ctx: MatchContext, text: str) -> bool:
        text = _parts(paper, text)
        return text.find(needle, 0, text.find("\n")) >= 0

    def authors(paper: Paper, ctx: MatchContext, text: str) -> bool:
        text = _parts(paper, text)
        start = text.find("\n") + 1
        return text.find(needle, start, text.find("\n", start)) >= 0

    def abstract(paper: Paper, ctx: MatchContext, text: str) -> bool:
        text = _parts(paper, text)
        start = text.find("\n", text.find("\n") + 1) + 1
        return text.find(needle, start, text.rfind("\n")) >= 0

    def identifier(paper: Paper, ctx: MatchContext, text: str) -> bool:
        text = _parts(paper, text)
        return text.find(needle, text.rfind("\n") + 1) >= 0

    return (title, authors, abstract, identifier)[part]


def _category_test(value: str) -> Callable[[str], bool]:
    """Exact (case-insensitive) category match, or a prefix match for ``cs.*``."""
    wanted = value.casefold()
    if wanted.endswith("*"):
        prefix = wanted[:-1]
        return lambda category: category.casefold().startswith(prefix)
    return lambda category: category.casefold() == wanted


def _compile_field(node: _Field, today: date | None) -> _Compiled:
    name, value = node.name, node.value
    folded = fold(value)
    if name in ("title", "author", "abs"):
        part = ("title", "author", "abs").index(name)
        cost = _COST_TEXT if name == "abs" else _COST_SHORT_TEXT
        return _Compiled(_in_part(folded, part), cost, True)
    if name in ("id", "arxiv"):
        parsed = parse_arxiv_id(value)
        return _Compiled(
            _in_part(fold(parsed.base) if parsed else folded, 3), _COST_SHORT_TEXT, True
        )
    if name == "cat":
        return _Compiled(_categories_test(_category_test(value)), _COST_LIST, False)
    if name == "primary":
        matches = _category_test(value)
        return _Compiled(
            lambda paper, ctx, text: (
                bool(paper.primary_category) and matches(paper.primary_category)
            ),
            _COST_FLAG,
            False,
        )
    if name == "feed":
        return _Compiled(_feed_test(folded), _COST_LIST, False)
    if name == "tag":
        return _Compiled(
            lambda paper, ctx, text: any(tag.casefold() == folded for tag in ctx.state.tags or ()),
            _COST_LIST,
            False,
        )
    if name in ("since", "before"):
        return _Compiled(_date_test(node, today), _COST_FLAG, False)
    if name == "upvotes":
        return _Compiled(_upvotes_test(node), _COST_FLAG, False)
    return _Compiled(_flag_test(node, folded), _COST_FLAG, False)


def _categories_test(matches: Callable[[str], bool]) -> Predicate:
    def test(paper: Paper, ctx: MatchContext, text: str) -> bool:
        for category in paper.categories or ():
            if matches(category):
                return True
        return False

    return test


def _feed_test(wanted: str) -> Predicate:
    def test(paper: Paper, ctx: MatchContext, text: str) -> bool:
        for url in paper.feeds or ():
            if wanted in url.casefold() or wanted in (ctx.feed_names.get(url) or "").casefold():
                return True
        return False

    return test


def _flag_test(node: _Field, value: str) -> Predicate:
    """``is:``, ``type:`` and ``has:``: a fixed set of values each."""
    if node.name == "is":
        tests: dict[str, Predicate] = {
            "unread": lambda paper, ctx, text: not ctx.state.read,
            "read": lambda paper, ctx, text: bool(ctx.state.read),
            "starred": lambda paper, ctx, text: bool(ctx.state.starred),
            "watched": lambda paper, ctx, text: bool(ctx.watched),
            "dismissed": lambda paper, ctx, text: bool(ctx.state.dismissed),
        }
    elif node.name == "has":
        tests = {
            "code": lambda paper, ctx, text: bool(paper.code_links or paper.github_repo),
            "tags": lambda paper, ctx, text: bool(ctx.state.tags),
            "doi": lambda paper, ctx, text: bool(paper.doi),
        }
    else:
        tests = {
            kind: (lambda paper, ctx, text, kind=kind: (paper.announce_type or "").lower() == kind)
            for kind in ANNOUNCE_TYPES
        }
    test = tests.get(value)
    if test is None:
        raise QueryError(
            f"unknown {node.name}: value '{node.value}' at {_column(node.value_pos)}"
            f" ({', '.join(tests)})",
            node.value_pos,
        )
    return test


def _paper_day(paper: Paper) -> str:
    """The day dates compare against: announced, else the published day."""
    return paper.announced or (paper.published or "")[:10]


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        return date.min
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


@lru_cache(maxsize=64)
def _relative_day(today: date, amount: int, unit: str) -> str:
    """``today`` minus ``amount`` days, weeks or months, as ``YYYY-MM-DD``."""
    try:
        if unit == "m":
            return _months_back(today, amount).isoformat()
        return (today - timedelta(days=amount * (7 if unit == "w" else 1))).isoformat()
    except OverflowError:
        return date.min.isoformat()


def _date_test(node: _Field, today: date | None) -> Predicate:
    compare = operator.ge if node.name == "since" else operator.lt
    relative = _RELATIVE_RE.fullmatch(node.value)
    if relative is not None:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        if today is None:

            def test_floating(paper: Paper, ctx: MatchContext, text: str) -> bool:
                day = _paper_day(paper)
                return bool(day) and compare(day, _relative_day(ctx.today, amount, unit))

            return test_floating
        cutoff = _relative_day(today, amount, unit)
    else:
        cutoff = node.value
        try:
            if not _DATE_RE.fullmatch(cutoff):
                raise ValueError(cutoff)
            date.fromisoformat(cutoff)
        except ValueError:
            raise QueryError(
                f"bad date '{node.value}' in {node.name}: at {_column(node.value_pos)}"
                " (use YYYY-MM-DD, or 7d, 2w, 3m for days, weeks, months ago)",
                node.value_pos,
            ) from None

    def test(paper: Paper, ctx: MatchContext, text: str) -> bool:
        day = _paper_day(paper)
        return bool(day) and compare(day, cutoff)

    return test


def _upvotes_test(node: _Field) -> Predicate:
    match = _UPVOTES_RE.fullmatch(node.value)
    if match is None:
        raise QueryError(
            f"bad number '{node.value}' in upvotes: at {_column(node.value_pos)}"
            " (e.g. upvotes:>10, upvotes:<=5, upvotes:20)",
            node.value_pos,
        )
    compare = _COMPARE[match.group(1) or ">="]
    threshold = int(match.group(2))

    def test(paper: Paper, ctx: MatchContext, text: str) -> bool:
        upvotes = paper.upvotes
        return isinstance(upvotes, int) and compare(upvotes, threshold)

    return test
