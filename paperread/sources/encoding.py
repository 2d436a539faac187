"""Bodies meant as UTF-8 that hold some bytes of another encoding.

A feed put together from parts can carry valid UTF-8 beside bytes of a
one-byte encoding ("Ѩ" as UTF-8 next to "España" in Latin-1). feedparser
then reads the whole body as Windows-1252 and turns every UTF-8 character
into mojibake ("Ñ¨"). Here each valid UTF-8 run stays UTF-8 and only the
bytes that are not UTF-8 are read as Windows-1252.
"""

from __future__ import annotations

import codecs
import re

_ERRORS = "paperread-windows-1252"
_UTF8_NAMES = frozenset({"utf-8", "utf8"})
_OTHER_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECLARED_RE = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_CHARSET_RE = re.compile(r"""\bcharset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_DECLARATION_RE = re.compile(r"\A\s*<\?xml\b[^>]*?\?>")
_UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def _one_byte_characters(error: UnicodeError) -> tuple[str, int]:
    """The bytes UTF-8 cannot read, each as Windows-1252 (or, for the five
    bytes it leaves undefined, as Latin-1)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chars = []
    for byte in error.object[error.start : error.end]:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars), error.end


codecs.register_error(_ERRORS, _one_byte_characters)


def _meant_as_utf8(body: bytes, content_type: str | None) -> bool:
    """Whether the body is UTF-8 by its byte-order mark, or says no other
    encoding in its Content-Type or XML declaration."""
    if body.startswith(codecs.BOM_UTF8):
        return True
    if body.startswith(_OTHER_BOMS):
        return False
    charset = _CHARSET_RE.search(content_type or "")
    if charset and charset.group(1).lower() not in _UTF8_NAMES:
        return False
    declared = _DECLARED_RE.match(body[:500])
    return declared is None or declared.group(1).decode("ascii").lower() in _UTF8_NAMES


def utf8_body(body: bytes, content_type: str | None = None) -> bytes:
    """``body`` as valid UTF-8 when it is meant as UTF-8 but is not: the
    valid UTF-8 runs as they are, each other byte read as Windows-1252,
    under an XML declaration that says UTF-8 (without one, feedparser
    reads a body that came with no Content-Type as ISO-8859-1). Any other
    body is returned as it is."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if _meant_as_utf8(body, content_type):
            text = body.decode("utf-8", _ERRORS).removeprefix("\ufeff")
            # on the first line, so that line numbers in errors stay true
            text = _UTF8_DECLARATION + _DECLARATION_RE.sub("", text, count=1)
            return text.encode("utf-8")
    return body
