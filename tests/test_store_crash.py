"""kill -9 a process while it writes user state: every acknowledged change
must survive and the files must always open cleanly.

A flush writes several files (read blocks, then state.json). A kill between
two of them leaves some files with the unacknowledged change and some
without; each file on its own must hold either the state before it or the
state after it, and a paper's read record and its star/tags record are
independent, so any such mix is a consistent state."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paperread.model import PaperState
from paperread.store import StateStore
from paperread.store.atomic import backup_path, load
from paperread.store.blocks import read_block
from paperread.store.state import READ_SCHEMA, SCHEMA
from tests.conftest import REPO_ROOT, TEST_DATA

WRITER = TEST_DATA / "store" / "crash_writer.py"
MAX_WAIT_ACKS = 3
SEED = 20260427
# Kill at least MIN_ROUNDS times, and on until each kind of interrupted
# flush has happened often enough to be tested (100 kills gave 70, 25 and 25
# here with the 2 cores busy); MAX_ROUNDS bounds the test where they do not.
MIN_ROUNDS = 100
MAX_ROUNDS = 600
FLOORS = {
    "kills that left a temp file (mid-write)": 40,
    "unacknowledged flushes found written": 10,
    "flushes found written to some of their files only": 10,
}


def _writer_module():
    spec = importlib.util.spec_from_file_location("crash_writer", WRITER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _apply(states: dict[str, PaperState], change: dict[str, PaperState]) -> dict[str, PaperState]:
    result = dict(states)
    for paper_id, state in change.items():
        if state.is_default():
            result.pop(paper_id, None)
        else:
            result[paper_id] = state
    return result


def _records_by_file(states: dict[str, PaperState]) -> dict[str, dict[str, tuple]]:
    """What each file holds for ``states``: the read records by read block,
    the star/tags/dismissed records in state.json."""
    files: dict[str, dict[str, tuple]] = {}
    for paper_id, state in states.items():
        if state.read or state.read_at:
            files.setdefault(f"read/{read_block(paper_id)}", {})[paper_id] = (state.read, state.read_at)
        if state.starred or state.tags or state.starred_at or state.tags_at or state.dismissed or state.dismissed_at:
            files.setdefault("state.json", {})[paper_id] = (
                state.starred, tuple(state.tags), state.starred_at, state.tags_at,
                state.dismissed, state.dismissed_at,
            )
    return files


def _each_file_before_or_after(
    actual: dict[str, PaperState], before: dict[str, PaperState], after: dict[str, PaperState]
) -> bool:
    """Whether every file holds either its ``before`` or its ``after`` records;
    returns whether at least one file holds ``after`` (the flush ran, at
    least partly)."""
    found, old, new = _records_by_file(actual), _records_by_file(before), _records_by_file(after)
    wrote = False
    for name in found.keys() | old.keys() | new.keys():
        records = found.get(name, {})
        assert records in (old.get(name, {}), new.get(name, {})), f"{name} holds neither version"
        wrote |= records != old.get(name, {})
    return wrote


def _floors_met(seen: dict[str, int]) -> bool:
    return all(seen[kind] >= floor for kind, floor in FLOORS.items())


@pytest.mark.timing
def test_kill_9_never_loses_an_acknowledged_change(data_dir: Path) -> None:
    changes = _writer_module().changes
    rnd = random.Random(SEED)
    path = data_dir / "state.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    expected: dict[str, PaperState] = {}
    total_acks = 0
    waited_for = 0
    seen = dict.fromkeys(FLOORS, 0)
    mid_write, unacked_written, partly_written = FLOORS

    for round_no in range(MAX_ROUNDS):
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), str(round_no)],
            stdout=subprocess.PIPE, text=True, env=env,
        )
        assert child.stdout.readline() == "ready\n"  # no repair was ever needed
        # let a few flushes through whatever the machine's speed, then kill at
        # a random moment
        lines = [child.stdout.readline() for _ in range(rnd.randrange(MAX_WAIT_ACKS + 1))]
        waited_for += len(lines)
        time.sleep(rnd.uniform(0.0, 0.02))
        child.send_signal(signal.SIGKILL)
        # read() keeps lines already buffered by readline(); communicate() would not
        output = "".join(lines) + child.stdout.read()
        child.stdout.close()
        assert child.wait(timeout=10) == -signal.SIGKILL

        # a line cut short by the kill does not count as acknowledged
        acked = [int(line.split()[1]) for line in output.split("\n")[:-1]]
        assert acked == list(range(1, len(acked) + 1))
        total_acks += len(acked)
        for step in acked:
            expected = _apply(expected, changes(round_no, step))
        # the flush after the last acknowledgement may have completed too
        with_next = _apply(expected, changes(round_no, len(acked) + 1))

        seen[mid_write] += any(data_dir.rglob("*.tmp"))
        store = StateStore(path)
        assert store.open_messages == []
        actual = store.all()
        wrote = _each_file_before_or_after(actual, expected, with_next)
        seen[unacked_written] += actual == with_next != expected
        seen[partly_written] += wrote and actual != with_next
        store.close()
        assert not list(data_dir.rglob("*.tmp"))
        if backup_path(path).exists():
            load(backup_path(path), SCHEMA)  # the backup is always a whole file
        for backup in (data_dir / "read").rglob("*.bak"):
            load(backup, READ_SCHEMA)
        expected = actual
        if round_no + 1 >= MIN_ROUNDS and _floors_met(seen):
            break

    rounds = round_no + 1
    print(f"{rounds} kills: {total_acks} acknowledged flushes, {seen}")
    # the kills landed in every part of a flush, and the writers got work
    # done between them
    assert _floors_met(seen), seen
    assert waited_for > rounds and total_acks >= waited_for
    assert expected, "the writers left some state behind"
