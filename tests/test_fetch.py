"""paperread.fetch against a real loopback HTTP server (tests/feedserver.py)."""

from __future__ import annotations

import asyncio
import gzip
import inspect
import socket
import time
import tracemalloc
import zlib
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

import paperread
from paperread.fetch import (
    ARXIV_HOSTS,
    USER_AGENT,
    FeedRequest,
    FetchLimits,
    FetchResult,
    fetch_all,
    format_size,
    parse_retry_after,
)
from tests.feedserver import FeedServer

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
LAST_MODIFIED = "Mon, 27 Apr 2026 04:00:00 GMT"


async def fetch_one(
    url: str, limits: FetchLimits = FetchLimits(), **validators: str
) -> FetchResult:
    [result] = await fetch_all([FeedRequest(url, **validators)], limits)
    return result


def closed_port() -> int:
    """A port nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# success and conditional GET ---------------------------------------------------


@pytest.mark.timing
async def test_ok_fetch_returns_body_and_sends_user_agent(feed_server: FeedServer) -> None:
    feed_server.add("/rss/cs.LG", FEED, content_type="application/rss+xml", etag='"v1"')

    result = await fetch_one(feed_server.url("/rss/cs.LG"))

    assert result.status == "ok", result.error
    assert result.body == FEED
    assert result.content_type == "application/rss+xml"
    assert result.http_status == 200
    assert result.etag == '"v1"'
    assert result.url == feed_server.url("/rss/cs.LG")
    assert 0 < result.elapsed < 5
    [seen] = feed_server.requests
    assert seen.headers["user-agent"] == USER_AGENT
    assert USER_AGENT == (
        f"paperread/{paperread.__version__} (+https://github.com/paperread/paperread)"
    )
    assert seen.headers["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in seen.headers
    assert "if-modified-since" not in seen.headers


async def test_conditional_get_round_trip(feed_server: FeedServer) -> None:
    feed_server.add("/feed", FEED, etag='"abc"', last_modified=LAST_MODIFIED)

    first = await fetch_one(feed_server.url("/feed"))
    assert first.status == "ok"
    assert (first.etag, first.last_modified) == ('"abc"', LAST_MODIFIED)

    second = await fetch_one(
        feed_server.url("/feed"), etag=first.etag, last_modified=first.last_modified
    )
    assert second.status == "not-modified"
    assert second.http_status == 304
    assert second.body is None
    assert (second.etag, second.last_modified) == ('"abc"', LAST_MODIFIED)
    sent = feed_server.requests[-1].headers
    assert sent["if-none-match"] == '"abc"'
    assert sent["if-modified-since"] == LAST_MODIFIED

    # the feed changes: the old validator no longer matches and the new body arrives
    feed_server.add("/feed", FEED + b"<!-- new -->", etag='"def"', last_modified=LAST_MODIFIED)
    third = await fetch_one(feed_server.url("/feed"), etag=first.etag)
    assert third.status == "ok"
    assert third.body == FEED + b"<!-- new -->"
    assert third.etag == '"def"'


async def test_if_modified_since_alone(feed_server: FeedServer) -> None:
    feed_server.add("/feed", FEED, last_modified=LAST_MODIFIED)

    same = await fetch_one(feed_server.url("/feed"), last_modified=LAST_MODIFIED)
    day_before = "Sun, 26 Apr 2026 04:00:00 GMT"
    older = await fetch_one(feed_server.url("/feed"), last_modified=day_before)

    assert same.status == "not-modified"
    assert same.last_modified == LAST_MODIFIED
    assert older.status == "ok"
    assert older.body == FEED


async def test_compressed_bodies_are_decoded(feed_server: FeedServer) -> None:
    deflater = zlib.compressobj(wbits=-15)
    raw_deflate = deflater.compress(FEED) + deflater.flush()
    feed_server.add("/gzip", gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    feed_server.add("/zlib", zlib.compress(FEED), headers={"Content-Encoding": "deflate"})
    feed_server.add("/raw", raw_deflate, headers={"Content-Encoding": "deflate"})
    feed_server.add("/br", b"\x0b\x02\x80", headers={"Content-Encoding": "br"})
    feed_server.add("/broken", b"\x1f\x8bnot gzip", headers={"Content-Encoding": "gzip"})

    results = await fetch_all(
        [FeedRequest(feed_server.url(p)) for p in ("/gzip", "/zlib", "/raw", "/br", "/broken")]
    )

    assert [r.body for r in results[:3]] == [FEED, FEED, FEED]
    assert results[3].error == "unsupported content encoding 'br'"
    assert results[4].status == "error"
    assert results[4].error.startswith("could not decompress the body")


# HTTP errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (500, "HTTP 500 Internal Server Error"),
        (503, "HTTP 503 Service Unavailable"),
        (429, "HTTP 429 Too Many Requests"),
    ],
)
async def test_http_error_statuses(feed_server: FeedServer, status: int, message: str) -> None:
    feed_server.add("/feed", b"nope", status=status)

    result = await fetch_one(feed_server.url("/feed"))

    assert result.status == "error"
    assert result.error == message
    assert result.http_status == status
    assert result.body is None
    assert result.retry_after is None


async def test_retry_after_in_seconds_and_as_date(feed_server: FeedServer) -> None:
    in_90_s = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    feed_server.add("/busy", b"", status=429, headers={"Retry-After": "120"})
    feed_server.add("/down", b"", status=503, headers={"Retry-After": in_90_s})

    busy, down = await fetch_all(
        [FeedRequest(feed_server.url("/busy")), FeedRequest(feed_server.url("/down"))]
    )

    assert busy.error == "HTTP 429, retry after 120 s"
    assert busy.retry_after == 120.0
    assert down.http_status == 503
    assert down.retry_after is not None and 85 <= down.retry_after <= 90
    assert down.error.startswith("HTTP 503, retry after ")


def test_parse_retry_after() -> None:
    now = datetime(2026, 4, 27, 4, 0, tzinfo=timezone.utc)
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after(" 30 ") == 30.0
    assert parse_retry_after("Mon, 27 Apr 2026 04:02:00 GMT", now) == 120.0
    assert parse_retry_after("Mon, 27 Apr 2026 03:00:00 GMT", now) == 0.0  # already past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None) is None


# network failures ------------------------------------------------------------------


async def test_connection_refused() -> None:
    port = closed_port()

    result = await fetch_one(f"http://127.0.0.1:{port}/feed")

    assert result.status == "error"
    assert result.error == "connection refused by 127.0.0.1"


async def test_dns_failure() -> None:
    result = await fetch_one("http://no-such-host.invalid/feed")

    assert result.status == "error"
    assert result.error == "DNS lookup failed for host no-such-host.invalid"


def test_a_feed_gets_60_seconds_in_total_by_default() -> None:
    assert FetchLimits().total_timeout == 60.0
    assert inspect.signature(fetch_all).parameters["limits"].default.total_timeout == 60.0


@pytest.mark.timing
async def test_dripping_server_is_cut_off_at_the_total_timeout(feed_server: FeedServer) -> None:
    # a byte every 0.05 s for over an hour: each arrives well within any
    # per-phase read timeout, so only a total limit stops it
    feed_server.add_slow("/drip", delay=0.05, count=100_000)
    limits = FetchLimits(total_timeout=1.0)

    start = time.monotonic()
    async with asyncio.timeout(10):  # a limit not enforced fails here instead of hanging
        result = await fetch_one(feed_server.url("/drip"), limits)
    took = time.monotonic() - start

    assert result.status == "error"
    assert result.error == "timed out after 1 s"
    assert 0.9 <= took < 1.6
    assert 0.9 <= result.elapsed < 1.6


@pytest.mark.timing
async def test_hanging_server_times_out(feed_server: FeedServer) -> None:
    feed_server.add_hang("/hang")

    start = time.monotonic()
    result = await fetch_one(feed_server.url("/hang"), FetchLimits(total_timeout=0.8))

    assert result.error == "timed out after 0.8 s"
    assert time.monotonic() - start < 1.4


# body size caps ----------------------------------------------------------------------


@pytest.mark.parametrize("content_length", [True, False], ids=["with-length", "no-length"])
async def test_large_body_is_refused(feed_server: FeedServer, content_length: bool) -> None:
    feed_server.add_large("/big", 8 * 2**20, content_length=content_length)
    feed_server.add_large("/fits", 2**20, content_length=content_length)
    limits = FetchLimits(max_bytes=2**20)

    big, fits = await fetch_all(
        [FeedRequest(feed_server.url("/big")), FeedRequest(feed_server.url("/fits"))], limits
    )

    assert big.status == "error"
    assert big.error == "body larger than 1 MB"
    assert big.body is None
    assert fits.status == "ok"
    assert fits.body is not None and len(fits.body) == 2**20


@pytest.mark.timing
async def test_gzip_bomb_fails_fast_in_little_memory(feed_server: FeedServer) -> None:
    feed_server.add_gzip_bomb("/bomb", 512 * 2**20)  # ~0.5 MB on the wire
    limits = FetchLimits(max_bytes=2**20)

    tracemalloc.start()
    try:
        start = time.monotonic()
        result = await fetch_one(feed_server.url("/bomb"), limits)
        took = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.status == "error"
    assert result.error == "body larger than 1 MB"
    assert took < 3.0
    assert peak < 8 * 2**20, f"peak {format_size(peak)}"


def test_format_size() -> None:
    assert format_size(20 * 2**20) == "20 MB"
    assert format_size(1536 * 2**10) == "1.5 MB"
    assert format_size(2**30) == "1 GB"
    assert format_size(300) == "300 bytes"


# redirects ----------------------------------------------------------------------------


async def test_redirect_is_followed(feed_server: FeedServer) -> None:
    feed_server.add("/feed", FEED, etag='"x"')
    feed_server.add_redirect("/old", "/feed", status=301)
    feed_server.add_redirect("/other-host", feed_server.url("/old", host="localhost"))

    result = await fetch_one(feed_server.url("/other-host"))

    assert result.status == "ok", result.error
    assert result.body == FEED
    assert result.etag == '"x"'
    assert result.url == feed_server.url("/other-host")
    assert [r.path for r in feed_server.requests] == ["/other-host", "/old", "/feed"]
    assert feed_server.requests[1].headers["host"].startswith("localhost:")


async def test_redirect_loop(feed_server: FeedServer) -> None:
    feed_server.add_redirect("/a", "/b")
    feed_server.add_redirect("/b", "/a")

    result = await fetch_one(feed_server.url("/a"))

    assert result.status == "error"
    assert result.error == f"redirect loop at {feed_server.url('/a')}"
    assert len(feed_server.requests) == 2


async def test_too_many_redirects(feed_server: FeedServer) -> None:
    for hop in range(10):
        feed_server.add_redirect(f"/r{hop}", f"/r{hop + 1}")

    result = await fetch_one(feed_server.url("/r0"), FetchLimits(max_redirects=3))

    assert result.error == "too many redirects (more than 3)"
    assert [r.path for r in feed_server.requests] == ["/r0", "/r1", "/r2", "/r3"]


async def test_redirect_to_other_scheme_is_refused(feed_server: FeedServer) -> None:
    feed_server.add_redirect("/feed", "file:///etc/passwd")

    result = await fetch_one(feed_server.url("/feed"))

    assert result.error == "redirect to unsupported URL scheme 'file'"
    assert result.http_status == 302


# concurrency and politeness -------------------------------------------------------------


def starts(server: FeedServer) -> list[float]:
    return sorted(r.time for r in server.requests)


@pytest.mark.timing
async def test_different_hosts_run_in_parallel(feed_server: FeedServer) -> None:
    feed_server.add_slow("/slow", delay=0.1, count=4)  # ~0.4 s each

    start = time.monotonic()
    results = await fetch_all(
        [
            FeedRequest(feed_server.url("/slow", host="127.0.0.1")),
            FeedRequest(feed_server.url("/slow", host="localhost")),
        ]
    )
    took = time.monotonic() - start

    assert [r.body for r in results] == [b"xxxx", b"xxxx"]
    first, second = starts(feed_server)
    assert second - first < 0.15
    assert took < 0.75


@pytest.mark.timing
async def test_same_host_runs_one_at_a_time(feed_server: FeedServer) -> None:
    feed_server.add_slow("/a", delay=0.1, count=4)
    feed_server.add_slow("/b", delay=0.1, count=4)

    results = await fetch_all([FeedRequest(feed_server.url(p)) for p in ("/a", "/b")])

    assert [r.status for r in results] == ["ok", "ok"]
    first, second = starts(feed_server)
    assert second - first >= 0.35


@pytest.mark.timing
async def test_max_parallel_caps_hosts_too(feed_server: FeedServer) -> None:
    feed_server.add_slow("/slow", delay=0.1, count=3)

    await fetch_all(
        [FeedRequest(feed_server.url("/slow", host=h)) for h in ("127.0.0.1", "localhost")],
        FetchLimits(max_parallel=1),
    )

    first, second = starts(feed_server)
    assert second - first >= 0.25


@pytest.mark.timing
async def test_rate_limited_host_spacing(feed_server: FeedServer) -> None:
    assert {"rss.arxiv.org", "export.arxiv.org", "arxiv.org"} <= ARXIV_HOSTS
    for name in ("/1", "/2", "/3"):
        feed_server.add(name, FEED)
    limits = FetchLimits(arxiv_min_interval=0.3, rate_limited_hosts=frozenset({"127.0.0.1"}))

    results = await fetch_all(
        [FeedRequest(feed_server.url(p)) for p in ("/1", "/2", "/3")]
        + [FeedRequest(feed_server.url(p, host="localhost")) for p in ("/1", "/2")],
        limits,
    )

    assert all(r.status == "ok" for r in results)
    limited = sorted(r.time for r in feed_server.requests if r.headers["host"].startswith("127."))
    free = sorted(r.time for r in feed_server.requests if r.headers["host"].startswith("local"))
    gaps = [later - earlier for earlier, later in zip(limited, limited[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.27, gaps
    # the other host is not held back by the rate-limited one
    assert free[-1] - limited[0] < 0.25


async def test_one_failing_feed_does_not_affect_the_others(feed_server: FeedServer) -> None:
    feed_server.add("/good", FEED)
    feed_server.add("/good2", FEED)
    feed_server.add("/missing", b"", status=404)
    feed_server.add_hang("/hang")
    urls = [
        feed_server.url("/good"),
        feed_server.url("/missing"),
        feed_server.url("/hang", host="localhost"),
        f"http://127.0.0.1:{closed_port()}/feed",
        "ftp://example.org/feed",
        feed_server.url("/good2"),
    ]
    done: list[FetchResult] = []

    results = await fetch_all(
        [FeedRequest(u) for u in urls], FetchLimits(total_timeout=1.0), on_done=done.append
    )

    assert [r.url for r in results] == urls
    assert [r.status for r in results] == ["ok", "error", "error", "error", "error", "ok"]
    assert results[0].body == FEED and results[5].body == FEED
    assert results[1].error == "HTTP 404 Not Found"
    assert results[2].error == "timed out after 1 s"
    assert results[3].error.startswith("connection refused")
    assert results[4].error.startswith("unsupported URL scheme 'ftp'")
    assert sorted(id(r) for r in done) == sorted(id(r) for r in results)
    assert done[-1] is results[2]  # reported as it finished: the hang ends last


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed", "unsupported URL scheme 'ftp' (only http and https)"),
        ("file:///tmp/feed.xml", "unsupported URL scheme 'file' (only http and https)"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript' (only http and https)"),
        ("/tmp/feed.xml", "not an http(s) URL: '/tmp/feed.xml'"),
        ("", "not an http(s) URL: ''"),
        ("http:///feed", "no host in URL 'http:///feed'"),
    ],
)
async def test_non_http_urls_are_errors(url: str, message: str) -> None:
    result = await fetch_one(url)

    assert result.status == "error"
    assert result.error == message
    assert result.elapsed == 0.0


async def test_a_client_passed_in_is_used_and_left_open(feed_server: FeedServer) -> None:
    feed_server.add("/feed", FEED)

    async with httpx.AsyncClient(headers={"X-Probe": "1"}) as client:
        [result] = await fetch_all([FeedRequest(feed_server.url("/feed"))], client=client)
        assert not client.is_closed

    assert result.body == FEED
    headers = feed_server.requests[0].headers
    assert headers["x-probe"] == "1"
    assert headers["user-agent"] == USER_AGENT
