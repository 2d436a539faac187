"""Text cleaning for feed text: control characters, whitespace, TeX, HTML, links.

Titles and abstracts arrive as TeX-flavoured plain text (arXiv, Hugging Face)
or as HTML fragments (bioRxiv, blogs, feedgen). Every function here is pure.
The common case (no TeX, no control characters) costs a few linear scans; TeX
is converted by a small table-driven tokenizer and renderer that never drops
words: unknown macros keep their names and their arguments.

This module cleans titles and abstracts and names the package's public
functions; the work is done in its modules:

- ``controls``: control characters, escape sequences, whitespace, paragraphs
- ``tex``: TeX to Unicode (``tex_converter`` the converter, ``tex_tokens`` its
  tokens, ``tex_tables`` its tables)
- ``html``: plain text from HTML fragments
- ``urls``: code links in a text, and which URLs are safe to open
"""

from __future__ import annotations

from paperread.text.controls import (
    _is_normal_line,
    normalize_paragraphs,
    normalize_whitespace,
    short_line,
    strip_controls,
)
from paperread.text.html import strip_html
from paperread.text.tex import _latex_to_unicode, latex_to_unicode
from paperread.text.urls import find_code_links, is_safe_url

__all__ = [
    "clean_abstract",
    "clean_title",
    "find_code_links",
    "is_safe_url",
    "latex_to_unicode",
    "normalize_paragraphs",
    "normalize_whitespace",
    "short_line",
    "strip_controls",
    "strip_html",
]


def clean_title(raw: str) -> str:
    """A title as one line of readable Unicode."""
    if _is_normal_line(raw):
        # Safe: a normal line has no controls to strip, and the conversion
        # says when its result is a normal line too, which needs no work.
        converted, normal = _latex_to_unicode(raw)
        return converted if normal else normalize_whitespace(converted)
    return normalize_whitespace(latex_to_unicode(strip_controls(raw)))


def clean_abstract(raw: str) -> str:
    """An abstract as readable Unicode paragraphs separated by blank lines."""
    if "\n" not in raw and _is_normal_line(raw):  # safe: as in clean_title
        converted, normal = _latex_to_unicode(raw)
        return converted if normal else normalize_paragraphs(converted)
    return normalize_paragraphs(latex_to_unicode(strip_controls(raw)))
