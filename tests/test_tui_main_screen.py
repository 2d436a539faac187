"""The main screen lays itself out for the terminal's size, also when the
size changes while a modal is on top of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paperread.session import Session
from paperread.tui.app import ReaderApp
from paperread.tui.main import MainScreen
from paperread.tui.screens import HelpScreen, TagsScreen
from tests.tui_library import build_session

LAYOUT_CLASSES = ("-narrow", "-very-narrow", "-no-sidebar")


@pytest.fixture
def session(data_dir: Path, tmp_path: Path) -> Iterator[Session]:
    session = build_session(data_dir, tmp_path)
    yield session
    session.close()


def layout(screen: object) -> set[str]:
    assert hasattr(screen, "classes")
    return {name for name in LAYOUT_CLASSES if name in screen.classes}  # type: ignore[attr-defined]


@pytest.mark.parametrize("modal_key, modal", [("question_mark", HelpScreen), ("t", TagsScreen)])
async def test_a_resize_under_a_modal_lays_out_the_main_screen(session: Session, modal_key: str, modal: type) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and layout(app.screen) == set()
        await pilot.press(modal_key)
        await pilot.pause()
        assert isinstance(app.screen, modal)
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert layout(app.screen) == set(), "the modal gets no layout classes"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        assert layout(app.main) == {"-narrow", "-very-narrow", "-no-sidebar"}
        assert not app.main.sidebar.display
        await pilot.press(modal_key)
        await pilot.pause()
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert layout(app.main) == set() and app.main.sidebar.display
