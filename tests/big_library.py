"""A library of generated arXiv papers (the benchmark's feeds), built by
the real ``paperread refresh`` from a loopback server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.feedgen import generate_feed, library_plan
from tests.conftest import REPO_ROOT
from tests.feedserver import FeedServer


def build_library(server: FeedServer, root: Path, feeds: int, items: int) -> Path:
    """Serve ``feeds`` feeds of ``items`` papers each (no validators: every
    refresh fetches and parses them again), write a config that follows
    them with no automatic refresh, refresh ``root/data`` from them; the
    config's path."""
    lines = ["refresh_interval = 0", ""]
    for plan in library_plan(feeds, items):
        server.add(f"/big{plan.path}", generate_feed(plan, items), content_type="application/rss+xml")
        lines += ["[[feeds]]", f'url = "{server.url("/big" + plan.path)}"',
                  f'name = "{plan.category} {plan.day.isoformat()}"', ""]
    config = root / "config.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(root / "data"), "--config", str(config), "refresh"],
        capture_output=True, text=True, timeout=600, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    if result.returncode != 0:
        raise RuntimeError(f"building the library failed:\n{result.stdout}\n{result.stderr}")
    return config
