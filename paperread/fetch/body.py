"""Reading a response body within a size cap that also holds for
compressed bodies: gzip and deflate are inflated here with a bounded
``zlib`` decompressor, so a gzip bomb is never inflated beyond
``max_bytes + 1`` bytes."""

from __future__ import annotations

import zlib

import httpx

from paperread.fetch.errors import _FetchError, format_size
from paperread.text import short_line


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
