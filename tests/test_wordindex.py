"""The word index finds exactly the texts holding a word."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from paperread.library import compact
from paperread.wordindex import CHECK_EVERY, DENSE_SHARE, FLUSH_EVERY, UNKNOWN, WordIndex

WORDS = ["graph", "neural", "quantum", "entanglement", "schrödinger", "𝒪(n)", "naïve", "e", "x-ray"]


def texts(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(id, compact text) pairs: title, authors, abstract, id lines, like
    search texts; some words common (bitmaps), some rare (arrays)."""
    pairs = []
    for number in range(count):
        words = rng.choices(WORDS, k=rng.randint(0, 6)) + [f"w{rng.randint(0, count)}"]
        title = " ".join(words[: len(words) // 2])
        pairs.append((f"id{number}", compact(f"{title}\nada lovelace\n{' '.join(words)}\nid{number}")))
    return pairs


def test_lookup_finds_exactly_the_texts_holding_a_word() -> None:
    rng = random.Random(1)
    pairs = texts(rng, FLUSH_EVERY * 2 + 123)  # crosses a flush, many words past the dense share
    index = WordIndex.build(pairs)
    assert index is not None and len(index.numbers) == len(pairs)
    needles = ["q", "qu", "graph", "aph", "schrö", "𝒪(", "e", "w1", "w12", "ada", "lovelace\nw", "zzz", "id1", "-"]
    for word in needles:
        needle = compact(word)
        if " " in needle or "\n" in needle:
            continue
        hits = index.lookup(needle)
        found = {number for paper_id, number in index.numbers.items() if number in hits}
        expected = {index.numbers[paper_id] for paper_id, text in pairs if needle in text}
        assert found == expected, word
        mask = index.mask(needle)
        assert len(mask) == len(pairs) + 1 and mask[-1] == UNKNOWN
        assert {number for number, flag in enumerate(mask[:-1]) if flag} == expected, word
    dense_words = sum(1 for word in WORDS if sum(word in text for _, text in pairs) >= len(pairs) // DENSE_SHARE)
    assert dense_words >= 5  # the bitmap path is exercised


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.lists(st.text(min_size=1, max_size=6).filter(lambda w: not any(c.isspace() for c in w)), max_size=5),
             min_size=1, max_size=40),
    st.text(min_size=1, max_size=3).filter(lambda w: not any(c.isspace() for c in w)),
)  # fmt: skip
def test_lookup_agrees_with_substring_search(documents: list[list[str]], word: str) -> None:
    pairs = [(f"p{number}", compact(" ".join(words))) for number, words in enumerate(documents)]
    index = WordIndex.build(pairs)
    assert index is not None
    needle = compact(word)
    hits, mask = index.lookup(needle), index.mask(needle)
    holding = [paper_id for paper_id, text in pairs if needle in text]
    assert [paper_id for paper_id, text in pairs if index.numbers[paper_id] in hits] == holding
    assert [paper_id for paper_id, text in pairs if mask[index.numbers[paper_id]]] == holding


def test_a_cancelled_build_gives_nothing() -> None:
    assert WordIndex.build(texts(random.Random(2), FLUSH_EVERY + 1), lambda: True) is None


def test_the_build_asks_every_hundred_papers_so_it_can_give_way() -> None:
    """``cancelled`` is where a build waits while the reader handles a key:
    it must come round every few milliseconds, not once per thousand papers."""
    calls = []
    index = WordIndex.build(texts(random.Random(3), 10 * CHECK_EVERY), lambda: calls.append(1) or False)
    assert index is not None and len(calls) == 10
