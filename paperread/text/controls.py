"""Control characters, terminal escape sequences, whitespace and paragraphs:
the cheap clean-up every feed text goes through.

The common case (printable text, single spaces) is recognised by a few
linear scans and returned as it is.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------
# Control characters and terminal escape sequences

# C0 except tab and newline, DEL, C1, the bidi marks, embeddings, overrides and
# isolates, and lone surrogates (they cannot be encoded for output).
_CONTROL_CHARS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CONTROL_CHAR_RE = re.compile(f"[{_CONTROL_CHARS}]")
# Escape sequences are matched first so that their parameter bytes go with
# them: CSI (ESC [ or C1 CSI) parameters, intermediates and final byte; string
# sequences (OSC, DCS, SOS, PM, APC; C1 OSC and DCS) up to BEL or ST, or,
# unterminated, up to the next control character; other ESC sequences (ESC 7,
# ESC ( B). The other C1 characters go alone: in mis-decoded cp1252 text they
# stand for letters such as ž and Ÿ, and the text after them is kept.
_CONTROL_RE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d])[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
    f"|[{_CONTROL_CHARS}]"
)


# The ASCII characters of _CONTROL_CHARS, and those str.isprintable rejects
# (the same and tab and newline). On ASCII text longer than _BYTE_SCAN_LENGTH
# they are looked for by mapping them to a non-ASCII byte in its bytes, several
# times faster than str.isprintable or a regex search.
_ASCII_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
_ASCII_UNPRINTABLE = bytes([*range(0x20), 0x7F])
_CONTROLS_TO_HIGH = bytes.maketrans(_ASCII_CONTROLS, b"\x80" * len(_ASCII_CONTROLS))
_UNPRINTABLE_TO_HIGH = bytes.maketrans(_ASCII_UNPRINTABLE, b"\x80" * len(_ASCII_UNPRINTABLE))
_BYTE_SCAN_LENGTH = 100


def strip_controls(text: str) -> str:
    """Remove control characters and whole escape sequences; CR/CRLF become LF."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > _BYTE_SCAN_LENGTH and text.isascii():
        if text.encode("ascii").translate(_CONTROLS_TO_HIGH).isascii():
            return text
    elif text.isprintable() or not _CONTROL_CHAR_RE.search(text):
        return text
    return _CONTROL_RE.sub("", text)


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    if _is_normal_line(text):
        return text
    return " ".join(text.split())


def short_line(text: str, limit: int = 200) -> str:
    """``text`` as one short line for a message (an error a feed or a server
    gave): controls removed, whitespace collapsed, at most ``limit``
    characters."""
    text = normalize_whitespace(strip_controls(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_normal_line(text: str) -> bool:
    """Whether ``text`` is printable, with no two spaces together and none at
    the ends: then it has no control characters or line breaks, and
    ``normalize_whitespace`` leaves it as it is (every whitespace character
    but the space is unprintable)."""
    if len(text) > _BYTE_SCAN_LENGTH and text.isascii():
        printable = text.encode("ascii").translate(_UNPRINTABLE_TO_HIGH).isascii()
    else:
        printable = text.isprintable()
    return printable and "  " not in text and text[:1] != " " and text[-1:] != " "


# --------------------------------------------------------------------------
# Paragraphs

_SENTENCE_END_RE = re.compile(r"[.!?:][\"')\]]*\s*$")
# Hard-wrapped abstracts (arXiv's legacy API, RSS 1.0) wrap near 80 columns.
_WRAP_WIDTH = 100


def normalize_paragraphs(text: str) -> str:
    """Collapse whitespace inside paragraphs; separate paragraphs by one blank line.

    A blank line always separates paragraphs. A single newline follows arXiv's
    convention, where a paragraph starts on an indented line:

    * lines indented more than the other continuation lines start paragraphs
      (hard-wrapped text whose wrapped lines are not indented);
    * when every continuation line has the same indentation, the lines are
      one wrapped paragraph if most are short and they do not all end a
      sentence (hard-wrapped or re-indented text), else each line is a
      paragraph (the current arXiv API and RSS put a paragraph on one line).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        return normalize_whitespace(text)
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line and not line.isspace():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs = [normalize_whitespace(paragraph) for block in blocks for paragraph in _split_block(block)]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _split_block(lines: list[str]) -> list[str]:
    """Split the lines between two blank lines into paragraphs (see normalize_paragraphs)."""
    if len(lines) <= 1:
        return lines
    indents = [len(line) - len(line.lstrip()) for line in lines[1:]]
    base = min(indents)
    if base != max(indents):
        starts = [indent > base for indent in indents]
    else:
        long_lines = sum(len(line.strip()) > _WRAP_WIDTH for line in lines[:-1])
        wrapped = 2 * long_lines < len(lines) - 1 and not all(
            _SENTENCE_END_RE.search(line) for line in lines[:-1]
        )
        starts = [not wrapped] * len(indents)
    paragraphs = [lines[0]]
    for line, start in zip(lines[1:], starts):
        if start:
            paragraphs.append(line)
        else:
            paragraphs[-1] += " " + line
    return paragraphs
