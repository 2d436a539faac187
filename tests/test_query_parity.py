"""One query language everywhere: `paperread list --query Q --json` returns
exactly the papers the reader shows for the same search in the All view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from textual.widgets import Input

from paperread.library import ALL
from paperread.session import open_session
from paperread.tui.app import ReaderApp
from tests.conftest import REPO_ROOT, SHARED_FEEDS
from tests.waiting import wait_for

SAMPLES = [
    "arxiv-rss2-quant-ph-2025-04-28.xml",
    "arxiv-api-atom-2026-04-12-all-testing-m100.xml",
    "hf-daily-papers-api-2026-06-12.json",
    "arxiv-rdf-cs-2018-08-30.rdf",
]
QUERIES = [
    "quantum",
    '"large language" -agent',
    "cat:quant-ph type:replace",
    "cat:cs.* (graph OR network) is:unread",
    "is:starred OR tag:later",
    "is:dismissed -is:read",
    "upvotes:>20 has:code",
    "since:2025-01-01 before:2026-05-01 author:wang",
    "title:testing -abs:software",
]


def cli(data_dir: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )


@pytest.fixture
def library(shared_feeds: Path, tmp_path: Path) -> tuple[Path, Path]:
    data_dir, config = tmp_path / "data", tmp_path / "config.toml"
    config.write_text("".join(f'[[feeds]]\nurl = "{shared_feeds / name}"\n' for name in SAMPLES))
    assert cli(data_dir, config, "refresh").returncode == 0
    ids = [json.loads(line)["id"] for line in cli(data_dir, config, "list", "--json").stdout.splitlines()]
    assert cli(data_dir, config, "mark", *ids[:40:3], "--star").returncode == 0
    assert cli(data_dir, config, "mark", *ids[5:200:4], "--read", "--tag", "later").returncode == 0
    assert cli(data_dir, config, "mark", *ids[2:120:5], "--dismiss").returncode == 0
    return data_dir, config


def search_listed(app: ReaderApp, query: str) -> bool:
    """The list shows the matches of ``query`` among all the papers (the
    line above it counts them, with no "loaded so far")."""
    return app.main.search_query is not None and app.main.search_query.text == query and (
        f"search: {query} ({len(app.main.paper_list.papers)})" in app.sub_title
    )


async def test_reader_and_cli_select_the_same_papers(library: tuple[Path, Path]) -> None:
    data_dir, config = library
    expected = {}
    for query in QUERIES:
        result = cli(data_dir, config, "--readonly", "list", "--json", "--query", query)
        assert result.returncode == 0, result.stderr
        expected[query] = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert sum(1 for ids in expected.values() if ids) >= 6, "the queries select something"

    session = open_session(data_dir, config, offline=True)
    try:
        app = ReaderApp(session)
        async with app.run_test(size=(160, 50)) as pilot:
            app.main.show_view(ALL)
            await pilot.press("slash")
            search = app.query_one("#search", Input)
            # until then a search covers only the abstracts loaded so far
            await wait_for(pilot, lambda: app.main.texts_ready, timeout=30)
            for query in QUERIES:
                search.value = query
                await wait_for(pilot, partial(search_listed, app, query), timeout=30)
                shown = [paper.id for paper in app.main.paper_list.papers]
                assert sorted(shown) == sorted(expected[query]), query
                assert shown == expected[query], f"same order for {query}"
    finally:
        session.close()


def test_samples_exist_for_the_parity_test() -> None:
    if not SHARED_FEEDS.is_dir():
        pytest.skip(f"real feed samples not found at {SHARED_FEEDS}")
    assert all((SHARED_FEEDS / name).is_file() for name in SAMPLES)
