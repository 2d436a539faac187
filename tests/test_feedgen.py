"""The benchmark feed generator makes feeds that paperread reads as real
arXiv RSS: the right count, distinct ids, and fields in realistic ranges."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from paperread.model import ANNOUNCE_TYPES
from paperread.sources import parse_feed
from tests.benchmarks.feedgen import FeedPlan, generate_feed, library_plan

ITEMS = 150
_TEX_SPAN = re.compile(r"\$[^$]*\$|\\\(.*?\\\)")


def words(text: str) -> int:
    """Word count with each TeX span counted as one word, as generated."""
    return len(_TEX_SPAN.sub("TEX", text).split())


@pytest.fixture(scope="module")
def library() -> list[tuple[FeedPlan, list]]:
    plans = library_plan(3, ITEMS)
    parsed = []
    for plan in plans:
        feed = parse_feed(generate_feed(plan, ITEMS), f"http://127.0.0.1/{plan.path}")
        assert feed.error is None and feed.format == "arxiv-rss" and not feed.warnings
        parsed.append((plan, feed.papers))
    return parsed


def test_each_feed_parses_to_its_item_count_with_distinct_ids(library) -> None:
    ids = [paper.id for _, papers in library for paper in papers]
    assert [len(papers) for _, papers in library] == [ITEMS] * 3
    assert len(set(ids)) == len(ids) == 3 * ITEMS


def test_plan_gives_one_business_day_per_feed_and_rejects_overflowing_months() -> None:
    plans = library_plan(6, 100)
    assert [plan.day.weekday() < 5 for plan in plans] == [True] * 6
    assert len({plan.day for plan in plans}) == 6
    assert [plan.slot for plan in plans if plan.day.month == plans[0].day.month][:3] == [0, 1, 2]
    with pytest.raises(ValueError):
        library_plan(23, 3000)


def test_fields_fall_in_realistic_ranges(library) -> None:
    for plan, papers in library:
        for paper in papers:
            assert 6 <= words(paper.raw_title) <= 14, paper.raw_title
            assert 120 <= words(paper.raw_abstract) <= 220, paper.id
            assert 1 <= len(paper.authors) <= 8
            assert 1 <= len(paper.categories) <= 3
            assert plan.category in paper.categories
            assert paper.announced == plan.day.isoformat()
            assert paper.links["abs"] == f"https://arxiv.org/abs/{paper.id}"
            if paper.announce_type in ("new", "replace"):
                assert paper.primary_category == plan.category
            if paper.announce_type in ("new", "cross"):
                assert paper.version == 1 and paper.id.startswith(plan.month_code + ".")
            else:
                assert paper.version is not None and paper.version >= 2


def test_all_announce_types_affiliations_math_and_extras_occur(library) -> None:
    papers = [paper for _, batch in library for paper in batch]
    types = Counter(paper.announce_type for paper in papers)
    assert set(types) == set(ANNOUNCE_TYPES)
    assert types["new"] > types["replace"] > types["cross"] > 0
    with_affiliation = [paper for paper in papers if paper.affiliations]
    assert 0 < len(with_affiliation) < len(papers) / 2
    assert any("," in text for paper in with_affiliation for text in paper.affiliations.values())
    assert any("$" in paper.raw_abstract and "$" not in paper.abstract for paper in papers)
    assert any(paper.doi for paper in papers) and any(paper.journal_ref for paper in papers)
    assert any(paper.code_links for paper in papers)


def test_same_arguments_same_bytes_other_seed_other_bytes() -> None:
    plan = library_plan(1, 20)[0]
    assert generate_feed(plan, 20) == generate_feed(plan, 20)
    assert generate_feed(plan, 20, seed=1) != generate_feed(plan, 20)


def test_item_shape_matches_the_real_arxiv_feed(shared_feeds: Path) -> None:
    def child_tags(body: bytes) -> set[str]:
        root = ET.fromstring(body)
        return {child.tag for item in root.iter("item") for child in item}

    real = child_tags((shared_feeds / "arxiv-rss2-quant-ph-2025-04-28.xml").read_bytes())
    generated = child_tags(generate_feed(library_plan(1, 200)[0], 200))
    assert generated == real
