"""The records everything else passes around: a paper, the user's state for
one paper, and the outcome of parsing one feed.

Dates are ISO 8601 strings in UTC (``2026-04-27T04:00:00Z``) so that they sort
as text and survive JSON unchanged; ``announced`` is the day (``YYYY-MM-DD``)
a feed announced the paper, used to group the list by day. A feed that names
no announcement day (the arXiv API) leaves it to be worked out from a
version's date; ``announced_from`` then names that version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from operator import attrgetter
from typing import Any

ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_utc_iso(moment: datetime) -> str:
    """Format an aware or naive (taken as UTC) datetime as ``...Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Paper:
    """One paper, however many feeds announced it.

    ``id`` is the key: the arXiv id without version (``2504.17830``,
    ``hep-ph/0301050``), else ``doi:<doi>`` (lower case), else ``guid:<guid>``.
    ``title`` and ``abstract`` are clean display text (control characters
    removed, whitespace normalised, TeX turned into Unicode); ``raw_title`` and
    ``raw_abstract`` keep the feed's text (control characters removed only).
    """

    id: str
    title: str
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    version: int | None = None
    raw_title: str = ""
    raw_abstract: str = ""
    # author name -> affiliation text, for authors whose feed names one
    affiliations: dict[str, str] = field(default_factory=dict)
    # primary category first where the feed says which one it is
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    # subject classes the authors gave (arXiv's API sends them as categories)
    msc_classes: list[str] = field(default_factory=list)  # Mathematics Subject Classification
    acm_classes: list[str] = field(default_factory=list)  # ACM Computing Classification
    announce_type: str | None = None  # one of ANNOUNCE_TYPES
    announced: str | None = None  # YYYY-MM-DD
    announced_from: str | None = None  # "v2": estimated from that version's date
    published: str | None = None  # first version
    updated: str | None = None  # this version
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    # "abs", "pdf", "doi", "source" (the item link of a non-arXiv feed) and
    # "project" (a project page, from Hugging Face)
    links: dict[str, str] = field(default_factory=dict)
    code_links: list[str] = field(default_factory=list)
    # Hugging Face Daily Papers
    upvotes: int | None = None
    num_comments: int | None = None
    github_repo: str | None = None
    # the feeds (their URLs) that carried this paper
    feeds: list[str] = field(default_factory=list)
    first_seen: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        return cls(**{key: value for key, value in data.items() if key in _PAPER_FIELDS})

    def __reduce__(self) -> tuple[type[Paper], tuple[Any, ...]]:
        # pickled as its field values: parsed papers cross from the parser
        # processes this way, in half the time of the dataclass default
        return (Paper, _paper_values(self))

    @property
    def first_author(self) -> str:
        if not self.authors:
            return ""
        return self.authors[0] if len(self.authors) == 1 else f"{self.authors[0]} et al."


@dataclass(slots=True)
class PaperState:
    """What the user did with one paper. Missing means all defaults."""

    read: bool = False
    starred: bool = False
    tags: list[str] = field(default_factory=list)
    read_at: str | None = None
    starred_at: str | None = None
    tags_at: str | None = None
    # "not interested": hidden from For you, a negative signal for its ranking
    dismissed: bool = False
    dismissed_at: str | None = None

    def is_default(self) -> bool:
        return not self.read and not self.starred and not self.tags and not self.dismissed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaperState:
        return cls(**{key: value for key, value in data.items() if key in _STATE_FIELDS})

    def copy(self) -> PaperState:
        return PaperState(
            self.read,
            self.starred,
            list(self.tags),
            self.read_at,
            self.starred_at,
            self.tags_at,
            self.dismissed,
            self.dismissed_at,
        )


_PAPER_FIELDS = frozenset(f.name for f in fields(Paper))
_paper_values = attrgetter(*(f.name for f in fields(Paper)))


def copy_paper(paper: Paper) -> Paper:
    """A shallow copy (lists and dicts shared). ``dataclasses.replace``
    costs five times as much, which shows at 20,000 papers a refresh."""
    return Paper(*_paper_values(paper))
_STATE_FIELDS = frozenset(f.name for f in fields(PaperState))


@dataclass(slots=True)
class ParsedFeed:
    """What a source parser made of one response body.

    ``error`` is a one-line reason when nothing usable came out; ``warnings``
    are one-line notes about recoverable trouble (e.g. the XML was malformed
    but N items were recovered). An empty ``papers`` list with no error is a
    valid empty feed (arXiv on a weekend).
    """

    format: str  # "arxiv-rss", "arxiv-rdf", "arxiv-api", "hf-daily", "generic"
    papers: list[Paper] = field(default_factory=list)
    title: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
