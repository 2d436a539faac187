"""Messages the reader's background work posts to the app.

Workers never touch widgets: they post one of these, and the app updates the
screen on its own thread.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from paperread.feedspec import FeedSpec
from paperread.model import Paper
from paperread.session import PreparedPapers, TextChunk
from paperread.store.errors import StoreError
from paperread.tui.saved_views import ViewMatches
from paperread.wordindex import WordIndex

if TYPE_CHECKING:  # not imported at start: it loads httpx and feedparser
    from paperread.refresh import FeedOutcome, RefreshReport, Stage


class RefreshProgress(Message):
    """One feed of a running refresh reached ``stage``."""

    def __init__(self, feed: FeedSpec, stage: Stage, outcome: FeedOutcome | None) -> None:
        super().__init__()
        self.feed = feed
        self.stage = stage
        self.outcome = outcome


class RefreshFinished(Message):
    """A refresh ended: ``report`` (and the changed papers ``prepared`` for
    the library) when it ran through, ``error`` when it could not (e.g. the
    paper cache could not be saved)."""

    def __init__(
        self, report: RefreshReport | None, error: str | None = None, prepared: PreparedPapers | None = None
    ) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.prepared = prepared


class FlushFailed(Message):
    """Writing the user's state failed; it stays in memory and is retried."""

    def __init__(self, error: StoreError) -> None:
        super().__init__()
        self.error = error


class SavedViewsCounted(Message):
    """Saved searches were counted over the whole library (view key ->
    what each matches); ``generation`` is the count's number from
    ``SavedViewCounts.begin``."""

    def __init__(self, results: dict[str, ViewMatches], generation: int) -> None:
        super().__init__()
        self.results = results
        self.generation = generation


class ExportFinished(Message):
    """An export of the list to ``path`` ended: ``count`` papers written,
    or ``error`` saying why not."""

    def __init__(self, path: Path, count: int, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.count = count
        self.error = error


class TextsMade(Message):
    """A worker made the search texts of ``chunk`` (see
    ``Session.text_chunks``); ``taken`` is set once the app has them."""

    def __init__(self, chunk: TextChunk, taken: threading.Event) -> None:
        super().__init__()
        self.chunk = chunk
        self.taken = taken


class TextsDone(Message):
    """Every paper has its search text."""


class FullRecordRead(Message):
    """The full records (with abstracts) of ``papers`` were read: each
    listed paper -> its full record."""

    def __init__(self, records: list[tuple[Paper, Paper]]) -> None:
        super().__init__()
        self.records = records


class WordIndexBuilt(Message):
    """A worker built the word index of the library's search texts."""

    def __init__(self, index: WordIndex, rows: list[Paper] | None = None, numbers: list[int] | None = None) -> None:
        super().__init__()
        self.index = index
        # the listed view's papers and their numbers in the index
        self.rows = rows
        self.numbers = numbers
