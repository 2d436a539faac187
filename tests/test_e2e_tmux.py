"""End to end: the real ``python3 -m paperread`` in a real terminal (tmux),
fed from a loopback server, driven by key presses, checked on screen and
through the saved state."""

from __future__ import annotations

import os
import re
import shutil
import signal
from pathlib import Path

import pytest

from tests.conftest import TEST_DATA
from tests.feedserver import FeedServer
from tests.tmux import Terminal, paperread, reader_command, saved

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timing,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def config(feed_server: FeedServer, tmp_path: Path) -> Path:
    feed_server.add("/rss/cs.LG", (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes(),
                    content_type="application/rss+xml")
    path = tmp_path / "config.toml"
    path.write_text(f'[[feeds]]\nurl = "{feed_server.url("/rss/cs.LG")}"\nname = "loopback LG"\n')
    return path


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
    terminal.wait_for(lambda: "Unread · 2 unread / 3" in terminal.screen(), "the counts to change")  # the paper read stays listed
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
    result = paperread(data_dir, config, "mark", "--read", papers[0]["id"])
    assert result.returncode == 0, result.stderr
