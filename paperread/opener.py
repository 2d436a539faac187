"""Handing a link to a browser: the ``opener`` command of the config, else
the platform's own (``open`` on macOS, ``os.startfile`` on Windows,
``xdg-open`` where a display is), and a message saying what happened.

The command runs detached (a session of its own, no terminal streams), so
a browser neither draws over the reader nor dies with it. Python's
``webbrowser`` is never used: without a display it may start a text
browser inside the reader's terminal. Checking that the link is http(s)
is the caller's part (``text.is_safe_url``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

# How long a started opener is watched for an immediate failure (a
# browser that cannot start exits at once; one that starts keeps running).
FAILURE_WAIT_SECONDS = 0.5
URL_PLACEHOLDER = "%u"
EXAMPLE_OPENER = 'opener = "firefox %u"'


@dataclass(frozen=True, slots=True)
class Opened:
    """Whether the link was handed on, and a one-line message saying so."""

    ok: bool
    message: str


class OpenerError(ValueError):
    """An ``opener`` command line that cannot be split into words."""


def opener_argv(command: str, url: str) -> list[str]:
    """The words of ``command`` with ``%u`` replaced by ``url`` (in each word
    that holds it), else with ``url`` appended: the URL is always whole,
    one argument or inside one."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise OpenerError(f"cannot split {command!r} into words: {error}") from error
    if not words:
        raise OpenerError("the opener command is empty")
    if any(URL_PLACEHOLDER in word for word in words):
        return [word.replace(URL_PLACEHOLDER, url) for word in words]
    return [*words, url]


def check_opener(command: str) -> str | None:
    """What is wrong with ``command`` as an opener, or None."""
    try:
        opener_argv(command, "https://example.org/")
    except OpenerError as error:
        return str(error)
    return None


def platform_opener() -> list[str] | None:
    """The command this platform opens links with (the URL goes last), or
    None where there is none (Windows uses ``os.startfile`` instead)."""
    if sys.platform == "darwin":
        return ["open"]
    if sys.platform == "win32":
        return None
    if (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and shutil.which("xdg-open"):
        return ["xdg-open"]
    return None


def _advice(url: str, why: str, config: Path | None) -> str:
    where = str(config) if config is not None else "the config file"
    return f"{why}: set {EXAMPLE_OPENER} in {where}; the link: {url}"


def open_url(url: str, command: str | None, config: Path | None = None) -> Opened:
    """Open ``url`` with ``command`` (the config's ``opener``), else with the
    platform's opener. Waits up to ``FAILURE_WAIT_SECONDS`` to see a failure:
    run it in a thread. ``config`` (the config file) is named in the advice
    given when there is no opener."""
    if command is not None:
        try:
            argv = opener_argv(command, url)
        except OpenerError as error:
            return Opened(False, f"opener {command!r}: {error}")
        return _run(argv, url)
    if sys.platform == "win32":
        return _start_file(url)
    argv = platform_opener()
    if argv is None:
        if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
            why = "no browser opener (xdg-open is not installed)"
        else:
            why = "no display to open a browser on"
        return Opened(False, _advice(url, why, config))
    return _run([*argv, url], url)


def _run(argv: list[str], url: str) -> Opened:
    name = argv[0]
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except FileNotFoundError:
        return Opened(False, f"opener {name!r} not found; the link: {url}")
    except OSError as error:
        return Opened(False, f"opener {name!r} cannot be started ({error.strerror or error}); the link: {url}")
    try:
        code = process.wait(timeout=FAILURE_WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        # still running (a browser itself, or an opener that waits for it):
        # reaped by a thread of its own whenever it ends
        threading.Thread(target=process.wait, name=f"opener {name}", daemon=True).start()
        return Opened(True, f"opened with {name}: {url}")
    if code != 0:
        how = f"exit {code}" if code > 0 else f"killed by signal {-code}"
        return Opened(False, f"opener {name!r} failed ({how}); the link: {url}")
    return Opened(True, f"opened with {name}: {url}")


def _start_file(url: str) -> Opened:
    try:
        os.startfile(url)  # type: ignore[attr-defined]  # Windows only
    except OSError as error:
        return Opened(False, f"Windows could not open the link ({error}): {url}")
    return Opened(True, f"opened: {url}")
