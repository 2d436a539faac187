"""Fetch feeds over HTTP(S) with httpx: concurrency, politeness, limits, errors.

``fetch_all`` takes a list of URLs (with the validators of the last fetch) and
returns one ``FetchResult`` per URL, in the same order. It never raises for a
feed's failure: every failure becomes a result with a one-line ``error``.

Rules it keeps:

- one ``httpx.AsyncClient`` for the whole run;
- feeds on different hosts run in parallel (at most ``max_parallel`` at once),
  requests to the same host run one at a time, and requests to a rate-limited
  host (arXiv's by default) start at least ``arxiv_min_interval`` apart;
- a total time limit per feed (httpx's timeouts are per phase, so a server
  that drips one byte every few seconds would otherwise never time out);
- a body size cap that also holds for compressed bodies: the raw stream is
  decompressed here with a bounded ``zlib`` decompressor, so a gzip bomb is
  never inflated beyond ``max_bytes + 1`` bytes;
- conditional GET (``If-None-Match`` / ``If-Modified-Since``), 304 becomes
  ``"not-modified"``;
- redirects followed by hand (each hop waits for its own host's turn), with
  clear errors for loops and for too many hops.

Local paths and ``file://`` URLs are not handled here; the caller reads those.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import socket
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Literal

import httpx

from paperread import __version__
from paperread.text import short_line

# httpcore's first request under asyncio has anyio import its asyncio
# backend (~30 ms). Loaded with this module instead: the reader imports it in
# a thread, and the first fetch runs on the event loop.
with contextlib.suppress(ImportError):
    importlib.import_module("anyio._backends._asyncio")

USER_AGENT = f"paperread/{__version__} (+https://github.com/paperread/paperread)"

#: Hosts that ask for at most one request every few seconds over one connection.
ARXIV_HOSTS: frozenset[str] = frozenset({"rss.arxiv.org", "export.arxiv.org", "arxiv.org"})

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.8"
)
# Brotli and zstd are not requested: only zlib can be bounded while inflating.
_ACCEPT_ENCODING = "gzip, deflate"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_RETRY_AFTER_STATUSES = frozenset({429, 503})
#: The longest wait a ``Retry-After`` header can impose, in seconds.
MAX_RETRY_AFTER = 24 * 3600.0


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


@dataclass(frozen=True)
class FetchLimits:
    """Limits for one ``fetch_all`` run.

    ``rate_limited_hosts`` are the hosts whose requests start at least
    ``arxiv_min_interval`` seconds apart (arXiv's by default).
    """

    total_timeout: float = 60.0
    connect_timeout: float = 10.0
    max_bytes: int = 20 * 2**20
    arxiv_min_interval: float = 3.0
    max_redirects: int = 5
    max_parallel: int = 8
    rate_limited_hosts: frozenset[str] = ARXIV_HOSTS


class _FetchError(Exception):
    """A failure already phrased for the user; carries the HTTP details if any."""

    def __init__(
        self, message: str, http_status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.retry_after = retry_after


async def fetch_all(
    requests: list[FeedRequest],
    limits: FetchLimits = FetchLimits(),
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


class _HostGates:
    """One request at a time per host, a global cap, and spacing for rate-limited hosts."""

    def __init__(self, limits: FetchLimits) -> None:
        self._limits = limits
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}
        self._parallel = asyncio.Semaphore(limits.max_parallel)

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            if host in self._limits.rate_limited_hosts and host in self._last_start:
                wait = self._last_start[host] + self._limits.arxiv_min_interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
            async with self._parallel:
                self._last_start[host] = loop.time()
                yield


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


def _status_error(response: httpx.Response) -> _FetchError:
    status = response.status_code
    retry_after = None
    if status in _RETRY_AFTER_STATUSES:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    if retry_after is not None:
        return _FetchError(f"HTTP {status}, retry after {retry_after:.0f} s", status, retry_after)
    reason = response.reason_phrase
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return _FetchError(short_line(f"HTTP {status} {reason}".rstrip()), status)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay seconds or an HTTP
    date), at most ``MAX_RETRY_AFTER``: a server cannot switch a feed off for
    years, nor overflow the date the wait ends."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return min(max(0.0, (moment - now).total_seconds()), MAX_RETRY_AFTER)


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """Read and decode the body, failing as soon as it would exceed ``max_bytes``."""
    too_large = _FetchError(f"body larger than {format_size(max_bytes)}", response.status_code)
    decoder = _decoder_for(response.headers.get("content-encoding", ""), response.status_code)
    length = response.headers.get("content-length", "")
    if decoder is None and length.isdigit() and int(length) > max_bytes:
        raise too_large
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            # room is at least 1 byte here: zlib reads a max_length of 0 as "no limit"
            room = max_bytes + 1 - len(body)
            body += decoder.decode(chunk, room) if decoder else chunk
            if len(body) > max_bytes:
                raise too_large
        if decoder is not None:
            body += decoder.finish()
    except zlib.error as exc:
        message = short_line(f"could not decompress the body: {exc}")
        raise _FetchError(message, response.status_code) from None
    if len(body) > max_bytes:
        raise too_large
    return bytes(body)


class _BoundedDecoder:
    """Inflate gzip or deflate data without ever producing more than asked for."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        # deflate is meant to be zlib-wrapped, but some servers send it raw
        self._wbits = 31 if encoding == "gzip" else 15
        self._zlib = zlib.decompressobj(self._wbits)
        self._started = False

    def decode(self, data: bytes, max_length: int) -> bytes:
        try:
            out = self._zlib.decompress(data, max_length)
        except zlib.error:
            if self._encoding != "deflate" or self._started or self._wbits < 0:
                raise
            self._wbits = -15
            self._zlib = zlib.decompressobj(self._wbits)
            out = self._zlib.decompress(data, max_length)
        self._started = True
        while self._zlib.unconsumed_tail and len(out) < max_length:
            out += self._zlib.decompress(self._zlib.unconsumed_tail, max_length - len(out))
        return out

    def finish(self) -> bytes:
        return self._zlib.flush()


def _decoder_for(content_encoding: str, status: int) -> _BoundedDecoder | None:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return _BoundedDecoder("deflate" if codings[0] == "deflate" else "gzip")
    raise _FetchError(short_line(f"unsupported content encoding {content_encoding!r}"), status)


def _describe(exc: httpx.HTTPError, limits: FetchLimits) -> str:
    """One line for an httpx failure."""
    host = exc.request.url.host if _has_request(exc) else "?"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connecting to {host} timed out after {limits.connect_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {limits.total_timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        if _caused_by(exc, socket.gaierror) or "name resolution" in str(exc).lower():
            return f"DNS lookup failed for host {host}"
        if _caused_by(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
            return f"connection refused by {host}"
        return short_line(f"could not connect to {host}: {exc}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return short_line(f"server broke the HTTP protocol: {exc}")
    if isinstance(exc, httpx.TransportError):
        return short_line(f"network error talking to {host}: {exc or type(exc).__name__}")
    return short_line(f"{type(exc).__name__}: {exc}")


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request  # noqa: B018 - the property raises when no request is attached
    except RuntimeError:
        return False
    return True


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def format_size(size: int) -> str:
    """``20971520`` -> ``"20 MB"`` (binary units, as the limits are written)."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"

