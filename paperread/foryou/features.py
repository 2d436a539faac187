"""Papers as sparse term-count vectors, the raw material of For you.

Each paper becomes a list of (column, count) pairs. Columns are stable
hashes (CRC-32) of the terms, so a vector computed today still lines up with
one computed next month and no vocabulary has to be kept or rebuilt. The
column space has three parts, told apart by range:

- text: words of the title and abstract (lower case, stop words dropped, a
  plural ``s`` removed); title words count twice. Pairs of neighbouring
  words (``bigrams=True``) double the size of the vectors and ranked no
  better in tests/benchmarks/bench_foryou.py, so they are off;
- authors: one column per author (surname and first initial, without
  accents), so "Hinton, G." and "Geoffrey Hinton" meet;
- categories: one column per arXiv category (and MSC/ACM class).

Counts are stored raw; weighting (sublinear tf, idf over the library, the
weight of each part) is the model's business, at ranking time, so that the
stored vectors never go stale when the library grows.

This module needs no numpy: ``vectorize`` returns plain lists, which
``Vectors.from_rows`` packs (and which a worker can compute piecemeal).
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable, Sequence

from paperread.model import Paper
from paperread.watch import fold_accents

TEXT_BITS = 20
AUTHOR_BITS = 18
CATEGORY_BITS = 12
TEXT_START = 0
AUTHOR_START = TEXT_START + (1 << TEXT_BITS)
CATEGORY_START = AUTHOR_START + (1 << AUTHOR_BITS)
WIDTH = CATEGORY_START + (1 << CATEGORY_BITS)
PARTS = {
    "text": (TEXT_START, AUTHOR_START),
    "authors": (AUTHOR_START, CATEGORY_START),
    "categories": (CATEGORY_START, WIDTH),
}
# bump when the terms or their hashing change: stored vectors are then redone
FEATURE_VERSION = 1

_WORD_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
STOP_WORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "among", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "down", "due", "during", "each", "either", "et", "etc", "few", "for", "from", "further", "given", "had", "has", "have", "having", "here", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "paper", "per", "present", "propose", "proposed", "rather", "same", "several", "show", "shown", "shows", "should", "since", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "two", "under", "until", "up", "upon", "use", "used", "using", "very", "via", "was", "we", "well", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your"]
)
_HASH_CACHE_LIMIT = 200_000


def _stem(word: str) -> str:
    """A plural's singular, roughly: "networks" -> "network"."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def text_terms(text: str, *, bigrams: bool = False) -> list[str]:
    """The words of ``text`` (lower case, stop words out, plurals folded) and
    the pairs of neighbouring kept words ("neural network")."""
    words = [
        _stem(word)
        for word in _WORD_RE.findall(fold_accents(text.lower()))
        if word not in STOP_WORDS and len(word) > 1
    ]
    if not bigrams:
        return words
    return words + [f"{first} {second}" for first, second in itertools.pairwise(words)]


def author_key(name: str) -> str:
    """One form for the many ways a name is written: "hinton g"."""
    name = fold_accents(name).lower()
    if "," in name:
        surname, _, given = name.partition(",")
    else:
        given, _, surname = name.strip().rpartition(" ")
    surname = " ".join(surname.replace(".", " ").split())
    initial = given.strip()[:1]
    return f"{surname} {initial}".strip()


def paper_terms(paper: Paper, *, bigrams: bool = False) -> tuple[list[str], list[str], list[str]]:
    """The text terms (the title's twice), the author keys and the categories."""
    title = text_terms(paper.title, bigrams=bigrams)
    text = title + title + text_terms(paper.abstract, bigrams=bigrams)
    authors = [author_key(name) for name in paper.authors]
    categories = [
        *paper.categories,
        *(f"msc:{code}" for code in paper.msc_classes),
        *(f"acm:{code}" for code in paper.acm_classes),
    ]
    return text, [key for key in authors if key], categories


class _Hasher:
    """term -> column, with a bounded memo (CRC-32 of a short term costs
    about as much as the dictionary look-up that saves it only when terms
    repeat, which common words do)."""

    def __init__(self) -> None:
        self.memo: dict[str, int] = {}

    def column(self, term: str, start: int, bits: int) -> int:
        key = f"{start}\0{term}"
        column = self.memo.get(key)
        if column is None:
            column = start + (zlib.crc32(term.encode()) & ((1 << bits) - 1))
            if len(self.memo) < _HASH_CACHE_LIMIT:
                self.memo[key] = column
        return column


def vectorize(papers: Iterable[Paper], *, bigrams: bool = False) -> list[dict[int, int]]:
    """One {column: count} dict per paper, in order."""
    hasher = _Hasher()
    rows: list[dict[int, int]] = []
    for paper in papers:
        text, authors, categories = paper_terms(paper, bigrams=bigrams)
        row: dict[int, int] = {}
        for terms, start, bits in (
            (text, TEXT_START, TEXT_BITS),
            (authors, AUTHOR_START, AUTHOR_BITS),
            (categories, CATEGORY_START, CATEGORY_BITS),
        ):
            for term in terms:
                column = hasher.column(term, start, bits)
                row[column] = row.get(column, 0) + 1
        rows.append(row)
    return rows


def term_column(term: str, part: str = "text") -> int:
    """The column of one term in ``part`` ("text", "authors", "categories")."""
    start, end = PARTS[part]
    return start + (zlib.crc32(term.encode()) & (end - start - 1))


def column_names(papers: Sequence[Paper]) -> dict[int, str]:
    """column -> a readable term, from the terms of ``papers`` (to explain a
    ranking: hashing cannot be undone, so the names come from the papers at
    hand). A bigram's name wins over nothing; the first name seen wins."""
    names: dict[int, str] = {}
    hasher = _Hasher()
    for paper in papers:
        text, authors, categories = paper_terms(paper)
        for terms, start, bits, label in (
            (text, TEXT_START, TEXT_BITS, "{}"),
            (authors, AUTHOR_START, AUTHOR_BITS, "author {}"),
            (categories, CATEGORY_START, CATEGORY_BITS, "{}"),
        ):
            for term in terms:
                names.setdefault(hasher.column(term, start, bits), label.format(term))
    return names
