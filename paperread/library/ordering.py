"""The orders the list can be sorted in, and sorting by them: a whole
list, the place of one paper in a sorted list, and two sorted runs merged.

Every key ends with the id, so no two papers tie: an order is the same
however the papers came in, and two sorted lists merge into exactly the
list a full sort gives."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from paperread.model import Paper
from paperread.names import surname

SORT_ORDERS = ("newest", "oldest", "title", "author", "upvotes")


def paper_day(paper: Paper) -> str:
    """The day a paper belongs to in the list: its announcement day, else its
    publication or first-seen day."""
    return paper.announced or (paper.published or paper.first_seen or "")[:10]


def _newest_key(paper: Paper) -> str:
    # (day, published, id) as one string, NUL-separated (none of them holds
    # a NUL): it sorts the same as the tuple, twice as fast
    published = paper.published or ""
    day = paper.announced or (published or paper.first_seen or "")[:10]
    return f"{day}\0{published}\0{paper.id}"


def _title_key(paper: Paper) -> tuple[str, str]:
    return (paper.title.casefold(), paper.id)


def _first_author_surname(paper: Paper) -> str:
    return (surname(paper.authors[0]) if paper.authors else "").casefold() or "\uffff"


def _author_key(paper: Paper) -> tuple[str, str]:
    return (_first_author_surname(paper), paper.id)


def _upvotes_key(paper: Paper) -> tuple[int, str]:
    return (paper.upvotes or 0, _newest_key(paper))


class _Order(NamedTuple):
    key: Callable[[Paper], Any]
    reverse: bool


_ORDERS = {
    "newest": _Order(_newest_key, True),
    "oldest": _Order(_newest_key, False),
    "title": _Order(_title_key, False),
    "author": _Order(_author_key, False),
    "upvotes": _Order(_upvotes_key, True),
}


def _order(order: str) -> _Order:
    found = _ORDERS.get(order)
    if found is None:
        raise ValueError(f"unknown sort order {order!r} (one of {', '.join(SORT_ORDERS)})")
    return found


def sort_papers(papers: Iterable[Paper], order: str) -> list[Paper]:
    """``papers`` in ``order`` (one of SORT_ORDERS)."""
    how = _order(order)
    return sorted(papers, key=how.key, reverse=how.reverse)


def sorted_position(papers: Sequence[Paper], paper: Paper, order: str) -> int:
    """Where ``paper`` is, or would go, in ``papers`` (sorted in ``order``).
    A binary search on the sort key, which ends with the id, so no two
    papers tie; no table of positions to build (100k papers: 40 ms)."""
    how = _order(order)
    target = how.key(paper)
    low, high = 0, len(papers)
    while low < high:
        middle = (low + high) // 2
        key = how.key(papers[middle])
        if (key > target) if how.reverse else (key < target):
            low = middle + 1
        else:
            high = middle
    return low


def merge_sorted(old: list[Paper], replaced: Iterable[str], added: Iterable[Paper], order: str) -> list[Paper]:
    """``old`` (sorted in ``order``) without the papers whose ids are in
    ``replaced``, with ``added`` put in their places: the same list as
    sorting everything again, at the cost of one pass over ``old``. Safe to
    run in a worker thread (it reads ``old`` only)."""
    how = _order(order)
    gone = set(replaced)
    merged = [paper for paper in old if paper.id not in gone] if gone else list(old)
    merged += sorted(added, key=how.key, reverse=how.reverse)
    # two sorted runs: the sort finds them and merges them in one pass
    merged.sort(key=how.key, reverse=how.reverse)
    return merged
