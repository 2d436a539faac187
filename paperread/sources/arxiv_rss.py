"""arXiv's RSS 2.0 feed (rss.arxiv.org, 2024 onwards).

An item carries its id and version in the guid (``oai:arXiv.org:IDvN``), the
announce type in ``arxiv:announce_type`` and again in front of the abstract
(``arXiv:IDvN Announce Type: new \\nAbstract: ...``), the primary category as
the first ``<category>``, and all authors in one ``dc:creator``.

Two readers fill the same ``RssItem``: ``parse`` with ElementTree (fast) and
``parse_with_feedparser`` (slow, but recovers from malformed XML).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from paperread import arxiv_ids
from paperread.model import Paper, ParsedFeed
from paperread.sources import common
from paperread.sources.authors import split_creator

FORMAT = "arxiv-rss"
ARXIV_NS = "{http://arxiv.org/schemas/atom}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"


@dataclass(slots=True)
class RssItem:
    """The source strings of one item, however they were read."""

    title: str = ""
    link: str = ""
    description: str = ""
    guid: str = ""
    categories: list[str] = field(default_factory=list)
    pub_date: str = ""
    announce_type: str = ""
    creator: str = ""
    doi: str = ""
    journal_ref: str = ""


def to_paper(item: RssItem, feed_url: str) -> Paper | None:
    """The item as a Paper; None when it names no id, guid or link."""
    abstract, prefix_id, prefix_type = common.split_announce_prefix(item.description)
    parsed = None
    for candidate in (item.guid, prefix_id or "", item.link):
        parsed = arxiv_ids.parse_arxiv_id(candidate) if candidate else None
        if parsed:
            break
    doi = common.normalize_doi(item.doi)
    paper = Paper(id="", title="", feeds=[feed_url], doi=doi)
    common.fill_text(paper, item.title, abstract)
    if not common.identify(paper, parsed, doi, item.link, item.guid):
        return None
    paper.authors, paper.affiliations = split_creator(item.creator)
    paper.categories = common.ordered_unique(item.categories)
    paper.primary_category = paper.categories[0] if paper.categories else None
    paper.announce_type = common.known_announce_type(item.announce_type or prefix_type)
    paper.announced = common.local_day(common.parse_datetime(item.pub_date))
    paper.journal_ref = common.optional_text(item.journal_ref)
    paper.code_links = common.code_links(paper.raw_abstract)
    return paper


# element tag -> RssItem field, for the elements read as one string
_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "guid": "guid",
    "pubDate": "pub_date",
    f"{ARXIV_NS}announce_type": "announce_type",
    f"{ARXIV_NS}DOI": "doi",
    f"{ARXIV_NS}journal_reference": "journal_ref",
}
_CREATOR_TAG = f"{DC_NS}creator"


def _item_from_element(element: ET.Element) -> RssItem:
    item = RssItem()
    for child in element:
        tag, text = child.tag, child.text or ""
        name = _ITEM_FIELDS.get(tag)
        if name is not None:
            setattr(item, name, text)
        elif tag == "category":
            item.categories.append(text)
        elif tag == _CREATOR_TAG:
            item.creator = f"{item.creator}, {text}" if item.creator else text
    return item


def _error(title: str | None, description: str | None) -> str | None:
    """arXiv answers a bad feed query with an item-less channel titled
    "Feed error for query: ..." whose description is the reason."""
    if title and title.startswith("Feed error"):
        return f"arXiv feed error: {common.short_line(description or title)}"
    return None


def parse(body: bytes, feed_url: str) -> ParsedFeed:
    """Parse with ElementTree; raises ``ET.ParseError`` on malformed XML."""
    root = ET.fromstring(body)
    channel = root.find("channel")
    if channel is None:
        return ParsedFeed(FORMAT, error="RSS document without a <channel>")
    title = common.optional_text(channel.findtext("title"))
    error = _error(title, channel.findtext("description"))
    if error:
        return ParsedFeed(FORMAT, title=title, error=error)
    papers, warnings = common.keep_identified(
        [to_paper(_item_from_element(element), feed_url) for element in channel.iter("item")]
    )
    return ParsedFeed(FORMAT, papers=papers, title=title, warnings=warnings)


def _item_from_entry(entry: Any) -> RssItem:
    names = [common.text_value(a, "name") for a in common.dict_items(entry, "authors")]
    return RssItem(
        title=common.text_value(entry, "title"),
        link=common.text_value(entry, "link"),
        description=common.text_value(entry, "summary"),
        guid=common.text_value(entry, "id"),
        categories=[common.text_value(tag, "term") for tag in common.dict_items(entry, "tags")],
        pub_date=common.text_value(entry, "published"),
        announce_type=common.text_value(entry, "arxiv_announce_type"),
        creator=", ".join(name for name in names if name),
        doi=common.text_value(entry, "arxiv_doi"),
        journal_ref=common.text_value(entry, "arxiv_journal_reference"),
    )


def parse_with_feedparser(
    body: bytes, feed_url: str, content_type: str | None = None
) -> ParsedFeed:
    parsed = common.feedparser_parse(body, feed_url, content_type)
    title = common.optional_text(common.text_value(parsed.feed, "title"))
    error = _error(title, common.text_value(parsed.feed, "subtitle"))
    if error:
        return ParsedFeed(FORMAT, title=title, error=error)
    papers, warnings = common.keep_identified(
        [to_paper(_item_from_entry(entry), feed_url) for entry in parsed.entries if entry]
    )
    return ParsedFeed(FORMAT, papers=papers, title=title, warnings=warnings)
