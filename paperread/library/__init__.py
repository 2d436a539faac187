"""The in-memory library: every paper with its state, the views the sidebar
offers, their counts, and the filtered, sorted lists the reader and the CLI
show.

Sized for 100,000 papers:

- counts are kept up to date incrementally (a state change touches only the
  counters of that paper's views), so starring one paper costs microseconds;
- the papers are sorted once per order and kept sorted (``ordered``); a view
  or a search filters that list, which keeps its order, instead of sorting;
- the folded search text of every paper (``query.search_text``) is kept in a
  compact form, its UTF-8 bytes one character each (``compact``): half the
  memory of the text itself (abstracts with a single math symbol are stored
  four bytes a character otherwise), and a quicker scan. Free words written
  in ASCII match in it exactly as in the text (``compact_text``).
- a word index of those texts (``wordindex``), built in the background,
  finds free search words without reading the texts;
- state changes are logged (``state_mark``/``changed_since``), so a list
  selected earlier can be brought up to date by re-testing the papers that
  changed instead of selecting again.

This module names the package's public names; they live in its modules:

- ``library``: the ``Library`` and ``PreparedAdd``
- ``views``: ``View``, ``Count``, the fixed views ``UNREAD``, ``STARRED``, ``ALL``
  and the reader's ranked ``FOR_YOU`` and ``UNSURE``
- ``ordering``: ``SORT_ORDERS``, the sort keys, ``sort_papers``,
  ``sorted_position``, ``merge_sorted`` and ``paper_day``
- ``search_text``: ``compact``, ``expand`` and ``compact_search_text``
"""

from __future__ import annotations

from paperread.library.library import STATE_LOG_LIMIT, Library, PreparedAdd
from paperread.library.ordering import (
    SORT_ORDERS,
    merge_sorted,
    paper_day,
    sort_papers,
    sorted_position,
)
from paperread.library.search_text import compact, compact_search_text, expand
from paperread.library.views import (
    ALL,
    FOR_YOU,
    STARRED,
    UNREAD,
    UNSURE,
    Count,
    View,
    ViewKind,
)

__all__ = [
    "ALL",
    "FOR_YOU",
    "SORT_ORDERS",
    "STARRED",
    "STATE_LOG_LIMIT",
    "UNREAD",
    "UNSURE",
    "Count",
    "Library",
    "PreparedAdd",
    "View",
    "ViewKind",
    "compact",
    "compact_search_text",
    "expand",
    "merge_sorted",
    "paper_day",
    "sort_papers",
    "sorted_position",
]
