"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.feedserver import FeedServer

if TYPE_CHECKING:
    from tests.tmux import Terminal

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_FEEDS = REPO_ROOT.parent / "shared" / "feeds"
EXTRA_FEEDS = REPO_ROOT.parent / "shared" / "feeds-extra"
TEST_DATA = Path(__file__).resolve().parent / "data"


def _samples(folder: Path) -> Path:
    """``folder`` of real feed samples; skips (visibly) where it is absent."""
    if not folder.is_dir():
        pytest.skip(f"real feed samples not found at {folder}")
    return folder


@pytest.fixture
def shared_feeds() -> Path:
    """The real feed samples in ../shared/feeds."""
    return _samples(SHARED_FEEDS)


@pytest.fixture
def extra_feeds() -> Path:
    """More real feed samples, in ../shared/feeds-extra (see PROVENANCE.md there)."""
    return _samples(EXTRA_FEEDS)


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test starts a real browser or fills the real clipboard: without
    DISPLAY and WAYLAND_DISPLAY, opener.py and clipboard.py find no desktop
    tool (a test that wants one sets them, with its own tools on PATH)."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that is the whole PATH: only the programs a test puts there
    exist (tests/fake_tools.py writes them)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty paperread data directory."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running loopback feed server (tests/feedserver.py), stopped after the test."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A tmux session of its own (tests/tmux.py), its server killed after the test."""
    from tests.tmux import Terminal  # tests.tmux imports this module

    term = Terminal(f"paperread-test-{os.getpid()}-{tmp_path.name}")
    try:
        yield term
    finally:
        term.kill()
