"""What loads after the first rows are on screen: the search texts (with
summaries, the abstracts they come from) and the word index over them.

Both are made in worker threads that step aside while a keystroke is
handled (the keystroke gate, ``tui/pacing.py``); the texts go to the app
a chunk at a time, each taken before the next is made, so that the event
loop is never far behind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING

from textual import work
from textual.worker import Worker, get_current_worker

from paperread.model import Paper
from paperread.session import TextChunk
from paperread.tui.messages import TextsDone, TextsMade, WordIndexBuilt
from paperread.tui.pacing import freeze_heap
from paperread.wordindex import WordIndex

if TYPE_CHECKING:
    from paperread.query import Query
    from paperread.session import Session
    from paperread.tui.data.listing import Listing
    from paperread.tui.pacing import KeystrokeGate
    from paperread.tui.widgets import PaperList

NUMBER_SLICE = 5000  # papers numbered in the word index between two checks for a keystroke
RANK_AFTER_TEXTS = 2.0  # seconds between the search texts' end and the first For you ranking
_paper_id = attrgetter("id")


class Loading:
    """Mixin of MainScreen: search texts and the word index."""

    session: Session
    gate: KeystrokeGate
    listing: Listing
    paper_list: PaperList
    search_query: Query | None
    texts_ready: bool
    texts_taken: int
    view_errors: dict[str, str]
    is_running: bool
    post_message: Callable[..., bool]
    count_saved_searches: Callable[[], None]
    rebuild_sidebar: Callable[[], None]
    update_sidebar: Callable[[], None]
    update_sub_title: Callable[[], None]
    reload_keeping_cursor: Callable[[], None]
    rank_now: Callable[[], None]
    set_timer: Callable[..., object]

    def start_loading(self) -> None:
        self._texts_worker(self.session.text_chunks(self.gate.wait_turn))

    def _after_giving_way(self, worker: Worker[None]) -> bool:
        """For a background thread between two pieces of work: wait while
        a keystroke is handled (never long), then say whether to stop."""
        self.gate.wait_turn()
        return worker.is_cancelled

    @work(thread=True, group="texts", description="make search texts")
    def _texts_worker(self, chunks: Iterator[TextChunk]) -> None:
        """Make the search texts a chunk at a time, each handed to the app
        before the next is made (so the event loop is never far behind)."""
        worker = get_current_worker()
        for chunk in chunks:
            taken = threading.Event()
            self.post_message(TextsMade(chunk, taken))
            while not taken.wait(0.1):
                if worker.is_cancelled:
                    return
            if self._after_giving_way(worker):
                return
        self.post_message(TextsDone())

    def on_texts_made(self, message: TextsMade) -> None:
        self.session.install_texts(message.chunk)
        self.texts_taken += len(message.chunk.texts)
        message.taken.set()
        if not self.texts_ready and self.is_running:
            self.update_sub_title()

    def on_texts_done(self, message: TextsDone) -> None:
        if not self.is_running:
            return
        # no collection first: it walks every object made while loading
        # (~50k, 17-27 ms on the event loop) and found no garbage there
        freeze_heap()
        self.gate.resume_collector()
        self.start_index()
        # For you, once the first keys have been answered and saved: its
        # first run loads numpy and may make vectors, holding the interpreter
        self.set_timer(RANK_AFTER_TEXTS, self.rank_now)
        if self.texts_ready:
            return
        self.texts_ready = True
        errors = dict(self.view_errors)
        self.count_saved_searches()
        # rebuilt only when a saved search turned out not to parse (its
        # error line); otherwise the counts change in place, no relayout
        if self.view_errors != errors:
            self.rebuild_sidebar()
        else:
            self.update_sidebar()
        if self.search_query is not None:
            self.reload_keeping_cursor()
        else:
            self.update_sub_title()

    def texts_loading(self) -> str:
        """"loading abstracts N%" while they load (summaries only), else ''."""
        if self.texts_ready:
            return ""
        total = max(1, len(self.session.library.papers))
        return f"loading abstracts {min(99, self.texts_taken * 100 // total)}%"

    @work(thread=True, exclusive=True, group="word-index", description="index words")
    def _index_worker(self, texts: Collection[tuple[str, str]], rows: list[Paper] | None) -> None:
        """Index the words of the search texts (a few seconds at 100k
        papers), then number ``rows`` (the listed view's papers) in it; a
        newer build (after a refresh) cancels this one."""
        worker = get_current_worker()

        def cancelled() -> bool:
            return self._after_giving_way(worker)

        index = WordIndex.build(texts, cancelled)
        if index is None or worker.is_cancelled:
            return
        numbers = None
        if rows is not None:
            numbers = []
            get = index.numbers.get
            # in slices: one map over 100k papers holds the interpreter 30 ms
            for start in range(0, len(rows), NUMBER_SLICE):
                numbers += map(get, map(_paper_id, rows[start : start + NUMBER_SLICE]), repeat(-1))
                if cancelled():
                    return
        self.post_message(WordIndexBuilt(index, rows, numbers))

    def start_index(self) -> None:
        self._index_worker(self.session.library.index_snapshot(), self.listing.view_rows_papers())

    def reindex(self) -> None:
        if self.is_running:  # the timer may fire while the app closes
            self.start_index()

    def on_word_index_built(self, message: WordIndexBuilt) -> None:
        if not self.is_running:
            return
        self.session.library.set_word_index(message.index)
        if message.rows is not None and message.numbers is not None:
            self.listing.adopt_numbers(message.rows, message.numbers, message.index)
        freeze_heap()
