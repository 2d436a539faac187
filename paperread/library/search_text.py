"""The folded search text of a paper (``query.search_text``) in the compact
form the library keeps it in: its UTF-8 bytes, one character each."""

from __future__ import annotations

from typing import NamedTuple

from paperread.model import Paper
from paperread.query import search_text


def compact(text: str) -> str:
    """``text`` as its UTF-8 bytes, one character per byte (read as latin-1).

    Python stores a string with one character above U+FFFF at four bytes a
    character; this form is always one byte a character. UTF-8 keeps every
    ASCII character as itself and uses only bytes above 127 for the rest, so
    an ASCII needle occurs in ``compact(text)`` exactly where it occurs in
    ``text`` (and ``compact(needle)`` works for any needle)."""
    return text if text.isascii() else text.encode("utf-8").decode("latin-1")


def expand(text: str) -> str:
    """The text that ``compact`` turned into ``text``."""
    return text if text.isascii() else text.encode("latin-1").decode("utf-8")


class _TextParts(NamedTuple):
    """What ``query.search_text`` reads of a paper."""

    title: str
    authors: list[str]
    abstract: str
    id: str


def compact_search_text(paper: Paper, abstract: str | None = None) -> str:
    """``compact(search_text(paper))``, with ``abstract`` in place of the
    paper's own when given (a paper loaded without its abstract)."""
    if abstract is None:
        return compact(search_text(paper))
    parts = _TextParts(paper.title, paper.authors, abstract, paper.id)
    return compact(search_text(parts))  # type: ignore[arg-type]
