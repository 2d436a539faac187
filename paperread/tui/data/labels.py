"""What the reader calls its sort orders and export formats."""

from __future__ import annotations

from paperread.library import SORT_ORDERS

SORT_LABELS = {
    "newest": "newest first",
    "oldest": "oldest first",
    "title": "by title",
    "author": "by first author",
    "upvotes": "by upvotes",
}
# orders in which the list is grouped under day headers
DATE_ORDERS = frozenset({"newest", "oldest"})

FORMAT_NAMES = {"bibtex": "BibTeX", "markdown": "Markdown", "csv": "CSV", "json": "JSON"}
FORMAT_EXTENSIONS = {"bibtex": "bib", "markdown": "md", "csv": "csv", "json": "json"}


def next_sort_order(order: str) -> str:
    """The order after ``order`` in the cycle of the sort key."""
    index = SORT_ORDERS.index(order) if order in SORT_ORDERS else -1
    return SORT_ORDERS[(index + 1) % len(SORT_ORDERS)]


def default_export_path(fmt: str) -> str:
    return f"~/paperread-export.{FORMAT_EXTENSIONS[fmt]}"


def plural(count: int, word: str = "paper") -> str:
    """``1 paper``, ``2 papers``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
