"""The parser pool's workers start at once and load only the parsers."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

from paperread.parser_pool import PARSER_NICENESS, parse_feed, parser_pool

from tests.conftest import REPO_ROOT, TEST_DATA

ARXIV_RSS = (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes()

HEAVY = ("httpx", "textual", "tinydb", "paperread.cli", "paperread.fetch", "paperread.store", "paperread.tui")


def loaded_modules() -> list[str]:
    """Run in a worker: the modules it has imported."""
    return sorted(sys.modules)


def test_a_worker_loads_the_parsers_and_nothing_behind_the_command_line() -> None:
    pool = parser_pool()
    try:
        before_any_feed = set(pool.submit(loaded_modules).result(60))
        parsed = pool.submit(parse_feed, ARXIV_RSS, "u", None).result(60)
        modules = set(pool.submit(loaded_modules).result(60))
    finally:
        pool.shutdown()
    assert parsed.error is None and len(parsed.papers) == 3
    assert "paperread.sources" in before_any_feed, "the parsers load while the feeds download"
    assert "feedparser" not in modules, "the arXiv fast path does not need feedparser"
    assert not [name for name in modules if name.startswith(HEAVY)]


def test_the_refreshing_process_does_not_load_the_parsers() -> None:
    code = ("import sys, paperread.cli, paperread.refresh; "
            "print(sorted(m for m in sys.modules if m.startswith(('paperread.sources', 'feedparser'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_both_workers_start_before_the_first_feed_is_given() -> None:
    pool = parser_pool()
    try:
        assert len(pool._processes) == 2  # noqa: SLF001 - the pool's own count of started workers
    finally:
        pool.shutdown()


def test_the_main_module_imports_nothing_until_it_runs() -> None:
    """A spawned worker imports the program's main module again."""
    code = "import sys, paperread.__main__; print(sorted(m for m in sys.modules if m.startswith('paperread')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert done.stdout.strip() == "['paperread', 'paperread.__main__']"


def worker_setting() -> tuple[int, bool]:
    """Run in a worker: its scheduling priority, and whether it collects garbage."""
    return os.nice(0), gc.isenabled()


def test_workers_yield_to_a_screen_and_only_to_a_screen() -> None:
    own = os.nice(0)
    for behind_a_screen, expected in ((True, own + PARSER_NICENESS), (False, own)):
        pool = parser_pool(behind_a_screen=behind_a_screen)
        try:
            assert pool.submit(worker_setting).result(60) == (min(expected, 19), False)
        finally:
            pool.shutdown()
