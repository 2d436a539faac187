"""kill -9 a process while it writes user state: every acknowledged change
must survive and the file must always open cleanly."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from paperread.model import PaperState
from paperread.store import StateStore
from paperread.store.atomic import backup_path, load
from tests.conftest import REPO_ROOT, TEST_DATA

WRITER = TEST_DATA / "store" / "crash_writer.py"
ROUNDS = 300
MAX_WAIT_ACKS = 3
SEED = 20260427


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


def test_kill_9_never_loses_an_acknowledged_change(data_dir: Path) -> None:
    changes = _writer_module().changes
    rnd = random.Random(SEED)
    path = data_dir / "state.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    expected: dict[str, PaperState] = {}
    total_acks = 0
    waited_for = 0
    unacked_but_written = 0
    killed_mid_write = 0

    for round_no in range(ROUNDS):
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

        killed_mid_write += any(p.name.endswith(".tmp") for p in data_dir.iterdir())
        store = StateStore(path)
        assert store.open_messages == []
        actual = store.all()
        assert actual in (expected, with_next), f"round {round_no}: state lost or damaged"
        if actual != expected:
            unacked_but_written += 1
        store.close()
        assert not [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")]
        if backup_path(path).exists():
            load(backup_path(path), 1)  # the backup is always a whole file
        expected = actual

    # the writers got work done between kills
    assert waited_for > ROUNDS and total_acks >= waited_for
    assert expected, "the writers left some state behind"
    print(
        f"{ROUNDS} kills: {total_acks} acknowledged flushes, {killed_mid_write} kills left a"
        f" temp file, {unacked_but_written} unacknowledged flushes found written"
    )
