"""The session as the one door to the store: pending changes and saving,
feed errors, whether a refresh is due."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from paperread.model import PaperState
from paperread.query import parse_query
from paperread.session import open_session
from tests.tui_library import LG, build_session, stored_states

STAMP = "%Y-%m-%dT%H:%M:%SZ"


def test_changes_wait_in_memory_until_flushed(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path)
    try:
        assert not session.has_unsaved_changes
        session.actions.set_starred(["2604.20001"], True)
        assert session.has_unsaved_changes
        assert not stored_states(data_dir).get("2604.20001", PaperState()).starred
        session.flush()
        assert not session.has_unsaved_changes
        assert stored_states(data_dir)["2604.20001"].starred
    finally:
        session.close()


def test_feed_errors_name_the_feeds_whose_last_fetch_failed(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path)
    try:
        assert session.feed_errors() == {}
        session.store.feeds.update(LG, last_status="error", last_error="HTTP 503")
        assert session.feed_errors() == {LG: "HTTP 503"}
    finally:
        session.close()


def test_a_refresh_is_due_once_the_interval_has_passed(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path, extra_config="refresh_interval = 60")
    try:
        assert session.refresh_due(), "never refreshed"
        now = datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc)
        session.store.feeds.update(LG, last_attempt=(now - timedelta(minutes=59)).strftime(STAMP))
        assert not session.refresh_due(now)
        assert session.refresh_due(now + timedelta(minutes=1))
    finally:
        session.close()


def test_no_refresh_is_due_offline_or_with_the_interval_zero(data_dir: Path, tmp_path: Path) -> None:
    for config, offline in (("refresh_interval = 60", True), ("refresh_interval = 0", False)):
        session = build_session(data_dir, tmp_path, extra_config=config, offline=offline)
        try:
            assert not session.refresh_due()
        finally:
            session.close()


def test_a_dismissal_survives_a_reload(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path)
    try:
        assert session.actions.toggle_dismissed("2604.20001") is True
        assert session.actions.set_dismissed(["2604.10005"], True) == 1  # starred and tagged too
        assert session.has_unsaved_changes
    finally:
        session.close()  # saves

    config = tmp_path / "config.toml"
    for fast in (False, True):  # as the command line and as the reader open the library
        session = open_session(data_dir, config, fast=fast, readonly=True)
        try:
            state = session.library.state("2604.10005")
            assert state.dismissed and state.dismissed_at and state.starred and state.tags == ["gnn", "to-read"]
            dismissed = session.library.select(predicate=session.predicate(parse_query("is:dismissed")))
            assert sorted(paper.id for paper in dismissed) == ["2604.10005", "2604.20001"]
        finally:
            session.close()

    session = open_session(data_dir, config)
    try:
        assert session.actions.toggle_dismissed("2604.20001") is False
        session.flush()
    finally:
        session.close()
    states = stored_states(data_dir)
    assert "2604.20001" not in states and states["2604.10005"].dismissed
