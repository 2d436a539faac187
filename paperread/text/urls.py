"""Links in feed text: the links to code, models and data sets an
abstract mentions, and whether a URL is safe to hand to a browser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Characters that never belong in a URL we hand on: spaces, controls, bidi and
# zero-width marks, surrogates, and backslashes (some browsers read them as /).
_NOT_URL_CHARS = (
    r"\s\x00-\x1f\x7f-\x9f\\\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
)
_URL_RE = re.compile(rf"https?://[^<>\"'`{{}}|^{_NOT_URL_CHARS}]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?*'\""
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_FORGE_HOSTS = frozenset({"github.com", "gist.github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
# Site pages of the code forges, which are not an owner or a repository.
_FORGE_RESERVED = frozenset(
    "about collections customer-stories enterprise explore features join login "
    "marketplace pricing readme search security settings site sponsors topics trending".split()
)
# Hub sections of huggingface.co that are not a model, data set or space.
_HF_RESERVED = frozenset(
    "papers blog docs learn join login settings pricing models collections "
    "organizations posts tasks api chat enterprise search notifications".split()
)


def find_code_links(text: str) -> list[str]:
    """http(s) links to code, models, data sets and archives, in order, deduplicated.

    Hosts: GitHub, GitLab, Bitbucket, Codeberg (owners and repositories),
    Hugging Face models, datasets and spaces, Zenodo (with 10.5281/zenodo DOIs).
    """
    found: list[str] = []
    # Safe: every _URL_RE match contains "://" (looked for after the much
    # faster search for one character).
    if "/" not in text or "://" not in text:
        return found
    for match in _URL_RE.finditer(text):
        url = _trim_url(match.group())
        if url not in found and _is_code_url(url):
            found.append(url)
    return found


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end."""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCT:
            url = url[:-1]
        elif last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def _is_code_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    segments = [segment for segment in parts.path.split("/") if segment]
    host = host.removeprefix("www.")
    if host in _FORGE_HOSTS:
        return bool(segments) and segments[0].lower() not in _FORGE_RESERVED
    if host in ("huggingface.co", "hf.co"):
        if segments[:1] in (["datasets"], ["spaces"]):
            return len(segments) >= 3
        return len(segments) >= 2 and segments[0] not in _HF_RESERVED
    if host == "zenodo.org":
        return bool(segments)
    if host in ("doi.org", "dx.doi.org"):
        return segments[:1] == ["10.5281"] and len(segments) > 1 and segments[1].lower().startswith("zenodo.")
    return False


_UNSAFE_URL_CHAR_RE = re.compile(f"[{_NOT_URL_CHARS}]")


def is_safe_url(url: str) -> bool:
    """True only for an http(s) URL with a host and no spaces or control characters.

    Guards what is handed to a browser: no ``javascript:``, ``file:`` or other
    schemes, nothing that could be read as a command-line option.
    """
    if not url or url.startswith("-") or _UNSAFE_URL_CHAR_RE.search(url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
