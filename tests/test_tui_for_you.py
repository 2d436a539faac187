"""For you in the reader: the ranked views, the score marks, why a paper
ranks where it does, and "not interested"; with the real session and a
library saved through the real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paperread.library import FOR_YOU, UNSURE
from paperread.session import Session
from paperread.tui.app import ReaderApp
from tests.tui_library import build_session
from tests.waiting import wait_for

SIZE = (160, 50)


@pytest.fixture
def session(data_dir: Path, tmp_path: Path) -> Iterator[Session]:
    session = build_session(data_dir, tmp_path)
    yield session
    session.close()


def listed(app: ReaderApp) -> list[str]:
    return [paper.id for paper in app.main.paper_list.papers]


async def test_for_you_lists_the_unread_papers_ranked_with_marks_and_says_why(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        assert app.main.sidebar.views[0] == FOR_YOU, "For you heads the sidebar"
        assert UNSURE in app.main.sidebar.views
        await wait_for(pilot, lambda: app.main.ranking is not None, timeout=30)
        app.main.show_view(FOR_YOU)
        await pilot.pause()
        ranking = app.main.ranking
        assert ranking is not None and listed(app) == ranking.order
        assert all(not session.library.state(paper_id).read for paper_id in listed(app))
        assert app.sub_title.startswith(f"For you ({ranking.description})")
        top = app.main.paper_list.render_line(0).text
        assert "Top 20 % for you" in top
        assert app.main.paper_list.render_line(1).text.rstrip().endswith("100"), "the best paper's mark"
        await pilot.pause()
        details = str(app.main.abstract_pane.query_one(".pane-details").render())
        assert f"For you: #1 of {len(ranking.order)}" in details


async def test_a_star_or_not_interested_ranks_again_and_undo_takes_it_back(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.main.ranking is not None, timeout=30)
        app.main.show_view(FOR_YOU)
        await pilot.pause()
        first = app.main.ranking
        assert first is not None and first.stage == "similar", "the library has two stars"
        await pilot.press("s", "j", "s")  # two more
        await wait_for(pilot, lambda: app.main.ranking is not first, timeout=10)
        assert app.main.ranking is not None and app.main.ranking.positives == first.positives + 2
        assert all(session.library.state(paper_id).starred for paper_id in first.order[:2])
        dismissed = app.main.paper_list.highlighted
        assert dismissed is not None
        before = app.main.ranking
        await pilot.press("x")
        assert session.library.state(dismissed.id).dismissed
        await wait_for(pilot, lambda: app.main.ranking is not before, timeout=10)
        assert dismissed.id not in listed(app), "not interested: gone from For you"
        before = app.main.ranking
        await pilot.press("u")
        assert not session.library.state(dismissed.id).dismissed
        await wait_for(pilot, lambda: app.main.ranking is not before, timeout=10)
        assert dismissed.id in listed(app)


async def test_the_unsure_view_lists_the_papers_the_model_is_least_sure_of(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.main.ranking is not None, timeout=30)
        app.main.show_view(UNSURE)
        await pilot.pause()
        assert app.main.ranking is not None and listed(app) == app.main.ranking.unsure
        assert app.sub_title.startswith("Unsure (")


async def test_more_like_this_paper_and_more_like_a_tag_list_their_own_rankings(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        paper = app.main.paper_list.highlighted
        assert paper is not None
        await pilot.press("L")
        view = app.main.current_view
        assert view.kind == "like" and view.label.startswith("More like: ")
        await wait_for(pilot, lambda: app.main.like_ranking is not None, timeout=30)
        ranking = app.main.like_ranking
        assert ranking is not None and ranking.stage == "like this"
        assert listed(app) == ranking.order
        assert paper.id not in ranking.order, "the paper itself is not listed"
        assert app.sub_title.startswith(f"{view.label} ({ranking.description})")

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"more like #gnn")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.current_view.label == "More like #gnn", timeout=10)
        await wait_for(pilot, lambda: app.main.like_ranking is not None, timeout=30)
        assert listed(app) == app.main.like_ranking.order
        tagged = [pid for pid in listed(app) if "gnn" in session.library.state(pid).tags]
        assert not tagged, "the tag's own papers are what it learns from, not what it lists"
