"""Hugging Face Daily Papers (huggingface.co/api/daily_papers), a JSON list.

Each element wraps the paper: ``{"paper": {"id": "2606.00467", "authors":
[{"name": ...}], "summary": ..., "upvotes": ..., "githubRepo": ...,
"submittedOnDailyAt": ...}, "numComments": ...}``. ``paper.id`` is the bare
arXiv id. Lists of bare paper objects (no wrapper) are read the same way.
"""

from __future__ import annotations

import json
from typing import Any

from paperread import arxiv_ids
from paperread.model import Paper, ParsedFeed
from paperread.sources import common
from paperread.sources.authors import names_from_list
from paperread.text import is_safe_url

FORMAT = "hf-daily"


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def to_paper(element: dict[str, Any], feed_url: str) -> Paper | None:
    """One list element as a Paper, or None when it names no paper."""
    data = element.get("paper")
    if not isinstance(data, dict):
        data = element
    raw_id = common.text_value(data, "id").strip()
    if not raw_id:
        return None
    paper = Paper(id="", title="", feeds=[feed_url])
    if not common.identify(paper, arxiv_ids.parse_arxiv_id(raw_id), None, "", raw_id):
        return None  # an id made of control characters only
    common.fill_text(
        paper,
        common.text_value(data, "title") or common.text_value(element, "title"),
        common.text_value(data, "summary") or common.text_value(element, "summary"),
    )
    authors = data.get("authors")
    if isinstance(authors, list):
        paper.authors = names_from_list(
            [common.text_value(author, "name") for author in authors]
        )
    published = common.parse_datetime(common.text_value(data, "publishedAt"))
    paper.published = common.utc_iso(published)
    daily = common.text_value(data, "submittedOnDailyAt") or common.text_value(
        element, "publishedAt"
    )
    paper.announced = common.local_day(common.parse_datetime(daily))
    paper.upvotes = _int_or_none(data.get("upvotes"))
    paper.num_comments = _int_or_none(element.get("numComments"))
    paper.links.update(common.safe_links({"project": common.text_value(data, "projectPage").strip()}))
    github = common.text_value(data, "githubRepo").strip()
    paper.github_repo = github if is_safe_url(github) else None
    paper.code_links = common.code_links(paper.raw_abstract, first=paper.github_repo)
    return paper


def parse(body: bytes, feed_url: str) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return ParsedFeed(FORMAT, error=f"invalid JSON: {common.short_line(str(exc))}")
    if isinstance(data, dict):
        message = data.get("error") or data.get("message")
        if isinstance(message, str) and message:
            return ParsedFeed(FORMAT, error=f"Hugging Face API error: {common.short_line(message)}")
        return ParsedFeed(FORMAT, error="JSON object is not a Hugging Face daily papers list")
    if not isinstance(data, list):
        return ParsedFeed(FORMAT, error="JSON body is not a Hugging Face daily papers list")
    papers, warnings = common.keep_identified(
        [to_paper(element, feed_url) if isinstance(element, dict) else None for element in data]
    )
    if data and not papers:
        return ParsedFeed(FORMAT, error="JSON list holds no Hugging Face papers")
    return ParsedFeed(FORMAT, papers=papers, title="Hugging Face Daily Papers", warnings=warnings)
