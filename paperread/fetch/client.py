"""The HTTP side of a run: one ``httpx.AsyncClient``, and for each feed its
requests, conditional and through its redirects followed by hand, each hop
in its host's turn and all within the feed's total time limit."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import httpx

from paperread import __version__
from paperread.fetch.body import _read_body
from paperread.fetch.errors import _describe, _FetchError, _status_error
from paperread.fetch.limits import FetchLimits, _HostGates
from paperread.text import short_line

# httpcore's first request under asyncio has anyio import its asyncio
# backend (~30 ms). Loaded with this module instead: the reader imports it in
# a thread, and the first fetch runs on the event loop.
with contextlib.suppress(ImportError):
    importlib.import_module("anyio._backends._asyncio")

USER_AGENT = f"paperread/{__version__} (+https://github.com/paperread/paperread)"

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.8"
)
# Brotli and zstd are not requested: only zlib can be bounded while inflating.
_ACCEPT_ENCODING = "gzip, deflate"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_LIMITS = FetchLimits()  # frozen: one instance serves every call


@dataclass
class FeedRequest:
    """One feed to fetch, with the validators its last successful fetch returned."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FetchResult:
    """The outcome of fetching one feed.

    ``status`` is ``"ok"`` (``body`` holds the decoded bytes), ``"not-modified"``
    (HTTP 304: keep what you have) or ``"error"`` (``error`` says why in one
    line). ``etag``/``last_modified`` are the validators to send next time.
    ``elapsed`` counts seconds from the first request sent, so time spent
    waiting for a host's turn is not included.
    """

    url: str
    status: Literal["ok", "not-modified", "error"]
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    error: str | None = None
    retry_after: float | None = None
    elapsed: float = 0.0


async def fetch_all(
    requests: list[FeedRequest],
    limits: FetchLimits = _DEFAULT_LIMITS,
    on_done: Callable[[FetchResult], None] | None = None,
    client: httpx.AsyncClient | None = None,
) -> list[FetchResult]:
    """Fetch every feed; results come back in the order of ``requests``.

    ``on_done`` is called with each result as soon as that feed finishes (for
    progress display); an exception raised by ``on_done`` itself propagates.
    A ``client`` passed in is used as is and left open; otherwise one is
    created for the run and closed at the end.
    """
    gates = _HostGates(limits)

    async def one(request: FeedRequest, http: httpx.AsyncClient) -> FetchResult:
        result = await _fetch_one(http, request, limits, gates)
        if on_done is not None:
            on_done(result)
        return result

    if client is not None:
        return list(await asyncio.gather(*(one(r, client) for r in requests)))
    async with _new_client(limits) as http:
        return list(await asyncio.gather(*(one(r, http) for r in requests)))


def _new_client(limits: FetchLimits) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(limits.total_timeout, connect=limits.connect_timeout),
        limits=httpx.Limits(
            max_connections=limits.max_parallel, max_keepalive_connections=limits.max_parallel
        ),
        follow_redirects=False,
    )


async def _fetch_one(
    client: httpx.AsyncClient, request: FeedRequest, limits: FetchLimits, gates: _HostGates
) -> FetchResult:
    loop = asyncio.get_running_loop()
    started: list[float] = []  # set when the first request goes out
    try:
        result = await _follow(client, request, limits, gates, started)
    except _FetchError as exc:
        result = FetchResult(
            request.url,
            "error",
            error=str(exc),
            http_status=exc.http_status,
            retry_after=exc.retry_after,
        )
    except TimeoutError:
        result = FetchResult(
            request.url, "error", error=f"timed out after {limits.total_timeout:g} s"
        )
    except httpx.HTTPError as exc:
        result = FetchResult(request.url, "error", error=_describe(exc, limits))
    except Exception as exc:  # noqa: BLE001 - a feed's failure must never escape fetch_all
        result = FetchResult(request.url, "error", error=short_line(f"{type(exc).__name__}: {exc}"))
    if started:
        result.elapsed = loop.time() - started[0]
    return result


async def _follow(
    client: httpx.AsyncClient,
    request: FeedRequest,
    limits: FetchLimits,
    gates: _HostGates,
    started: list[float],
) -> FetchResult:
    """Request ``request.url``, following redirects by hand, each hop in its host's turn."""
    loop = asyncio.get_running_loop()
    url = _check_url(request.url)
    headers = {"Accept": _ACCEPT, "Accept-Encoding": _ACCEPT_ENCODING, "User-Agent": USER_AGENT}
    # a validator that is not ASCII cannot be sent back (httpx encodes header
    # values as ASCII); without this, one odd ETag would break the feed for good
    if request.etag and request.etag.isascii():
        headers["If-None-Match"] = request.etag
    if request.last_modified and request.last_modified.isascii():
        headers["If-Modified-Since"] = request.last_modified
    seen = {str(url)}
    deadline: float | None = None
    for _hop in range(limits.max_redirects + 1):
        async with gates.turn(url.host):
            if deadline is None:
                started.append(loop.time())
                deadline = started[0] + limits.total_timeout
            async with asyncio.timeout_at(deadline):
                outcome = await _get(client, url, headers, request, limits)
        if isinstance(outcome, FetchResult):
            return outcome
        url = outcome
        if str(url) in seen:
            raise _FetchError(f"redirect loop at {url}")
        seen.add(str(url))
    raise _FetchError(f"too many redirects (more than {limits.max_redirects})")


def _check_url(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise _FetchError(short_line(f"invalid URL {text!r}: {exc}")) from None
    if not url.scheme:
        raise _FetchError(short_line(f"not an http(s) URL: {text!r}"))
    if url.scheme not in ("http", "https"):
        raise _FetchError(f"unsupported URL scheme {url.scheme!r} (only http and https)")
    if not url.host:
        raise _FetchError(f"no host in URL {text!r}")
    return url


async def _get(
    client: httpx.AsyncClient,
    url: httpx.URL,
    headers: dict[str, str],
    request: FeedRequest,
    limits: FetchLimits,
) -> FetchResult | httpx.URL:
    """One GET: a final result, or the URL a redirect points to."""
    response = await client.send(client.build_request("GET", url, headers=headers), stream=True)
    try:
        status = response.status_code
        if status in _REDIRECT_STATUSES:
            location = response.headers.get("location")
            if not location:
                raise _FetchError(f"HTTP {status} without a Location header", status)
            try:
                target = url.join(location)
            except httpx.InvalidURL:
                message = short_line(f"redirect to invalid URL {location!r}")
                raise _FetchError(message, status) from None
            if target.scheme not in ("http", "https"):
                raise _FetchError(f"redirect to unsupported URL scheme {target.scheme!r}", status)
            return target
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if status == 304:
            return FetchResult(
                request.url,
                "not-modified",
                etag=etag or request.etag,
                last_modified=last_modified or request.last_modified,
                http_status=status,
            )
        if not 200 <= status < 300:
            raise _status_error(response)
        body = await _read_body(response, limits.max_bytes)
        return FetchResult(
            request.url,
            "ok",
            body=body,
            content_type=response.headers.get("content-type"),
            etag=etag,
            last_modified=last_modified,
            http_status=status,
        )
    finally:
        await response.aclose()
