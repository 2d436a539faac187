"""Watch lists: keywords and authors from the config's ``[watch]`` table that
mark a paper as one to look at.

Keywords match case-insensitively as whole words in the title or abstract,
with some slack: words may be joined by spaces or hyphens ("large language
model" finds "large-language-model"), a trailing plural ``s``/``es`` is
allowed ("transformer" finds "Transformers"), and a trailing ``*`` makes a
prefix ("diffus*" finds "diffusion").

Authors match one author name of the paper at a time, ignoring case and
accents: a surname alone ("Hinton") matches any author with that surname, a
full name ("Geoffrey Hinton") also matches the initialled forms ("G. Hinton",
"G.E. Hinton", "Geoffrey E. Hinton", "Hinton, G.").

Speed: the reader may test 100k papers at once. Everything is compiled once
and matched against lower-cased text. Each keyword is its own expression
that starts with a literal word (the word-boundary test comes after it, as a
look-behind), which lets ``re`` scan with its fast substring search; one
expression with all keywords as alternatives would try every alternative at
every position, about ten times slower. All authors share one expression,
run only when a watched surname occurs in the paper's author list at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from paperread.model import Paper

# what may separate the words of a keyword, and the parts of a name
_KEYWORD_GAP = r"[\s\-]+"
_NAME_GAP = r"[ .\-]"
_NAME_TOKEN_RE = re.compile(r"[^\s.,]+\.?")


def fold_accents(text: str) -> str:
    """``text`` without combining accents ("Schölkopf" -> "Scholkopf")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _keyword_pattern(keyword: str) -> str | None:
    """The expression for one keyword, for lower-cased text."""
    prefix = keyword.endswith("*")
    parts = re.split(_KEYWORD_GAP, keyword.rstrip("*").lower())
    words = [re.escape(word) for word in parts if word]
    if not words:
        return None
    first = words[0]
    # the boundary before the keyword, tested after its first word so that
    # the expression starts with a literal
    start = f"{first}(?<!\\w{first})" if re.match(r"\w", first) else first
    body = "".join(_KEYWORD_GAP + word for word in words[1:])
    if prefix:
        end = r"\w*"  # the rest of the word, for highlighting
    elif not re.search(r"\w$", words[-1]):
        end = ""
    elif words[-1][-1].isalpha():
        end = r"(?:e?s)?(?!\w)"
    else:
        end = r"(?!\w)"
    return start + body + end


def _given_pattern(given: str) -> str:
    """A given name or its initial; an initial stands for any name with it."""
    if len(given) == 1:
        return re.escape(given) + r"[^ .\-\n]*\.?"
    return f"{re.escape(given[0])}(?:{re.escape(given[1:])})?\\.?"


def _author_patterns(watched: str) -> tuple[str, list[str]]:
    """The watched surname (lower case, without accents) and expressions
    that each match one whole line (one author name) of lower-cased text."""
    name = re.sub(r"\([^)]*\)", " ", fold_accents(watched).lower())  # "(MIT)" and the like
    if "," in name:  # "Hinton, Geoffrey" -> "geoffrey hinton"
        surname_part, _, given_part = name.partition(",")
        name = f"{given_part.strip()} {surname_part.strip()}".strip()
    tokens = [token.rstrip(".") for token in _NAME_TOKEN_RE.findall(name)]
    tokens = [token for token in tokens if token]
    if not tokens:
        return "", []
    surname = re.escape(tokens[-1])
    if len(tokens) == 1:
        # "... Surname" with any given names, or "Surname, Given"
        return tokens[-1], [f"(?:[^\\n]*{_NAME_GAP})?{surname}", f"{surname},[^\\n]*"]
    given = _given_pattern(tokens[0])
    return tokens[-1], [
        # the whole watched name at the end ("Laurens van der Maaten")
        f"(?:[^\\n]*{_NAME_GAP})?{re.escape(' '.join(name.split()))}",
        # the given name or its initial, any middle names, the surname
        f"{given}(?:{_NAME_GAP}[^\\n]*?)?{_NAME_GAP}+{surname}",
        f"{surname}, *{given}[^\\n]*",
    ]


class Watchlist:
    """The config's watched keywords and authors, compiled once."""

    __slots__ = ("keywords", "authors", "_keyword_res", "_surnames", "_author_re")

    def __init__(self, keywords: Iterable[str] = (), authors: Iterable[str] = ()) -> None:
        self.keywords = [" ".join(word.split()) for word in keywords if word.strip()]
        self.authors = [" ".join(name.split()) for name in authors if name.strip()]
        patterns = [pattern for pattern in map(_keyword_pattern, self.keywords) if pattern]
        self._keyword_res = [re.compile(pattern) for pattern in dict.fromkeys(patterns)]
        surnames: list[str] = []
        author_patterns: list[str] = []
        for name in self.authors:
            surname, alternatives = _author_patterns(name)
            if alternatives:
                surnames.append(surname)
                author_patterns += alternatives
        self._surnames = tuple(dict.fromkeys(surnames))
        self._author_re = (
            re.compile("^(?:" + "|".join(author_patterns) + ")$", re.MULTILINE)
            if author_patterns
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._keyword_res) or self._author_re is not None

    def matches(self, paper: Paper) -> bool:
        """Whether a watched keyword is in the title or abstract, or a watched
        author among the authors."""
        if self._author_re is not None and paper.authors:
            names = _author_lines(paper)
            for surname in self._surnames:
                if surname in names:
                    if self._author_re.search(names):
                        return True
                    break
        if self._keyword_res:
            # NUL (never in cleaned text) keeps a keyword from spanning both
            text = f"{paper.title}\0{paper.abstract}".lower()
            for keyword in self._keyword_res:
                if keyword.search(text):
                    return True
        return False

    def matched_terms(self, paper: Paper) -> list[str]:
        """What to highlight: the keyword matches as they are written in the
        title and abstract, then the matching author names as the paper gives
        them; each once, ignoring case, in order of appearance."""
        found: dict[str, str] = {}
        for original in (paper.title, paper.abstract):
            text = original.lower()
            # lower() keeps positions for all but a few exotic characters
            same_positions = len(text) == len(original)
            spans = sorted(
                match.span() for keyword in self._keyword_res for match in keyword.finditer(text)
            )
            for start, end in spans:
                term = original[start:end] if same_positions else text[start:end]
                found.setdefault(term.casefold(), term)
        if self._author_re is not None and paper.authors:
            names = _author_lines(paper)
            for match in self._author_re.finditer(names):
                author = paper.authors[names.count("\n", 0, match.start())]
                found.setdefault(author.casefold(), author)
        return list(found.values())


def _author_lines(paper: Paper) -> str:
    """The author names one a line, lower case, without accents."""
    return fold_accents("\n".join(paper.authors)).lower()
