"""The in-memory library: every paper with its state, the views the sidebar
offers, their counts, and the filtered, sorted lists the reader and the CLI
show.

Counts are kept up to date incrementally (a state change touches only the
counters of that paper's views) so that starring one paper among 100,000
costs microseconds, not a pass over the library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from paperread.model import Paper, PaperState
from paperread.query import search_text

ViewKind = Literal["unread", "starred", "all", "tag", "feed", "saved"]
SORT_ORDERS = ("newest", "oldest", "title", "author", "upvotes")


@dataclass(frozen=True, slots=True)
class View:
    """A sidebar entry. ``key`` identifies it in counts: ``unread``,
    ``starred``, ``all``, ``tag:NAME``, ``feed:URL`` or ``saved:NAME``."""

    kind: ViewKind
    label: str
    value: str = ""

    @property
    def key(self) -> str:
        return self.kind if self.kind in ("unread", "starred", "all") else f"{self.kind}:{self.value}"


UNREAD = View("unread", "Unread")
STARRED = View("starred", "Starred")
ALL = View("all", "All")


@dataclass(slots=True)
class Count:
    unread: int = 0
    total: int = 0


def paper_day(paper: Paper) -> str:
    """The day a paper belongs to in the list: its announcement day, else its
    publication or first-seen day."""
    return paper.announced or (paper.published or paper.first_seen or "")[:10]


def _newest_key(paper: Paper) -> tuple[str, str, str]:
    return (paper_day(paper), paper.published or "", paper.id)


def _first_author_surname(paper: Paper) -> str:
    return paper.authors[0].split()[-1].casefold() if paper.authors and paper.authors[0].split() else "\uffff"


def _sort(papers: Iterable[Paper], order: str) -> list[Paper]:
    if order == "oldest":
        return sorted(papers, key=_newest_key)
    if order == "title":
        return sorted(papers, key=lambda paper: paper.title.casefold())
    if order == "author":
        return sorted(papers, key=_first_author_surname)
    if order == "upvotes":
        return sorted(papers, key=lambda paper: (paper.upvotes or 0, _newest_key(paper)), reverse=True)
    if order != "newest":
        raise ValueError(f"unknown sort order {order!r} (one of {', '.join(SORT_ORDERS)})")
    return sorted(papers, key=_newest_key, reverse=True)


class Library:
    def __init__(
        self,
        papers: Mapping[str, Paper],
        states: Mapping[str, PaperState],
        feed_names: Mapping[str, str] | None = None,
    ) -> None:
        self.papers: dict[str, Paper] = dict(papers)
        self._states: dict[str, PaperState] = {
            pid: state for pid, state in states.items() if not state.is_default()
        }
        self.feed_names: dict[str, str] = dict(feed_names or {})
        self._counts: dict[str, Count] = {}
        self._tag_counts: Counter[str] = Counter()
        self._search_text: dict[str, str] = {}
        self._rebuild_counts()

    # state -----------------------------------------------------------------
    def state(self, paper_id: str) -> PaperState:
        return self._states.get(paper_id) or PaperState()

    def states(self) -> dict[str, PaperState]:
        return dict(self._states)

    def set_state(self, paper_id: str, state: PaperState) -> None:
        """Record a new state for a paper (in memory; persisting is the
        caller's job) and adjust the counts of its views."""
        paper = self.papers.get(paper_id)
        if paper is not None:
            self._count(paper, self.state(paper_id), -1)
        if state.is_default():
            self._states.pop(paper_id, None)
        else:
            self._states[paper_id] = state.copy()
        if paper is not None:
            self._count(paper, state, +1)

    # papers ----------------------------------------------------------------
    def add_papers(self, papers: Iterable[Paper]) -> None:
        """Insert or replace papers (after a refresh)."""
        for paper in papers:
            old = self.papers.get(paper.id)
            state = self.state(paper.id)
            if old is not None:
                self._count(old, state, -1)
            self.papers[paper.id] = paper
            self._search_text.pop(paper.id, None)
            self._count(paper, state, +1)

    def search_text(self, paper: Paper) -> str:
        """The folded text free words match in (``query.search_text``), kept
        per paper so that a keystroke in the search box does not rebuild it."""
        text = self._search_text.get(paper.id)
        if text is None:
            text = self._search_text[paper.id] = search_text(paper)
        return text

    def has_state(self, paper_id: str) -> bool:
        return paper_id in self._states

    # views and counts ------------------------------------------------------
    def views(self, saved: Mapping[str, str] | None = None) -> list[View]:
        """Every sidebar entry: fixed views, saved searches, tags, feeds."""
        entries = [UNREAD, STARRED, ALL]
        entries += [View("saved", name, query) for name, query in (saved or {}).items()]
        entries += [View("tag", tag, tag) for tag in sorted(self._tag_counts, key=str.casefold)]
        entries += [View("feed", name, url) for url, name in self.feed_names.items()]
        return entries

    def count(self, view: View) -> Count:
        return self._counts.get(view.key, Count())

    def tags(self) -> list[str]:
        return sorted(self._tag_counts, key=str.casefold)

    def in_view(self, paper: Paper, view: View) -> bool:
        if view.kind == "all":
            return True
        state = self.state(paper.id)
        if view.kind == "unread":
            return not state.read
        if view.kind == "starred":
            return state.starred
        if view.kind == "tag":
            return view.value in state.tags
        if view.kind == "feed":
            return view.value in paper.feeds
        raise ValueError(f"a saved view is filtered through its query, not in_view: {view}")

    def select(
        self,
        view: View = ALL,
        predicate=None,
        order: str = "newest",
    ) -> list[Paper]:
        """Papers of ``view`` for which ``predicate(paper)`` holds, sorted."""
        if view.kind == "saved":
            papers: Iterable[Paper] = self.papers.values()
        else:
            papers = (paper for paper in self.papers.values() if self.in_view(paper, view))
        if predicate is not None:
            papers = (paper for paper in papers if predicate(paper))
        return _sort(papers, order)

    def _rebuild_counts(self) -> None:
        self._counts.clear()
        self._tag_counts.clear()
        for paper in self.papers.values():
            self._count(paper, self.state(paper.id), +1)

    def _count(self, paper: Paper, state: PaperState, delta: int) -> None:
        keys = ["all", *(f"feed:{url}" for url in paper.feeds)]
        keys += [f"tag:{tag}" for tag in state.tags]
        if state.starred:
            keys.append("starred")
        unread = 0 if state.read else delta
        for key in keys:
            count = self._counts.get(key)
            if count is None:
                count = self._counts[key] = Count()
            count.total += delta
            count.unread += unread
        if not state.read:
            count = self._counts.setdefault("unread", Count())
            count.total += delta
            count.unread += delta
        for tag in state.tags:
            self._tag_counts[tag] += delta
            if self._tag_counts[tag] <= 0:
                del self._tag_counts[tag]
