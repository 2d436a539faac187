"""Small builders for Paper records in tests."""

from __future__ import annotations

from paperread.model import Paper


def make_paper(paper_id: str = "2504.00001", **fields: object) -> Paper:
    defaults: dict[str, object] = {
        "title": f"Paper {paper_id}",
        "authors": ["Ada Lovelace", "Alan Turing"],
        "abstract": f"Abstract of {paper_id}.",
        "version": 1,
        "categories": ["cs.LG"],
        "primary_category": "cs.LG",
        "announce_type": "new",
        "announced": "2026-04-27",
        "feeds": ["https://rss.arxiv.org/rss/cs.LG"],
    }
    defaults.update(fields)
    return Paper(id=paper_id, **defaults)  # type: ignore[arg-type]
