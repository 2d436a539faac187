"""Type-ahead: the reader takes keys one at a time, each once the one
before it has settled, so a key typed early lands where the keys before
it have put the focus.

Textual hands a key to the widget that has the focus when the app takes
the key from its queue; that widget handles it later, in its own task.
A key that moves the focus or opens a screen (``/``, ``t``, ``Enter``,
``Escape``) does so a few messages after that, so the keys typed right
behind it went to where the focus had been: the letters typed after ``/``
while the reader was busy loading never reached the search box.

So the app keeps the keys that arrive while one is in flight, and hands
the next one over once the pumps that route keys are idle (their queues
empty): the app (focus changes are its callbacks), the screen on top (a
screen just opened sets its focus as it starts), the focused widget, and
the widget the key went to with its ancestors (what it posted, such as an
Input's Submitted, bubbles up through them). Work the key set off
elsewhere (the abstract pane following the list) does not hold the next
key. ``PATIENCE`` bounds the wait, so that input never stalls.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING

from textual.events import Key

from paperread.tui.textual_private import pump_idle

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

PATIENCE = 0.5  # seconds a key waits, at the most, for the one before it to settle
POLL = 0.001  # seconds between two looks at the message queues while a key is in flight


class TypeAhead:
    """The keys of one app, in the order they were typed."""

    def __init__(self, app: App[object]) -> None:
        self._app = app
        self._waiting: deque[Key] = deque()
        self._handed_back: Key | None = None  # posted to the app again, not yet taken
        self._in_flight_since: float | None = None
        self._path: list[DOMNode] = []  # the widget the key in flight went to, and its ancestors

    def admit(self, key: Key) -> bool:
        """Whether the app takes ``key`` now. If not, the key is kept and
        posted to the app again once the keys before it have settled."""
        if key is self._handed_back:
            self._handed_back = None
        elif self._in_flight_since is not None or self._waiting or self._handed_back is not None:
            self._waiting.append(key)
            return False
        self._in_flight_since = time.monotonic()
        target = self._app.focused or self._app.screen
        self._path = [target, *target.ancestors]
        asyncio.get_running_loop().call_later(POLL, self._look)
        return True

    @property
    def waiting(self) -> int:
        """Keys typed and not yet taken."""
        return len(self._waiting) + (self._handed_back is not None)

    def _settled(self) -> bool:
        app = self._app
        if not app.is_running or not app.screen_stack:  # closing: nothing left to route to
            return True
        focused = app.focused
        return (
            pump_idle(app)
            and pump_idle(app.screen)
            and (focused is None or pump_idle(focused))
            and all(pump_idle(node) for node in self._path)
        )

    def _look(self) -> None:
        since = self._in_flight_since
        if since is None:
            return
        if not self._settled() and time.monotonic() - since < PATIENCE:
            asyncio.get_running_loop().call_later(POLL, self._look)
            return
        self._in_flight_since = None
        self._path = []
        if self._waiting and self._app.is_running:
            self._handed_back = self._waiting.popleft()
            self._app.post_message(self._handed_back)
