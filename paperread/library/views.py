"""The sidebar's views (``View``), the counts shown beside them (``Count``),
and the quick membership test of a view that is not a saved search."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from paperread.model import Paper, PaperState

ViewKind = Literal["unread", "starred", "all", "tag", "feed", "saved", "foryou", "unsure", "like"]
_FIXED = frozenset({"unread", "starred", "all", "foryou", "unsure"})


@dataclass(frozen=True, slots=True)
class View:
    """A sidebar entry. ``key`` identifies it in counts: ``unread``,
    ``starred``, ``all``, ``tag:NAME``, ``feed:URL`` or ``saved:NAME``; and
    the reader's ranked views ``foryou``, ``unsure`` and ``like:paper:ID`` /
    ``like:tag:NAME`` ("more like this"; see paperread.foryou), which only
    the reader lists."""

    kind: ViewKind
    label: str
    value: str = ""

    @property
    def key(self) -> str:
        return self.kind if self.kind in _FIXED else f"{self.kind}:{self.value}"


FOR_YOU = View("foryou", "For you")
UNSURE = View("unsure", "Unsure")
UNREAD = View("unread", "Unread")
STARRED = View("starred", "Starred")
ALL = View("all", "All")


@dataclass(slots=True)
class Count:
    unread: int = 0
    total: int = 0


def _view_filter(view: View, states: Mapping[str, PaperState]) -> Callable[[Paper], bool] | None:
    """A quick membership test for ``view`` (None: every paper)."""
    get = states.get
    if view.kind == "all":
        return None
    if view.kind == "unread":
        return lambda paper: not ((state := get(paper.id)) and state.read)
    if view.kind == "starred":
        return lambda paper: bool((state := get(paper.id)) and state.starred)
    if view.kind == "tag":
        tag = view.value
        return lambda paper: bool((state := get(paper.id)) and tag in state.tags)
    if view.kind == "feed":
        url = view.value
        return lambda paper: url in paper.feeds
    raise ValueError(f"a saved search or a ranked view has no membership test: {view}")
