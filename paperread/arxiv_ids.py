"""arXiv identifier rules.

Two schemes exist: new-style ``YYMM.NNNNN`` (four digits after the dot before
2015) and old-style ``archive[.SUBJ]/YYMMNNN`` such as ``hep-ph/0301050`` or
``math.GT/0309136``. Either may carry a ``vN`` version suffix. A paper's key is
the identifier without its version.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}"
_ID_RE = re.compile(rf"(?<![\w.])({_NEW}|{_OLD})(?:v(\d{{1,9}}))?(?![\w.])")
_EXACT_RE = re.compile(rf"^(?:arxiv:)?({_NEW}|{_OLD})(?:v(\d{{1,9}}))?$", re.IGNORECASE)
_URL_RE = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html)/({_NEW}|{_OLD})(?:v(\d{{1,9}}))?", re.IGNORECASE
)
_OAI_RE = re.compile(rf"oai:arXiv\.org:({_NEW}|{_OLD})(?:v(\d{{1,9}}))?", re.IGNORECASE)


# arXiv's taxonomy: an archive, optionally with a subject class (cs.LG,
# astro-ph.CO, cond-mat.str-el, hep-th, math-ph)
_CATEGORY_RE = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?")


def is_category(text: str) -> bool:
    """Whether ``text`` has the form of an arXiv category (``cs.LG``, ``hep-th``)."""
    return _CATEGORY_RE.fullmatch(text) is not None


class ArxivId(NamedTuple):
    """An arXiv identifier split into its versionless base and version."""

    base: str
    version: int | None

    def __str__(self) -> str:
        return self.base if self.version is None else f"{self.base}v{self.version}"


def _fix_case(base: str) -> str:
    """Old-style archives are lower case, subject classes upper case."""
    if "/" not in base:
        return base
    archive, number = base.split("/", 1)
    if "." in archive:
        name, subject = archive.split(".", 1)
        archive = f"{name.lower()}.{subject.upper()}"
    else:
        archive = archive.lower()
    return f"{archive}/{number}"


def parse_arxiv_id(text: str) -> ArxivId | None:
    """Parse a bare id (``2401.00001v2``, ``arXiv:hep-th/9901001``), an
    arXiv abs/pdf URL or an OAI guid. Returns None when ``text`` is none of them."""
    text = text.strip()
    for pattern in (_EXACT_RE, _OAI_RE, _URL_RE):
        match = pattern.search(text) if pattern is not _EXACT_RE else pattern.match(text)
        if match:
            version = int(match.group(2)) if match.group(2) else None
            return ArxivId(_fix_case(match.group(1)), version)
    return None


def find_arxiv_id(text: str) -> ArxivId | None:
    """Find the first arXiv id anywhere in free text (for third-party feeds that
    wrap the id in their own URLs, e.g. ``https://tldr.takara.ai/p/2604.12345``)."""
    parsed = parse_arxiv_id(text)
    if parsed:
        return parsed
    match = _ID_RE.search(text)
    if not match:
        return None
    version = int(match.group(2)) if match.group(2) else None
    return ArxivId(_fix_case(match.group(1)), version)


def abs_url(base: str) -> str:
    return f"https://arxiv.org/abs/{base}"


def pdf_url(base: str, version: int | None = None) -> str:
    suffix = f"v{version}" if version else ""
    return f"https://arxiv.org/pdf/{base}{suffix}"


def id_month(base: str) -> str | None:
    """The ``YYYY-MM`` an id was issued in, from its YYMM digits (arXiv began in
    1991, so 91-99 are 19xx)."""
    digits = base.split("/", 1)[1] if "/" in base else base
    if len(digits) < 4 or not digits[:4].isdigit():
        return None
    year, month = int(digits[:2]), digits[2:4]
    century = 1900 if year >= 91 else 2000
    return f"{century + year}-{month}"
