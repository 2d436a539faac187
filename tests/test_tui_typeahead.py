"""Type-ahead in the reader, driven by Pilot: keys that arrive together
(typed faster than the reader takes them, or while it is busy) are each
handled where the keys before them put the focus, in order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.events import Key

from paperread.session import Session
from paperread.tui.app import ReaderApp
from paperread.tui.screens import TagsScreen
from tests.tui_library import build_session, stored_states

SIZE = (160, 50)
KEY_NAMES = {"/": "slash", " ": "space", "\r": "enter", "\x1b": "escape"}


@pytest.fixture
def session(data_dir: Path, tmp_path: Path) -> Iterator[Session]:
    session = build_session(data_dir, tmp_path)
    yield session
    session.close()


def type_at_once(app: ReaderApp, text: str) -> None:
    """Every key of ``text`` in the app's queue before it takes the first,
    as when the terminal delivers them in one read."""
    for char in text:
        name = KEY_NAMES.get(char, char)
        app.post_message(Key(name, None if name in ("enter", "escape") else char))


async def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def test_a_search_typed_at_once_reaches_the_box_and_the_keys_after_it_the_list(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "/model\rj")
        await until(lambda: app.main.paper_list.cursor == 1, "j after the search to move the list")
        assert app.main.search_input.value == "model"
        assert app.focused is app.main.paper_list
        assert len(app.main.paper_list.papers) >= 2
        assert all("model" in paper.title.lower() for paper in app.main.paper_list.papers)


async def test_tags_typed_at_once_reach_the_modal_and_the_key_after_it_the_list(
    session: Session, data_dir: Path
) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.main.paper_list.highlighted
        assert first is not None
        type_at_once(app, "tml\rj")
        await until(lambda: app.main.paper_list.cursor == 1, "j after the tags modal to move the list")
        assert not isinstance(app.screen, TagsScreen)
        assert "ml" in session.library.state(first.id).tags
        await pilot.press("q")
    assert "ml" in stored_states(data_dir)[first.id].tags


@pytest.mark.timing
async def test_keys_typed_while_the_reader_is_busy_keep_their_order(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = [paper.id for paper in app.main.paper_list.papers]
        states = {pid: session.library.state(pid) for pid in rows}
        (found,) = [paper.id for paper in app.main.paper_list.papers if "weather" in paper.title.lower()]

        def busy() -> None:  # the event loop held, as by a long step of the start
            type_at_once(app, "/weather\x1bkk")
            time.sleep(0.3)

        app.call_later(busy)
        # the search found one paper, Escape kept it highlighted in the whole list, k k moved up
        wanted = rows[rows.index(found) - 2]
        await until(lambda: app.main.paper_list.highlighted is not None
                    and app.main.paper_list.highlighted.id == wanted, "two rows up from the paper found")
        assert app.main.search_input.value == ""
        assert app.focused is app.main.paper_list
        assert {pid: session.library.state(pid) for pid in rows} == states, "no letter acted on the list"
