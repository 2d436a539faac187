"""Text cleaning for feed text. (Interim version: the full LaTeX converter lands next.)"""

from __future__ import annotations

import re

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES_RE = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    return _CONTROL_RE.sub("", text)


def normalize_whitespace(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


def latex_to_unicode(text: str) -> str:
    return text


def clean_title(raw: str) -> str:
    return normalize_whitespace(latex_to_unicode(strip_controls(raw)))


def clean_abstract(raw: str) -> str:
    return normalize_whitespace(latex_to_unicode(strip_controls(raw)))


def strip_html(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)


def find_code_links(text: str) -> list[str]:
    return re.findall(r"https?://(?:github\.com|gitlab\.com)/[\w.-]+/[\w.-]+", text)


def is_safe_url(url: str) -> bool:
    return url.startswith(("http://", "https://"))
