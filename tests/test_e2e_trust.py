"""The reader in a real terminal (tmux) on a library large enough that it
is still loading when the keys and the signals come: closing the window
or SIGTERM at random moments ends it within two seconds with the state
saved and the lock free, and keys typed at once right after the first
rows all arrive, in order. Many rounds, at random moments (the seed is
in every failure message); ``PAPERREAD_E2E_ROUNDS`` sets how many."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from paperread.store.lock import LibraryLock
from tests.big_library import build_library
from tests.feedserver import FeedServer
from tests.tmux import Terminal, reader_command, saved, wait_for_exit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timing,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROUNDS = int(os.environ.get("PAPERREAD_E2E_ROUNDS", "5"))  # five: each moment once per way to end
EXIT_WITHIN = 2.0  # seconds from the hang-up or SIGTERM to the end of the process (the promise)
FIRST_ROWS = re.compile(r"Unread · \d+ unread")


@dataclass(frozen=True)
class Library:
    data_dir: Path
    config: Path


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """30,000 papers, from feeds a loopback server keeps serving (without
    validators, so that ``r`` fetches and parses them all again)."""
    with FeedServer() as server:
        root = tmp_path_factory.mktemp("big")
        config = build_library(server, root, feeds=15, items=2000)
        yield Library(root / "data", config)


def start(terminal: Terminal, library: Library) -> int:
    """The reader, showing its first rows; its pid."""
    terminal.start(reader_command(library.data_dir, library.config))
    pid = terminal.pid()
    terminal.wait_for(lambda: FIRST_ROWS.search(terminal.screen()) is not None, "the first rows")
    return pid


def lock_is_free(data_dir: Path) -> bool:
    lock = LibraryLock(data_dir)
    try:
        lock.acquire()
    except Exception:  # noqa: BLE001 - LibraryLocked names the holder; any failure is "not free"
        return False
    lock.release()
    return True


STARRED_STATE = "★ starred"  # the abstract pane's state line of the highlighted paper
PANE_ID = re.compile(r"arXiv:(\d{4}\.\d{5})v\d")  # the pane's id line


def toggle_star_of_the_top_paper(terminal: Terminal) -> tuple[str, bool]:
    """Press ``s`` on the first row and wait until the pane shows it; the
    paper's id and whether it is starred now. (The pane's state line, not
    any ★: For you's "like ★ <title>" has one too; and other rounds may
    have starred other papers.)"""
    terminal.wait_for(lambda: "State: " in terminal.screen(), "the pane to show the top paper")
    screen = terminal.screen()
    found = PANE_ID.search(screen)
    assert found is not None, f"no arXiv id in the pane:\n{screen}"
    starred = STARRED_STATE not in screen
    terminal.press("s")
    terminal.wait_for(lambda: (STARRED_STATE in terminal.screen()) == starred, "the star to change on screen")
    return found.group(1), starred


def is_starred(library: Library, paper_id: str) -> bool:
    return any(paper["id"] == paper_id for paper in saved(library.data_dir, library.config, "is:starred"))


# what a person may be doing when the window closes or SIGTERM comes
def while_loading(terminal: Terminal, rng: random.Random) -> str:
    time.sleep(rng.uniform(0.0, 1.5))
    return "while the abstracts load"


def after_keys_at_once(terminal: Terminal, rng: random.Random) -> str:
    keys = rng.choices(["j", "k", "m", "j", "J", "G", "g"], k=rng.randint(3, 12))
    terminal.tmux("send-keys", "-t", terminal.name, *keys)
    return f"right after the keys {''.join(keys)!r} sent at once"


def with_a_modal_open(terminal: Terminal, rng: random.Random) -> str:
    key, shows = rng.choice([("t", "Tags for"), ("question_mark", "Keys")])
    terminal.tmux("send-keys", "-t", terminal.name, "?" if key == "question_mark" else key)
    terminal.wait_for(lambda: shows in terminal.screen(), f"the {key!r} modal")
    time.sleep(rng.uniform(0.0, 0.3))
    return f"with the {key!r} modal open"


def during_a_refresh(terminal: Terminal, rng: random.Random) -> str:
    terminal.press("r")
    time.sleep(rng.uniform(0.0, 1.5))
    return "during a refresh"


def during_saves(terminal: Terminal, rng: random.Random) -> str:
    for _ in range(rng.randint(4, 12)):  # each toggle is written within half a second
        terminal.tmux("send-keys", "-t", terminal.name, "m")
        time.sleep(rng.uniform(0.05, 0.3))
    return "while read marks are being saved"


MOMENTS = [while_loading, after_keys_at_once, with_a_modal_open, during_a_refresh, during_saves]


@pytest.mark.parametrize("how", ["close the window", "SIGTERM"])
def test_the_reader_ends_within_two_seconds_at_any_moment_with_the_state_saved(
    terminal: Terminal, big_library: Library, how: str
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for round_number in range(ROUNDS):
        pid = start(terminal, big_library)
        # every other round, a star pressed just before the end must be on disk after it
        toggled = toggle_star_of_the_top_paper(terminal) if round_number % 2 == 0 else None
        moment = MOMENTS[(round_number + (how == "SIGTERM")) % len(MOMENTS)](terminal, rng)
        if how == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
        else:
            terminal.close()
        took = wait_for_exit(pid, EXIT_WITHIN)
        where = f"round {round_number}, {how} {moment} (seed {seed})"
        print(f"{where}: ended in {took} s")
        if took is None:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"the reader still ran {EXIT_WITHIN} s after: {where}")
        terminal.kill()
        assert lock_is_free(big_library.data_dir), f"the lock outlived the reader: {where}"
        if toggled is not None:
            paper_id, starred = toggled
            assert is_starred(big_library, paper_id) == starred, f"the star of {paper_id} was lost: {where}"


def test_keys_typed_right_after_the_first_rows_all_arrive_in_order(
    terminal: Terminal, big_library: Library
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for round_number in range(ROUNDS):
        pid = start(terminal, big_library)
        time.sleep(rng.uniform(0.3, 3.5))
        word = rng.choice(["deep", "graph", "quantum", "bound", "noise"])
        at_once = round_number % 2 == 0
        if at_once:
            terminal.tmux("send-keys", "-t", terminal.name, "/", *word)
        else:
            for key in ["/", *word]:
                terminal.tmux("send-keys", "-t", terminal.name, key)
                time.sleep(0.06)
        pace = "at once" if at_once else "60 ms apart"
        terminal.wait_for(lambda: f"search: {word} (" in terminal.screen(),
                          f"'/{word}' typed {pace} to reach the search box (round {round_number}, seed {seed})")
        terminal.kill()
        # the next round's reader would find the library still locked
        assert wait_for_exit(pid, EXIT_WITHIN) is not None, f"the reader outlived its terminal (round {round_number})"
