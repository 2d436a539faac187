"""Tell the format of a response body from its content, and refuse bodies no
parser should see.

A body with ``<!DOCTYPE`` or ``<!ENTITY`` is refused before any XML parser
runs: arXiv and the other feeds never send one, while an internal entity
referenced many times can cost minutes and gigabytes to expand.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from paperread.sources.common import short_line

ARXIV_RSS = "arxiv-rss"
ARXIV_RDF = "arxiv-rdf"
ARXIV_API = "arxiv-api"
HF_DAILY = "hf-daily"
GENERIC = "generic"

_PROBE_BYTES = 8192
_DECLARATION_RE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
_HTML_DOCTYPE_RE = re.compile(rb"<!doctype\s+html\b", re.IGNORECASE)
_TAG_NAME_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_HTML_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_ARXIV_NAMESPACE_RE = re.compile(rb"=\s*[\"']https?://arxiv\.org/schemas/atom[\"']")
_ARXIV_RSS_LINK_RE = re.compile(rb"<link>\s*https?://rss\.arxiv\.org/")
_ARXIV_API_ID_RE = re.compile(rb"<id>\s*https?://(?:export\.)?arxiv\.org/api/")
_ARXIV_RDF_RE = re.compile(
    rb"<channel\s+rdf:about=[\"']https?://(?:www\.)?arxiv\.org/?[\"']"
    rb"|updates on arXiv\.org\s*</title>",
    re.IGNORECASE,
)


class Detection(NamedTuple):
    """The format to parse with, or why the body cannot be a feed."""

    format: str
    error: str | None = None


def _root(markup: bytes) -> tuple[bytes | None, int]:
    """The root element's name, or the offset of a markup declaration
    (``<!DOCTYPE``, ``<!ENTITY``, ...) that comes before it (else -1)."""
    pos = 0
    while True:
        start = markup.find(b"<", pos)
        if start < 0:
            return None, -1
        if markup.startswith(b"<?", start):
            end = markup.find(b"?>", start + 2)
            if end < 0:
                return None, -1
            pos = end + 2
        elif markup.startswith(b"<!--", start):
            end = markup.find(b"-->", start + 4)
            if end < 0:
                return None, -1
            pos = end + 3
        elif markup.startswith(b"<!", start):
            return None, start
        else:
            match = _TAG_NAME_RE.match(markup, start)
            if match:
                return match.group(1), -1
            pos = start + 1


def _html_error(markup: bytes) -> str:
    match = _HTML_TITLE_RE.search(markup[: 16 * _PROBE_BYTES])
    title = ""
    if match:
        title = short_line(html.unescape(match.group(1).decode("utf-8", "replace")), 120)
    suffix = f' ("{title}")' if title else ""
    return f"response is an HTML page, not a feed{suffix}"


def detect(body: bytes) -> Detection:
    """Decide how to parse ``body``; ``error`` set means do not parse it."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return Detection(GENERIC, "empty response body")
    if stripped[:1] in (b"{", b"["):
        return Detection(HF_DAILY)
    # UTF-16 and UTF-32 markup reads as ASCII once the zero bytes are gone.
    markup = stripped.replace(b"\x00", b"")
    root, declaration = _root(markup)
    is_html_doctype = declaration >= 0 and _HTML_DOCTYPE_RE.match(markup, declaration)
    if (root or b"").lower() == b"html" or is_html_doctype:
        return Detection(GENERIC, _html_error(markup))
    if declaration >= 0 or _DECLARATION_RE.search(markup[:_PROBE_BYTES]):
        return Detection(
            GENERIC, "refused: the document has a <!DOCTYPE> or <!ENTITY> declaration"
        )
    if root is None and markup.startswith(b"<"):
        return Detection(GENERIC, "XML document without a root element")
    if root is None:
        start = short_line(stripped[:60].decode("utf-8", "replace"), 60)
        return Detection(GENERIC, f"response is neither XML nor JSON (starts {start!r})")
    local = root.rsplit(b":", 1)[-1].lower()
    head = markup[:_PROBE_BYTES]
    if local == b"rss" and (
        _ARXIV_NAMESPACE_RE.search(head) or _ARXIV_RSS_LINK_RE.search(head)
    ):
        return Detection(ARXIV_RSS)
    if local == b"feed" and (
        _ARXIV_NAMESPACE_RE.search(head) or _ARXIV_API_ID_RE.search(head)
    ):
        return Detection(ARXIV_API)
    if local == b"rdf" and _ARXIV_RDF_RE.search(head):
        return Detection(ARXIV_RDF)
    return Detection(GENERIC)
