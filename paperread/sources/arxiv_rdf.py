"""arXiv's old RSS 1.0 / RDF feed (arxiv.org/rss/<archive>, before 2024).

Everything about an item beyond its text sits in the title suffix:
``Title. (arXiv:1808.09955v1 [astro-ph.IM])`` gives id, version and primary
category; ``... [cs.LG] UPDATED)`` marks a replacement and ``CROSS LISTED``
a cross-list. A primary category outside the feed's own subjects also means
a cross-list. Items have no date: the channel's ``dc:date`` is the day.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from paperread import arxiv_ids
from paperread.model import Paper, ParsedFeed
from paperread.sources import common
from paperread.sources.authors import split_html_creator
from paperread.text import strip_html

FORMAT = "arxiv-rdf"
RSS1_NS = "{http://purl.org/rss/1.0/}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
RDF_NS = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"

_SUFFIX_RE = re.compile(
    r"\.?\s*\(arXiv:(?P<id>[^\s\[\]]+)\s*\[(?P<primary>[^\]]+)\]"
    r"\s*(?P<status>[A-Z][A-Z ]*?)?\s*\)\s*$"
)
_CHANNEL_SUBJECTS_RE = re.compile(r"^\s*(\S+)\s+updates on arXiv\.org", re.IGNORECASE)
_URL_SUBJECTS_RE = re.compile(r"arxiv\.org/rss/([\w.+-]+)", re.IGNORECASE)


@dataclass(slots=True)
class RdfItem:
    title: str = ""
    link: str = ""
    about: str = ""
    description: str = ""
    creator: str = ""


@dataclass(slots=True)
class RdfChannel:
    title: str = ""
    date: str = ""


def feed_subjects(channel_title: str, feed_url: str) -> list[str]:
    """The archives or categories a feed covers: ``cs`` from "cs updates on
    arXiv.org", else from an arXiv feed URL (``.../rss/cs.LG+cs.CL``); empty
    when neither says."""
    match = _CHANNEL_SUBJECTS_RE.match(channel_title) or _URL_SUBJECTS_RE.search(feed_url)
    return [s for s in re.split(r"[+ ,]", match.group(1)) if s] if match else []


def _in_feed(primary: str, subjects: list[str]) -> bool | None:
    if not subjects:
        return None
    return any(primary == s or primary.startswith(f"{s}.") for s in subjects)


def _announce_type(status: str, primary: str, subjects: list[str]) -> str:
    status = status.upper()
    cross = "CROSS" in status or _in_feed(primary, subjects) is False
    if "UPDATED" in status or "REPLACED" in status:
        return "replace-cross" if cross else "replace"
    return "cross" if cross else "new"


def to_paper(item: RdfItem, channel: RdfChannel, feed_url: str) -> Paper | None:
    """The item as a Paper; None when it names no id or link."""
    raw_title = item.title.strip()
    match = _SUFFIX_RE.search(raw_title)
    parsed = None
    primary = status = ""
    if match:
        raw_title = raw_title[: match.start()]
        parsed = arxiv_ids.parse_arxiv_id(match.group("id"))
        primary = common.optional_text(match.group("primary")) or ""
        status = match.group("status") or ""
    if parsed is None:
        parsed = arxiv_ids.parse_arxiv_id(item.link.strip()) or arxiv_ids.parse_arxiv_id(
            item.about.strip()
        )
    paper = Paper(id="", title="", feeds=[feed_url])
    common.fill_text(paper, raw_title, strip_html(item.description))
    if not common.identify(paper, parsed, None, item.link, item.about):
        return None
    paper.authors, paper.affiliations = split_html_creator(item.creator)
    if primary:
        paper.categories = [primary]
        paper.primary_category = primary
        subjects = feed_subjects(channel.title, feed_url)
        paper.announce_type = _announce_type(status, primary, subjects)
    paper.announced = common.local_day(common.parse_datetime(channel.date))
    paper.code_links = common.code_links(paper.raw_abstract)
    return paper


def parse(body: bytes, feed_url: str) -> ParsedFeed:
    """Parse with ElementTree; raises ``ET.ParseError`` on malformed XML."""
    root = ET.fromstring(body)
    channel_element = root.find(f"{RSS1_NS}channel")
    channel = RdfChannel()
    if channel_element is not None:
        channel.title = channel_element.findtext(f"{RSS1_NS}title") or ""
        channel.date = channel_element.findtext(f"{DC_NS}date") or ""
    papers: list[Paper | None] = []
    for element in root.iter(f"{RSS1_NS}item"):
        item = RdfItem(
            title=element.findtext(f"{RSS1_NS}title") or "",
            link=element.findtext(f"{RSS1_NS}link") or "",
            about=element.get(f"{RDF_NS}about", ""),
            description=element.findtext(f"{RSS1_NS}description") or "",
            creator=", ".join(
                creator.text or "" for creator in element.findall(f"{DC_NS}creator")
            ),
        )
        papers.append(to_paper(item, channel, feed_url))
    kept, warnings = common.keep_identified(papers)
    title = common.optional_text(channel.title)
    return ParsedFeed(FORMAT, papers=kept, title=title, warnings=warnings)


def parse_with_feedparser(
    body: bytes, feed_url: str, content_type: str | None = None
) -> ParsedFeed:
    parsed = common.feedparser_parse(body, feed_url, content_type)
    channel = RdfChannel(
        title=common.text_value(parsed.feed, "title"),
        date=common.text_value(parsed.feed, "updated"),
    )
    papers: list[Paper | None] = []
    for entry in parsed.entries:
        if not entry:
            continue
        names = [common.text_value(a, "name") for a in common.dict_items(entry, "authors")]
        item = RdfItem(
            title=common.text_value(entry, "title"),
            link=common.text_value(entry, "link"),
            about=common.text_value(entry, "id"),
            description=common.text_value(entry, "summary"),
            creator=", ".join(name for name in names if name),
        )
        papers.append(to_paper(item, channel, feed_url))
    kept, warnings = common.keep_identified(papers)
    title = common.optional_text(channel.title)
    return ParsedFeed(FORMAT, papers=kept, title=title, warnings=warnings)
