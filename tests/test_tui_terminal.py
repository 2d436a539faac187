"""The reader's way out (paperread/tui/terminal.py) on real parts: a
pseudo-terminal whose other end is closed, real signals to a real child
process, the guard's deadline."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from paperread.tui.terminal import ExitGuard, TerminalOutput
from tests.conftest import REPO_ROOT


def test_output_to_a_closed_terminal_is_dropped_and_said_once() -> None:
    master, slave = os.openpty()
    stream = io.TextIOWrapper(io.FileIO(slave, "w"), write_through=True)
    gone: list[str] = []
    output = TerminalOutput(stream, lambda: gone.append("gone"))
    output.write("frame 1")
    os.close(master)  # the window closed: the next write gets EIO
    for frame in range(50):  # far more than Textual's 30 queued writes
        output.write(f"frame {frame}")
        output.flush()
    assert output.gone and gone == ["gone"]


@pytest.mark.timing
def test_the_guard_saves_at_once_and_again_before_it_ends_the_process() -> None:
    saves: list[float] = []
    ended = threading.Event()
    asked: list[str] = []
    guard = ExitGuard(lambda: saves.append(time.monotonic()), lambda: asked.append("exit"), deadline=0.2,
                      end_process=lambda code: ended.set())
    started = time.monotonic()
    guard.begin()
    guard.begin()  # a second signal changes nothing
    assert guard.saved.wait(2) and asked == ["exit"]
    assert ended.wait(2), "the process is ended at the deadline"
    assert len(saves) == 2 and saves[0] - started < 0.1 and saves[1] - started >= 0.2


def test_a_save_that_fails_does_not_keep_the_process_alive() -> None:
    ended = threading.Event()

    def failing_save() -> None:
        raise OSError("disk gone")

    guard = ExitGuard(failing_save, lambda: None, deadline=0.05, end_process=lambda code: ended.set())
    guard.begin()
    assert ended.wait(2)


GUARDED_CHILD = textwrap.dedent(
    """
    import threading
    from paperread.tui.terminal import ExitGuard
    guard = ExitGuard(lambda: print("saved", flush=True), lambda: None, deadline=0.3)
    guard.install()
    print("ready", flush=True)
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()  # never returns: the main thread stuck, as on a full output queue
    """
)


@pytest.mark.timing
def test_a_signal_ends_a_process_whose_main_thread_is_stuck() -> None:
    for signum in (signal.SIGHUP, signal.SIGTERM):
        child = subprocess.Popen([sys.executable, "-c", GUARDED_CHILD], stdout=subprocess.PIPE, text=True,
                                 cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        sent = time.monotonic()
        child.send_signal(signum)
        code = child.wait(timeout=5)
        took = time.monotonic() - sent
        assert child.stdout.read().split() == ["saved", "saved"]
        assert code == 0 and took < 2.0, (signal.Signals(signum).name, code, took)
