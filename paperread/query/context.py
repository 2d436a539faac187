"""What a compiled query works with: the error a malformed query raises,
the context a paper is matched in (its state, the feed names, today), and the
folded search text free words are looked for in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from paperread.model import Paper, PaperState


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


def _column(position: int) -> str:
    return f"column {position + 1}"
