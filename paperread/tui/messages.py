"""Messages to the app: what the background work posts (workers never
touch widgets), and what the command palette asks for (it posts these
instead of calling into the app).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from paperread.feedspec import FeedSpec
from paperread.library import View
from paperread.model import Paper
from paperread.session import PreparedPapers, TextChunk
from paperread.store.errors import StoreError
from paperread.tui.data.saved_searches import ViewMatches
from paperread.wordindex import WordIndex

if TYPE_CHECKING:  # not imported at start: they load httpx and feedparser, numpy
    from paperread.foryou import Ranking
    from paperread.refresh import FeedOutcome, RefreshReport, Stage


# -- from the background work ------------------------------------------------------
@dataclass
class RefreshProgress(Message):
    """One feed of a running refresh reached ``stage``."""

    feed: FeedSpec
    stage: Stage
    outcome: FeedOutcome | None


@dataclass
class RefreshFinished(Message):
    """A refresh ended: ``report`` (and the changed papers ``prepared`` for
    the library) when it ran through, ``error`` when it could not (e.g. the
    paper cache could not be saved)."""

    report: RefreshReport | None
    error: str | None = None
    prepared: PreparedPapers | None = None


@dataclass
class FlushFailed(Message):
    """Writing the user's state failed; it stays in memory and is retried."""

    error: StoreError


@dataclass
class SavedSearchesCounted(Message):
    """Saved searches were counted over the whole library (view key ->
    what each matches); ``generation`` is the count's number from
    ``SavedSearchCounts.begin``."""

    results: dict[str, ViewMatches]
    generation: int


@dataclass
class ExportFinished(Message):
    """An export of the list to ``path`` ended: ``count`` papers written,
    or ``error`` saying why not."""

    path: Path
    count: int
    error: str | None = None


@dataclass
class TextsMade(Message):
    """A worker made the search texts of ``chunk`` (see
    ``Session.text_chunks``); ``taken`` is set once the app has them."""

    chunk: TextChunk
    taken: threading.Event


class TextsDone(Message):
    """Every paper has its search text."""


@dataclass
class FullRecordRead(Message):
    """The full records (with abstracts) of ``papers`` were read: each
    listed paper -> its full record."""

    records: list[tuple[Paper, Paper]]


@dataclass
class WordIndexBuilt(Message):
    """A worker built the word index of the library's search texts;
    ``rows`` are the listed view's papers and ``numbers`` their numbers
    in the index."""

    index: WordIndex
    rows: list[Paper] | None = None
    numbers: list[int] | None = None


# -- from the command palette --------------------------------------------------------
@dataclass
class ShowView(Message):
    """List ``view`` (a view, tag or feed of the sidebar)."""

    view: View


@dataclass
class SetSort(Message):
    """Order the list by ``order`` (one of ``library.SORT_ORDERS``)."""

    order: str


@dataclass
class ExportView(Message):
    """Write the papers listed to a file, as ``fmt`` (asks for the path)."""

    fmt: str


@dataclass
class RemoveSavedSearch(Message):
    """Forget the search saved from the reader as ``name`` (asks first)."""

    name: str


@dataclass
class SetTheme(Message):
    """Switch to the theme ``name`` (remembered)."""

    name: str


class StarAll(Message):
    """Star every paper listed (asks first above a few)."""


class TagAll(Message):
    """Add tags to every paper listed (asks for them)."""


@dataclass
class RankingMade(Message):
    """A worker ranked the papers for the reader (``paperread.foryou``):
    For you's ranking, or that of the "more like" view ``view_key``."""

    ranking: Ranking
    view_key: str | None = None


class MoreLikeThis(Message):
    """List the papers most like the highlighted one."""


@dataclass
class MoreLikeTag(Message):
    """List the papers most like those tagged ``tag``."""

    tag: str
