"""arXiv API Atom (export.arxiv.org/api/query), both the legacy and the 2025+
serialisation, which differ only in element order and where namespaces are
declared.

An entry's ``<id>`` is ``http://arxiv.org/abs/IDvN``; ``published`` is the
first version's date and ``updated`` this version's. A request the API cannot
serve comes back (with HTTP 400) as a feed whose single entry is titled
``Error``, with the reason in its summary; that becomes ``ParsedFeed.error``.

The same reader takes rss.arxiv.org's Atom variant, which writes its entries
the RSS 2.0 way: ``oai:`` ids, announce prefix in the summary,
``arxiv:announce_type``, one joined ``dc:creator``, ``arxiv:DOI`` and
``arxiv:journal_reference``. Its ``published`` is the listing's date (the
RSS flavour's ``pubDate``) and its ``updated`` the time the feed was built:
neither is a date of the paper, so such an entry gives the facts the RSS
flavour gives for the same paper.

The per-author ``arxiv:affiliation`` is unknown to feedparser, which keeps
only the last one per entry; ``install_feedparser_affiliations`` teaches it
to keep each author's own.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from paperread import arxiv_ids
from paperread.model import Paper, ParsedFeed
from paperread.sources import common
from paperread.sources.authors import clean_name, split_creator

FORMAT = "arxiv-api"
ATOM_NS = "{http://www.w3.org/2005/Atom}"
ARXIV_NS = "{http://arxiv.org/schemas/atom}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
# an MSC code: 03B70, 68Qxx, 68-XX, 60-01
_MSC_RE = re.compile(r"(?<![\w.])\d\d(?:[A-Z](?:\d\d|xx)|-(?:\d\d|XX|xx))(?![\w.])")
_CLASS_SEPARATOR_RE = re.compile(r"[;,]")


@dataclass(slots=True)
class ApiEntry:
    """The source strings of one entry, however they were read."""

    id: str = ""
    title: str = ""
    summary: str = ""
    published: str = ""
    updated: str = ""
    # (name, affiliations) per author
    authors: list[tuple[str, list[str]]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    primary_category: str = ""
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    announce_type: str = ""


def _is_error(entry: ApiEntry) -> bool:
    return entry.title.strip() == "Error" and "/api/errors" in entry.id


def _from_rss_service(entry: ApiEntry) -> bool:
    """Whether the entry comes from rss.arxiv.org's Atom flavour."""
    return entry.id.strip().startswith("oai:")


def _authors(entry: ApiEntry, joined: bool) -> tuple[list[str], dict[str, str]]:
    """Names and affiliations; ``joined`` names are ``dc:creator`` lists
    with the affiliations in parentheses, as the RSS service writes them."""
    if joined:
        return split_creator(", ".join(name for name, _ in entry.authors))
    names: list[str] = []
    affiliations: dict[str, str] = {}
    for raw_name, raw_affiliations in entry.authors:
        name = clean_name(raw_name)
        if not name:
            continue
        names.append(name)
        joined = "; ".join(a for a in (clean_name(x) for x in raw_affiliations) if a)
        if joined:
            affiliations[name] = joined
    return names, affiliations


def _sort_terms(terms: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The entry's category terms as (arXiv categories, MSC classes, ACM
    classes). Besides categories the API sends the subject classes the
    authors gave, one term each: ``03B70, 68Q99`` or ``F.4.1; F.4.m; K.2``."""
    categories: list[str] = []
    msc: list[str] = []
    acm: list[str] = []
    for term in terms:
        if arxiv_ids.is_category(term):
            categories.append(term)
        else:
            (msc if _MSC_RE.search(term) else acm).extend(_CLASS_SEPARATOR_RE.split(term))
    return categories, common.ordered_unique(msc), common.ordered_unique(acm)


def _estimate_announcement(
    paper: Paper, published: datetime | None, updated: datetime | None
) -> None:
    """The API names no announcement day: take the listing day that follows
    this version's date (``published`` is the first version's)."""
    if paper.version not in (None, 1) and updated:
        moment, version = updated, f"v{paper.version}"
    else:
        moment, version = published, "v1"
    day = common.listing_day(moment) if moment else None
    if day:
        paper.announced, paper.announced_from = day, version


def to_paper(entry: ApiEntry, feed_url: str) -> Paper | None:
    """The entry as a Paper; None when it has no id."""
    abstract, _, prefix_type = common.split_announce_prefix(entry.summary)
    parsed = arxiv_ids.parse_arxiv_id(entry.id)
    doi = common.normalize_doi(entry.doi)
    paper = Paper(id="", title="", feeds=[feed_url], doi=doi)
    common.fill_text(paper, entry.title, abstract)
    if not common.identify(paper, parsed, doi, "", entry.id):
        return None
    rss_service = _from_rss_service(entry)
    paper.authors, paper.affiliations = _authors(entry, rss_service)
    primary = common.optional_text(entry.primary_category) or ""
    terms = common.ordered_unique([primary, *entry.categories])
    paper.categories, paper.msc_classes, paper.acm_classes = _sort_terms(terms)
    paper.primary_category = primary or (paper.categories[0] if paper.categories else None)
    paper.announce_type = common.known_announce_type(entry.announce_type or prefix_type)
    published = common.parse_datetime(entry.published)
    updated = common.parse_datetime(entry.updated)
    if rss_service:
        paper.announced = common.local_day(published or updated)
    else:
        paper.published = common.utc_iso(published)
        paper.updated = common.utc_iso(updated)
        _estimate_announcement(paper, published, updated)
    paper.comment = common.optional_text(entry.comment)
    paper.journal_ref = common.optional_text(entry.journal_ref)
    paper.code_links = common.code_links(paper.raw_abstract, paper.comment)
    return paper


def _result(
    entries: list[ApiEntry], title: str | None, subtitle: str | None, feed_url: str
) -> ParsedFeed:
    if title and title.startswith("Feed error"):
        reason = common.short_line(subtitle or title)
        return ParsedFeed(FORMAT, title=title, error=f"arXiv feed error: {reason}")
    for entry in entries:
        if _is_error(entry):
            reason = common.short_line(entry.summary) or "unknown error"
            return ParsedFeed(FORMAT, title=title, error=f"arXiv API error: {reason}")
    papers, warnings = common.keep_identified([to_paper(entry, feed_url) for entry in entries])
    return ParsedFeed(FORMAT, papers=papers, title=title, warnings=warnings)


def _entry_from_element(element: ET.Element) -> ApiEntry:
    entry = ApiEntry()
    for child in element:
        tag, text = child.tag, child.text or ""
        if tag == f"{ATOM_NS}id":
            entry.id = text
        elif tag == f"{ATOM_NS}title":
            entry.title = text
        elif tag == f"{ATOM_NS}summary":
            entry.summary = text
        elif tag == f"{ATOM_NS}published":
            entry.published = text
        elif tag == f"{ATOM_NS}updated":
            entry.updated = text
        elif tag == f"{ATOM_NS}author":
            name = child.findtext(f"{ATOM_NS}name") or ""
            affiliations = [
                a.text or "" for a in child.findall(f"{ARXIV_NS}affiliation")
            ]
            entry.authors.append((name, affiliations))
        elif tag == f"{ATOM_NS}category":
            entry.categories.append(child.get("term", ""))
        elif tag == f"{ARXIV_NS}primary_category":
            entry.primary_category = child.get("term", "")
        elif tag == f"{DC_NS}creator":
            entry.authors.append((text, []))
        elif tag == f"{ARXIV_NS}comment":
            entry.comment = text
        elif tag in (f"{ARXIV_NS}journal_ref", f"{ARXIV_NS}journal_reference"):
            entry.journal_ref = text
        elif tag in (f"{ARXIV_NS}doi", f"{ARXIV_NS}DOI"):
            entry.doi = text
        elif tag == f"{ARXIV_NS}announce_type":
            entry.announce_type = text
    return entry


def parse(body: bytes, feed_url: str) -> ParsedFeed:
    """Parse with ElementTree; raises ``ET.ParseError`` on malformed XML."""
    root = ET.fromstring(body)
    entries = [_entry_from_element(e) for e in root.iter(f"{ATOM_NS}entry")]
    title = common.optional_text(root.findtext(f"{ATOM_NS}title"))
    return _result(entries, title, root.findtext(f"{ATOM_NS}subtitle"), feed_url)


def _entry_from_feedparser(entry: Any) -> ApiEntry:
    def text(key: str) -> str:
        return common.text_value(entry, key)

    return ApiEntry(
        id=text("id"),
        title=text("title"),
        summary=text("summary"),
        published=text("published"),
        updated=text("updated"),
        authors=[
            (
                common.text_value(author, "name"),
                [a for a in author.get("arxiv_affiliations", []) if isinstance(a, str)],
            )
            for author in common.dict_items(entry, "authors")
        ],
        categories=[common.text_value(tag, "term") for tag in common.dict_items(entry, "tags")],
        primary_category=common.text_value(dict.get(entry, "arxiv_primary_category"), "term"),
        comment=text("arxiv_comment"),
        journal_ref=text("arxiv_journal_ref") or text("arxiv_journal_reference"),
        doi=text("arxiv_doi"),
        announce_type=text("arxiv_announce_type"),
    )


def parse_with_feedparser(
    body: bytes, feed_url: str, content_type: str | None = None
) -> ParsedFeed:
    install_feedparser_affiliations()
    parsed = common.feedparser_parse(body, feed_url, content_type)
    entries = [_entry_from_feedparser(entry) for entry in parsed.entries if entry]
    title = common.optional_text(common.text_value(parsed.feed, "title"))
    return _result(entries, title, common.text_value(parsed.feed, "subtitle"), feed_url)


def _start_arxiv_affiliation(self: Any, attrs: Any) -> None:
    self.push("arxiv_affiliation", 1)


def _end_arxiv_affiliation(self: Any) -> None:
    value = self.pop("arxiv_affiliation")
    if self.inauthor and value and self.inentry:
        authors = self.entries[-1].get("authors")
        if authors:
            authors[-1].setdefault("arxiv_affiliations", []).append(value)


def install_feedparser_affiliations() -> None:
    """Add handlers for ``<arxiv:affiliation>`` inside ``<author>`` to
    feedparser's two parser classes. Purely additive: feedparser has no
    handler of its own for this element, and other elements are untouched."""
    import feedparser.api

    for parser_class in (feedparser.api.StrictFeedParser, feedparser.api.LooseFeedParser):
        if getattr(parser_class, "_end_arxiv_affiliation", None) is not _end_arxiv_affiliation:
            parser_class._start_arxiv_affiliation = _start_arxiv_affiliation
            parser_class._end_arxiv_affiliation = _end_arxiv_affiliation
