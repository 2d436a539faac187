"""For you in the reader: the ranked views (For you: unread papers best
first, the top fifth under a heading of its own; Unsure: the papers the
model is least sure of, to label with one key each), the score beside each
ranked paper, why the highlighted one ranks there (in the abstract pane),
and "not interested" (``x``).

The ranking is made in a worker thread (``Session.for_you``), after the
vectors of papers that have none are made (``Session.for_you_backfill``,
stepping aside for keys); a star, read mark or dismissal ranks again after
``RERANK_DELAY`` of quiet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from paperread.library import FOR_YOU, UNSURE, Count, View
from paperread.model import Paper
from paperread.tui.messages import MoreLikeTag, MoreLikeThis, RankingMade

if TYPE_CHECKING:
    from textual.timer import Timer

    from paperread.foryou import Ranking
    from paperread.query import Query
    from paperread.session import Session
    from paperread.tui.pacing import KeystrokeGate
    from paperread.tui.widgets import PaperList

RERANK_DELAY = 0.5  # seconds of quiet after a state change before ranking again
TOP_SHARE = 0.2  # the top fifth gets a heading of its own
RANKED_KINDS = frozenset({"foryou", "unsure", "like"})
_BARS = "▁▂▃▄▅▆▇█"


def score_marks(order: list[str]) -> dict[str, str]:
    """A bar and a percentile for each ranked paper: "█ 99" for the best."""
    total = len(order)
    marks = {}
    for position, paper_id in enumerate(order):
        percentile = 100 - (position * 100) // max(1, total)
        marks[paper_id] = f"{_BARS[min(7, (percentile - 1) * 8 // 100)]}{percentile:>3}"
    return marks


class ForYouActions:
    """Mixin of MainScreen: the ranked views and "not interested"."""

    session: Session
    gate: KeystrokeGate
    paper_list: PaperList
    current_view: View
    search_query: Query | None
    is_running: bool
    say: Callable[..., None]
    set_timer: Callable[..., Timer]
    state_changed: Callable[[Iterable[str]], None]
    reload_keeping_cursor: Callable[[], None]
    update_sidebar: Callable[[], None]
    update_sub_title: Callable[[], None]
    show_highlighted: Callable[[], None]
    show_view: Callable[[View], None]
    _target: Callable[[str], Paper | None]

    def init_for_you(self) -> None:
        self.ranking: Ranking | None = None
        self._rank_timer: Timer | None = None
        # the "more like" view last opened, and its ranking once made
        self.like_ranking: Ranking | None = None
        self._like_key: str | None = None
        # view key -> (its ranked ids, them as a set, the unread among them)
        self._ranked_unread: dict[str, tuple[list[str], set[str], set[str]]] = {}

    # -- ranking -------------------------------------------------------------------
    def rank_soon(self) -> None:
        """Rank again once the keys have been quiet for ``RERANK_DELAY``."""
        if self._rank_timer is not None:
            self._rank_timer.stop()
        self._rank_timer = self.set_timer(RERANK_DELAY, self.rank_now)

    def rank_now(self) -> None:
        if self.is_running:
            self._rank_worker()

    @work(thread=True, exclusive=True, group="for-you", description="rank for you")
    def _rank_worker(self) -> None:
        worker = get_current_worker()
        for _ in self.session.for_you_backfill(self.gate.wait_turn):
            if worker.is_cancelled:
                return
        ranking = self.session.for_you()
        if not worker.is_cancelled:
            self.post_message(RankingMade(ranking))

    def on_ranking_made(self, message: RankingMade) -> None:
        if not self.is_running:
            return
        if message.view_key is not None:
            if message.view_key == self._like_key:
                self.like_ranking = message.ranking
                if self.current_view.key == message.view_key:
                    self.reload_keeping_cursor()
                    self.show_highlighted()
            return
        self.ranking = message.ranking
        self.update_sidebar()
        if self.current_view.kind in RANKED_KINDS:
            self.reload_keeping_cursor()
        else:
            self.update_sub_title()
        self.show_highlighted()

    # -- more like this ----------------------------------------------------------------
    def action_more_like(self) -> None:
        paper = self.paper_list.highlighted
        if paper is None:
            self.say("no paper here", "warning")
            return
        title = paper.title if len(paper.title) <= 40 else paper.title[:39] + "…"
        self._show_like(View("like", f"More like: {title}", f"paper:{paper.id}"))

    def on_more_like_this(self, message: MoreLikeThis) -> None:
        self.action_more_like()

    def on_more_like_tag(self, message: MoreLikeTag) -> None:
        self._show_like(View("like", f"More like #{message.tag}", f"tag:{message.tag}"))

    def _show_like(self, view: View) -> None:
        """Open a "more like" view: empty until its ranking is made."""
        self._like_key, self.like_ranking = view.key, None
        self.show_view(view)
        self._like_worker(view)

    @work(thread=True, exclusive=True, group="for-you-like", description="rank more like")
    def _like_worker(self, view: View) -> None:
        kind, _, value = view.value.partition(":")
        ranking = self.session.for_you(like=value) if kind == "paper" else self.session.for_you(tag=value)
        if not get_current_worker().is_cancelled:
            self.post_message(RankingMade(ranking, view.key))

    # -- the ranked views ------------------------------------------------------------
    def ranking_of(self, view: View) -> Ranking | None:
        """The ranking a ranked view lists."""
        if view.kind == "like":
            return self.like_ranking if view.key == self._like_key else None
        return self.ranking

    def ranked_ids(self, view: View) -> list[str]:
        ranking = self.ranking_of(view)
        if ranking is None:
            return []
        return ranking.unsure if view.kind == "unsure" else ranking.order

    def ranked_papers(self, view: View) -> list[Paper]:
        """The papers of a ranked view, narrowed by the search."""
        papers = self.session.library.papers
        listed = [papers[paper_id] for paper_id in self.ranked_ids(view) if paper_id in papers]
        if self.search_query is not None:
            matches = self.session.predicate(self.search_query)
            listed = [paper for paper in listed if matches(paper)]
        return listed

    def ranked_count(self, view: View) -> Count:
        """Unread and total of a ranked view: counted once per ranking, then
        kept by ``ranked_state_changed`` (the sidebar asks at every key)."""
        ids = self.ranked_ids(view)
        kept = self._ranked_unread.get(view.key)
        if kept is None or kept[0] is not ids:
            state = self.session.library.state
            kept = self._ranked_unread[view.key] = (ids, set(ids), {i for i in ids if not state(i).read})
        return Count(len(kept[2]), len(ids))

    def ranked_state_changed(self, changed: Iterable[str]) -> None:
        state = self.session.library.state
        for _, members, unread in self._ranked_unread.values():
            for paper_id in changed:
                if paper_id in members:
                    if state(paper_id).read:
                        unread.discard(paper_id)
                    else:
                        unread.add(paper_id)

    def ranked_sections(self, listed: list[Paper]) -> list[tuple[int, str]] | None:
        """For you's headings: where the top fifth of the whole ranking ends
        (a search keeps the papers' places in it)."""
        ranking = self.ranking
        if ranking is None or self.current_view.kind != "foryou" or not listed:
            return None
        cut = max(1, round(len(ranking.order) * TOP_SHARE))
        top = set(ranking.order[:cut])
        first_rest = next((index for index, paper in enumerate(listed) if paper.id not in top), len(listed))
        sections = [(0, "Top 20 % for you")] if first_rest > 0 else []
        if first_rest < len(listed):
            sections.append((first_rest, "The rest"))
        return sections

    def ranked_marks(self) -> dict[str, str] | None:
        view = self.current_view
        ranking = self.ranking_of(view) if view.kind in RANKED_KINDS else None
        return score_marks(ranking.order) if ranking is not None else None

    def ranked_label(self, view: View) -> str:
        """The view's name with the ranking's stage, for the status line."""
        ranking = self.ranking_of(view)
        if ranking is None:
            return f"{view.label} (ranking…)"
        return f"{view.label} ({ranking.description})"

    def why_ranked(self, paper: Paper | None) -> str | None:
        """Why the paper ranks where it does, when it is ranked (in the
        ranking of the view shown, else For you's)."""
        view = self.current_view
        ranking = self.ranking_of(view) if view.kind in RANKED_KINDS else self.ranking
        if ranking is None or paper is None or paper.id not in ranking.scores:
            return None
        position = ranking.position(paper.id)
        place = f"#{position + 1} of {len(ranking.order)}" if position is not None else ""
        why = str(ranking.why(paper.id, paper=paper))
        return "; ".join(part for part in (place, why) if part)

    # -- not interested ----------------------------------------------------------------
    def action_dismiss(self) -> None:
        paper = self._target("mark not interested")
        if paper is None:
            return
        dismissed = self.session.actions.toggle_dismissed(paper.id)
        self.state_changed([paper.id])
        self.say(("not interested: hidden from For you" if dismissed else "interested again") + " (u undoes)")


RANKED_VIEWS = (FOR_YOU, UNSURE)
