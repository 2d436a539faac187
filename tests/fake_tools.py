"""Stand-ins for the programs the reader hands links and text to (a
browser, ``xdg-open``, ``xclip``): real executables written to a folder,
which record how they were started to a JSON file and exit as told."""

from __future__ import annotations

import json
import stat
import sys
import time
from pathlib import Path

_SCRIPT = """#!{python}
import json, os, sys
record = {{
    "argv": sys.argv[1:],
    "stdin": sys.stdin.buffer.read().decode("utf-8") if {read_stdin} else None,
    "session_leader": os.getsid(0) == os.getpid(),
    "stdin_is_devnull": os.path.samestat(os.fstat(0), os.stat(os.devnull)),
    "stdout_is_devnull": os.path.samestat(os.fstat(1), os.stat(os.devnull)),
}}
with open({record!r}, "a", encoding="utf-8") as out:
    out.write(json.dumps(record) + "\\n")
sys.exit({exit_code})
"""


def fake_tool(folder: Path, name: str, exit_code: int = 0, read_stdin: bool = False) -> Path:
    """An executable ``folder/name`` that appends a JSON line to
    ``folder/name.calls`` for each run (its arguments, its standard input
    when ``read_stdin``, whether it leads a session of its own and has
    /dev/null for its streams), then exits with ``exit_code``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    record = str(folder / f"{name}.calls")
    path.write_text(
        _SCRIPT.format(python=sys.executable, record=record, exit_code=exit_code, read_stdin=read_stdin),
        encoding="utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def calls(tool: Path) -> list[dict[str, object]]:
    """What the runs of ``tool`` recorded so far."""
    record = tool.with_name(f"{tool.name}.calls")
    if not record.exists():
        return []
    return [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


def wait_for_calls(tool: Path, count: int = 1, timeout: float = 10.0) -> list[dict[str, object]]:
    """The runs of ``tool`` once there are ``count`` of them (a detached
    program may still be starting when its opener returns)."""
    deadline = time.monotonic() + timeout
    while len(found := calls(tool)) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{tool.name} ran {len(found)} times, not {count}, within {timeout:g} s")
        time.sleep(0.02)
    return found
