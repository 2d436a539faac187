"""Any other RSS or Atom feed, read with feedparser: bioRxiv RDF, blogs,
third-party Hugging Face feeds.

Items that point at an arXiv paper (an arXiv link, or an id as a whole path
segment of a third-party URL such as ``https://tldr.takara.ai/p/2604.26238``)
are keyed by the arXiv id; others by DOI (bioRxiv's ``dc:identifier``), else
by guid or link. A python-feedgen Hugging Face feed puts authors, upvotes and
the abstract in labelled paragraphs of its HTML description; those are read
out.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
from datetime import datetime, timezone
from typing import Any

from paperread import arxiv_ids
from paperread.arxiv_ids import ArxivId
from paperread.model import Paper, ParsedFeed
from paperread.sources import common
from paperread.sources.authors import html_to_text, names_from_list, split_creator
from paperread.text import strip_html

FORMAT = "generic"

_HTML_RE = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|&(?:[A-Za-z]+|#\d+|#x[0-9a-fA-F]+);")
_LABELLED_RE = re.compile(
    r"<b>\s*(Authors|Upvotes|Summary)\s*:\s*</b>\s*(.*?)\s*</p>", re.IGNORECASE | re.DOTALL
)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_RE.search(text))


def _arxiv_id_in_url(url: str) -> ArxivId | None:
    """An arXiv id from an arXiv URL, or one standing as a whole path
    segment of another site's URL."""
    if not url:
        return None
    parsed = arxiv_ids.parse_arxiv_id(url)
    if parsed:
        return parsed
    found = arxiv_ids.find_arxiv_id(url)
    if found and re.search(
        rf"[/=:]{re.escape(found.base)}(?:v\d+)?(?:[/?#]|\.pdf|$)", url, re.IGNORECASE
    ):
        return found
    return None


def _entry_doi(entry: Any) -> str | None:
    for key in ("dc_identifier", "prism_doi", "doi"):
        value = common.text_value(entry, key)
        if "10." in value:
            doi = common.normalize_doi(value)
            if doi:
                return doi
    return None


def _doi_version(doi: str, link: str) -> int | None:
    """bioRxiv links end in the DOI's last part plus ``vN``."""
    suffix = re.escape(doi.rsplit("/", 1)[-1])
    match = re.search(rf"{suffix}v(\d{{1,9}})(?![\w.])", link)
    return int(match.group(1)) if match else None


def _entry_datetime(entry: Any, key: str) -> datetime | None:
    """The entry's own ``published`` or ``updated`` date. Read with
    ``dict.get``: feedparser's ``get("updated")`` falls back to ``published``."""
    moment = common.parse_datetime(common.text_value(entry, key))
    parsed = dict.get(entry, f"{key}_parsed")
    if moment is None and isinstance(parsed, time.struct_time):
        moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    return moment


def _text_of(detail: Any, value: str) -> str:
    """Plain text of a title or summary, stripping markup where it is HTML."""
    if "html" in common.text_value(detail, "type") and _looks_like_html(value):
        return strip_html(value)
    return value


def _summary_html(entry: Any) -> tuple[str, Any]:
    summary = common.text_value(entry, "summary")
    if summary:
        return summary, dict.get(entry, "summary_detail")
    for content in common.dict_items(entry, "content"):
        if common.text_value(content, "value"):
            return content["value"], content
    return "", None


def _authors(entry: Any) -> tuple[list[str], dict[str, str]]:
    names = [common.text_value(a, "name") for a in common.dict_items(entry, "authors")]
    names = [name for name in names if name]
    if len(names) == 1:
        return split_creator(html_to_text(names[0]))
    return names_from_list([html_to_text(name) for name in names]), {}


def _stable_key(entry: Any) -> str:
    seed = f"{common.text_value(entry, 'title')}\n{common.text_value(entry, 'summary')}"
    return hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16]


def to_paper(entry: Any, feed_url: str) -> Paper | None:
    """One feedparser entry as a Paper; None for an entry with nothing in it."""
    link = common.text_value(entry, "link").strip()
    guid = common.text_value(entry, "id").strip()
    summary, summary_detail = _summary_html(entry)
    title = common.text_value(entry, "title")
    if not (link or guid or title.strip() or summary.strip()):
        return None
    paper = Paper(id="", title="", feeds=[feed_url])
    labelled = {k.lower(): v for k, v in _LABELLED_RE.findall(summary)}
    if "summary" in labelled:
        abstract = strip_html(labelled["summary"])
    else:
        abstract = _text_of(summary_detail, summary)
    common.fill_text(paper, _text_of(dict.get(entry, "title_detail"), title), abstract)
    paper.authors, paper.affiliations = _authors(entry)
    if not paper.authors and "authors" in labelled:
        paper.authors, paper.affiliations = split_creator(html_to_text(labelled["authors"]))
    votes = html_to_text(labelled.get("upvotes", "")).strip()
    if votes.isascii() and votes.isdigit() and len(votes) <= 9:
        paper.upvotes = int(votes)
    doi = _entry_doi(entry)
    paper.doi = doi
    found = _arxiv_id_in_url(link) or _arxiv_id_in_url(guid)
    # the content hash stands in when the guid and link are blank once cleaned
    common.identify(paper, found, doi, link, guid, link, f"sha1:{_stable_key(entry)}")
    if doi and not found:
        paper.version = _doi_version(doi, link)
    paper.categories = common.ordered_unique(
        [common.text_value(tag, "term") for tag in common.dict_items(entry, "tags")]
    )
    published = _entry_datetime(entry, "published")
    updated = _entry_datetime(entry, "updated")
    paper.published = common.utc_iso(published or updated)
    paper.updated = common.utc_iso(updated)
    paper.announced = common.local_day(published or updated)
    paper.code_links = common.code_links(paper.raw_abstract)
    return paper


def parse(body: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    parsed = common.feedparser_parse(body, feed_url, content_type)
    problem = common.feedparser_problem(parsed)
    title = common.optional_text(common.text_value(parsed.feed, "title"))
    if not parsed.get("version") and not parsed.entries and not title:
        reason = f": {problem}" if problem else ""
        return ParsedFeed(FORMAT, error=f"not an RSS or Atom feed{reason}")
    papers = [p for p in (to_paper(e, feed_url) for e in parsed.entries) if p is not None]
    warnings: list[str] = []
    if problem:
        warnings.append(f"malformed XML ({problem}), recovered {len(papers)} items")
    if len(papers) < len(parsed.entries):
        warnings.append(f"skipped {len(parsed.entries) - len(papers)} empty items")
    return ParsedFeed(FORMAT, papers=papers, title=title, warnings=warnings)
