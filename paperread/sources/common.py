"""Pieces every source parser shares: dates, links, text fields, feedparser.

feedparser is imported at its first use: the arXiv formats' fast paths never
need it, and importing it costs each parser process 30-40 ms."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from paperread import arxiv_ids
from paperread.arxiv_ids import ArxivId
from paperread.model import ANNOUNCE_TYPES, Paper, to_utc_iso
from paperread.sources.encoding import utf8_body
from paperread.text import (
    clean_abstract,
    clean_title,
    find_code_links,
    is_safe_url,
    short_line,
    strip_controls,
)

# "arXiv:2504.17830v1 Announce Type: new \nAbstract: " in front of the abstract
ANNOUNCE_PREFIX_RE = re.compile(
    r"^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*Abstract:[ \t]*", re.IGNORECASE
)
_DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV_CUTOFF = time(14)
try:
    _ARXIV_ZONE: tzinfo = ZoneInfo("America/New_York")
except ZoneInfoNotFoundError:  # no time zone database (Windows without tzdata)
    _ARXIV_ZONE = timezone(timedelta(hours=-5), "EST")


def raw_text(text: str | None) -> str:
    """A feed's text as kept in ``raw_*`` fields: controls removed, ends trimmed."""
    return strip_controls(text or "").strip()


def optional_text(text: str | None) -> str | None:
    """A short single-line field (comment, journal ref) or None when blank."""
    if not text:
        return None
    cleaned = " ".join(strip_controls(text).split())
    return cleaned or None


def split_announce_prefix(description: str) -> tuple[str, str | None, str | None]:
    """Remove the arXiv RSS prefix; return (abstract, id text, announce type)."""
    match = ANNOUNCE_PREFIX_RE.match(description)
    if not match:
        return description, None, None
    return description[match.end() :], match.group(1), match.group(2).lower()


def known_announce_type(value: str | None) -> str | None:
    """One of ``ANNOUNCE_TYPES``; arXiv's "absonly" (a metadata-only
    replacement) counts as "replace"."""
    value = (value or "").strip().lower()
    if value == "absonly":
        return "replace"
    return value if value in ANNOUNCE_TYPES else None


@lru_cache(maxsize=512)
def _parse_datetime(text: str) -> datetime | None:
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


def parse_datetime(text: str | None) -> datetime | None:
    """Parse an RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) date.

    Cached: a feed's items usually share one date string."""
    return _parse_datetime((text or "").strip())


def local_day(moment: datetime | None) -> str | None:
    """The calendar day in the date's own timezone (``YYYY-MM-DD``)."""
    return moment.date().isoformat() if moment else None


def listing_day(moment: datetime) -> str | None:
    """The day of the arXiv listing that announces what was submitted at
    ``moment`` (a naive time is taken as UTC); None for a moment near the
    ends of the calendar.

    arXiv's cutoff is 14:00 US Eastern, Monday to Friday; what came in by a
    cutoff is announced at 20:00 that weekday evening (Friday's on Sunday
    evening) in the listing dated the next weekday. Holidays are not known
    here, so the day is an estimate."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        local = moment.astimezone(_ARXIV_ZONE)
        cutoff = local.date() + timedelta(days=1 if local.time() >= _ARXIV_CUTOFF else 0)
        return _next_weekday(_next_weekday(cutoff, 0), 1).isoformat()
    except OverflowError:
        return None


def _next_weekday(day: date, after: int) -> date:
    """The first Monday-to-Friday day ``after`` days or more after ``day``."""
    day += timedelta(days=after)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def utc_iso(moment: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC, or None (also for a date such as
    ``9999-12-31T23:59:59-14:00`` whose UTC form lies outside year 1..9999)."""
    if moment is None:
        return None
    try:
        return to_utc_iso(moment)
    except OverflowError:
        return None


def normalize_doi(text: str | None) -> str | None:
    """``doi:10.1101/X``, ``https://doi.org/10.1/X`` or ``10.1/X`` -> ``10.1/X``."""
    if not text:
        return None
    match = _DOI_RE.search(strip_controls(text))
    return match.group(0).rstrip(".,;") if match else None


def identify(
    paper: Paper, found: ArxivId | None, doi: str | None, link: str, *guids: str
) -> bool:
    """Set the key, version and links of ``paper``: its arXiv id, else
    ``doi:<doi>``, else ``guid:<first non-blank guid or the link>``. False
    when the item names none of them."""
    doi_url = f"https://doi.org/{doi}" if doi else None
    if found:
        paper.id, paper.version = found.base, found.version
        paper.links = arxiv_links(found.base, found.version, doi)
        return True
    link = link.strip()
    if doi:
        paper.id = f"doi:{doi.lower()}"
    else:
        # the key is shown wherever the paper is: one line, no controls
        keys = (optional_text(g) for g in (*guids, link))
        paper.id = next((f"guid:{key}" for key in keys if key), "")
    paper.links = safe_links({"source": link, "doi": doi_url})
    return bool(paper.id)


def keep_identified(papers: list[Paper | None]) -> tuple[list[Paper], list[str]]:
    """The papers, and a warning when items without any id were dropped."""
    kept = [paper for paper in papers if paper is not None]
    dropped = len(papers) - len(kept)
    return kept, [f"skipped {dropped} items without an id or link"] if dropped else []


def safe_links(candidates: dict[str, str | None]) -> dict[str, str]:
    """Keep only the links that may be opened (http(s), not option-like)."""
    return {
        kind: url for kind, url in candidates.items() if url and is_safe_url(url)
    }


def arxiv_links(base: str, version: int | None, doi: str | None) -> dict[str, str]:
    """abs, pdf and doi links. The arXiv ones are built from an id that
    matched arXiv's id pattern, so only the DOI one needs checking."""
    links = {"abs": arxiv_ids.abs_url(base), "pdf": arxiv_ids.pdf_url(base, version)}
    if doi:
        links.update(safe_links({"doi": f"https://doi.org/{doi}"}))
    return links


def code_links(*texts: str | None, first: str | None = None) -> list[str]:
    """Code repository links found in the texts, ``first`` (if any) leading."""
    found: list[str] = []
    if first and is_safe_url(first):
        found.append(first)
    for url in find_code_links(" ".join(filter(None, texts))):
        if url not in found and is_safe_url(url):
            found.append(url)
    return found


# Categories and tags repeat in every item of a feed: short ones are cleaned
# once (long ones are not kept, so the cache stays small).
_SHORT_LABEL = 64
_cached_optional_text = lru_cache(maxsize=1024)(optional_text)


def ordered_unique(values: list[str]) -> list[str]:
    """Single-line values without controls, non-empty, without repeats, first
    occurrence first."""
    seen: dict[str, None] = {}
    for value in values:
        short = value is not None and len(value) <= _SHORT_LABEL
        cleaned = _cached_optional_text(value) if short else optional_text(value)
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def fill_text(paper: Paper, raw_title: str | None, raw_abstract: str | None) -> None:
    """Set the raw and the cleaned title and abstract of ``paper``."""
    paper.raw_title = raw_text(raw_title)
    paper.raw_abstract = raw_text(raw_abstract)
    paper.title = clean_title(paper.raw_title)
    paper.abstract = clean_abstract(paper.raw_abstract)


def text_value(mapping: Any, key: str) -> str:
    """A string field of a feedparser result; "" when missing or when a
    malformed document left something else there. Plain ``dict.get`` skips
    feedparser's key aliases (its ``updated`` falls back to ``published``)."""
    value = dict.get(mapping, key) if isinstance(mapping, dict) else None
    return value if isinstance(value, str) else ""


def dict_items(mapping: Any, key: str) -> list[dict[str, Any]]:
    """A list-of-dicts field (authors, tags) of a feedparser result."""
    value = dict.get(mapping, key) if isinstance(mapping, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def feedparser_parse(
    body: bytes, feed_url: str, content_type: str | None = None
) -> Any:
    """Run feedparser with the response headers it needs and without its
    HTML rewriting (the parsers clean text themselves, and both arXiv paths
    must see the same strings), on a body of mixed encodings made UTF-8."""
    import feedparser

    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    return feedparser.parse(
        utf8_body(body, content_type),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def feedparser_problem(parsed: Any) -> str | None:
    """feedparser's complaint about a document, ignoring the missing
    Content-Type it reports when no HTTP headers were given."""
    import feedparser

    if not parsed.get("bozo"):
        return None
    exception = parsed.get("bozo_exception")
    if isinstance(exception, feedparser.NonXMLContentType):
        return None
    return short_line(str(exception) or type(exception).__name__)
