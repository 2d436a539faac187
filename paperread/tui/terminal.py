"""The reader's way out: it never waits on a terminal that is gone, and it
ends within a bound of a hang-up or SIGTERM, with the state saved first.

Textual writes every frame through a writer thread with a bounded queue
(30 writes). When the terminal goes away (the window is closed: SIGHUP,
then EIO on the next write) that thread dies on the error, the queue
fills, and the next write from the event loop waits forever, shutdown's
own writes included: the process hung holding the library lock, and its
SIGTERM handler, which ran on that blocked loop, never ran at all.

So: the output swallows the error and drops everything after it
(``TerminalOutput``, used by ``ReaderDriver``); a read error on the
terminal ends the reader as a hang-up does; and the signals get plain
``signal.signal`` handlers (they run between two bytecodes even while the
main thread waits on a lock), which start an ``ExitGuard``: a thread that
saves the state at once, lets the app close normally, and ends the process
at the deadline if it has not ended by then.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver

from paperread.tui.textual_private import driver_app, wrap_driver_output

EXIT_DEADLINE = 1.5  # seconds from a hang-up or SIGTERM to the end of the process, at the most
GUARDED_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


class TerminalOutput:
    """The terminal stream Textual's writer thread writes to: an error
    (EIO, a closed stream) means the terminal is gone; from then on every
    write is dropped, so the writer thread keeps draining its queue."""

    def __init__(self, stream: IO[str], on_gone: Callable[[], None]) -> None:
        self._stream = stream
        self._on_gone = on_gone
        self.gone = False

    def _lost(self) -> None:
        if not self.gone:
            self.gone = True
            self._on_gone()

    def write(self, text: str) -> None:
        if self.gone:
            return
        try:
            self._stream.write(text)
        except (OSError, ValueError):
            self._lost()

    def flush(self) -> None:
        if self.gone:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self._lost()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return True


class ReaderDriver(LinuxDriver):
    """Textual's Linux driver, but a terminal that is gone (on output or
    input) ends the reader instead of stopping its output for good."""

    def __init__(self, app: Any, **options: Any) -> None:
        super().__init__(app, **options)
        self._output: TerminalOutput | None = None
        wrap_driver_output(self, self._guard_output)
        self._stopped = False  # by SIGTSTP (Ctrl+Z), not yet resumed

    def _sigtstp_application(self, *args: Any) -> None:
        self._stopped = True
        super()._sigtstp_application(*args)

    def _sigcont_application(self, *args: Any) -> None:
        """Resume only after a stop (Ctrl+Z). A hang-up sends SIGCONT too,
        and Textual's handler then started the terminal over, with a new
        writer thread, from inside the signal handler: the old thread's
        queue filled and shutdown waited on it for good."""
        if self._stopped:
            self._stopped = False
            super()._sigcont_application(*args)

    def _guard_output(self, stream: IO[str]) -> IO[str]:
        self._output = TerminalOutput(stream, self._terminal_gone)
        return self._output  # type: ignore[return-value]

    def _terminal_gone(self) -> None:
        """From any thread: the terminal is gone, so the reader ends."""
        if self._output is not None:
            self._output.gone = True
        guard = getattr(driver_app(self), "exit_guard", None)
        if guard is not None:
            guard.begin()

    def write(self, data: str) -> None:
        if self._output is None or not self._output.gone:
            super().write(data)

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        except OSError:  # EIO: the terminal was closed under us
            self._terminal_gone()


class ExitGuard:
    """Ends the process within ``deadline`` seconds of ``begin`` (a signal,
    or a terminal that is gone), with the state saved.

    ``save`` runs in the guard's own thread (it must be thread safe: the
    store's flush is) right away and once more just before the deadline;
    ``request_exit`` asks the app to close normally (from any thread).
    The handlers only start the thread and ask: a handler may interrupt
    the main thread while it holds the store's lock, so it must not save.
    """

    def __init__(
        self,
        save: Callable[[], object],
        request_exit: Callable[[], None],
        deadline: float = EXIT_DEADLINE,
        end_process: Callable[[int], object] = os._exit,
    ) -> None:
        self._save = save
        self._request_exit = request_exit
        self._deadline = deadline
        self._end_process = end_process
        self._begun = threading.Event()
        self.saved = threading.Event()
        self._previous: dict[signal.Signals, Any] = {}

    def install(self) -> None:
        """Handle SIGHUP and SIGTERM (main thread only)."""
        for signum in GUARDED_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._on_signal)

    def uninstall(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.begin()

    @property
    def begun(self) -> bool:
        return self._begun.is_set()

    def begin(self) -> None:
        """Save, ask the app to close, and end the process at the deadline."""
        if self._begun.is_set():
            return
        self._begun.set()
        threading.Thread(target=self._guard, name="paperread-exit", daemon=True).start()
        self._request_exit()

    def end_after_app(self, close: Callable[[], object]) -> None:
        """Called once the app has closed: after a hang-up or SIGTERM, run
        ``close`` (save, release the lock) and end the process at once. The
        interpreter's own teardown of a large library takes a second or
        more under load, and this thread (a daemon) cannot act during it."""
        if not self.begun:
            return
        try:
            close()
        except Exception:  # noqa: BLE001 - saved already by the guard thread; nothing to tell
            pass
        self._end_process(0)

    def _guard(self) -> None:
        self._save_quietly()
        self.saved.set()
        # a daemon thread: when the app closes in time, the process ends
        # with it and this wait is cut short
        threading.Event().wait(self._deadline)
        self._save_quietly()  # what changed since (a key in flight)
        self._end_process(0)

    def _save_quietly(self) -> None:
        try:
            self._save()
        except Exception:  # noqa: BLE001 - nothing to tell on a dead terminal; the next start says it
            pass
