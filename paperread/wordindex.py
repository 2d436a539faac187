"""Which papers hold which words: free search words found without reading
100,000 search texts.

A free word (a search word, so without spaces) occurs in a folded search
text exactly when it occurs inside one of the text's words, the runs between
spaces and line breaks. So the papers holding it are the papers of the
distinct words containing it: found with one substring search over all the
distinct words joined in one string (a couple of megabytes, not the hundred
of the texts), then the union of those words' papers.

Papers are numbered in the order they were indexed. A word in few papers
keeps their numbers in an array; a word in many keeps a bitmap (an int, one
bit per paper), so a union over common words is a few big-int ORs. A lookup
gives a ``Hits``: the bitmap as bytes and the other numbers as a set; a
``mask`` spreads them to one byte per paper, which a caller indexes with
``map`` so that testing 100,000 papers runs no Python code per paper.

The index is built once, in a worker thread, from a snapshot of the texts,
and never changes: papers added or replaced later are tested on their texts.
"""

from __future__ import annotations

import string
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import chain, repeat

DENSE_SHARE = 64  # a word in more than 1/64 of the papers keeps a bitmap
FLUSH_EVERY = 1000  # papers between two merges of new numbers into bitmaps
CHECK_EVERY = 100  # papers between two calls of ``cancelled`` (a few ms)
# one letter or digit is in thousands of distinct words: its papers are
# found at build time, once, rather than at each lookup
SINGLE_CHARACTERS = string.ascii_lowercase + string.digits
UNKNOWN = 2  # the mask's last byte: what number -1 (a paper not indexed) gives
# byte value -> its eight bits as eight bytes of 0 or 1, lowest bit first
_SPREAD = tuple(bytes((value >> bit) & 1 for bit in range(8)) for value in range(256))


@dataclass(frozen=True, slots=True)
class Hits:
    """The numbers of the papers holding one word: bit ``n`` of ``bits``
    (little-endian bytes) or ``n`` in ``rare``."""

    bits: bytes
    rare: frozenset[int] | set[int]

    def __contains__(self, number: int) -> bool:
        bits = self.bits
        byte = number >> 3
        return (byte < len(bits) and (bits[byte] >> (number & 7)) & 1 == 1) or number in self.rare


def _bitmap(numbers: Iterable[int]) -> int:
    numbers = list(numbers)
    if not numbers:
        return 0
    packed = bytearray((max(numbers) >> 3) + 1)
    for number in numbers:
        packed[number >> 3] |= 1 << (number & 7)
    return int.from_bytes(packed, "little")


class WordIndex:
    """See the module docstring; make one with ``build``."""

    def __init__(
        self,
        numbers: dict[str, int],
        tokens: list[str],
        sparse: list[array | None],
        dense: dict[int, int],
    ) -> None:
        self.numbers = numbers  # paper id -> its number
        self._sparse = sparse  # word number -> paper numbers, None for a dense word
        self._dense = dense  # word number -> bitmap of paper numbers
        self._joined = "\n".join(tokens)
        starts = array("q")
        position = 0
        for token in tokens:
            starts.append(position)
            position += len(token) + 1
        self._starts = starts
        self._bytes = (len(numbers) >> 3) + 1
        self._single: dict[str, Hits] = {}
        for character in SINGLE_CHARACTERS:
            hits = self.lookup(character)
            if hits.rare:
                merged = int.from_bytes(hits.bits, "little") | _bitmap(hits.rare)
                hits = Hits(merged.to_bytes(self._bytes, "little"), frozenset())
            self._single[character] = hits

    @classmethod
    def build(
        cls, texts: Collection[tuple[str, str]], cancelled: Callable[[], bool] = lambda: False
    ) -> WordIndex | None:
        """The index of ``texts`` (paper id, search text) pairs; None when
        ``cancelled()`` turns true on the way (called every few
        milliseconds: it may also wait, to give way to other work).
        ``texts`` is read as it is, never copied: a list of 100k pairs
        would hold the interpreter for 15-25 ms before the first check."""
        limit = max(16, len(texts) // DENSE_SHARE)
        numbers: dict[str, int] = {}
        vocabulary: dict[str, int] = {}
        tokens: list[str] = []
        sparse: list[array | None] = []
        dense: dict[int, int] = {}
        pending: dict[int, list[int]] = {}  # new numbers of dense words, merged in batches
        for number, (paper_id, text) in enumerate(texts):
            numbers[paper_id] = number
            for token in set(text.replace("\n", " ").split(" ")):
                word = vocabulary.get(token)
                if word is None:
                    if not token:
                        continue
                    word = vocabulary[token] = len(tokens)
                    tokens.append(token)
                    sparse.append(array("I"))
                posting = sparse[word]
                if posting is None:
                    pending[word].append(number)
                    continue
                posting.append(number)
                if len(posting) >= limit:
                    dense[word] = _bitmap(posting)
                    sparse[word] = None
                    pending[word] = []
            if number % CHECK_EVERY == CHECK_EVERY - 1 and cancelled():
                return None
            if number % FLUSH_EVERY == FLUSH_EVERY - 1:
                cls._flush(dense, pending)
        cls._flush(dense, pending)
        return cls(numbers, tokens, sparse, dense)

    @staticmethod
    def _flush(dense: dict[int, int], pending: dict[int, list[int]]) -> None:
        for word, numbers in pending.items():
            if numbers:
                dense[word] |= _bitmap(numbers)
                numbers.clear()

    def mask(self, word: str) -> bytes:
        """One byte per paper number: 1 when that paper's text holds
        ``word``, else 0; then one more byte, ``UNKNOWN``, which number -1
        (a paper the index does not know) picks. The numbers of sparse words
        are set straight into the bytes (a set and a bitmap of the 28k
        numbers that two common letters find took twice as long)."""
        single = self._single.get(word)
        if single is not None:
            bits, postings = single.bits, [single.rare]
        else:
            dense_bits, postings = self._find(word)
            bits = dense_bits.to_bytes(self._bytes, "little")
        spread = bytearray(b"".join(map(_SPREAD.__getitem__, bits))[: len(self.numbers)])
        deque(map(spread.__setitem__, chain.from_iterable(postings), repeat(1)), 0)
        spread.append(UNKNOWN)
        return bytes(spread)

    def lookup(self, word: str) -> Hits:
        """The papers whose search text holds ``word`` (no spaces or line
        breaks in it), among those indexed."""
        single = self._single.get(word)
        if single is not None:
            return single
        bits, postings = self._find(word)
        return Hits(bits.to_bytes(self._bytes, "little"), set(chain.from_iterable(postings)))

    def _find(self, word: str) -> tuple[int, list[array]]:
        """The words holding ``word``: the union of the dense ones' bitmaps,
        and the sparse ones' numbers."""
        joined, starts, sparse, dense = self._joined, self._starts, self._sparse, self._dense
        find = joined.find
        bits = 0
        postings: list[array] = []
        last = len(starts) - 1
        position = find(word)
        while position >= 0:
            token = bisect_right(starts, position) - 1
            posting = sparse[token]
            if posting is None:
                bits |= dense[token]
            else:
                postings.append(posting)
            if token == last:
                break
            position = find(word, starts[token + 1])
        return bits, postings
