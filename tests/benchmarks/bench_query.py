"""Query speed over a synthetic library: parse + filter per keystroke.

Run: ``python3 tests/benchmarks/bench_query.py [N]`` (default 100,000 papers,
abstracts of 120-220 words). It first times a bare substring loop over the
haystacks, the floor for any per-paper scan on this machine. The first table
has one row per query: matches, and the best of five runs of parse + filter
over the whole library, with the haystacks precomputed (as the library keeps
them) and with a MatchContext built per paper inside the loop. The second
types queries one character at a time and reports the slowest keystroke,
filtering the whole library every time versus filtering the previous matches
when the new query refines the old one.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from paperread.model import ANNOUNCE_TYPES, Paper, PaperState
from paperread.query import MatchContext, QueryError, parse_query, search_text

TODAY = date(2026, 4, 27)
CATEGORIES = [
    "cs.LG",
    "cs.CL",
    "cs.CV",
    "cs.AI",
    "stat.ML",
    "math.OC",
    "quant-ph",
    "hep-th",
    "eess.SP",
]
COMMON = ["graph", "neural", "survey", "model", "learning", "data", "method", "results", "network"]
TYPED = ["zebrafish", "graph neural", "cat:cs.* is:unread graph -survey"]
QUERIES = [
    "graph",
    "zebrafish",
    '"graph neural"',
    "cat:cs.* is:unread graph -survey",
    "abs:transformer since:7d",
    "(graph OR tree) -cat:math.* has:code",
]


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(5000)}
    return sorted(words) + COMMON * 20


def make_library(count: int) -> tuple[list[Paper], list[PaperState]]:
    rng = random.Random(7)
    vocabulary = _vocabulary(rng)
    papers, states = [], []
    for index in range(count):
        categories = rng.sample(CATEGORIES, rng.randint(1, 3))
        papers.append(
            Paper(
                id=f"25{index // 10000 % 12 + 1:02d}.{index % 100000:05d}",
                title=" ".join(rng.choices(vocabulary, k=rng.randint(5, 14))).capitalize(),
                authors=[
                    f"{rng.choice(vocabulary).title()} {rng.choice(vocabulary).title()}"
                    for _ in range(rng.randint(1, 8))
                ],
                abstract=" ".join(rng.choices(vocabulary, k=rng.randint(120, 220))),
                categories=categories,
                primary_category=categories[0],
                announce_type=rng.choice(ANNOUNCE_TYPES),
                announced=(TODAY - timedelta(days=rng.randint(0, 60))).isoformat(),
                code_links=["https://github.com/x/y"] if rng.random() < 0.2 else [],
                feeds=["https://rss.arxiv.org/rss/cs.LG"],
            )
        )
        states.append(PaperState(read=rng.random() < 0.3, starred=rng.random() < 0.05))
    return papers, states


def best_of(runs: int, work) -> tuple[float, int]:
    best, result = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def typing(text: str, rows: list, incremental: bool) -> tuple[float, float]:
    """Type ``text`` one character at a time; return (slowest, total) seconds."""
    previous, previous_rows = parse_query(""), rows
    slowest = total = 0.0
    for end in range(1, len(text) + 1):
        start = time.perf_counter()
        try:
            query = parse_query(text[:end])
        except QueryError:
            continue
        pool = previous_rows if incremental and query.refines(previous) else rows
        matches = query.matches
        previous_rows = [row for row in pool if matches(*row)]
        previous = query
        spent = time.perf_counter() - start
        slowest, total = max(slowest, spent), total + spent
    return slowest, total


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    papers, states = make_library(count)
    names = {"https://rss.arxiv.org/rss/cs.LG": "arXiv cs.LG"}
    start = time.perf_counter()
    haystacks = [search_text(paper) for paper in papers]
    build = time.perf_counter() - start
    contexts = [MatchContext(state=state, feed_names=names, today=TODAY) for state in states]
    rows = list(zip(papers, contexts, haystacks, strict=True))
    size = sum(map(len, haystacks)) / len(haystacks)
    print(f"{count} papers, mean haystack {size:.0f} chars, search_text: {build * 1000:.0f} ms")
    floor, _ = best_of(5, lambda: sum(1 for hay in haystacks if "zebrafish" in hay))
    print(f"floor: a bare `'zebrafish' in haystack` loop over all papers: {floor * 1000:.1f} ms")
    print(f"{'query':40} {'matches':>8} {'cached ctx ms':>14} {'ctx per paper ms':>17}")
    for text in QUERIES:

        def cached(text: str = text) -> int:
            matches = parse_query(text).matches
            return sum(1 for paper, ctx, hay in rows if matches(paper, ctx, hay))

        def fresh(text: str = text) -> int:
            matches = parse_query(text).matches
            return sum(
                1
                for paper, state, hay in zip(papers, states, haystacks, strict=True)
                if matches(paper, MatchContext(state=state, feed_names=names, today=TODAY), hay)
            )

        cached_time, hits = best_of(5, cached)
        fresh_time, _ = best_of(5, fresh)
        print(f"{text:40} {hits:8} {cached_time * 1000:14.1f} {fresh_time * 1000:17.1f}")
    print()
    print(f"{'typed one key at a time':40} {'full: slowest / total ms':>26}", end=" ")
    print(f"{'refining: slowest / total ms':>30}")
    for text in TYPED:
        full = typing(text, rows, incremental=False)
        narrowed = typing(text, rows, incremental=True)
        print(
            f"{text:40} {full[0] * 1000:12.1f} / {full[1] * 1000:9.1f}"
            f" {narrowed[0] * 1000:16.1f} / {narrowed[1] * 1000:9.1f}"
        )


if __name__ == "__main__":
    main()
