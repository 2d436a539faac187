"""``paperread feeds`` after a real refresh from the loopback server: feeds
called by their own titles, and the feeds no longer configured."""

from __future__ import annotations

from pathlib import Path

from tests.feedserver import FeedServer
from tests.test_cli import run

RSS_TITLE = "cs.LG, cs.AI, cs.CL, stat.ML updates on arXiv.org"


def feeds_table(data_dir: Path, config: Path) -> list[list[str]]:
    result = run(data_dir, config, "feeds")
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_feeds_lists_titles_and_the_feeds_no_longer_configured(
    feed_server: FeedServer, data_dir: Path, tmp_path: Path, shared_feeds: Path, extra_feeds: Path
) -> None:
    rss_capture = extra_feeds / "arxiv-rss2-cs.LG+cs.AI+cs.CL+stat.ML-2026-09-24-laya-trimmed.xml"
    feed_server.add("/rss", rss_capture.read_bytes())
    feed_server.add("/blog", (shared_feeds / "atom-blog-dustri-org-2024-03-10.xml").read_bytes())
    rss, blog = feed_server.url("/rss"), feed_server.url("/blog")
    config = tmp_path / "config.toml"
    config.write_text(f'[[feeds]]\nurl = "{rss}"\n\n[[feeds]]\nurl = "{blog}"\n')
    assert [row[0] for row in feeds_table(data_dir, config)] == ["127.0.0.1/rss", "127.0.0.1/blog"]

    refresh = run(data_dir, config, "refresh")
    assert refresh.returncode == 0, refresh.stderr
    table = feeds_table(data_dir, config)
    assert [row[:3] for row in table] == [
        [RSS_TITLE, rss, "4 unread / 4"],
        ["Artificial truth", blog, "25 unread / 25"],
    ]
    assert all(len(row) == 4 and row[3].startswith("ok ") for row in table)

    config.write_text(f'[[feeds]]\nurl = "{blog}"\n')
    table = feeds_table(data_dir, config)
    assert [row[:3] for row in table] == [
        ["Artificial truth", blog, "25 unread / 25"],
        [RSS_TITLE, rss, "4 unread / 4"],
    ]
    assert [row[4:] for row in table] == [[], ["not configured"]]
