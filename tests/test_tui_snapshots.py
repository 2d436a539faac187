"""SVG snapshots of the reader on a fixed library (fixed papers and dates,
no clock on screen). Update with ``pytest --snapshot-update`` and look at
the result in tests/__snapshots__/ before committing it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from paperread.session import Session
from paperread.tui.app import ReaderApp
from paperread.tui.main import loading
from tests.tui_library import build_session
from tests.waiting import wait_for


@pytest.fixture
def session(data_dir: Path, tmp_path: Path) -> Iterator[Session]:
    session = build_session(data_dir, tmp_path, offline=True)
    yield session
    session.close()


@pytest.fixture(autouse=True)
def rank_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """For you ranks as soon as the search texts are in (not two seconds
    later): every snapshot shows its counts and why, whatever the timing."""
    monkeypatch.setattr(loading, "RANK_AFTER_TEXTS", 0.01)


async def _settle(pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.main.ranking is not None, timeout=30)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def test_main_screen(snap_compare, session: Session) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("j", "j", "s", "j", "m")
        await _settle(pilot)

    assert snap_compare(ReaderApp(session), terminal_size=(160, 40), run_before=run_before)


def test_narrow_layout(snap_compare, session: Session) -> None:
    assert snap_compare(ReaderApp(session), terminal_size=(100, 36), run_before=_settle)


def test_very_narrow_layout(snap_compare, session: Session) -> None:
    assert snap_compare(ReaderApp(session), terminal_size=(70, 30), run_before=_settle)


def test_help_screen(snap_compare, session: Session) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(ReaderApp(session), terminal_size=(120, 60), run_before=run_before)


def test_tag_modal_with_completion(snap_compare, session: Session) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("t", "t", "o")
        tags = pilot.app.screen.query_one("#tags-input", Input)
        await wait_for(pilot, lambda: tags._suggestion == "to-read")  # it comes from a worker
        await _settle(pilot)

    assert snap_compare(ReaderApp(session), terminal_size=(120, 36), run_before=run_before)


def test_search_with_an_error(snap_compare, session: Session) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("slash", *"graph", "space", "left_parenthesis")
        await _settle(pilot)

    assert snap_compare(ReaderApp(session), terminal_size=(160, 30), run_before=run_before)


WATCH_AND_VIEWS = """refresh_interval = 0
[views]
"Graphs" = "graph"
"Broken" = "title:("
[watch]
keywords = ["diffusion"]
authors = ["Noether"]
"""


def test_saved_views_and_watch_marks(snap_compare, data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path, extra_config=WATCH_AND_VIEWS, offline=True)
    app = ReaderApp(session)

    async def run_before(pilot) -> None:
        graphs = next(view for view in app.main.sidebar.views if view.label == "Graphs")
        await wait_for(pilot, lambda: app.main.count_of(graphs) is not None)  # counted in a worker
        await pilot.press("j", "j", "j", "j", "j")  # the watched "Diffusion Models …"
        await _settle(pilot)

    try:
        assert snap_compare(app, terminal_size=(160, 40), run_before=run_before)
    finally:
        session.close()


def test_title_order_and_save_search_prompt(snap_compare, session: Session) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("S", "S", "slash", *"graph", "enter", "V", *"Graph papers")
        await _settle(pilot)

    assert snap_compare(ReaderApp(session), terminal_size=(140, 36), run_before=run_before)
