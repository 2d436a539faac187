"""The query's tokens: words, quoted phrases, ``field:value`` pairs,
parentheses, ``OR``/``|``, ``AND`` and the ``-`` of an exclusion."""

from __future__ import annotations

import re
from dataclasses import dataclass

from paperread.query.context import QueryError, _column

FIELDS = (
    "title", "author", "abs", "id", "arxiv", "cat", "primary", "feed", "tag",
    "is", "type", "since", "before", "has", "upvotes",
)  # fmt: skip
_FIELD_RE = re.compile(r"([A-Za-z]+):")
_WORD_END = '()|"'


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "OR", "AND", "NOT", "WORD", "FIELD"
    pos: int
    value: str = ""
    field_name: str = ""
    value_pos: int = 0



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
