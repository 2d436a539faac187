"""Pieces every source parser shares: dates, links, text fields, feedparser."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from paperread import arxiv_ids
from paperread.model import ANNOUNCE_TYPES, Paper, to_utc_iso
from paperread.text import (
    clean_abstract,
    clean_title,
    find_code_links,
    is_safe_url,
    strip_controls,
)

# "arXiv:2504.17830v1 Announce Type: new \nAbstract: " in front of the abstract
ANNOUNCE_PREFIX_RE = re.compile(
    r"^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*Abstract:[ \t]*", re.IGNORECASE
)
_DOI_RE = re.compile(r"10\.\d{4,9}/\S+")


def raw_text(text: str | None) -> str:
    """A feed's text as kept in ``raw_*`` fields: controls removed, ends trimmed."""
    return strip_controls(text or "").strip()


def optional_text(text: str | None) -> str | None:
    """A short single-line field (comment, journal ref) or None when blank."""
    cleaned = " ".join(strip_controls(text or "").split())
    return cleaned or None


def split_announce_prefix(description: str) -> tuple[str, str | None, str | None]:
    """Remove the arXiv RSS prefix; return (abstract, id text, announce type)."""
    match = ANNOUNCE_PREFIX_RE.match(description)
    if not match:
        return description, None, None
    return description[match.end() :], match.group(1), match.group(2).lower()


def known_announce_type(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if value in ANNOUNCE_TYPES else None


def parse_datetime(text: str | None) -> datetime | None:
    """Parse an RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def local_day(moment: datetime | None) -> str | None:
    """The calendar day in the date's own timezone (``YYYY-MM-DD``)."""
    return moment.date().isoformat() if moment else None


def utc_iso(moment: datetime | None) -> str | None:
    return to_utc_iso(moment) if moment else None


def utc_day(moment: datetime | None) -> str | None:
    """The calendar day in UTC (``YYYY-MM-DD``)."""
    return to_utc_iso(moment)[:10] if moment else None


def normalize_doi(text: str | None) -> str | None:
    """``doi:10.1101/X``, ``https://doi.org/10.1/X`` or ``10.1/X`` -> ``10.1/X``."""
    match = _DOI_RE.search(strip_controls(text or ""))
    return match.group(0).rstrip(".,;") if match else None


def safe_links(candidates: dict[str, str | None]) -> dict[str, str]:
    """Keep only the links that may be opened (http(s), not option-like)."""
    return {
        kind: url for kind, url in candidates.items() if url and is_safe_url(url)
    }


def arxiv_links(base: str, version: int | None, doi: str | None) -> dict[str, str]:
    return safe_links(
        {
            "abs": arxiv_ids.abs_url(base),
            "pdf": arxiv_ids.pdf_url(base, version),
            "doi": f"https://doi.org/{doi}" if doi else None,
        }
    )


def code_links(*texts: str | None, first: str | None = None) -> list[str]:
    """Code repository links found in the texts, ``first`` (if any) leading."""
    found: list[str] = []
    if first and is_safe_url(first):
        found.append(first)
    for url in find_code_links(" ".join(text for text in texts if text)):
        if url not in found and is_safe_url(url):
            found.append(url)
    return found


def ordered_unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return list(seen)


def fill_text(paper: Paper, raw_title: str | None, raw_abstract: str | None) -> None:
    """Set the raw and the cleaned title and abstract of ``paper``."""
    paper.raw_title = raw_text(raw_title)
    paper.raw_abstract = raw_text(raw_abstract)
    paper.title = clean_title(paper.raw_title)
    paper.abstract = clean_abstract(paper.raw_abstract)


def feedparser_parse(
    body: bytes, feed_url: str, content_type: str | None = None
) -> Any:
    """Run feedparser with the response headers it needs and without its
    HTML rewriting (the parsers clean text themselves, and both arXiv paths
    must see the same strings)."""
    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    return feedparser.parse(
        body,
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def feedparser_problem(parsed: Any) -> str | None:
    """feedparser's complaint about a document, ignoring the missing
    Content-Type it reports when no HTTP headers were given."""
    if not parsed.get("bozo"):
        return None
    exception = parsed.get("bozo_exception")
    if isinstance(exception, feedparser.NonXMLContentType):
        return None
    return one_line(str(exception) or type(exception).__name__)


def one_line(text: str, limit: int = 200) -> str:
    text = " ".join(strip_controls(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
