"""Property tests for the parsers: whatever a feed sends, ``parse_feed``
returns (a result or a one-line error, never an exception), no stored text
carries a control character, and every link is an http(s) URL.

Inputs are arbitrary bytes, and arbitrary text placed into every field of
real item templates (arXiv RSS, arXiv API Atom, generic RSS and Atom, and
Hugging Face JSON, whose values may also be of any JSON type).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperread.model import Paper, ParsedFeed
from paperread.sources import parse_feed
from tests.conftest import TEST_DATA

URL = "https://feeds.example.org/feed"
# C0 except tab and newline, DEL, C1, the bidi marks, embeddings, overrides, isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NASTY = [
    "\x1b", "\x1b[31m", "\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;https://evil.example\x1b\\", "\x1b]52;c;ZXZpbA==\x07",
    "\x9b", "\x9d", "\x90", "\x00", "\x7f", "\r", "\r\n", "\t", "\n", "\u202e", "\u2066", "\u200f", "\ufeff",
    "[bold]", "[/]", "[@click=app.quit]", "[link='x']", "[", "]", "$", "$$", "\\", "\\frac{", "{", "}", "%", "^", "_",
    "&", "&amp;", "&#27;", "<", ">", "<b>", "]]>", "<![CDATA[", '"', "'", "(", ")", ",", " and ",
    "javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ssh://h/x", "-oProxyCommand=x",
    "https://github.com/a/b", "http://", "https://", "2604.20001", "v9", "oai:arXiv.org:", "10.1000/x",
    "\ud800", "\U0001f600", "\u0301",
]
TEXT = st.text(st.one_of(st.characters(), st.sampled_from([c for c in NASTY if len(c) == 1])), max_size=40)
FIELD = st.lists(st.one_of(st.sampled_from(NASTY), TEXT), max_size=6).map("".join)


def encode(text: str) -> bytes:
    """UTF-8, with lone surrogates written as the invalid bytes they would be."""
    return text.encode("utf-8", "surrogatepass")


def check(feed: ParsedFeed) -> None:
    """What every parse result must hold."""
    assert isinstance(feed, ParsedFeed)
    if feed.error is not None:
        assert feed.error and "\n" not in feed.error and not FORBIDDEN.search(feed.error), feed.error
    for warning in feed.warnings:
        assert "\n" not in warning and not FORBIDDEN.search(warning), warning
    for paper in feed.papers:
        check_paper(paper)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*strings(key), *strings(item))]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def check_paper(paper: Paper) -> None:
    assert paper.id and paper.feeds == [URL]
    for text in strings(paper.to_dict()):
        assert not FORBIDDEN.search(text), f"{paper.id!r}: control character in {text[:80]!r}"
        assert not any(0xD800 <= ord(char) <= 0xDFFF for char in text), f"lone surrogate in {text[:80]!r}"
    for key in (paper.id, *paper.categories, paper.primary_category or ""):
        assert "\n" not in key and "\t" not in key, f"a key or category over two lines: {key!r}"
    links = [*paper.links.values(), *paper.code_links]
    if paper.github_repo is not None:
        links.append(paper.github_repo)
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme in ("http", "https") and parts.hostname, link
        assert not link.startswith("-") and not any(char.isspace() for char in link), link


# --------------------------------------------------------------------------
# Arbitrary bytes


SAMPLES = [path.read_bytes() for path in sorted((TEST_DATA / "feeds").glob("*.xml"))] + [
    (TEST_DATA / "feeds" / "hf-small.json").read_bytes(),
]


@SETTINGS
@given(body=st.binary(max_size=3000), content_type=st.none() | st.sampled_from(
    ["application/rss+xml", "text/xml; charset=iso-8859-1", "application/json", "text/html; charset=utf-16"]))
def test_arbitrary_bytes(body: bytes, content_type: str | None) -> None:
    check(parse_feed(body, URL, content_type))


@SETTINGS
@given(sample=st.sampled_from(SAMPLES), junk=st.binary(min_size=1, max_size=60), at=st.integers(0, 10_000),
       cut=st.integers(0, 10_000))
def test_bytes_spliced_into_real_feeds(sample: bytes, junk: bytes, at: int, cut: int) -> None:
    position = at % (len(sample) + 1)
    body = sample[:position] + junk + sample[position:]
    check(parse_feed(body[: len(body) - cut % 200], URL))


# --------------------------------------------------------------------------
# Arbitrary text in every field of real templates


def xml_text(text: str, raw: bool) -> str:
    return text if raw else escape(text)


@SETTINGS
@given(fields=st.fixed_dictionaries({name: FIELD for name in (
    "title", "abstract", "creator", "category", "guid", "link", "doi", "journal", "date", "type")}),
    raw=st.booleans())
def test_arxiv_rss_item_fields(fields: dict[str, str], raw: bool) -> None:
    f = {name: xml_text(value, raw) for name, value in fields.items()}
    item = (
        f"<item><title>{f['title']}</title><link>{f['link']}</link>"
        f"<description>arXiv:2604.20001v1 Announce Type: {f['type']} \nAbstract: {f['abstract']}</description>"
        f'<guid isPermaLink="false">{f["guid"]}</guid><category>{f["category"]}</category>'
        f"<category>cs.LG</category><pubDate>{f['date']}</pubDate>"
        f"<arxiv:announce_type>{f['type']}</arxiv:announce_type><dc:creator>{f['creator']}</dc:creator>"
        f"<arxiv:DOI>{f['doi']}</arxiv:DOI><arxiv:journal_reference>{f['journal']}</arxiv:journal_reference></item>"
    )
    body = (
        "<?xml version='1.0' encoding='UTF-8'?>\n<rss xmlns:arxiv=\"http://arxiv.org/schemas/atom\" "
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
        "<title>cs.LG updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.LG</link>"
        f"<description>d</description>{item}</channel></rss>"
    )
    check(parse_feed(encode(body), URL, "application/rss+xml"))


@SETTINGS
@given(fields=st.fixed_dictionaries({name: FIELD for name in (
    "id", "title", "summary", "author", "affiliation", "comment", "journal", "doi", "primary", "published")}),
    raw=st.booleans())
def test_arxiv_api_entry_fields(fields: dict[str, str], raw: bool) -> None:
    f = {name: xml_text(value, raw) for name, value in fields.items()}
    quoted = {name: value.replace('"', "&quot;") for name, value in f.items()}
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<id>https://arxiv.org/api/x</id><title>arXiv Query</title>"
        f"<entry><id>http://arxiv.org/abs/{f['id']}</id><title>{f['title']}</title>"
        f"<summary>{f['summary']}</summary><published>{f['published']}</published>"
        f"<updated>{f['published']}</updated><author><name>{f['author']}</name>"
        f"<arxiv:affiliation>{f['affiliation']}</arxiv:affiliation></author>"
        f"<arxiv:comment>{f['comment']}</arxiv:comment><arxiv:journal_ref>{f['journal']}</arxiv:journal_ref>"
        f'<arxiv:doi>{f["doi"]}</arxiv:doi><arxiv:primary_category term="{quoted["primary"]}"/>'
        f'<category term="{quoted["primary"]}"/></entry></feed>'
    )
    check(parse_feed(encode(body), URL))


@SETTINGS
@given(fields=st.fixed_dictionaries({name: FIELD for name in (
    "title", "link", "guid", "description", "author", "category", "date")}),
    atom=st.booleans(), raw=st.booleans())
def test_generic_feed_fields(fields: dict[str, str], atom: bool, raw: bool) -> None:
    f = {name: xml_text(value, raw) for name, value in fields.items()}
    quoted = {name: value.replace('"', "&quot;") for name, value in f.items()}
    if atom:
        body = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>A blog</title><id>urn:x:feed</id>"
            f'<entry><id>{f["guid"]}</id><title type="html">{f["title"]}</title><link href="{quoted["link"]}"/>'
            f'<summary type="html">{f["description"]}</summary><author><name>{f["author"]}</name></author>'
            f'<category term="{quoted["category"]}"/><updated>{f["date"]}</updated></entry></feed>'
        )
    else:
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>A blog</title>'
            f"<item><title>{f['title']}</title><link>{f['link']}</link><guid>{f['guid']}</guid>"
            f"<description>{f['description']}</description><dc:creator>{f['author']}</dc:creator>"
            f"<category>{f['category']}</category><pubDate>{f['date']}</pubDate></item></channel></rss>"
        )
    check(parse_feed(encode(body), URL))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | FIELD,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(FIELD, children, max_size=3),
    max_leaves=8,
)
HF_KEYS = ("id", "title", "summary", "authors", "publishedAt", "submittedOnDailyAt", "upvotes", "githubRepo")


@SETTINGS
@given(paper=st.fixed_dictionaries({key: st.one_of(FIELD, JSON) for key in HF_KEYS}),
       authors=st.lists(st.fixed_dictionaries({"name": st.one_of(FIELD, JSON)}), max_size=3),
       comments=JSON, wrapped=st.booleans())
def test_hugging_face_fields(paper: dict[str, Any], authors: list[Any], comments: Any, wrapped: bool) -> None:
    if authors:
        paper = {**paper, "authors": authors}
    element = {"paper": paper, "numComments": comments} if wrapped else paper
    body = json.dumps([element, {"paper": {"id": "2604.20001", "title": "A good one"}}])
    feed = parse_feed(encode(body), URL, "application/json")
    check(feed)
    if feed.error is None:
        assert any(p.id == "2604.20001" for p in feed.papers), "a good element is never lost to a bad one"
