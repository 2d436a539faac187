"""Hostile and broken feeds, served from a loopback server and run through
the real refresh path (``refresh_feeds`` with the parser pool, and the CLI
where the exit code and the printed lines matter).

Every refresh here also carries a good feed on another host and starts from a
library holding one starred, tagged paper. After each refresh the library is
reopened from disk and checked: the refresh finished in bounded time, every
feed got a one-line outcome, the good feed's papers are stored, the starred
paper and its state are unchanged, no file needed repair, and no stored text
field carries a control character or a piece of an escape sequence.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest

from paperread.feedspec import resolve
from paperread.fetch import FetchLimits
from paperread.model import Paper, PaperState
from paperread.parser_pool import parser_pool
from paperread.refresh import FeedOutcome, RefreshReport, refresh_feeds
from paperread.sources import parse_feed
from paperread.store import open_library_store
from tests.conftest import REPO_ROOT, TEST_DATA
from tests.factories import make_paper
from tests.feedserver import FeedServer

GOOD_BODY = (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes()
GOOD_IDS = {"2604.20001", "2604.20002", "2604.20003"}
SOURCES = TEST_DATA / "sources"

LIMITS = FetchLimits(
    total_timeout=1.5,
    connect_timeout=1.5,
    max_bytes=4 * 2**20,
    arxiv_min_interval=0.0,
    rate_limited_hosts=frozenset(),
)
#: Any refresh here must end well within this, on a busy two-core machine.
BOUND = 20.0
# a feed gets LIMITS.total_timeout and a refresh BOUND: every test here depends on timing
pytestmark = pytest.mark.timing

STARRED_ID = "2401.00001"
STARRED_PAPER = make_paper(STARRED_ID, title="Kept through every refresh")
STARRED_STATE = PaperState(read=True, starred=True, tags=["keep"], starred_at="2026-01-01T00:00:00Z")

REFUSED = "refused: the document has a <!DOCTYPE> or <!ENTITY> declaration"

# C0 except tab and newline, DEL, C1, the bidi marks, embeddings, overrides, isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# what an escape sequence leaves behind when only its ESC is dropped
REMNANT = re.compile(r"\[\d+(;\d+)*[mJHK]|\]\d+;|\]8;;|\]52;")


# --------------------------------------------------------------------------
# Feed builders


def arxiv_item(
    paper_id: str,
    title: str = "A title",
    abstract: str = "An abstract.",
    creator: str = "Ada Lovelace",
    *,
    link: str | None = None,
    extra: str = "",
    raw: bool = False,
) -> str:
    """One rss.arxiv.org item. ``raw`` inserts the texts without XML escaping."""
    text = (lambda value: value) if raw else escape
    return (
        "<item>"
        f"<title>{text(title)}</title>"
        f"<link>{text(link or f'https://arxiv.org/abs/{paper_id}')}</link>"
        f"<description>arXiv:{paper_id}v1 Announce Type: new \nAbstract: {text(abstract)}</description>"
        f'<guid isPermaLink="false">oai:arXiv.org:{paper_id}v1</guid>'
        "<category>cs.LG</category>"
        "<pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate>"
        "<arxiv:announce_type>new</arxiv:announce_type>"
        f"<dc:creator>{text(creator)}</dc:creator>{extra}"
        "</item>"
    )


def arxiv_feed(*items: str, encoding: str | None = "UTF-8") -> str:
    declaration = f"<?xml version='1.0' encoding='{encoding}'?>\n" if encoding else ""
    return (
        f"{declaration}<rss xmlns:arxiv=\"http://arxiv.org/schemas/atom\" "
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
        "<title>cs.XX updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.XX</link>"
        "<description>cs.XX updates</description>" + "".join(items) + "</channel></rss>\n"
    )


def rss_feed(*items: str) -> str:
    """A plain (non-arXiv) RSS 2.0 feed."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>A blog</title><link>https://blog.example.org/</link>"
        + "".join(items)
        + "</channel></rss>"
    )


def rss_item(guid: str, title: str, link: str, description: str = "") -> str:
    return (
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">{escape(guid)}</guid>'
        f"<description>{escape(description)}</description></item>"
    )


def atom_feed(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>An Atom feed</title><id>urn:x-test:feed</id>"
        "<updated>2026-04-27T00:00:00Z</updated>" + "".join(entries) + "</feed>"
    )


def atom_entry(entry_id: str, title: str, href: str, summary: str = "", author: str = "A") -> str:
    return (
        f"<entry><id>{escape(entry_id)}</id><title>{escape(title)}</title>"
        f'<link href="{escape(href, {chr(34): "&quot;"})}"/>'
        f"<summary>{escape(summary)}</summary><author><name>{escape(author)}</name></author>"
        "<updated>2026-04-27T00:00:00Z</updated></entry>"
    )


def api_feed(paper_id: str, title: str, summary: str, comment: str, author: str) -> str:
    """An arXiv API Atom feed with one entry."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<id>https://arxiv.org/api/x</id><title>arXiv Query</title>"
        f"<entry><id>http://arxiv.org/abs/{paper_id}v1</id><title>{escape(title)}</title>"
        f"<summary>{escape(summary)}</summary>"
        "<published>2026-04-20T00:00:00Z</published><updated>2026-04-20T00:00:00Z</updated>"
        f"<author><name>{escape(author)}</name></author>"
        f"<arxiv:comment>{escape(comment)}</arxiv:comment>"
        '<arxiv:primary_category term="cs.LG"/><category term="cs.LG"/></entry></feed>'
    )


def hf_daily(*papers: dict[str, Any]) -> bytes:
    return json.dumps([{"paper": paper, "numComments": 1} for paper in papers]).encode()


def hf_paper(paper_id: str, title: str, summary: str, author: str, github: str | None = None) -> dict[str, Any]:
    paper: dict[str, Any] = {
        "id": paper_id,
        "title": title,
        "summary": summary,
        "authors": [{"name": author}],
        "publishedAt": "2026-04-26T00:00:00.000Z",
        "submittedOnDailyAt": "2026-04-27T00:00:00.000Z",
        "upvotes": 3,
    }
    if github is not None:
        paper["githubRepo"] = github
    return paper


# --------------------------------------------------------------------------
# Fixtures and the refresh every test runs


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A server of the test's own, so that the requests it counts are its
    own however often the test runs in one session."""
    with FeedServer() as feed_server:
        feed_server.add("/good", GOOD_BODY, content_type="application/rss+xml")
        yield feed_server


@pytest.fixture(scope="module")
def shared_pool() -> Iterator[list[ProcessPoolExecutor]]:
    holder: list[ProcessPoolExecutor] = []
    yield holder
    for pool in holder:
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def parsers(shared_pool: list[ProcessPoolExecutor]) -> Iterator[ProcessPoolExecutor]:
    """The parser pool the refresh uses, shared by the file (spawning one per
    test is slow). A test during which a parser process died fails here, at
    its teardown; the tests after it get a new pool and are not blamed."""
    if not shared_pool:
        shared_pool.append(parser_pool(behind_a_screen=False))
    pool = shared_pool[-1]
    yield pool
    if is_broken(pool):
        shared_pool.append(parser_pool(behind_a_screen=False))
        pytest.fail("a parser process died during this test (the pool is broken)")


def is_broken(pool: ProcessPoolExecutor) -> bool:
    try:
        pool.submit(int).result(timeout=60)
    except BrokenProcessPool:
        return True
    return False


@pytest.fixture
def library(data_dir: Path) -> Path:
    """A library holding one starred, tagged paper."""
    store = open_library_store(data_dir)
    store.cache.save([STARRED_PAPER])
    store.state.set(STARRED_ID, STARRED_STATE)
    store.close()
    return data_dir


@dataclass
class Run:
    report: RefreshReport
    outcomes: dict[str, FeedOutcome]  # by feed name
    papers: dict[str, Paper]  # as reread from disk
    seconds: float

    def feed_papers(self, name: str) -> list[Paper]:
        url = self.outcomes[name].feed.url
        return [paper for paper in self.papers.values() if url in paper.feeds]


def text_fields(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` (keys included), with where it was found."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from text_fields(key, f"{where}.<key>")
            yield from text_fields(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from text_fields(item, f"{where}[{index}]")


def assert_clean(value: Any, where: str) -> None:
    for path, text in text_fields(value, where):
        assert not FORBIDDEN.search(text), f"control character in {path}: {text[:120]!r}"
        assert not REMNANT.search(text), f"escape sequence remnant in {path}: {text[:120]!r}"


async def refresh(
    server: FeedServer,
    parsers: ProcessPoolExecutor,
    data_dir: Path,
    hostile: dict[str, str],
    limits: FetchLimits = LIMITS,
) -> Run:
    """Refresh the good feed (host ``localhost``) and the ``hostile`` feeds
    (name -> path on host 127.0.0.1), then check what every case must hold."""
    feeds = [resolve(server.url("/good", host="localhost"), "good")]
    feeds += [resolve(server.url(path), name) for name, path in hostile.items()]
    store = open_library_store(data_dir)
    try:
        started = time.monotonic()
        report = await refresh_feeds(feeds, store.cache.load_all(), store, limits=limits, executor=parsers)
        seconds = time.monotonic() - started
    finally:
        store.close()

    assert seconds < BOUND, f"refresh took {seconds:.1f} s"
    outcomes = {outcome.feed.name: outcome for outcome in report.outcomes}
    assert list(outcomes) == [feed.name for feed in feeds], "every feed has an outcome"
    for outcome in report.outcomes:
        line = outcome.summary()
        assert "\n" not in line and not FORBIDDEN.search(line), line
        assert outcome.status != "error" or (outcome.error and outcome.error.strip()), line
    good = outcomes["good"]
    assert (good.status, good.total) == ("ok", 3), good.summary()

    reopened = open_library_store(data_dir, readonly=True)
    try:
        papers = reopened.cache.load_all()
        state = reopened.state.all()
        meta = reopened.feeds.all()
        assert reopened.messages == [], "no stored file needed a repair"
    finally:
        reopened.close()
    assert GOOD_IDS <= set(papers)
    assert papers[STARRED_ID] == STARRED_PAPER
    assert state == {STARRED_ID: STARRED_STATE}
    for paper_id, paper in papers.items():
        assert_clean(paper.to_dict(), paper_id)
    for url, feed_meta in meta.items():
        assert_clean(feed_meta.last_error, f"feeds.json {url}")
    return Run(report, outcomes, papers, seconds)


def error_of(run: Run, name: str) -> str:
    outcome = run.outcomes[name]
    assert outcome.status == "error", outcome.summary()
    assert outcome.error is not None
    return outcome.error


# --------------------------------------------------------------------------
# Markup in every text field

MARKUP = "[bold]B[/bold] [/] [@click=app.quit]Q[/] [link='https://evil.example']L[/link] [$accent]A [B]x [unbalanced [[ ]"


async def test_markup_is_stored_verbatim(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add(
        "/markup/rss",
        arxiv_feed(
            arxiv_item(
                "2605.00001", MARKUP, f"Abstract {MARKUP}", f"Eve {MARKUP}",
                extra=f"<arxiv:journal_reference>{escape(MARKUP)}</arxiv:journal_reference>",
            )
        ).encode(),
    )
    server.add("/markup/api", api_feed("2605.00002", MARKUP, f"Abstract {MARKUP}", MARKUP, f"Eve {MARKUP}").encode())
    server.add("/markup/hf", hf_daily(hf_paper("2605.00003", MARKUP, f"Abstract {MARKUP}", f"Eve {MARKUP}")),
               content_type="application/json")
    server.add("/markup/atom", atom_feed(atom_entry("urn:x:1", MARKUP, "https://blog.example.org/1",
                                                    f"Abstract {MARKUP}", f"Eve {MARKUP}")).encode())
    run = await refresh(server, parsers, library, {
        "rss": "/markup/rss", "api": "/markup/api", "hf": "/markup/hf", "atom": "/markup/atom",
    })
    for name in ("rss", "api", "hf", "atom"):
        [paper] = run.feed_papers(name)
        assert (paper.raw_title, paper.title) == (MARKUP, MARKUP), name
        assert paper.raw_abstract == paper.abstract == f"Abstract {MARKUP}", name
        assert paper.authors == [f"Eve {MARKUP}"], name
    assert run.papers["2605.00001"].journal_ref == MARKUP
    assert run.papers["2605.00002"].comment == MARKUP


# --------------------------------------------------------------------------
# Escape sequences

ESCAPES = (
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[Hclear \x1b]0;pwned-title\x07title "
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b]52;c;ZXZpbA==\x07clip "
    "\x9b31mcsi \u202eevil\u202c \u2066iso\u2069 nul\x00end"
)
VISIBLE = ("red", "clear", "title", "click", "clip", "csi", "evil", "iso", "nul", "end")
HIDDEN = ("pwned-title", "ZXZpbA==", "evil.example")


def assert_escapes_removed(text: str, where: str) -> None:
    for word in VISIBLE:
        assert word in text, f"{where}: lost {word!r} from {text!r}"
    for payload in HIDDEN:
        assert payload not in text, f"{where}: escape payload {payload!r} left in {text!r}"


async def test_escape_sequences_are_removed_at_ingest(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path
) -> None:
    # raw ESC and NUL are not XML characters: the arXiv fast path fails and
    # the recovering parser reads the item
    server.add("/esc/rss", arxiv_feed(arxiv_item("2605.00011", ESCAPES, ESCAPES, ESCAPES, raw=True)).encode())
    server.add("/esc/hf", hf_daily(hf_paper("2605.00012", ESCAPES, ESCAPES, ESCAPES)),
               content_type="application/json")
    server.add("/esc/atom", atom_feed(atom_entry("urn:x:esc", ESCAPES, "https://blog.example.org/esc",
                                                 ESCAPES, ESCAPES)).encode())
    run = await refresh(server, parsers, library, {"rss": "/esc/rss", "hf": "/esc/hf", "atom": "/esc/atom"})
    for name in ("rss", "hf", "atom"):
        [paper] = run.feed_papers(name)
        for field in ("title", "raw_title", "abstract", "raw_abstract"):
            assert_escapes_removed(getattr(paper, field), f"{name} {field}")
        assert len(paper.authors) == 1, (name, paper.authors)
        assert_escapes_removed(paper.authors[0], f"{name} author")


async def test_escape_sequences_in_keys_and_categories(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path
) -> None:
    """Ids and categories are shown on every row: they are cleaned like text,
    and a guid cannot break a listing into two lines."""
    esc = ESCAPES.replace("\x00", "")  # a valid XML character reference for the rest
    as_refs = "".join(f"&#x{ord(c):x};" if c < " " or "\x7f" <= c <= "\x9f" else escape(c) for c in esc)
    category = f"<category>cs.{as_refs}LG</category>"
    server.add("/keys/arxiv", arxiv_feed(
        arxiv_item("2605.00013", "Category").replace("<category>cs.LG</category>", category)
    ).encode())
    server.add("/keys/api", api_feed("2605.00014", "Primary", "s", "c", "a").replace(
        'term="cs.LG"', f'term="cs.{escape(esc, {chr(34): "&quot;"})}LG"').encode())
    server.add("/keys/hf", hf_daily(hf_paper(f"hf-{esc}", "HF key", "s", "a")), content_type="application/json")
    server.add("/keys/rss", rss_feed(
        "<item><title>Guid with a line break</title>"
        '<guid isPermaLink="false">line-one\n* 2401.00001 fake row</guid></item>',
        f'<item><title>Guid</title><guid isPermaLink="false">g-{escape(esc)}</guid>{category}</item>',
    ).encode())
    run = await refresh(server, parsers, library, {
        "arxiv": "/keys/arxiv", "api": "/keys/api", "hf": "/keys/hf", "rss": "/keys/rss",
    })
    for name, count in (("arxiv", 1), ("api", 1), ("hf", 1), ("rss", 2)):
        papers = run.feed_papers(name)
        assert len(papers) == count, (name, [p.id for p in papers])
        for paper in papers:
            for key in (paper.id, *paper.categories, paper.primary_category or ""):
                assert "\n" not in key and "\t" not in key, (name, key)
    assert run.papers["2605.00013"].categories[0].startswith("cs.red")
    assert run.papers["2605.00014"].primary_category.startswith("cs.red")
    assert "guid:line-one * 2401.00001 fake row" in run.papers


# --------------------------------------------------------------------------
# Links that must never be opened or copied

BAD_LINKS = (
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "ssh://evil.example/x",
    "-oProxyCommand=touch /tmp/pwned",
)


async def test_unsafe_links_never_become_links(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    mention = " ".join(BAD_LINKS) + " code at https://github.com/good/repo"
    server.add("/links/rss", rss_feed(*(
        rss_item(f"link-{n}", f"Item {n}", bad, f"{mention} {bad}") for n, bad in enumerate(BAD_LINKS)
    )).encode())
    server.add("/links/atom", atom_feed(*(
        atom_entry(f"urn:x:link-{n}", f"Entry {n}", bad, mention) for n, bad in enumerate(BAD_LINKS)
    )).encode())
    server.add("/links/hf", hf_daily(*(
        hf_paper(f"2605.0002{n}", f"HF {n}", mention, "Eve", github=bad) for n, bad in enumerate(BAD_LINKS)
    )), content_type="application/json")
    server.add("/links/arxiv", arxiv_feed(*(
        arxiv_item(f"2605.0003{n}", f"arXiv {n}", mention, link=bad,
                   extra=f"<arxiv:DOI>{escape(bad)}</arxiv:DOI>")
        for n, bad in enumerate(BAD_LINKS)
    )).encode())
    run = await refresh(server, parsers, library, {
        "rss": "/links/rss", "atom": "/links/atom", "hf": "/links/hf", "arxiv": "/links/arxiv",
    })
    for name in ("rss", "atom", "hf", "arxiv"):
        papers = run.feed_papers(name)
        assert len(papers) == len(BAD_LINKS), (name, [p.id for p in papers])
        for paper in papers:
            openable = [*paper.links.values(), *paper.code_links]
            if paper.github_repo is not None:
                openable.append(paper.github_repo)
            for url in openable:
                assert httpx.URL(url).scheme in ("http", "https") and not url.startswith("-"), (name, url)
                assert not any(bad in url for bad in BAD_LINKS), (name, url)
            assert "https://github.com/good/repo" in paper.code_links, (name, paper.code_links)
    # arXiv items keep their canonical links whatever the feed's <link> says
    assert run.papers["2605.00030"].links["abs"] == "https://arxiv.org/abs/2605.00030"


# --------------------------------------------------------------------------
# XML attacks


def xml_attacks(server: FeedServer) -> dict[str, bytes]:
    entity = "x" * 50_000
    return {
        "billion-laughs": (SOURCES / "billion-laughs.xml").read_bytes(),
        "quadratic": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{entity}">]>'
            '<rss version="2.0"><channel><title>q</title><item><title>'
            + "&a;" * 50_000 + "</title></item></channel></rss>"
        ).encode(),
        "external-file": (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
            "<link>https://example.org/1</link></item></channel></rss>"
        ).encode(),
        "external-http": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{server.url("/xxe/secret")}">]>'
            '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
            "<link>https://example.org/1</link></item></channel></rss>"
        ).encode(),
        "external-dtd": (
            f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{server.url("/xxe/evil.dtd")}">'
            '<rss version="2.0"><channel><title>&evil;</title><item><title>t</title>'
            "<link>https://example.org/1</link></item></channel></rss>"
        ).encode(),
        "parameter-entity": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "{server.url("/xxe/param.dtd")}">'
            "%remote;]><rss version=\"2.0\"><channel><title>t</title></channel></rss>"
        ).encode(),
    }


ATTACKS = ("billion-laughs", "quadratic", "external-file", "external-http", "external-dtd", "parameter-entity")


@pytest.mark.parametrize("attack", ATTACKS)
async def test_xml_attacks_are_refused_fast(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path, attack: str
) -> None:
    server.add("/xxe/secret", b"TOP-SECRET-CONTENT", content_type="text/plain")
    server.add("/xxe/evil.dtd", b'<!ENTITY evil "TOP-SECRET-CONTENT">', content_type="application/xml-dtd")
    server.add("/xxe/param.dtd", b'<!ENTITY evil "TOP-SECRET-CONTENT">', content_type="application/xml-dtd")
    body = xml_attacks(server)[attack]
    started = time.perf_counter()
    assert parse_feed(body, "http://x.example/").error == REFUSED
    assert time.perf_counter() - started < 1.0

    server.add(f"/attack/{attack}", body)
    run = await refresh(server, parsers, library, {attack: f"/attack/{attack}"})
    assert error_of(run, attack) == REFUSED
    assert not [r for r in server.requests if r.path.startswith("/xxe/")], "no external entity was fetched"
    assert not any("root:" in text or "TOP-SECRET" in text
                   for paper in run.papers.values() for _, text in text_fields(paper.to_dict()))


NESTED = 20_000  # twenty times Python's recursion limit


def nested_bodies() -> dict[str, bytes]:
    deep = "<x>" * NESTED + "</x>" * NESTED
    return {
        "arxiv": arxiv_feed(arxiv_item("2605.00041", extra=deep, raw=True)).encode(),
        "arxiv-unclosed": arxiv_feed(arxiv_item("2605.00042", extra="<x>" * NESTED, raw=True)).encode(),
        "rss": rss_feed(rss_item("nested-1", "Nested", "https://blog.example.org/n").replace(
            "</item>", deep + "</item>")).encode(),
        "json": b"[" * NESTED + b"]" * NESTED,
    }


async def test_deeply_nested_documents_end_in_bounded_time(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path
) -> None:
    """Each parser reads its nested document to the end or refuses it with a
    one-line reason; no parser process dies of it."""
    bodies = nested_bodies()
    for name, body in bodies.items():
        server.add(f"/nested/{name}", body)
    run = await refresh(server, parsers, library, {name: f"/nested/{name}" for name in bodies})
    results = {name: (run.outcomes[name].status, run.outcomes[name].total) for name in bodies}
    assert results == {"arxiv": ("ok", 1), "arxiv-unclosed": ("ok", 1), "rss": ("ok", 1), "json": ("error", 0)}
    assert run.outcomes["arxiv"].warnings == [] and run.outcomes["rss"].warnings == []
    [unclosed] = run.outcomes["arxiv-unclosed"].warnings
    assert unclosed.startswith("malformed XML (mismatched tag") and unclosed.endswith("recovered 1 items"), unclosed
    assert error_of(run, "json").startswith("invalid JSON: maximum recursion depth exceeded")
    # the well-formed arXiv item around the nesting is read in full
    assert run.papers["2605.00041"].title == "A title"
    assert {"2605.00042", "guid:nested-1"} <= set(run.papers)


# --------------------------------------------------------------------------
# Size and time


async def test_huge_body_is_cut_off_at_the_cap(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.add_large("/large/declared", 200 * 2**20)
    server.add_large("/large/undeclared", 200 * 2**20, content_length=False)
    received = {"bytes": 0}
    original = httpx.Response.aiter_raw

    async def counting(self: httpx.Response, chunk_size: int | None = None):  # type: ignore[no-untyped-def]
        async for chunk in original(self, chunk_size):
            received["bytes"] += len(chunk)
            yield chunk

    monkeypatch.setattr(httpx.Response, "aiter_raw", counting)
    run = await refresh(server, parsers, library, {"declared": "/large/declared", "undeclared": "/large/undeclared"})
    assert error_of(run, "declared") == "body larger than 4 MB"
    assert error_of(run, "undeclared") == "body larger than 4 MB"
    # the good feed, plus a little over the cap for the undeclared one
    assert received["bytes"] < 4 * 2**20 + len(GOOD_BODY) + 256 * 2**10, received


async def test_gzip_bomb_is_not_inflated(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add_gzip_bomb("/bomb", 2**30)
    run = await refresh(server, parsers, library, {"bomb": "/bomb"})
    assert error_of(run, "bomb") == "body larger than 4 MB"
    assert run.seconds < 10


async def test_dripping_server_is_cut_off(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add_slow("/drip", delay=0.5, count=100)
    run = await refresh(server, parsers, library, {"drip": "/drip"})
    assert error_of(run, "drip") == "timed out after 1.5 s"
    assert run.seconds < LIMITS.total_timeout + 8


async def test_silent_server_is_cut_off(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add_hang("/hang")
    run = await refresh(server, parsers, library, {"hang": "/hang"})
    assert error_of(run, "hang") == "timed out after 1.5 s"
    assert run.seconds < LIMITS.total_timeout + 8


async def test_redirect_loop_ends(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add_redirect("/loop/a", "/loop/b")
    server.add_redirect("/loop/b", "/loop/a")
    server.add_redirect("/loop/endless/0", "/loop/endless/1")
    for hop in range(1, 12):
        server.add_redirect(f"/loop/endless/{hop}", f"/loop/endless/{hop + 1}")
    run = await refresh(server, parsers, library, {"loop": "/loop/a", "endless": "/loop/endless/0"})
    assert error_of(run, "loop") == f"redirect loop at {server.url('/loop/a')}"
    assert error_of(run, "endless") == "too many redirects (more than 5)"
    assert len(server.requests_for("/loop/a")) == 1


# --------------------------------------------------------------------------
# HTTP failures


@pytest.mark.parametrize(
    ("status", "message"),
    [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"), (500, "HTTP 500 Internal Server Error"),
     (503, "HTTP 503 Service Unavailable")],
)
async def test_http_error_statuses(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path, status: int, message: str
) -> None:
    server.add(f"/status/{status}", b"<html>error page</html>", status=status, content_type="text/html")
    run = await refresh(server, parsers, library, {"failing": f"/status/{status}"})
    assert error_of(run, "failing") == message


async def test_429_retry_after_is_honoured(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add("/busy", b"slow down", status=429, headers={"Retry-After": "120"}, content_type="text/plain")
    first = await refresh(server, parsers, library, {"busy": "/busy"})
    assert error_of(first, "busy") == "HTTP 429, retry after 120 s"
    assert len(server.requests_for("/busy")) == 1

    second = await refresh(server, parsers, library, {"busy": "/busy"})
    reason = error_of(second, "busy")
    assert reason.startswith("the server asked to wait; next try after 20"), reason
    assert len(server.requests_for("/busy")) == 1, "the feed was skipped inside the window"


async def test_hostile_headers(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    """Validators that cannot be sent back, and waits no feed should obey."""
    body = arxiv_feed(arxiv_item("2605.00045", "Validated")).encode()
    server.add("/headers/etag", body, etag='"caf\xe9"', last_modified="Mon, 27 Apr 2026 00:00:00 GMT\xe9")
    server.add("/headers/forever", b"", status=429, headers={"Retry-After": "9" * 40})
    server.add("/headers/year-9999", b"", status=503, headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"})
    server.add("/headers/superscript", b"", status=429, headers={"Retry-After": "\xb2"})
    feeds = {"etag": "/headers/etag", "forever": "/headers/forever", "year-9999": "/headers/year-9999",
             "superscript": "/headers/superscript"}
    first = await refresh(server, parsers, library, feeds)
    assert first.outcomes["etag"].total == 1
    assert error_of(first, "forever") == "HTTP 429, retry after 86400 s"
    assert error_of(first, "year-9999").startswith("HTTP 503, retry after 86")
    assert error_of(first, "superscript") == "HTTP 429 Too Many Requests"
    store = open_library_store(library, readonly=True)
    try:
        waits = {name: store.feeds.get(server.url(path)).retry_after_until for name, path in feeds.items()}
    finally:
        store.close()
    tomorrow = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400 + 60))
    assert waits["forever"] is not None and waits["forever"] <= tomorrow
    assert waits["year-9999"] is not None and waits["year-9999"] <= tomorrow
    assert waits["superscript"] is None and waits["etag"] is None

    second = await refresh(server, parsers, library, feeds)
    etag = second.outcomes["etag"]
    assert (etag.status, etag.total) == ("ok", 1), "a validator that cannot be sent is dropped, not fatal"
    assert error_of(second, "forever").startswith("the server asked to wait")
    assert len(server.requests_for("/headers/forever")) == 1
    assert len(server.requests_for("/headers/superscript")) == 2


async def test_bodies_that_are_not_feeds(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add("/broken/maintenance", (SOURCES / "maintenance.html").read_bytes(),
               content_type="application/rss+xml")
    server.add("/broken/empty", b"")
    whole = arxiv_feed(*(arxiv_item(f"2605.0005{n}", f"Complete {n}") for n in range(3))).encode()
    server.add("/broken/truncated", whole[: whole.index(b"Complete 2")])
    run = await refresh(server, parsers, library, {
        "maintenance": "/broken/maintenance", "empty": "/broken/empty", "truncated": "/broken/truncated",
    })
    assert error_of(run, "maintenance") == (
        'response is an HTML page, not a feed ("arXiv is down for scheduled maintenance")'
    )
    assert error_of(run, "empty") == "empty response body"
    truncated = run.outcomes["truncated"]
    assert truncated.status == "ok" and truncated.warnings[0].startswith("malformed XML"), truncated.summary()
    assert {"2605.00050", "2605.00051"} <= {paper.id for paper in run.feed_papers("truncated")}
    assert run.papers["2605.00050"].title == "Complete 0"


# --------------------------------------------------------------------------
# Content


async def test_empty_weekend_feed_is_not_an_error(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    server.add("/weekend", (SOURCES / "arxiv-rss-empty-weekend.xml").read_bytes())
    run = await refresh(server, parsers, library, {"weekend": "/weekend"})
    outcome = run.outcomes["weekend"]
    assert (outcome.status, outcome.error, outcome.total, outcome.warnings) == ("ok", None, 0, [])
    assert outcome.summary() == "weekend: 0 new, 0 updated, 0 total"


async def test_wrong_missing_and_invalid_encodings(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path
) -> None:
    title = "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve"
    # cp1252 bytes declared as Latin-1: the quotes and the dash arrive as C1 characters
    cp1252 = arxiv_feed(arxiv_item("2605.00061", title), encoding="iso-8859-1").encode("cp1252")
    server.add("/charset/wrong-decl", cp1252, content_type="application/rss+xml; charset=iso-8859-1")
    # UTF-8 bytes with a header that claims Latin-1
    utf8 = arxiv_feed(arxiv_item("2605.00062", title)).encode()
    server.add("/charset/wrong-header", utf8, content_type="application/rss+xml; charset=iso-8859-1")
    # Latin-1 bytes with no declaration and no charset anywhere
    plain = "Caf\u00e9 na\u00efve"
    latin1 = arxiv_feed(arxiv_item("2605.00063", plain), encoding=None).encode("latin-1")
    server.add("/charset/missing", latin1, content_type="application/rss+xml")
    # bytes that are not UTF-8 at all inside a UTF-8 feed
    invalid = arxiv_feed(arxiv_item("2605.00064", "Bad XXX bytes")).encode().replace(b"XXX", b"\xff\xfe\xc3(\x80")
    server.add("/charset/invalid", invalid, content_type="application/rss+xml; charset=utf-8")
    run = await refresh(server, parsers, library, {
        "wrong-decl": "/charset/wrong-decl", "wrong-header": "/charset/wrong-header",
        "missing": "/charset/missing", "invalid": "/charset/invalid",
    })
    for name, paper_id in (("wrong-decl", "2605.00061"), ("wrong-header", "2605.00062"),
                           ("missing", "2605.00063"), ("invalid", "2605.00064")):
        assert run.outcomes[name].status == "ok", run.outcomes[name].summary()
        assert paper_id in run.papers, name
    assert run.papers["2605.00061"].title.startswith("Caf\u00e9 ")
    assert run.papers["2605.00061"].title.endswith(" na\u00efve")
    assert run.papers["2605.00062"].title == title, "the document's own declaration wins"
    assert run.papers["2605.00063"].title == plain
    invalid_title = run.papers["2605.00064"].title
    assert invalid_title.startswith("Bad ") and invalid_title.endswith(" bytes")


async def test_duplicates_and_missing_fields(server: FeedServer, parsers: ProcessPoolExecutor, library: Path) -> None:
    nothing = (
        "<item><title></title><description></description><category>cs.LG</category></item>"
    )
    bare = '<item><guid isPermaLink="false">oai:arXiv.org:2605.00073v1</guid></item>'
    body = arxiv_feed(
        arxiv_item("2605.00071", "First copy"),
        arxiv_item("2605.00071", "Second copy"),
        arxiv_item("2605.00071", "Third copy"),
        arxiv_item("2605.00072", title="", abstract=""),
        bare,
        nothing,
    )
    server.add("/content/duplicates", body.encode())
    server.add("/content/generic", rss_feed(
        "<item><description>Only a description.</description></item>",
        "<item><title>Only a title</title></item>",
        "<item><link>https://blog.example.org/only-link</link></item>",
        "<item></item>",
        rss_item("dup", "Dup one", "https://blog.example.org/dup"),
        rss_item("dup", "Dup two", "https://blog.example.org/dup"),
    ).encode())
    run = await refresh(server, parsers, library, {"dups": "/content/duplicates", "generic": "/content/generic"})
    dups = run.outcomes["dups"]
    assert dups.status == "ok" and dups.total == 3, dups.summary()
    assert dups.warnings == ["skipped 1 items without an id or link"]
    assert sorted(p.id for p in run.feed_papers("dups")) == ["2605.00071", "2605.00072", "2605.00073"]
    assert run.papers["2605.00072"].title == "" and run.papers["2605.00073"].abstract == ""
    generic = run.outcomes["generic"]
    assert generic.status == "ok" and generic.total == 4, generic.summary()
    assert len([p for p in run.feed_papers("generic") if p.id == "guid:dup"]) == 1


async def test_ten_thousand_authors_and_a_megabyte_title(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path
) -> None:
    authors = ", ".join(f"Author Number{n} (Institute {n}, City)" for n in range(10_000))
    server.add("/content/authors", arxiv_feed(arxiv_item("2605.00081", "Many authors", creator=authors)).encode())
    title = ("Attention " * 100_000)[:2**20]
    server.add("/content/title", arxiv_feed(arxiv_item("2605.00082", title)).encode())
    run = await refresh(server, parsers, library, {"authors": "/content/authors", "title": "/content/title"})
    many = run.papers["2605.00081"]
    assert len(many.authors) == 10_000 and many.authors[-1] == "Author Number9999"
    assert many.affiliations["Author Number0"] == "Institute 0, City"
    assert run.papers["2605.00082"].title == title.strip()
    assert run.seconds < 10


async def test_one_bad_date_does_not_cost_the_feed(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path
) -> None:
    """Dates whose UTC form falls outside years 1..9999 are dropped, not fatal."""
    edge = "9999-12-31T23:59:59-14:00"
    api = api_feed("2605.00046", "Edge date", "s", "c", "a").replace("2026-04-20T00:00:00Z", edge)
    server.add("/dates/api", api.encode())
    server.add("/dates/hf", hf_daily(hf_paper("2605.00047", "Good date", "s", "a"),
                                     {**hf_paper("2605.00048", "Edge date", "s", "a"), "publishedAt": edge}),
               content_type="application/json")
    server.add("/dates/atom", atom_feed(
        atom_entry("urn:x:good-date", "Good date", "https://blog.example.org/good"),
        atom_entry("urn:x:edge-date", "Edge date", "https://blog.example.org/edge").replace(
            "2026-04-27T00:00:00Z", "0001-01-01T00:00:00+14:00"),
    ).encode())
    run = await refresh(server, parsers, library, {"api": "/dates/api", "hf": "/dates/hf", "atom": "/dates/atom"})
    for name, count in (("api", 1), ("hf", 2), ("atom", 2)):
        assert (run.outcomes[name].status, run.outcomes[name].total) == ("ok", count), run.outcomes[name].summary()
    assert run.papers["2605.00046"].published is None
    assert run.papers["2605.00047"].published == "2026-04-26T00:00:00Z"
    assert run.papers["2605.00048"].published is None


async def test_one_absurd_version_does_not_cost_the_feed(
    server: FeedServer, parsers: ProcessPoolExecutor, library: Path
) -> None:
    absurd = "oai:arXiv.org:2605.00049v" + "9" * 5000
    body = arxiv_feed(
        arxiv_item("2605.00048", "Good item"),
        arxiv_item("2605.00049", "Absurd version").replace("oai:arXiv.org:2605.00049v1", absurd),
    )
    server.add("/versions/absurd", body.encode())
    run = await refresh(server, parsers, library, {"absurd": "/versions/absurd"})
    outcome = run.outcomes["absurd"]
    assert outcome.status == "ok", outcome.summary()
    assert "2605.00048" in run.papers


# --------------------------------------------------------------------------
# The CLI: one line per feed, exit code 1, no traceback


def test_cli_refresh_with_hostile_feeds(server: FeedServer, data_dir: Path, tmp_path: Path) -> None:
    server.add("/cli/esc", arxiv_feed(arxiv_item("2605.00091", ESCAPES, ESCAPES, ESCAPES, raw=True)).encode())
    server.add("/cli/missing", b"gone", status=404, content_type="text/plain")
    server.add_gzip_bomb("/cli/bomb", 2**30)
    server.add("/cli/doctype", (SOURCES / "billion-laughs.xml").read_bytes())
    server.add("/cli/maintenance", (SOURCES / "maintenance.html").read_bytes(), content_type="application/rss+xml")
    server.add_redirect("/cli/loop", "/cli/loop")
    names = ["good", "esc", "missing", "bomb", "doctype", "maintenance", "loop"]
    config = tmp_path / "config.toml"
    config.write_text("".join(
        f'[[feeds]]\nurl = "{server.url("/good", "localhost") if name == "good" else server.url("/cli/" + name)}"\n'
        f'name = "{name}"\n'
        for name in names
    ))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config)]
    started = time.monotonic()
    result = subprocess.run([*command, "refresh"], capture_output=True, text=True, timeout=120, env=env, cwd=REPO_ROOT)
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == names, lines
    assert lines[0] == "good: 3 new, 0 updated, 3 total"
    assert lines[1] == "esc: 1 new, 0 updated, 1 total" or lines[1].startswith("esc: 1 new, 0 updated, 1 total (")
    assert lines[2] == "missing: error: HTTP 404 Not Found"
    assert lines[3] == "bomb: error: body larger than 20 MB"
    assert lines[4] == f"doctype: error: {REFUSED}"
    assert lines[5].startswith("maintenance: error: response is an HTML page")
    assert lines[6].startswith("loop: error: redirect loop at ")
    assert not FORBIDDEN.search(result.stdout + result.stderr)

    listed = subprocess.run([*command, "list"], capture_output=True, text=True, timeout=60, env=env, cwd=REPO_ROOT)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 4
    assert not FORBIDDEN.search(listed.stdout) and not REMNANT.search(listed.stdout)
    feeds = subprocess.run([*command, "feeds"], capture_output=True, text=True, timeout=60, env=env, cwd=REPO_ROOT)
    assert feeds.returncode == 0, feeds.stderr
    assert [line.split("\t", 1)[0] for line in feeds.stdout.splitlines()] == names
