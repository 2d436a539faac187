"""What the paper list shows: a view's papers in an order, narrowed by the
search, kept between calls so that a keystroke filters a list instead of
selecting and sorting the library again.

Two lists are kept: the view's papers (a filter of the library's sorted
papers) and the search's matches among them, each with the papers' search
texts and word index numbers beside them (``Rows``), so that filtering reads
lists instead of looking each paper up. A search that narrows the previous one (``Query.refines``: typing
one more character usually does) filters the previous matches. Filtering
keeps the order, so nothing is sorted. A state change (read, star, tag)
since a list was made is applied by re-testing only the papers that changed,
each put back in its place or taken out, so the lists stay exactly what
selecting afresh would give.

Between two listings the papers stay where they are: a paper marked read
in Unread stays listed until the list is made again. ``view_count`` counts
the view's papers as they are kept, so the counts beside the list agree
with it at every moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from paperread.library import Count, Library, View, sorted_position
from paperread.model import Paper
from paperread.query import Query
from paperread.search import Rows
from paperread.session import Session
from paperread.wordindex import WordIndex

PATCH_LIMIT = 500  # more changed papers than this: select afresh

_Key = tuple[str, str, "str | None"]  # view key, order, saved search query


@dataclass(slots=True)
class _Kept:
    key: _Key
    rows: Rows
    papers_version: int
    texts_version: int
    index: WordIndex | None  # the word index the rows' numbers are of
    mark: tuple[int, int]
    query: Query | None = None


class Listing:
    """The papers for the list; see the module docstring."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._view: _Kept | None = None
        self._search: _Kept | None = None
        # the unread papers among the view's, and the view's rows they were counted in
        self._unread: set[str] = set()
        self._unread_of: list[Paper] | None = None

    def papers(self, view: View, order: str, view_query: Query | None, search: Query | None) -> list[Paper]:
        """The papers of ``view`` (a saved search: those ``view_query``
        matches) in ``order``, narrowed by ``search``. The list returned is
        the listing's own: copy it before changing it."""
        key: _Key = (view.key, order, view_query.text if view_query is not None else None)
        in_view = self._view_test(view, view_query)
        base = self._view_papers(key, view, order, view_query, in_view)
        if search is None:
            return base.rows.papers
        return self._matches(key, base, in_view, order, search)

    def view_rows_papers(self) -> list[Paper] | None:
        """A copy of the papers of the view last listed, for a worker to
        number in a new word index (see ``adopt_numbers``)."""
        return list(self._view.rows.papers) if self._view is not None else None

    def view_count(self) -> Count:
        """Unread and total of the view's papers as listed (a paper marked
        read stays until the list is made again). Counted afresh only when
        the view's papers changed; a state change updates it (``state_changed``)."""
        kept = self._view
        if kept is None:
            return Count(0, 0)
        papers = kept.rows.papers
        if self._unread_of is not papers:
            state = self._library.state
            self._unread = {paper.id for paper in papers if not state(paper.id).read}
            self._unread_of = papers
        return Count(len(self._unread), len(papers))

    def state_changed(self, ids: Iterable[str]) -> None:
        """The state of the papers ``ids`` changed: keep ``view_count`` true."""
        kept = self._view
        if kept is None or self._unread_of is not kept.rows.papers:
            return  # counted afresh when next asked
        library, papers, order = self._library, kept.rows.papers, kept.key[1]
        for paper_id in ids:
            paper = library.papers.get(paper_id)
            if paper is None:
                continue
            index = sorted_position(papers, paper, order)
            if index < len(papers) and papers[index].id == paper_id:
                if library.state(paper_id).read:
                    self._unread.discard(paper_id)
                else:
                    self._unread.add(paper_id)

    def adopt_numbers(self, papers: list[Paper], numbers: list[int], index: WordIndex) -> bool:
        """Take ``numbers`` (``papers`` numbered in ``index``, made in a
        worker) for the view's rows, if those are still exactly ``papers``
        and ``index`` is the library's and knows every paper now: the first
        search then skips numbering 100k rows (30-40 ms). Whether taken."""
        kept, library = self._view, self._library
        if kept is None or library.word_index is not index or library.has_unindexed() or kept.rows.papers != papers:
            return False
        if kept.key[2] is not None and kept.texts_version != library.texts_version:
            return False  # a saved search's papers, chosen with older texts: chosen again
        # texts made before the last ones loaded are dropped (made again if needed)
        kept.rows = Rows(kept.rows.papers, None, numbers)
        kept.index, kept.texts_version = index, library.texts_version
        return True

    # -- internals ---------------------------------------------------------------
    @property
    def _library(self) -> Library:
        return self.session.library

    def _view_test(self, view: View, view_query: Query | None) -> Callable[[Paper], bool] | None:
        """Membership in the view as a test (None: every paper is in it)."""
        if view.kind == "saved":
            return self.session.predicate(view_query) if view_query is not None else _nothing
        if view.kind == "all":
            return None
        library = self._library
        return lambda paper: library.in_view(paper, view)

    def _changes(self, kept: _Kept | None, key: _Key, texts: bool) -> list[str] | None:
        """The ids whose state changed since ``kept`` was made, if it can be
        brought up to date (same key, same papers, and same texts when
        ``texts``), else None."""
        library = self._library
        if kept is None or kept.key != key or kept.papers_version != library.papers_version:
            return None
        if texts and (kept.texts_version != library.texts_version or kept.index is not library.word_index):
            return None
        changed = library.changed_since(kept.mark)
        if changed is None or len(changed) > PATCH_LIMIT:
            return None
        return changed

    def _keep(self, key: _Key, rows: Rows, query: Query | None) -> _Kept:
        library = self._library
        return _Kept(
            key, rows, library.papers_version, library.texts_version, library.word_index, library.state_mark(), query
        )

    def _view_papers(
        self,
        key: _Key,
        view: View,
        order: str,
        view_query: Query | None,
        in_view: Callable[[Paper], bool] | None,
    ) -> _Kept:
        library = self._library
        kept = self._view
        # a saved search's query may test the search text
        changed = self._changes(kept, key, texts=view.kind == "saved")
        if changed is None or kept is None:
            if view.kind != "saved":
                self._view = self._keep(key, Rows(library.view_papers(view, order)), None)
            elif view_query is None:
                self._view = self._keep(key, Rows([]), None)
            else:
                self._view = self._keep(key, self.session.filter(view_query, Rows(library.ordered(order))), None)
            return self._view
        if kept.texts_version != library.texts_version or kept.index is not library.word_index:
            kept.rows = Rows(kept.rows.papers)  # texts and numbers made again when a search needs them
            kept.texts_version, kept.index = library.texts_version, library.word_index
        if changed and view.kind not in ("all", "feed"):  # only these ignore the state
            _patch(kept, changed, in_view, library, order)
            self._unread_of = None  # papers came or went: counted afresh
        kept.mark = library.state_mark()
        return kept

    def _matches(
        self,
        key: _Key,
        base: _Kept,
        in_view: Callable[[Paper], bool] | None,
        order: str,
        search: Query,
    ) -> list[Paper]:
        library = self._library
        kept = self._search
        changed = self._changes(kept, key, texts=True)
        pool, matched = base, None
        if changed is not None and kept is not None and kept.query is not None:
            if changed:
                matches = self.session.predicate(kept.query)
                test = matches if in_view is None else (lambda paper: in_view(paper) and matches(paper))
                _patch(kept, changed, test, library, order)
                kept.mark = library.state_mark()
            if search.text == kept.query.text:
                return kept.rows.papers
            if search.refines(kept.query):
                pool, matched = kept, kept.query
        rows = self.session.filter(search, pool.rows, matched)
        self._search = self._keep(key, rows, search)
        return rows.papers


def _nothing(paper: Paper) -> bool:
    return False


def _patch(
    kept: _Kept, changed: list[str], belongs: Callable[[Paper], bool] | None, library: Library, order: str
) -> None:
    """Re-test the papers ``changed`` in ``kept`` (a list in ``order``): put
    in those that now belong, take out those that no longer do."""
    papers, texts, numbers = kept.rows.papers, kept.rows.texts, kept.rows.numbers
    for paper_id in changed:
        paper = library.papers.get(paper_id)
        if paper is None:
            continue
        index = sorted_position(papers, paper, order)
        listed = index < len(papers) and papers[index].id == paper_id
        wanted = belongs is None or belongs(paper)
        if wanted and not listed:
            papers.insert(index, paper)
            if texts is not None:
                texts.insert(index, library.compact_text(paper))
            if numbers is not None:
                numbers.insert(index, library.index_numbers([paper])[0])
        elif listed and not wanted:
            del papers[index]
            if texts is not None:
                del texts[index]
            if numbers is not None:
                del numbers[index]
