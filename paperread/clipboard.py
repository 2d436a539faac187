"""Copying text with the desktop's clipboard tool: ``wl-copy`` under
Wayland, ``xclip`` or ``xsel`` under X, ``pbcopy`` on macOS.

The reader also sends the text to the terminal (OSC 52), which works over
ssh and in tmux but which not every terminal takes and none confirms; a
tool that takes the text is a copy that can be reported as done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# A clipboard tool that takes longer than this is given up on.
TOOL_TIMEOUT_SECONDS = 2.0


def clipboard_tools() -> list[list[str]]:
    """The commands that can take text on standard input into the clipboard
    here, in the order they are tried."""
    candidates: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    return [argv for argv in candidates if shutil.which(argv[0])]


def copy_with_tool(text: str) -> str | None:
    """Copy ``text`` with the first clipboard tool that takes it; the tool's
    name, or None when none is there or none worked. Can take up to
    ``TOOL_TIMEOUT_SECONDS`` a tool: run it in a thread."""
    data = text.encode("utf-8")
    for argv in clipboard_tools():
        try:
            # the tools that keep serving the selection (xclip, xsel, wl-copy)
            # fork and leave a child behind: in a session of its own, so it
            # outlives the terminal, and with no pipe of ours to hold open
            result = subprocess.run(
                argv,
                input=data,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                timeout=TOOL_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0:
            return argv[0]
    return None
