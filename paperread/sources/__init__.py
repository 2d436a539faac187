"""Feed parsing: one response body in, a ``ParsedFeed`` out.

The format comes from the content, never the URL. The three arXiv formats
are read with ElementTree, which reads their XML about twenty times faster
than feedparser; when the XML is malformed the same format is read again with
feedparser, which recovers what it can. ``parse_feed`` never raises: any failure becomes
``ParsedFeed.error``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from paperread.model import ParsedFeed
from paperread.sources import arxiv_api, arxiv_rdf, arxiv_rss, detect, generic, hf_daily
from paperread.sources.common import short_line

__all__ = ["parse_feed"]

FastParser = Callable[[bytes, str], ParsedFeed]
SlowParser = Callable[[bytes, str, str | None], ParsedFeed]

_ARXIV_PARSERS: dict[str, tuple[FastParser, SlowParser]] = {
    detect.ARXIV_RSS: (arxiv_rss.parse, arxiv_rss.parse_with_feedparser),
    detect.ARXIV_RDF: (arxiv_rdf.parse, arxiv_rdf.parse_with_feedparser),
    detect.ARXIV_API: (arxiv_api.parse, arxiv_api.parse_with_feedparser),
}


def _parse_arxiv(kind: str, body: bytes, feed_url: str, content_type: str | None) -> ParsedFeed:
    fast, slow = _ARXIV_PARSERS[kind]
    try:
        return fast(body, feed_url)
    except ET.ParseError as exc:
        problem = f"malformed XML ({short_line(str(exc))})"
    except (ValueError, LookupError) as exc:  # an encoding expat cannot read
        problem = f"unreadable XML ({short_line(str(exc))})"
    try:
        feed = slow(body, feed_url, content_type)
    except Exception as exc:  # noqa: BLE001 - feedparser fails on some broken bytes
        return ParsedFeed(kind, error=f"{problem}, not recoverable ({type(exc).__name__})")
    feed.warnings.insert(0, f"{problem}, recovered {len(feed.papers)} items")
    return feed


def _parse(body: bytes, feed_url: str, content_type: str | None) -> ParsedFeed:
    detection = detect.detect(body)
    if detection.error:
        return ParsedFeed(detection.format, error=detection.error)
    if detection.format in _ARXIV_PARSERS:
        return _parse_arxiv(detection.format, body, feed_url, content_type)
    if detection.format == detect.HF_DAILY:
        return hf_daily.parse(body, feed_url)
    return generic.parse(body, feed_url, content_type)


def parse_feed(body: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse one response body. Never raises; see ``ParsedFeed.error``.

    ``content_type`` is the response's Content-Type header, which feedparser
    uses to find the character encoding.
    """
    try:
        return _parse(bytes(body), feed_url, content_type)
    except Exception as exc:  # noqa: BLE001 - the contract is to never raise
        reason = short_line(f"{type(exc).__name__}: {exc}")
        return ParsedFeed(detect.GENERIC, error=f"could not parse the feed ({reason})")
