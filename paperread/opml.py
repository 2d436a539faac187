"""OPML, the feed list format other readers (newsboat, elfeed, ...) import
and export: reading an OPML file into the config, writing the feeds out.

An OPML file is untrusted XML: one with ``<!DOCTYPE`` or ``<!ENTITY`` is
refused before it is parsed, as feed bodies are. Folders (outlines inside
outlines) are flattened; every outline with an ``xmlUrl`` is a feed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

from paperread import feedspec
from paperread.config import append_feeds, load_config
from paperread.feedspec import FeedSpec, FeedSpecError
from paperread.text import normalize_whitespace, strip_controls

_DECLARATION_RE = re.compile(rb"<!\s*(?:doctype|entity)", re.IGNORECASE)
_IMPORTABLE_SCHEMES = ("http://", "https://", "file://")


class OpmlError(ValueError):
    """An OPML file that cannot be read."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed outline: its ``xmlUrl`` and its title (or text), if any."""

    url: str
    name: str | None = None


@dataclass(slots=True)
class ImportReport:
    """What an import did: feeds added to the config, feeds already there,
    outlines that name no feed paperread can read (with the reason), and the
    default feeds that were written out first."""

    added: list[OpmlFeed] = field(default_factory=list)
    already_configured: list[OpmlFeed] = field(default_factory=list)
    unusable: list[tuple[OpmlFeed, str]] = field(default_factory=list)
    defaults_written: list[str] = field(default_factory=list)


def _local(tag: object) -> str:
    """An element's name without its namespace (comments have no str tag)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_opml(body: bytes, source: str = "OPML file") -> list[OpmlFeed]:
    """The feed outlines of an OPML document, in document order.

    Raises OpmlError naming ``source`` when the document is refused or is
    not OPML."""
    if _DECLARATION_RE.search(body.replace(b"\x00", b"")):
        raise OpmlError(
            f"{source}: refused: the file has a <!DOCTYPE> or <!ENTITY> declaration,"
            " which OPML never needs"
        )
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise OpmlError(f"{source}: not valid XML: {error}") from None
    if _local(root.tag) != "opml":
        raise OpmlError(f"{source}: not an OPML file (the root element is <{_local(root.tag)}>)")
    body_element = next((child for child in root if _local(child.tag) == "body"), None)
    if body_element is None:
        raise OpmlError(f"{source}: an OPML file without <body>")
    feeds = []
    for element in body_element.iter():
        if _local(element.tag) != "outline":
            continue
        attributes = {name.lower(): value for name, value in element.attrib.items()}
        url = (attributes.get("xmlurl") or "").strip()
        if url:
            name = normalize_whitespace(
                strip_controls(attributes.get("title") or attributes.get("text") or "")
            )
            feeds.append(OpmlFeed(url, name or None))
    return feeds


def import_opml(config_path: Path, opml_path: Path) -> ImportReport:
    """Add the feeds of the OPML file ``opml_path`` to the config file
    ``config_path`` (see :func:`paperread.config.append_feeds`), skipping
    those already configured (same resolved URL, also within the file).

    Raises OpmlError for an unreadable or refused OPML file, ConfigError for
    a config file that cannot take the feeds, StorageError when writing it
    fails; the config file is unchanged in every case."""
    try:
        body = opml_path.read_bytes()
    except OSError as error:
        raise OpmlError(f"{opml_path}: cannot read: {error.strerror or error}") from None
    outlines = parse_opml(body, str(opml_path))
    config = load_config(config_path)
    known = {feed.url for feed in config.feeds}
    report = ImportReport()
    for outline in outlines:
        if not outline.url.lower().startswith(_IMPORTABLE_SCHEMES):
            report.unusable.append((outline, "not an http(s) or file URL"))
            continue
        try:
            resolved = feedspec.resolve(outline.url, outline.name, config_path.parent)
        except FeedSpecError as error:
            report.unusable.append((outline, str(error)))
            continue
        if resolved.url in known:
            report.already_configured.append(outline)
        else:
            known.add(resolved.url)
            report.added.append(outline)
    if report.added:
        report.defaults_written = append_feeds(
            config_path, [(outline.url, outline.name) for outline in report.added]
        )
    return report


def _opml_url(feed: FeedSpec) -> str:
    """The address other readers understand: local files as ``file://`` URLs."""
    return Path(feed.url).as_uri() if feed.is_local else feed.url


def feeds_to_opml(feeds: Sequence[FeedSpec], title: str = "paperread feeds") -> str:
    """An OPML 2.0 document listing ``feeds``, one ``rss`` outline each."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(
        datetime.now(timezone.utc).replace(microsecond=0), usegmt=True
    )
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = normalize_whitespace(strip_controls(feed.name)) or feed.url
        ET.SubElement(
            body, "outline", {"type": "rss", "text": name, "title": name, "xmlUrl": _opml_url(feed)}
        )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
