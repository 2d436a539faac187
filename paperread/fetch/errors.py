"""A feed's failures phrased for the user in one line: the exception that
carries one with its HTTP details, HTTP statuses, ``Retry-After``, and
httpx's transport errors."""

from __future__ import annotations

import socket
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import httpx

from paperread.fetch.limits import FetchLimits
from paperread.text import short_line

_RETRY_AFTER_STATUSES = frozenset({429, 503})
#: The longest wait a ``Retry-After`` header can impose, in seconds.
MAX_RETRY_AFTER = 24 * 3600.0


class _FetchError(Exception):
    """A failure already phrased for the user; carries the HTTP details if any."""

    def __init__(
        self, message: str, http_status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.retry_after = retry_after


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
