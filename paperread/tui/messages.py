"""Messages the reader's background work posts to the app.

Workers never touch widgets: they post one of these, and the app updates the
screen on its own thread.
"""

from __future__ import annotations

from textual.message import Message

from paperread.feedspec import FeedSpec
from paperread.refresh import FeedOutcome, RefreshReport, Stage
from paperread.store.errors import StoreError


class RefreshProgress(Message):
    """One feed of a running refresh reached ``stage``."""

    def __init__(self, feed: FeedSpec, stage: Stage, outcome: FeedOutcome | None) -> None:
        super().__init__()
        self.feed = feed
        self.stage = stage
        self.outcome = outcome


class RefreshFinished(Message):
    """A refresh ended: ``report`` when it ran through, ``error`` when it
    could not (e.g. the paper cache could not be saved)."""

    def __init__(self, report: RefreshReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class FlushFailed(Message):
    """Writing the user's state failed; it stays in memory and is retried."""

    def __init__(self, error: StoreError) -> None:
        super().__init__()
        self.error = error
