"""Feed specs: what a user writes to name a feed, and the URL it stands for.

A spec is an http(s) URL, a local file path (or ``file://`` URL), or one of
the shortcuts ``arxiv:CATS`` (arXiv RSS; ``cs.LG+cs.CL`` combines categories
in one request), ``arxiv-query:QUERY`` (arXiv API search, newest first) and
``hf:daily`` (Hugging Face Daily Papers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from paperread import arxiv_ids

ARXIV_RSS = "https://rss.arxiv.org/rss/"
ARXIV_API = "https://export.arxiv.org/api/query"
HF_DAILY = "https://huggingface.co/api/daily_papers"
ARXIV_QUERY_SIZE = 100

DEFAULT_FEEDS = ("arxiv:cs.LG", "arxiv:cs.CL", "arxiv:cs.AI", "hf:daily")


class FeedSpecError(ValueError):
    """A spec that names no feed we can read."""


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """A resolved feed: ``url`` is what is fetched (or the absolute path of a
    local file) and also the feed's identity in the store. ``name_from_url``
    says that no name was given and ``name`` was made from the URL or path."""

    spec: str
    url: str
    name: str
    name_from_url: bool = False

    @property
    def is_local(self) -> bool:
        return not self.url.startswith(("http://", "https://"))


def feed_label(feed: FeedSpec, title: str | None) -> str:
    """What a feed is called in lists: its given name, else the title the
    feed gives itself (as newsboat does), else the name made from its URL."""
    return title if feed.name_from_url and title else feed.name


def resolve(spec: str, name: str | None = None, base_dir: Path | None = None) -> FeedSpec:
    """Turn a spec into a FeedSpec. ``base_dir`` anchors relative file paths
    (the config file's folder for configured feeds, the working directory for
    ``--feed``)."""
    text = spec.strip()
    if not text:
        raise FeedSpecError("empty feed spec")
    lowered = text.lower()
    from_url = False  # the shortcuts' names are made from the spec
    if lowered.startswith("arxiv:"):
        url, default_name = _arxiv_rss(text[len("arxiv:"):])
    elif lowered.startswith("arxiv-query:"):
        url, default_name = _arxiv_query(text[len("arxiv-query:"):])
    elif lowered.startswith("hf:"):
        url, default_name = _hugging_face(text[len("hf:"):])
    elif lowered.startswith(("http://", "https://")):
        if not urlsplit(text).hostname:
            raise FeedSpecError(f"feed URL without a host: {text!r}")
        url, default_name, from_url = text, _name_from_url(text), True
    elif lowered.startswith("file://"):
        path = Path(unquote(urlsplit(text).path))
        url, default_name, from_url = str(path.resolve()), path.name, True
    elif re.match(r"^[a-z][a-z0-9+.-]*://", lowered):
        raise FeedSpecError(f"unsupported feed URL scheme in {text!r} (use http or https)")
    else:
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = (base_dir or Path.cwd()) / path
        if re.match(r"^[a-z][a-z0-9+.-]*:", lowered) and not path.exists():
            raise FeedSpecError(
                f"unknown feed spec {text!r} (expected an http(s) URL, a file path, "
                "arxiv:CATEGORIES, arxiv-query:QUERY or hf:daily)"
            )
        url, default_name, from_url = str(path.resolve()), path.name, True
    return FeedSpec(spec=text, url=url, name=name or default_name, name_from_url=from_url and not name)


def _arxiv_rss(categories: str) -> tuple[str, str]:
    parts = [part.strip() for part in categories.split("+") if part.strip()]
    if not parts or not all(arxiv_ids.is_category(part) for part in parts):
        raise FeedSpecError(
            f"bad arXiv category list {categories!r} (expected e.g. cs.LG or cs.LG+cs.CL)"
        )
    joined = "+".join(parts)
    return ARXIV_RSS + joined, f"arXiv {joined}"


def _arxiv_query(query: str) -> tuple[str, str]:
    query = query.strip()
    if not query:
        raise FeedSpecError("arxiv-query: needs a query, e.g. arxiv-query:ti:diffusion")
    url = (
        f"{ARXIV_API}?search_query={quote(query, safe=':')}"
        f"&sortBy=submittedDate&sortOrder=descending&max_results={ARXIV_QUERY_SIZE}"
    )
    return url, f"arXiv search: {query}"


def _hugging_face(which: str) -> tuple[str, str]:
    if which.strip().lower() != "daily":
        raise FeedSpecError(f"unknown Hugging Face feed hf:{which} (only hf:daily exists)")
    return HF_DAILY, "Hugging Face Daily Papers"


def _name_from_url(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return f"{parts.hostname}{path}" if path else str(parts.hostname)
