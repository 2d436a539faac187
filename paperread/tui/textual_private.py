"""Every use of Textual's private API, in one place.

Textual is pinned exactly (pyproject.toml), and each name here has a test
in ``tests/test_textual_private.py``: an upgrade that moves one breaks that
test, and this module is the one place to change. The functions wrap the
private calls; ``OVERRIDDEN`` lists the private methods that the reader's
subclasses replace.
"""

from __future__ import annotations

import asyncio
from typing import IO, TYPE_CHECKING, Any

from textual._keyboard_protocol import FUNCTIONAL_KEYS
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver
from textual.keys import _character_to_key
from textual.widgets import Input

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.binding import BindingsMap
    from textual.dom import DOMNode
    from textual.geometry import Size
    from textual.message_pump import MessagePump
    from textual.widget import Widget
    from textual.widgets.option_list import Option, OptionList

# class -> the private methods the reader overrides, and where
OVERRIDDEN: dict[type, tuple[str, ...]] = {
    App: ("_display",),  # tui/app.py: the frame is written (the keystroke gate)
    Input: ("_watch_value",),  # widgets/search_box.py: no layout pass per character
    # tui/terminal.py: resume only after a stop; a read error ends the reader
    LinuxDriver: ("_sigtstp_application", "_sigcont_application", "run_input_thread"),
}


def functional_key_names() -> list[str]:
    """The names Textual gives the keys of the kitty keyboard protocol."""
    return list(FUNCTIONAL_KEYS.values())


def character_key_name(character: str) -> str:
    """The key name Textual gives a key press of ``character``."""
    return _character_to_key(character)


def scroll_update(widget: Widget, size: Size) -> None:
    """What Widget does when its virtual size is set without a layout pass."""
    widget._scroll_update(size)  # noqa: SLF001


def set_option_prompt(option: Option, prompt: Any) -> None:
    """Give an OptionList option a new prompt without re-measuring the list."""
    option._set_prompt(prompt)  # noqa: SLF001


def forget_option_render(option_list: OptionList, option: Option) -> None:
    """Drop the cached renders of ``option`` (only those)."""
    cache = option_list._option_render_cache  # noqa: SLF001
    for key in [key for key in cache.keys() if key[0] is option]:  # noqa: SIM118 (an LRUCache)
        cache.discard(key)


def option_lines(option_list: OptionList, index: int) -> tuple[int, int] | None:
    """The first line and the height of option ``index`` as the list last
    measured it, or None when it was not measured yet."""
    lines = option_list._line_cache  # noqa: SLF001
    if index not in lines.index_to_line:
        return None
    return lines.index_to_line[index], lines.heights[index]


def merged_bindings(widget_class: type[DOMNode]) -> BindingsMap:
    """A widget class's bindings with the inherited ones, merged as Textual does."""
    return widget_class._merge_bindings()  # noqa: SLF001


def pump_idle(pump: MessagePump) -> bool:
    """Whether a message pump has nothing queued and no callbacks waiting
    for its queue to empty."""
    return pump._message_queue.empty() and not pump._next_callbacks  # noqa: SLF001


def event_loop(app: App[Any]) -> asyncio.AbstractEventLoop | None:
    """The loop the app runs on (None before it runs)."""
    return app._loop  # noqa: SLF001


def driver_app(driver: LinuxDriver) -> App[Any]:
    return driver._app  # noqa: SLF001


def wrap_driver_output(driver: LinuxDriver, wrap: Callable[[IO[str]], IO[str]]) -> None:
    """Make the driver's writer thread write through ``wrap(stream)``
    (before application mode starts it)."""
    driver._file = wrap(driver._file)  # noqa: SLF001


def drop_oldest_notifications(app: App[object], keep: int) -> None:
    """Remove the oldest notifications until ``keep`` are left (they are
    kept in the order they came)."""
    notifications = list(app._notifications)  # noqa: SLF001
    for notification in notifications[: max(0, len(notifications) - keep)]:
        app._unnotify(notification, refresh=False)  # noqa: SLF001
