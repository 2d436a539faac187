"""The query language of the search box, saved searches, bulk actions and
``paperread list --query``, compiled into a predicate over papers.

Syntax::

    graph "neural network"          free words and phrases, all must occur
    graph OR tree, graph | tree      either (OR is upper case; AND is optional)
    -survey  -"large language"      exclude
    (graph OR tree) -cat:math.*     grouping
    title:"graph neural"  author:smith  abs:diffusion  id:2504.17830
    cat:cs.LG  cat:cs.*  primary:quant-ph  feed:hf  tag:toread
    is:unread  is:read  is:starred  is:watched
    type:new  type:cross  type:replace  type:replace-cross
    since:2026-04-01  since:7d (d/w/m)  before:2026-05-01
    has:code  has:tags  has:doi  upvotes:>10 (>=, <, <=, =; a plain number means >=)

Field names and the values of ``is:``, ``type:`` and ``has:`` ignore case.
``arxiv:`` is ``id:`` under the name arXiv ids are usually pasted with; a
version suffix (``v2``) is ignored there. ``|`` always means OR, so
``is:unread|starred`` is ``is:unread OR starred``. Text
matching is a case-insensitive substring test in which runs of whitespace count
as one space; free words look in the title, authors, abstract and id.

Speed: the reader filters up to 100k papers on every keystroke, so a query is
compiled once into nested closures, AND/OR operands are ordered cheap-first,
and text tests run on :func:`search_text`, which the caller computes once per
paper and passes to :meth:`Query.matches`.
"""

from __future__ import annotations

import calendar
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from paperread.arxiv_ids import parse_arxiv_id
from paperread.model import ANNOUNCE_TYPES, Paper, PaperState

FIELDS = (
    "title", "author", "abs", "id", "arxiv", "cat", "primary", "feed", "tag",
    "is", "type", "since", "before", "has", "upvotes",
)  # fmt: skip
MAX_NESTING = 32  # parentheses deeper than this are refused, keeping recursion bounded
_MAX_REFINE_PAIRS = 10_000  # Query.refines gives up (answers False) beyond this many comparisons

_FIELD_RE = re.compile(r"([A-Za-z]+):")
_WORD_END = '()|"'
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


class QueryError(ValueError):
    """A malformed query. ``position`` is the 0-based offset of the problem in
    the query text (``len(text)`` for "ended too early"); ``message`` says
    what is wrong and where, as a 1-based column."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchContext:
    """Everything a predicate may need beyond the paper itself.

    ``today`` anchors relative dates (``since:7d``) of queries parsed without
    a fixed ``today``, so a long-lived saved search moves on at midnight.
    """

    state: PaperState
    feed_names: Mapping[str, str]  # feed url -> display name
    watched: bool = False
    today: date


Predicate = Callable[[Paper, MatchContext, str], bool]


def fold(text: str) -> str:
    """Case-fold ``text`` and collapse its whitespace runs to single spaces."""
    return " ".join(text.casefold().split())


def search_text(paper: Paper) -> str:
    """The text free words are looked for in: ``title\\nauthors\\nabstract\\nid``,
    each part folded by :func:`fold`. Newlines only separate the parts, so a
    phrase never matches across two of them, and field tests find their part."""
    authors = ", ".join(paper.authors or ())
    return "\n".join(fold(part or "") for part in (paper.title, authors, paper.abstract, paper.id))


# --- tokens ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "OR", "AND", "NOT", "WORD", "FIELD"
    pos: int
    value: str = ""
    field_name: str = ""
    value_pos: int = 0


def _column(position: int) -> str:
    return f"column {position + 1}"


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """Read the quoted text opening at ``start``; return it and the offset after it."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError(f"unclosed quote at {_column(start)}", start)
    value = " ".join(text[start + 1 : end].split())
    if not value:
        raise QueryError(f"empty quotes at {_column(start)}", start)
    return value, end + 1


def _read_bare(text: str, start: int) -> tuple[str, int]:
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in _WORD_END:
        end += 1
    return text[start:end], end


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, i))
            i += 1
        elif char == "|":
            tokens.append(_Token("OR", i))
            i += 1
        elif char == "-":
            following = text[i + 1 : i + 2]
            if not following or following.isspace() or following in ")|":
                raise QueryError(
                    f"'-' at {_column(i)} must be followed by a word, phrase, field or '('", i
                )
            tokens.append(_Token("NOT", i))
            i += 1
        elif char == '"':
            value, end = _read_quoted(text, i)
            tokens.append(_Token("WORD", i, value))
            i = end
        elif match := _FIELD_RE.match(text, i):
            token, i = _field_token(text, i, match)
            tokens.append(token)
        else:
            word, end = _read_bare(text, i)
            kind = word if word in ("OR", "AND") else "WORD"
            tokens.append(_Token(kind, i, word))
            i = end
    return tokens


def _field_token(text: str, start: int, match: re.Match[str]) -> tuple[_Token, int]:
    """The field token starting at ``start`` and the offset after its value."""
    name = match.group(1).lower()
    if name not in FIELDS:
        raise QueryError(
            f"unknown field '{match.group(0)}' at {_column(start)} (fields: {', '.join(FIELDS)};"
            f" put the word in quotes to search for it as text)",
            start,
        )
    value_pos = match.end()
    if text[value_pos : value_pos + 1] == '"':
        value, end = _read_quoted(text, value_pos)
    else:
        value, end = _read_bare(text, value_pos)
        if not value:
            raise QueryError(f"{name}: needs a value at {_column(value_pos)}", value_pos)
    return _Token("FIELD", start, value, name, value_pos), end


# --- syntax tree -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    value: str  # whitespace-normalised, original case (so are _Field values)


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    value: str
    value_pos: int = field(compare=False)


@dataclass(frozen=True, slots=True)
class _Not:
    operand: _Node


@dataclass(frozen=True, slots=True)
class _All:
    operands: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Any:
    operands: tuple[_Node, ...]


_Node = _Text | _Field | _Not | _All | _Any
_TERM_STARTS = ("WORD", "FIELD", "NOT", "(")


class _Parser:
    """Recursive descent over: or := and (OR and)*; and := unary (AND? unary)*;
    unary := NOT* atom; atom := WORD | FIELD | '(' or ')'."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> _Node:
        node = self.parse_or(0)
        extra = self.peek()
        if extra is not None:  # only an unmatched ')' stops parse_or early
            raise QueryError(
                f"unexpected ')' at {_column(extra.pos)} (no '(' before it)", extra.pos
            )
        return node

    def parse_or(self, depth: int) -> _Node:
        operands = [self.parse_and(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            self.require_term_after(token, "OR")
            operands.append(self.parse_and(depth))
        return operands[0] if len(operands) == 1 else _Any(tuple(operands))

    def parse_and(self, depth: int) -> _Node:
        operands = [self.parse_unary(depth)]
        while (token := self.peek()) is not None and token.kind in ("AND", *_TERM_STARTS):
            if token.kind == "AND":
                self.take()
                self.require_term_after(token, "AND")
            operands.append(self.parse_unary(depth))
        return operands[0] if len(operands) == 1 else _All(tuple(operands))

    def parse_unary(self, depth: int) -> _Node:
        negated = False
        while (token := self.peek()) is not None and token.kind == "NOT":
            self.take()
            self.require_term_after(token, "'-'")
            negated = not negated
        node = self.parse_atom(depth)
        return _Not(node) if negated else node

    def parse_atom(self, depth: int) -> _Node:
        token = self.tokens[self.index]  # callers made sure a token follows
        if token.kind in ("OR", "AND"):
            raise QueryError(
                f"{token.kind} at {_column(token.pos)} needs a term before it", token.pos
            )
        if token.kind == ")":
            raise QueryError(f"unexpected ')' at {_column(token.pos)}", token.pos)
        self.take()
        if token.kind == "WORD":
            return _Text(token.value)
        if token.kind == "FIELD":
            return _Field(token.field_name, token.value, token.value_pos)
        return self.parse_group(token, depth)

    def parse_group(self, opening: _Token, depth: int) -> _Node:
        if depth >= MAX_NESTING:
            raise QueryError(
                f"parentheses nested too deep at {_column(opening.pos)} (at most {MAX_NESTING})",
                opening.pos,
            )
        token = self.peek()
        if token is not None and token.kind == ")":
            raise QueryError(f"empty parentheses at {_column(opening.pos)}", opening.pos)
        node = self.parse_or(depth + 1) if token is not None else None
        # parse_or stops only at ')' or at the end of the query
        if node is None or self.peek() is None:
            end = len(self.text)
            raise QueryError(
                f"expected ')' at {_column(end)} to close '(' at {_column(opening.pos)}", end
            )
        self.take()
        return node

    def require_term_after(self, token: _Token, what: str) -> None:
        following = self.peek()
        if following is None or following.kind not in _TERM_STARTS:
            raise QueryError(f"{what} at {_column(token.pos)} needs a term after it", token.pos)


# --- compiling ---------------------------------------------------------------


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


# --- refinement --------------------------------------------------------------


def _conjuncts(node: _Node) -> tuple[_Node, ...]:
    return node.operands if isinstance(node, _All) else (node,)


def _text_scope(node: _Node) -> tuple[str, str] | None:
    """(part, folded needle) of a positive substring test; part "" is the
    whole search text."""
    if isinstance(node, _Text):
        return "", fold(node.value)
    if isinstance(node, _Field) and node.name in ("title", "author", "abs"):
        return node.name, fold(node.value)
    return None


def _implies(narrow: _Node, broad: _Node) -> bool:
    """Whether ``narrow`` provably implies ``broad`` (False when unsure)."""
    if narrow == broad:
        return True
    if isinstance(narrow, _Not) and isinstance(broad, _Not):
        return _implies(broad.operand, narrow.operand)
    inner, outer = _text_scope(narrow), _text_scope(broad)
    if inner is None or outer is None:
        return False
    return outer[0] in ("", inner[0]) and outer[1] in inner[1]


# --- public ------------------------------------------------------------------


def _highlights(node: _Node, negated: bool, found: list[str]) -> None:
    if isinstance(node, _Text):
        if not negated:
            found.append(node.value)
    elif isinstance(node, _Field):
        if not negated and node.name in ("title", "author", "abs"):
            found.append(node.value)
    elif isinstance(node, _Not):
        _highlights(node.operand, not negated, found)
    else:
        for operand in node.operands:
            _highlights(operand, negated, found)


def _match_all(paper: Paper, ctx: MatchContext, text: str) -> bool:
    return True


class Query:
    """A parsed query: call :func:`parse_query` to make one."""

    __slots__ = ("text", "_node", "_today", "_predicate", "_uses_text", "_terms")

    def __init__(self, text: str, node: _Node | None, today: date | None) -> None:
        self.text = text
        self._node = node
        self._today = today
        if node is None:
            self._predicate: Predicate = _match_all
            self._uses_text = False
            self._terms: list[str] = []
        else:
            compiled = _compile(node, today)
            self._predicate = compiled.predicate
            self._uses_text = compiled.uses_text
            found: list[str] = []
            _highlights(node, False, found)
            unique: dict[str, str] = {}
            for term in found:
                unique.setdefault(term.casefold(), term)
            self._terms = list(unique.values())

    def matches(self, paper: Paper, ctx: MatchContext, haystack: str | None = None) -> bool:
        """Whether ``paper`` satisfies the query. ``haystack``, when given,
        must be ``search_text(paper)`` (callers filtering many papers keep it
        per paper); otherwise it is computed if the query needs it."""
        if haystack is None:
            haystack = search_text(paper) if self._uses_text else ""
        return self._predicate(paper, ctx, haystack)

    def highlight_terms(self) -> list[str]:
        """Positive free words and phrases and title:/abs:/author: values, in
        query order, whitespace-normalised, each once (ignoring case)."""
        return list(self._terms)

    def refines(self, broader: Query) -> bool:
        """Whether every paper this query matches provably matches ``broader``
        too, given the same papers and contexts (False when unsure).

        Typing usually refines the previous query ("grap" -> "graph",
        "graph" -> "graph -s"), so a caller can filter the previous matches
        instead of the whole library on such a keystroke.
        """
        if broader._node is None:
            return True
        if self._node is None or self._today != broader._today:
            return False
        mine, theirs = _conjuncts(self._node), _conjuncts(broader._node)
        if len(mine) * len(theirs) > _MAX_REFINE_PAIRS:
            return False
        return all(any(_implies(narrow, broad) for narrow in mine) for broad in theirs)

    def __repr__(self) -> str:
        return f"Query({self.text!r})"


def parse_query(text: str, today: date | None = None) -> Query:
    """Parse ``text``; raises :class:`QueryError` (and nothing else) when it is
    malformed. A given ``today`` fixes what relative dates mean; without it
    they follow ``MatchContext.today``."""
    tokens = _tokenize(text)
    return Query(text, _Parser(text, tokens).parse() if tokens else None, today)
