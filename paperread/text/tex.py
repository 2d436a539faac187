"""TeX to Unicode: ``latex_to_unicode`` and its fast path for texts whose
only TeX is short inline math, converted a span at a time and cached;
typographic quotes and non-breaking spaces."""

from __future__ import annotations

import re
from functools import lru_cache

from paperread.text.tex_converter import _Converter
from paperread.text.tex_tables import _SCRIPT_CHARS
from paperread.text.tex_tokens import _BLANK_LINE_RE

# "~" is a TeX non-breaking space only between two non-space characters
# ("Fig.~3", "$x$~dB"); "~5 GB" and "https://host/~user" keep theirs.
_TILDE_RE = re.compile(r"https?://\S+|(?<=[^\s/\\])~(?=[^\s~/])")
# TeX quotes: ``double'' and `single', each opening mark paired with the
# first closing one after it. A single closing mark is not followed by a
# letter, so the apostrophe of "don't" inside stays one.
_DOUBLE_QUOTE_RE = re.compile(r"``(?=\S)((?:(?!``|'').)*?\S)''", re.DOTALL)
_SINGLE_QUOTE_RE = re.compile(r"(?<![\w`])`(?=[^\s`'])([^`]*?[^\s`])'(?![\w'])")


def latex_to_unicode(text: str) -> str:
    """Readable Unicode from the TeX in a title, abstract or author name.

    Accents, math (``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]``) with Greek,
    symbols, fonts, fractions, roots and sub/superscripts are converted. Words
    are never dropped: ``%`` is a literal percent, a ``$`` without a plausible
    partner is a literal dollar, unknown macros keep their name (without the
    backslash in math) and their arguments.
    """
    return _latex_to_unicode(text)[0]


def _latex_to_unicode(text: str) -> tuple[str, bool]:
    """``latex_to_unicode(text)``, and True when the result is a normal line
    (see ``_is_normal_line``) if ``text`` is one: when the text has no TeX or
    is simple (see ``_convert_simple``)."""
    converted, normal = _convert_tex(text)
    if "`" in converted:  # typographic quotes keep a normal line normal
        converted = _typographic_quotes(converted)
    return converted, normal


def _convert_tex(text: str) -> tuple[str, bool]:
    """``_latex_to_unicode`` but for the quotes."""
    if "\\" not in text and "$" not in text and "~" not in text:
        return text, True
    if "~" in text:  # a replaced "~" has a non-space on either side
        text = _TILDE_RE.sub(_tilde_space, text)
    simple = _convert_simple(text)
    if simple is not None:
        return simple, True
    return _Converter(text).convert(), False


def _typographic_quotes(text: str) -> str:
    """TeX's ``double'' and `single' quotes as “double” and ‘single’; a
    pair is left as it is when a blank line (a new paragraph) lies between."""
    text = _DOUBLE_QUOTE_RE.sub(lambda match: _quoted(match, "“", "”"), text)
    return _SINGLE_QUOTE_RE.sub(lambda match: _quoted(match, "‘", "’"), text)


def _quoted(match: re.Match[str], opening: str, closing: str) -> str:
    inner = match.group(1)
    if _BLANK_LINE_RE.search(inner):
        return match.group()
    return f"{opening}{inner}{closing}"


def _tilde_space(match: re.Match[str]) -> str:
    return " " if match.group() == "~" else match.group()


def _convert_simple(text: str) -> str | None:
    """``_Converter(text).convert()`` for a simple text, else None.

    A simple text has TeX only in inline math spans (``$..$``, ``\\(..\\)``)
    that pair in order, convert to something, and are separated by non-empty
    plain runs: no TeX outside them, no escaped, doubled or unpaired
    delimiters, no display math, no definitions. The converter writes such a
    text's runs unchanged and renders each span without reading past its
    closing delimiter; what it wrote before a span can only add a leading
    space, which the span's strip removes, and a span only passes on whether
    it ended in an operator name. So a span converted alone gives the same
    result, and short spans (often repeated: "$n$", "$\\alpha$") are
    converted once and cached. A converted span has single inner spaces only, and a space is
    added only between a span and a letter or digit, so the result of a
    normal line (see ``_is_normal_line``) is a normal line.
    """
    # Single characters are searched for: they are found much faster than
    # "\\(" or "$$". Doubled dollars need no check: they make an empty span
    # or an empty run between two spans, and both are refused below.
    marks = _positions(text, "$")
    for backslash in _positions(text, "\\"):
        follower = text[backslash + 1 : backslash + 2]
        if follower == "(" or follower == ")":
            marks.append(backslash)
        elif follower == "[" or follower == "]":
            return None
    marks.sort()
    if len(marks) % 2:
        return None
    out: list[str] = []
    after_word = False
    end = 0
    for index in range(0, len(marks), 2):
        start, close = marks[index], marks[index + 1]
        if "\\" in (text[start - 1 : start], text[close - 1 : close]):
            return None  # a delimiter after a backslash may be escaped
        if text[start] == "$":
            # _is_math looks at the span's content and at the character after it
            if text[close] != "$" or text[close + 1 : close + 2].isdigit():
                return None
            span_end = close + 1
        elif text[start + 1] == "(" and text[close : close + 2] == "\\)":
            span_end = close + 2
        else:
            return None
        run = text[end:start]
        if (index and not run) or _has_tex(run):
            return None
        span = text[start:span_end]
        if "\\def" in span or "command" in span:
            return None
        convert = _convert_short_span if len(span) <= _SHORT_SPAN else _convert_span
        piece, after_word_next, is_math = convert(span)
        if not is_math or not piece:
            return None
        if run:
            if after_word and run[0].isalnum() and run[0] not in _SCRIPT_CHARS:
                out.append(" ")
            out.append(run)
        out.append(piece)
        after_word = after_word_next
        end = span_end
    run = text[end:]
    if _has_tex(run):
        return None
    if run and after_word and run[0].isalnum() and run[0] not in _SCRIPT_CHARS:
        out.append(" ")
    out.append(run)
    return "".join(out)


def _has_tex(run: str) -> bool:
    """Whether a run between math spans has a character the tokenizer treats
    specially (dollars are all span delimiters already)."""
    return "\\" in run or "{" in run or "}" in run or "^" in run or "_" in run


def _positions(text: str, char: str) -> list[int]:
    """The indexes of ``char`` in ``text``."""
    found = []
    index = text.find(char)
    while index >= 0:
        found.append(index)
        index = text.find(char, index + 1)
    return found


def _convert_span(span: str) -> tuple[str, bool, bool]:
    """One math span converted alone: the text, whether it ended in an operator
    name, and whether its delimiters were taken for math."""
    converter = _Converter(span)
    is_math = converter.toks[0][0] == "mopen"
    return converter.convert(), converter.after_word, is_math


# Short spans are the ones that repeat; only they are cached, which keeps the
# cache small whatever a feed sends.
_SHORT_SPAN = 80
_convert_short_span = lru_cache(maxsize=4096)(_convert_span)
