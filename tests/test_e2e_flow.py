"""The daily reading flow in a real terminal (tmux) of the most common
size, 80x24: the list keys move the list from the abstract pane, ``n``
goes to the next unread paper, Escape comes back to the list, and the
footer keeps help and quit in view; at a person's pace and with every key
sent at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, TEST_DATA
from tests.feedserver import FeedServer
from tests.tmux import Terminal, reader_command, saved

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timing,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

# Enter opens the first paper (read) and puts the focus in the abstract
# pane; j moves the list from there, m marks the second read, g goes back
# up, n skips the two read papers, s stars, Escape returns to the list.
# (Escape goes last: Escape and a letter in one write are Alt+letter to any
# terminal program.)
KEYS = ["Enter", "j", "m", "g", "n", "s", "Escape"]


@pytest.fixture
def library(feed_server: FeedServer, tmp_path: Path, data_dir: Path) -> tuple[Path, list[dict]]:
    """A refreshed library of three papers, and the papers as listed."""
    feed_server.add("/rss/cs.LG", (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes(),
                    content_type="application/rss+xml")
    config = tmp_path / "config.toml"
    config.write_text(f'refresh_interval = 0\n[[feeds]]\nurl = "{feed_server.url("/rss/cs.LG")}"\n')
    subprocess.run([sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config),
                    "refresh"], check=True, capture_output=True, timeout=120, cwd=REPO_ROOT,
                   env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    papers = saved(data_dir, config)
    assert len(papers) == 3 and not any(paper["read"] for paper in papers)
    return config, papers


def pane_shows(terminal: Terminal, title: str) -> bool:
    """Whether the abstract pane (under the list at this width) shows the
    start of ``title``."""
    return title[:30] in terminal.screen()


@pytest.mark.parametrize("pace", ["a person's pace", "all at once"])
def test_the_list_keys_work_from_the_pane_and_n_finds_the_next_unread(
    terminal: Terminal, library: tuple[Path, list[dict]], data_dir: Path, pace: str
) -> None:
    config, papers = library
    terminal.start(reader_command(data_dir, config), width=80, height=24)
    terminal.wait_for(lambda: "Unread · 3 unread / 3" in terminal.screen(), "the first rows")
    last_line = lambda: terminal.screen().rstrip("\n").splitlines()[-1]
    terminal.wait_for(lambda: "Quit" in last_line(), "the footer")
    assert "Help" in last_line() and "Quit" in last_line(), last_line()
    assert "Starred" not in terminal.screen(), "80 columns: the sidebar is hidden"
    if pace == "all at once":
        terminal.type_at_once(*KEYS)
    else:
        terminal.press(*KEYS)
    terminal.wait_for(lambda: "★" in terminal.screen(), "the star")
    assert pane_shows(terminal, papers[2]["title"]), "n went past the two papers read"
    terminal.wait_for(lambda: "Unread · 1 unread / 3" in terminal.screen(), "the counts")
    terminal.press("q")
    terminal.wait_for(lambda: not terminal.running(), "the reader to quit")
    states = [(paper["read"], paper["starred"]) for paper in saved(data_dir, config)]
    assert states == [(True, False), (True, False), (False, True)]
