"""End to end: the real ``python3 -m paperread`` in a real terminal (tmux),
fed from a loopback server, driven by key presses, checked on screen and
through the saved state."""

from __future__ import annotations

import json
import os
import re
import signal
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, TEST_DATA
from tests.feedserver import FeedServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

WAIT = 30.0  # seconds; every wait below is bounded by this


class Terminal:
    """One detached tmux session on a private server socket."""

    def __init__(self, socket: str, name: str = "reader") -> None:
        self.socket = socket
        self.name = name

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10, check=check
        )

    def start(self, command: str, width: int = 160, height: int = 48) -> None:
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command)

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", "-t", self.name, check=False)
        return result.stdout

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(0.15)

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip())

    def running(self) -> bool:
        return self.tmux("has-session", "-t", self.name, check=False).returncode == 0

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; screen:\n{self.screen()}")
            time.sleep(0.1)

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"paperread-test-{os.getpid()}-{tmp_path.name}")
    try:
        yield term
    finally:
        term.kill()


@pytest.fixture
def config(feed_server: FeedServer, tmp_path: Path) -> Path:
    feed_server.add("/rss/cs.LG", (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes(),
                    content_type="application/rss+xml")
    path = tmp_path / "config.toml"
    path.write_text(f'[[feeds]]\nurl = "{feed_server.url("/rss/cs.LG")}"\nname = "loopback LG"\n')
    return path


def reader_command(data_dir: Path, config: Path) -> str:
    args = [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config)]
    # COLUMNS/LINES inherited from the test run would override the pane's
    # real size; exec makes the pane's process the reader itself, so
    # signals sent to it reach the reader.
    env = f"-u COLUMNS -u LINES PYTHONPATH={shlex.quote(str(REPO_ROOT))} TERM=xterm-256color"
    return f"cd {shlex.quote(str(REPO_ROOT))} && exec env {env} {shlex.join(args)}"


def saved(data_dir: Path, config: Path) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config),
         "--offline", "list", "--json"],
        capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_browse_star_read_and_quit(terminal: Terminal, config: Path, data_dir: Path) -> None:
    terminal.start(reader_command(data_dir, config))
    # nothing is cached: the rows appear once the background refresh is done
    terminal.wait_for(lambda: "Sparse Graph Transformers" in terminal.screen(), "the refreshed papers")
    terminal.wait_for(lambda: "Refreshing" not in terminal.screen(), "the refresh to end")
    screen = terminal.screen()
    assert "paperread" in screen and "Unread · 3 unread / 3" in screen
    assert "loopback LG" in screen
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d [A-Z][a-z]{2} \d{4} · 3 papers", screen), "a day header"

    terminal.press("j", "s", "m")
    terminal.wait_for(lambda: "Unread · 2 unread / 2" in terminal.screen(), "the counts to change")
    assert re.search(r"Starred +0/1", terminal.screen()), "one starred paper, read"
    terminal.press("q")
    terminal.wait_for(lambda: not terminal.running(), "the reader to quit")

    papers = saved(data_dir, config)
    assert len(papers) == 3
    second = papers[1]  # the list and the CLI sort alike: newest first
    assert second["starred"] and second["read"]
    assert not any(paper["starred"] or paper["read"] for paper in (papers[0], papers[2]))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_saves_the_state(terminal: Terminal, config: Path, data_dir: Path, signum: int) -> None:
    terminal.start(reader_command(data_dir, config))
    terminal.wait_for(lambda: "Sparse Graph Transformers" in terminal.screen(), "the refreshed papers")
    terminal.press("s")
    terminal.wait_for(lambda: "★" in terminal.screen(), "the star")
    # at once, before the half-second save timer: the signal handler saves
    os.kill(terminal.pid(), signum)
    terminal.wait_for(lambda: not terminal.running(), f"the reader to exit on {signal.Signals(signum).name}")

    papers = saved(data_dir, config)
    assert papers[0]["starred"]
    # the lock was released: a writer can open the library again
    result = subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config),
         "--offline", "mark", "--read", papers[0]["id"]],
        capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert result.returncode == 0, result.stderr
