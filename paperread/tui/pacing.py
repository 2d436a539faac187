"""The keystroke gate: background threads and the garbage collector keep out
of a keystroke's way until the screen shows what the key did.

Without it each background thread (search texts, word index, full records)
takes the interpreter every few milliseconds, about doubling a keystroke's
time, and a collection walks the lists the search just made (100k papers:
5-10 ms a list, two or three times a keystroke). No Textual here: the app
tells the gate when a key arrives (``give_way``) and when a frame was
written (``frame_written``).
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading

SWITCH_INTERVAL = 0.001  # seconds a busy thread holds the interpreter before the others get a turn
GIVE_WAY_AT_MOST = 0.25  # seconds a background thread waits for a keystroke's frame


def freeze_heap(collect: bool = False) -> None:
    """Exempt every object alive now (the library: 100k papers are millions
    of objects) from garbage collection. Otherwise a full collection walks
    them all, a pause of about half a second at some random keypress; the
    papers live as long as the reader anyway. ``collect`` first collects
    the objects made since the last freeze (a short pause, proportional to
    them), so that no garbage from that time is kept forever."""
    if collect:
        gc.collect()
    gc.freeze()


class KeystrokeGate:
    """Holds background work while a keystroke is handled and drawn."""

    def __init__(self) -> None:
        self._may_run = threading.Event()
        self._may_run.set()
        self._collector_held = False  # paused by give_way, to resume after the frame
        self._frame_awaited: asyncio.TimerHandle | None = None  # go_on at the latest
        self._collector_paused = False  # paused while the abstracts load
        self._switch_interval = sys.getswitchinterval()

    @property
    def holding(self) -> bool:
        """Whether background work is held now."""
        return not self._may_run.is_set()

    def start(self) -> None:
        """Background threads hand the interpreter back to the event loop
        within 1 ms, not 5; and no collections while the abstracts load:
        each full one walks the growing heap (13-25 ms, holding the
        interpreter at any keystroke). Call from the event loop."""
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._collector_paused = gc.isenabled()
        gc.disable()

    def stop(self) -> None:
        """The process as it was (many apps run in one test process)."""
        self.resume_collector()
        self.go_on()
        gc.unfreeze()
        sys.setswitchinterval(self._switch_interval)

    def resume_collector(self) -> None:
        """End the pause of the collector while the abstracts load."""
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()

    def give_way(self) -> None:
        """A keystroke came: hold the background threads and the collector
        until its frame is written.

        "Its frame" is the next frame written (``frame_written``), not the
        next idle moment: that comes before the focused widget has even
        handled the key, so the threads took turns with the handling and
        drawing of a move down while the abstracts loaded. A keystroke that
        changes nothing on screen lets go after ``GIVE_WAY_AT_MOST``."""
        self._may_run.clear()
        if not self._collector_held and gc.isenabled():
            gc.disable()
            self._collector_held = True
        if self._frame_awaited is None:
            self._frame_awaited = asyncio.get_running_loop().call_later(GIVE_WAY_AT_MOST, self.go_on)

    def frame_written(self) -> None:
        if self._frame_awaited is not None:
            self.go_on()

    def go_on(self) -> None:
        """The keystroke's frame is drawn: let the background work resume."""
        if self._frame_awaited is not None:
            self._frame_awaited.cancel()
            self._frame_awaited = None
        self._may_run.set()
        if self._collector_held:
            self._collector_held = False
            gc.enable()

    def wait_turn(self) -> None:
        """For a background thread in the middle of its work: wait while a
        keystroke is handled (never long)."""
        self._may_run.wait(GIVE_WAY_AT_MOST)
