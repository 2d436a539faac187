"""A loopback HTTP server that serves feeds and misbehaves on request.

Used by the test suite (the ``feed_server`` fixture) and by the benchmarks::

    with FeedServer() as server:
        server.add("/rss/cs.LG", body, etag='"v1"')
        fetch(server.url("/rss/cs.LG"))
        assert server.requests[0].headers["user-agent"].startswith("paperread/")

It binds 127.0.0.1 on a free port, answers each request in its own thread,
speaks HTTP/1.0 (one request per connection, so no thread waits on an idle
keep-alive connection), records every request, serves ``ETag`` /
``Last-Modified`` and answers matching conditional requests with 304.
Every loop is bounded and every wait ends when the server stops, so stopping
never blocks on a slow or hanging route.
"""

from __future__ import annotations

import functools
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple

_BLOCK = 64 * 1024
# Upper bound for any wait inside a handler, in case the server is never stopped.
_MAX_WAIT = 120.0


class RecordedRequest(NamedTuple):
    """One request as the server saw it; header names are lower case."""

    path: str
    headers: dict[str, str]
    time: float  # time.monotonic() when the request head had been read


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"
    timeout = 30  # socket timeout: bounds reads and writes to a stuck client

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.owner._record(RecordedRequest(self.path, headers, time.monotonic()))
        route = self.server.owner._route(self.path)
        if route is None:
            self._send_simple(404, b"not found\n")
            return
        try:
            route(self, headers)
        except (ConnectionError, TimeoutError):
            pass  # the client went away or stopped reading: its problem, not ours

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: tests assert on ``server.requests`` instead."""

    def _send_simple(
        self, status: int, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: FeedServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up mid-response are expected here; stay quiet."""


_Route = Callable[[_Handler, dict[str, str]], None]


class FeedServer:
    """A threaded loopback HTTP server with a routing table filled by the test."""

    def __init__(self) -> None:
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.requests: list[RecordedRequest] = []

    # lifecycle -------------------------------------------------------------

    def start(self) -> FeedServer:
        self._server = _Server(self)
        # stopping waits for the serving loop's next look: 10 ms, not the default 0.5 s
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; slow and hanging routes are released at once."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The URL of ``path``; ``host="localhost"`` gives a second "host" on the same server."""
        return f"http://{host}:{self.port}{path}"

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # routes ----------------------------------------------------------------

    def add(
        self,
        path: str,
        body: bytes,
        content_type: str = "application/xml; charset=utf-8",
        etag: str | None = None,
        last_modified: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve ``body`` at ``path``.

        ``etag`` is sent as given (include the quotes: ``'"v1"'``);
        ``last_modified`` is an HTTP date. A request whose ``If-None-Match``
        matches the ETag, or (without ``If-None-Match``) whose
        ``If-Modified-Since`` is not older than ``last_modified``, gets 304.
        """
        extra = dict(headers or {})

        def route(handler: _Handler, request_headers: dict[str, str]) -> None:
            validators = {}
            if etag is not None:
                validators["ETag"] = etag
            if last_modified is not None:
                validators["Last-Modified"] = last_modified
            if status == 200 and _not_modified(request_headers, etag, last_modified):
                handler.send_response(304)
                for name, value in {**validators, **extra}.items():
                    handler.send_header(name, value)
                handler.end_headers()
                return
            handler._send_simple(
                status, body, {"Content-Type": content_type, **validators, **extra}
            )

        self._set(path, route)

    def add_slow(
        self, path: str, chunk: bytes = b"x", delay: float = 0.5, count: int = 100
    ) -> None:
        """Send the headers, then ``chunk`` every ``delay`` seconds, ``count`` times."""

        def route(handler: _Handler, request_headers: dict[str, str]) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/xml")
            handler.send_header("Content-Length", str(len(chunk) * count))
            handler.end_headers()
            handler.wfile.flush()
            for _ in range(count):
                if self._stopping.wait(delay):
                    return
                handler.wfile.write(chunk)
                handler.wfile.flush()

        self._set(path, route)

    def add_held(self, path: str, body: bytes, release: threading.Event) -> None:
        """Send the headers, then hold ``body`` back until the test sets
        ``release`` (or the server stops): the test decides when it arrives."""

        def route(handler: _Handler, request_headers: dict[str, str]) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/xml")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.flush()
            deadline = time.monotonic() + _MAX_WAIT
            while not release.wait(0.05):
                if self._stopping.is_set() or time.monotonic() > deadline:
                    return
            handler.wfile.write(body)

        self._set(path, route)

    def add_hang(self, path: str) -> None:
        """Read the request, then never answer (until the server stops)."""

        def route(handler: _Handler, request_headers: dict[str, str]) -> None:
            self._stopping.wait(_MAX_WAIT)

        self._set(path, route)

    def add_redirect(self, path: str, to: str, status: int = 302) -> None:
        """Redirect ``path`` to ``to`` (a path on this server or a full URL)."""

        def route(handler: _Handler, request_headers: dict[str, str]) -> None:
            handler._send_simple(status, b"", {"Location": to})

        self._set(path, route)

    def add_gzip_bomb(self, path: str, unpacked_size: int) -> None:
        """Serve gzip'd zeros (``Content-Encoding: gzip``) that inflate to ``unpacked_size``."""
        body = gzip_zeros(unpacked_size)

        def route(handler: _Handler, request_headers: dict[str, str]) -> None:
            handler._send_simple(
                200, body, {"Content-Type": "application/xml", "Content-Encoding": "gzip"}
            )

        self._set(path, route)

    def add_large(self, path: str, size: int, content_length: bool = True) -> None:
        """Serve ``size`` bytes generated block by block, never held in memory.

        ``content_length=False`` leaves the length out (the body ends when the
        connection closes), so a client cannot refuse it up front.
        """

        def route(handler: _Handler, request_headers: dict[str, str]) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/xml")
            if content_length:
                handler.send_header("Content-Length", str(size))
            handler.end_headers()
            for block in _filler(size):
                if self._stopping.is_set():
                    return
                handler.wfile.write(block)

        self._set(path, route)

    # internals -------------------------------------------------------------

    def _set(self, path: str, route: _Route) -> None:
        with self._lock:
            self._routes[path] = route

    def _route(self, path: str) -> _Route | None:
        """Exact match first (query included), then the path without its query."""
        with self._lock:
            return self._routes.get(path) or self._routes.get(path.split("?", 1)[0])

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


def _not_modified(
    request_headers: dict[str, str], etag: str | None, last_modified: str | None
) -> bool:
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        if etag is None:
            return False
        wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in wanted or etag.removeprefix("W/") in wanted
    if_modified_since = request_headers.get("if-modified-since")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False


def _filler(size: int) -> Iterator[bytes]:
    block = (b"<!-- filler -->\n" * (_BLOCK // 16))[:_BLOCK]
    full, rest = divmod(size, _BLOCK)
    for _ in range(full):
        yield block
    if rest:
        yield block[:rest]


@functools.lru_cache(maxsize=8)
def gzip_zeros(size: int) -> bytes:
    """A valid gzip member of ``size`` zero bytes, built without compressing them all.

    After a full flush a deflate stream no longer refers back, so every
    1 MiB block of zeros compresses to the same bytes: compress one and repeat
    it. Only the CRC needs a pass over the data (about 0.25 s per GiB).
    """
    block_size = 2**20
    zeros = bytes(block_size)
    full, rest = divmod(size, block_size)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = tail.compress(zeros[:rest]) + tail.flush()
    crc = 0
    for _ in range(full):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(zeros[:rest], crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + block * full + last + trailer

