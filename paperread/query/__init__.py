"""The query language of the search box, saved searches, bulk actions and
``paperread list --query``, compiled into a predicate over papers.

Syntax::

    graph "neural network"          free words and phrases, all must occur
    graph OR tree, graph | tree      either (OR is upper case; AND is optional)
    -survey  -"large language"      exclude
    (graph OR tree) -cat:math.*     grouping
    title:"graph neural"  author:smith  abs:diffusion  id:2504.17830
    cat:cs.LG  cat:cs.*  primary:quant-ph  feed:hf  tag:toread
    is:unread  is:read  is:starred  is:watched  is:dismissed (not interested)
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

This module holds ``Query`` and ``parse_query`` and names the package's
public names; the stages are its modules: ``lexer`` (tokens), ``syntax`` (the
tree and its parser), ``compile`` (the tree as closures, one test a field),
``refine`` (whether a query narrows another), and ``context`` (the error, the
match context and the search text they share).
"""

from __future__ import annotations

from datetime import date

from paperread.model import Paper
from paperread.query.compile import _compile
from paperread.query.context import (
    MatchContext,
    Predicate,
    QueryError,
    fold,
    search_text,
)
from paperread.query.lexer import FIELDS, _tokenize
from paperread.query.refine import _conjuncts, _implies
from paperread.query.syntax import MAX_NESTING, _Field, _Node, _Not, _Parser, _Text

__all__ = [
    "FIELDS",
    "MAX_NESTING",
    "MatchContext",
    "Predicate",
    "Query",
    "QueryError",
    "fold",
    "parse_complete_part",
    "parse_query",
    "search_text",
]

_MAX_REFINE_PAIRS = 10_000  # Query.refines gives up (answers False) beyond this many comparisons


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


def parse_complete_part(text: str, today: date | None = None) -> Query | None:
    """The query of the longest leading part of ``text``, in whole
    whitespace-separated chunks, that parses; None when no part does.

    For a query still being typed: ``graph title:"quan`` fails (an open
    quote), and what the user has finished is ``graph``, not ``graph
    title`` (the prefix that happened to parse a keystroke earlier, a word
    they never meant)."""
    chunks = text.split()
    while chunks:
        try:
            return parse_query(" ".join(chunks), today)
        except QueryError:
            chunks.pop()
    return None
