"""End to end: ``kill -9`` of the running reader in a real terminal (tmux),
at random moments after keys. Every change made longer ago than the save
delay (0.5 s) plus a margin is on disk after the kill, and the library is
whole: its files parse and the next start works.

The moments come from a seed printed with each run; set
``PAPERREAD_KILL_SEED`` to replay one."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import time
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest

from paperread.model import PaperState
from paperread.store import open_library_store
from tests.tmux import Terminal, reader_command, saved, wait_for_exit
from tests.tui_library import paper, stored_states

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timing,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROUNDS = 4
PAPERS = 40  # enough unread papers for every round's keys
# the promise (on disk at most 0.5 s after the key) plus a margin for a busy
# machine: the key's way through tmux, its own work and the write
SAVED_WITHIN = 1.0
FIRST_DAY = date(2026, 1, 5)


@dataclass(frozen=True)
class Change:
    """A key that changed one field of one paper, and when it was sent."""

    paper_id: str
    field: str  # "read" or "starred"
    value: bool
    sent: float  # time.monotonic()


TITLES = {f"2601.{n:05d}": f"Paper number {n:02d}" for n in range(PAPERS)}


def seed_library(data_dir: Path) -> list[str]:
    """``PAPERS`` unread papers, a day apart; their ids, newest first (the
    reader's order)."""
    papers = [
        paper(paper_id, title, (FIRST_DAY + timedelta(days=n)).isoformat())
        for n, (paper_id, title) in enumerate(TITLES.items())
    ]
    store = open_library_store(data_dir)
    store.cache.save(papers)
    store.close()
    return list(reversed(TITLES))


def states_on_disk(data_dir: Path, ids: list[str]) -> dict[str, dict[str, bool]]:
    """Each paper's read and starred flags as a fresh read-only store reads them."""
    stored = stored_states(data_dir)
    return {
        paper_id: {"read": state.read, "starred": state.starred}
        for paper_id, state in ((paper_id, stored.get(paper_id, PaperState())) for paper_id in ids)
    }


def kill_delays(rng: random.Random) -> list[float]:
    """Seconds from each round's last key to its kill: half of them before
    the last change is due on disk (its save may be under way), half after
    (then every change is due)."""
    early = [rng.uniform(0.0, 0.5) for _ in range(ROUNDS // 2)]
    late = [rng.uniform(SAVED_WITHIN, SAVED_WITHIN + 0.5) for _ in range(ROUNDS - ROUNDS // 2)]
    delays = early + late
    rng.shuffle(delays)
    return delays


def assert_whole(data_dir: Path) -> None:
    """Every JSON file of the library parses; nothing was moved aside as damaged."""
    for path in data_dir.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    assert not list(data_dir.rglob("*.corrupt*")), "a damaged file was moved aside"


def shows(terminal: Terminal, text: str) -> bool:
    return text in terminal.screen()


def send(terminal: Terminal, key: str) -> float:
    terminal.tmux("send-keys", "-t", terminal.name, key)
    return time.monotonic()


def type_changes(
    terminal: Terminal, rng: random.Random, ids: list[str], before: dict[str, dict[str, bool]]
) -> list[Change]:
    """Star some of the first unread papers and mark them read (space reads
    and moves on), at a random pace; the changes the keys made."""
    unread = [paper_id for paper_id in ids if not before[paper_id]["read"]]
    planned = []  # (paper id, field, new value, key)
    for paper_id in unread[: rng.randint(2, 5)]:
        if rng.random() < 0.5:
            planned.append((paper_id, "starred", not before[paper_id]["starred"], "s"))
        planned.append((paper_id, "read", True, "space"))
    changes = []
    for index, (paper_id, field, value, key) in enumerate(planned):
        if index:
            time.sleep(rng.uniform(0.05, 0.3))  # a person's pace, at random
        changes.append(Change(paper_id, field, value, send(terminal, key)))
    return changes


def check_after_kill(
    before: dict[str, dict[str, bool]], after: dict[str, dict[str, bool]], changes: list[Change], killed: float
) -> list[str]:
    """What is wrong with ``after``: a change older than ``SAVED_WITHIN``
    missing, or a field no key changed that changed anyway."""
    problems = []
    changed = {(change.paper_id, change.field): change for change in changes}
    for paper_id, flags in before.items():
        for field, old in flags.items():
            now = after[paper_id][field]
            change = changed.get((paper_id, field))
            if change is None:
                if now != old:
                    problems.append(f"{paper_id} {field} changed with no key")
            elif killed - change.sent > SAVED_WITHIN and now != change.value:
                problems.append(f"{paper_id} {field} lost, changed {killed - change.sent:.2f} s before the kill")
    return problems


def test_kill_9_after_keys_loses_nothing_older_than_the_save_delay(
    terminal: Terminal, data_dir: Path, tmp_path: Path
) -> None:
    seed = int(os.environ.get("PAPERREAD_KILL_SEED", random.randrange(2**32)))
    print(f"PAPERREAD_KILL_SEED={seed}")
    rng = random.Random(seed)
    config = tmp_path / "config.toml"
    config.write_text("refresh_interval = 0\n")
    ids = seed_library(data_dir)
    before = states_on_disk(data_dir, ids)
    for round_, delay in enumerate(kill_delays(rng)):
        first_unread = next(paper_id for paper_id in ids if not before[paper_id]["read"])
        terminal.start(reader_command(data_dir, config))  # after a kill, the next start works
        terminal.wait_for(partial(shows, terminal, TITLES[first_unread]), f"round {round_}: the reader's list")
        pid = terminal.pid()
        changes = type_changes(terminal, rng, ids, before)
        time.sleep(delay)
        killed = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        assert wait_for_exit(pid, within=10) is not None, "the reader survived kill -9"
        terminal.wait_for(lambda: not terminal.running(), "the pane to close")

        assert_whole(data_dir)
        after = states_on_disk(data_dir, ids)
        problems = check_after_kill(before, after, changes, killed)
        assert not problems, f"seed {seed}, round {round_}: " + "; ".join(problems)
        before = after
    listed = {row["id"]: {"read": row["read"], "starred": row["starred"]} for row in saved(data_dir, config)}
    assert listed == before, "the command line reads what the reader saved"
