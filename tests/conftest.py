"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.feedserver import FeedServer

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_FEEDS = REPO_ROOT.parent / "shared" / "feeds"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shared_feeds() -> Path:
    """The real feed samples in ../shared/feeds; skips (visibly) where absent."""
    if not SHARED_FEEDS.is_dir():
        pytest.skip(f"real feed samples not found at {SHARED_FEEDS}")
    return SHARED_FEEDS


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
