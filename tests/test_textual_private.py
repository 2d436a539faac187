"""Each private Textual name the reader uses (paperread/tui/textual_private.py)
still exists and does what the reader relies on: an upgrade of Textual
breaks here first."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from paperread.tui import textual_private
from paperread.tui.widgets import PaperList
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize("cls, name", [(cls, name) for cls, names in textual_private.OVERRIDDEN.items()
                                        for name in names])
def test_the_private_methods_the_reader_overrides_exist(cls: type, name: str) -> None:
    assert callable(getattr(cls, name, None)), f"{cls.__name__}.{name}"


def test_key_names() -> None:
    assert "f13" in textual_private.functional_key_names()
    assert textual_private.character_key_name("?") == "question_mark"
    assert textual_private.character_key_name("/") == "slash"


def test_merged_bindings_include_the_inherited_ones() -> None:
    ids = {binding.id for bindings in textual_private.merged_bindings(PaperList).key_to_bindings.values()
           for binding in bindings}
    assert {"list.down", "list.up"} <= ids


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList(Option("one", id="one"), Option("two", id="two"), id="options")
        yield Static("x" * 10, id="static")


async def test_option_prompts_renders_and_lines() -> None:
    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        options = app.query_one(OptionList)
        await pilot.pause()
        assert textual_private.option_lines(options, 1) == (1, 1)
        option = options.get_option_at_index(1)
        assert "two" in options.render_line(1).text
        textual_private.set_option_prompt(option, "second")
        assert "two" in options.render_line(1).text, "the old render is cached"
        textual_private.forget_option_render(options, option)
        assert option.prompt == "second" and "second" in options.render_line(1).text


async def test_scroll_update_and_the_loop_and_idle_pumps() -> None:
    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        static = app.query_one("#static", Static)
        await pilot.pause()
        static.set_reactive(Static.virtual_size, Size(10, 500))
        textual_private.scroll_update(static, Size(10, 500))
        assert static.virtual_size == Size(10, 500)
        assert textual_private.event_loop(app) is asyncio.get_running_loop()
        await pilot.pause()
        assert textual_private.pump_idle(app)
        app.call_later(lambda: None)  # queued: the app has a message to take
        assert not textual_private.pump_idle(app)
        await pilot.pause()
        assert textual_private.pump_idle(app)


DRIVER_PROBE = """
import asyncio, io, sys
from textual.app import App
from paperread.tui import textual_private
from paperread.tui.terminal import ReaderDriver, TerminalOutput

async def probe():
    app = App()
    driver = ReaderDriver(app)
    assert textual_private.driver_app(driver) is app
    seen = []
    textual_private.wrap_driver_output(driver, lambda stream: seen.append(stream) or io.StringIO())
    assert isinstance(seen[0], TerminalOutput), "the reader's driver guards the stream Textual writes to"
    assert seen[0].fileno() == sys.__stderr__.fileno()
    assert isinstance(driver._file, io.StringIO)
    print("ok")

asyncio.run(probe())
"""


def test_the_driver_output_and_app() -> None:
    # in a child: a driver installs handlers for SIGTSTP and SIGCONT
    result = subprocess.run([sys.executable, "-c", DRIVER_PROBE], capture_output=True, text=True, cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


async def test_the_oldest_notifications_can_be_dropped() -> None:
    app = App()
    async with app.run_test() as pilot:
        for number in range(5):
            app.notify(f"notice {number}", timeout=30)
        await pilot.pause()
        textual_private.drop_oldest_notifications(app, 2)
        assert [notification.message for notification in app._notifications] == ["notice 3", "notice 4"]  # noqa: SLF001
