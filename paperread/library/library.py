"""The ``Library``: every paper with its state, the counts of the sidebar's
views kept up to date as states change, the sorted lists kept per order,
the papers' compact search texts and the word index of them, and the log of
state changes (see the package's docstring for how each stays fast)."""

from __future__ import annotations

from collections import Counter
from collections.abc import ItemsView, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter

from paperread.library.ordering import merge_sorted, sort_papers
from paperread.library.search_text import compact_search_text, expand
from paperread.library.views import ALL, STARRED, UNREAD, Count, View, _view_filter
from paperread.model import Paper, PaperState
from paperread.wordindex import WordIndex

STATE_LOG_LIMIT = 10_000  # logged state changes kept before lists must select afresh
_FEEDS = attrgetter("feeds")
_ID = attrgetter("id")


@dataclass(slots=True)
class PreparedAdd:
    """Papers to add with their compact search texts (id -> text) and the
    sorted lists with them in (order -> (the list they were merged into,
    the merged list)); see ``Library.prepare_add``."""

    papers: list[Paper]
    texts: dict[str, str]
    ordered: dict[str, tuple[list[Paper], list[Paper]]]


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
        self._texts: dict[str, str] = {}  # paper id -> compact(search_text(paper))
        self._ordered: dict[str, list[Paper]] = {}
        # bumped whenever papers are added or replaced (sorted lists change)
        self.papers_version = 0
        # bumped whenever search texts made elsewhere arrive (``set_texts``)
        self.texts_version = 0
        # ids whose state changed, oldest first; an epoch starts when it is cut
        self._state_log: list[str] = []
        self._log_epoch = 0
        self.word_index: WordIndex | None = None
        self._unindexed: set[str] = set()  # papers added or replaced since the index's texts
        self._since_snapshot: set[str] | None = None  # the same, while an index is being built
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
        if len(self._state_log) >= STATE_LOG_LIMIT:
            self._state_log = []
            self._log_epoch += 1
        self._state_log.append(paper_id)

    def has_state(self, paper_id: str) -> bool:
        return paper_id in self._states

    def state_mark(self) -> tuple[int, int]:
        """Where the log of state changes stands now (see ``changed_since``)."""
        return (self._log_epoch, len(self._state_log))

    def changed_since(self, mark: tuple[int, int]) -> list[str] | None:
        """The ids (each once, oldest change first) whose state changed since
        ``mark``; None when too many changed to say (select afresh)."""
        epoch, position = mark
        if epoch != self._log_epoch:
            return None
        return list(dict.fromkeys(self._state_log[position:]))

    # papers ----------------------------------------------------------------
    def add_papers(self, papers: Iterable[Paper]) -> None:
        """Insert or replace papers (after a refresh). Their search texts are
        made when first needed, the sorted lists sorted again when next
        asked for; ``prepare_add`` and ``add_prepared`` do both ahead."""
        self._add(papers, None)

    def prepare_add(self, papers: list[Paper], texts: dict[str, str] | None = None) -> PreparedAdd:
        """What ``add_prepared`` needs to add ``papers``: their compact search
        texts (``texts`` given are used as they are) and the sorted lists
        with them in. Reads the library without changing it, so it may run
        in a worker thread while the event loop goes on."""
        if texts is None:
            texts = {paper.id: compact_search_text(paper) for paper in papers}
        replaced = [paper.id for paper in papers if paper.id in self.papers]
        ordered = {
            order: (current, merge_sorted(current, replaced, papers, order))
            for order, current in list(self._ordered.items())
        }
        return PreparedAdd(papers, texts, ordered)

    def add_prepared(self, prepared: PreparedAdd) -> None:
        """Add the papers of ``prepare_add``: only a swap, except for sorted
        lists that changed since it ran (those are sorted again when next
        asked for)."""
        self._add(prepared.papers, prepared)

    def _add(self, papers: Iterable[Paper], prepared: PreparedAdd | None) -> None:
        records, states, stored_texts = self.papers, self._states, self._texts
        # in bulk, set against set: a refresh adds 20,000 papers while the
        # screen waits, and a loop over them took 20-30 ms
        incoming = {paper.id: paper for paper in papers}
        with_state = states.keys() & incoming.keys()
        replaced = records.keys() & incoming.keys()
        # papers without a state of their own (nearly all) are counted in bulk
        added = [paper for paper_id, paper in incoming.items() if paper_id not in with_state]
        removed = [records[paper_id] for paper_id in replaced - with_state]
        for paper_id in with_state:
            state = states[paper_id]
            if paper_id in replaced:
                self._count(records[paper_id], state, -1)
            self._count(incoming[paper_id], state, +1)
        records.update(incoming)
        for paper_id in stored_texts.keys() & incoming.keys():
            del stored_texts[paper_id]
        if self.word_index is not None:
            self._unindexed.update(incoming)
        if self._since_snapshot is not None:
            self._since_snapshot.update(incoming)
        self._count_plain(added, removed)
        ready = prepared.ordered if prepared is not None else {}
        if prepared is not None:
            stored_texts.update(prepared.texts)
        for order in list(self._ordered):
            start, done = ready.get(order, (None, None))
            if done is not None and start is self._ordered[order]:
                self._ordered[order] = done
            else:
                del self._ordered[order]
        self.papers_version += 1

    def search_text(self, paper: Paper) -> str:
        """The folded text free words match in (``query.search_text``), kept
        per paper so that a keystroke in the search box does not rebuild it."""
        return expand(self.compact_text(paper))

    def compact_text(self, paper: Paper) -> str:
        """``compact(search_text(paper))``: for queries written in ASCII it
        can stand in for ``search_text`` (see ``compact``)."""
        text = self._texts.get(paper.id)
        if text is None:
            text = self._texts[paper.id] = compact_search_text(paper)
        return text

    def compact_texts(self, papers: Iterable[Paper]) -> list[str]:
        """``compact_text`` of each of ``papers``, in order."""
        texts = self._texts
        text_of = self.compact_text
        return [texts.get(paper.id) or text_of(paper) for paper in papers]

    def set_texts(self, texts: Mapping[str, tuple[Paper, str]]) -> int:
        """Take compact search texts made elsewhere (a worker filling in
        abstracts): paper id -> (the record it was made from, the text). A
        text made from a record that has been replaced since is dropped.
        Returns how many were taken."""
        taken = 0
        papers = self.papers
        for paper_id, (paper, text) in texts.items():
            if papers.get(paper_id) is paper:
                self._texts[paper_id] = text
                taken += 1
        if taken:
            self.texts_version += 1
        return taken

    def has_text(self, paper_id: str) -> bool:
        return paper_id in self._texts

    def index_snapshot(self) -> ItemsView[str, str]:
        """(paper id, compact search text) of every paper whose text is made,
        for ``WordIndex.build`` in a worker; papers added from now on are
        noted, for ``set_word_index``. A copy of the dict (5 ms at 100k
        papers, where a list of pairs takes 15-26 ms on the event loop)."""
        self._since_snapshot = set()
        return self._texts.copy().items()

    def set_word_index(self, index: WordIndex) -> None:
        """Use ``index``, built from the last ``index_snapshot``."""
        self.word_index = index
        self._unindexed = self._since_snapshot or set()
        self._since_snapshot = None

    def has_unindexed(self) -> bool:
        """Whether papers were added or replaced since the word index's snapshot."""
        return bool(self._unindexed)

    def index_numbers(self, papers: list[Paper]) -> list[int]:
        """The word index numbers of ``papers`` in order; -1 for a paper the
        index does not know as it is now (test its text instead)."""
        index = self.word_index
        if index is None:
            return [-1 for _ in papers]
        numbers = list(map(index.numbers.get, map(_ID, papers), repeat(-1)))
        unindexed = self._unindexed
        if unindexed:
            for row, paper in enumerate(papers):
                if paper.id in unindexed:
                    numbers[row] = -1
        return numbers

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

    def feed_urls(self) -> list[str]:
        """Every feed that carried a paper of the library, whether or not
        it is one of ``feed_names``."""
        return [key[5:] for key, count in self._counts.items() if key.startswith("feed:") and count.total]

    def tags(self) -> list[str]:
        return sorted(self._tag_counts, key=str.casefold)

    def in_view(self, paper: Paper, view: View) -> bool:
        test = _view_filter(view, self._states)
        return test is None or test(paper)

    def ordered(self, order: str = "newest") -> list[Paper]:
        """Every paper in ``order``, sorted once and kept (treat as read-only)."""
        papers = self._ordered.get(order)
        if papers is None:
            papers = self._ordered[order] = sort_papers(self.papers.values(), order)
        return papers

    def view_papers(self, view: View, order: str = "newest") -> list[Paper]:
        """The papers of ``view`` (not a saved search) in ``order``: a filter of
        ``ordered(order)``, no sort."""
        papers = self.ordered(order)
        test = _view_filter(view, self._states)
        return list(papers) if test is None else list(filter(test, papers))

    def select(
        self,
        view: View = ALL,
        predicate=None,
        order: str = "newest",
    ) -> list[Paper]:
        """Papers of ``view`` for which ``predicate(paper)`` holds, sorted."""
        papers = self.ordered(order)
        if view.kind != "saved":
            test = _view_filter(view, self._states)
            if test is not None:
                papers = list(filter(test, papers))
        if predicate is not None:
            papers = list(filter(predicate, papers))
        return list(papers)

    def _rebuild_counts(self) -> None:
        """Every count from scratch: the same numbers as ``_count`` for each
        paper, but counted per feed in bulk (the papers with a state of their
        own are few next to the library), a fraction of the time at 100k."""
        papers = self.papers
        counts = self._counts
        counts.clear()
        self._tag_counts.clear()
        read = [paper_id for paper_id, state in self._states.items() if state.read and paper_id in papers]
        total, unread = len(papers), len(papers) - len(read)
        counts["all"] = Count(unread, total)
        counts["unread"] = Count(unread, unread)
        feeds = Counter(chain.from_iterable(map(_FEEDS, papers.values())))
        feeds_read = Counter(chain.from_iterable(papers[paper_id].feeds for paper_id in read))
        for url, count in feeds.items():
            counts[f"feed:{url}"] = Count(count - feeds_read[url], count)
        for paper_id, state in self._states.items():
            if paper_id not in papers:
                continue
            keys = [f"tag:{tag}" for tag in state.tags]
            if state.starred:
                keys.append("starred")
            for key in keys:
                count = counts.setdefault(key, Count())
                count.total += 1
                count.unread += not state.read
            self._tag_counts.update(state.tags)

    def _count_plain(self, added: list[Paper], removed: list[Paper]) -> None:
        """``_count`` of papers with the default state (unread, no star or
        tags): +1 for each of ``added``, -1 for each of ``removed``, in bulk."""
        change = len(added) - len(removed)
        feeds = Counter(chain.from_iterable(map(_FEEDS, added)))
        feeds.subtract(chain.from_iterable(map(_FEEDS, removed)))
        counts = self._counts
        for key, delta in (("all", change), ("unread", change), *((f"feed:{url}", n) for url, n in feeds.items())):
            if delta:
                count = counts.setdefault(key, Count())
                count.total += delta
                count.unread += delta

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
