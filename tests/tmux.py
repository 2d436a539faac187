"""A real terminal for the end-to-end tests: tmux sessions on a private
server socket, the reader started in them, and its saved state read back
through the command line."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO_ROOT

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
        for _ in range(5):  # a server just killed may still be going away
            result = self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                               command, check=False)
            if result.returncode == 0:
                return
            time.sleep(0.2)
        raise AssertionError(f"tmux new-session: {result.stderr}")

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", "-t", self.name, check=False)
        return result.stdout

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(0.15)

    def type_at_once(self, *keys: str) -> None:
        """Every key in one write, as a fast typist or a paste delivers them."""
        self.tmux("send-keys", "-t", self.name, *keys)

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

    def close(self) -> None:
        """Close the window, as a person does: the reader gets SIGHUP and
        its terminal is gone."""
        self.tmux("kill-session", "-t", self.name, check=False)

    def kill(self) -> None:
        """Kill the server and wait until it is gone: a session started on a
        server still going away is created, then dies with it (a blank
        screen for the next start)."""
        self.tmux("kill-server", check=False)
        deadline = time.monotonic() + 5.0
        while "no server running" not in self.tmux("list-sessions", check=False).stderr:
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
        # the server is gone; its socket file stays behind otherwise
        (Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / self.socket).unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` still runs (an exited process left unreaped, a
    zombie, has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_for_exit(pid: int, within: float) -> float | None:
    """Seconds until ``pid`` ended, or None if it still ran after ``within``."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if not process_alive(pid):
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def reader_command(data_dir: Path, config: Path) -> str:
    args = [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config)]
    # COLUMNS/LINES inherited from the test run would override the pane's
    # real size; exec makes the pane's process the reader itself, so
    # signals sent to it reach the reader.
    env = f"-u COLUMNS -u LINES PYTHONPATH={shlex.quote(str(REPO_ROOT))} TERM=xterm-256color"
    return f"cd {shlex.quote(str(REPO_ROOT))} && exec env {env} {shlex.join(args)}"


def paperread(data_dir: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line on the same library, offline."""
    return subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config),
         "--offline", *args],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )


def saved(data_dir: Path, config: Path, query: str = "") -> list[dict]:
    result = paperread(data_dir, config, "list", "--json", *(["--query", query] if query else []))
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]
