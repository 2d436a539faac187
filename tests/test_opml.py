"""``paperread import-opml`` and ``export-opml``, run as real processes on
real config files; OPML files as newsboat, elfeed and folder-keeping readers
write them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from paperread.feedspec import DEFAULT_FEEDS, resolve
from paperread.opml import OpmlError, OpmlFeed, feeds_to_opml, parse_opml
from tests.conftest import REPO_ROOT, TEST_DATA

OPML = TEST_DATA / "opml"
DEFAULT_URLS = [resolve(spec).url for spec in DEFAULT_FEEDS]

EXISTING_CONFIG = """\
# my paperread config
refresh_interval = 30   # minutes

[[feeds]]
url = "https://rss.arxiv.org/rss/cs.LG"   # the one I read every day
name = "LG"

[watch]
keywords = ["diffusion"]  # keep
"""


def run(config: Path, *args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    data = data_dir or config.parent / "data"
    return subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data), "--config", str(config),
         *args],
        capture_output=True, text=True, timeout=60, env=env, cwd=REPO_ROOT,
    )


def configured_feeds(config: Path) -> list[tuple[str, str]]:
    """(name, url) of every feed, as the ``feeds`` command lists them."""
    result = run(config, "feeds")
    assert result.returncode == 0, result.stderr
    return [(line.split("\t")[0], line.split("\t")[1]) for line in result.stdout.splitlines()]


def outlines(opml_text: str) -> list[dict[str, str]]:
    root = ET.fromstring(opml_text)
    return [dict(outline.attrib) for outline in root.iter("outline")]


def test_export_then_import_into_an_empty_config(tmp_path: Path) -> None:
    local_feed = tmp_path / "feeds" / "my feed.xml"
    local_feed.parent.mkdir()
    local_feed.write_text("<rss/>")
    source = tmp_path / "source.toml"
    source.write_text(
        '[[feeds]]\nurl = "arxiv:cs.LG"\n\n'
        '[[feeds]]\nurl = "arxiv-query:ti:diffusion"\nname = "Diffusion \\"search\\""\n\n'
        '[[feeds]]\nurl = "http://127.0.0.1:9/rss?a=1&b=2"\nname = "Café & <Co>"\n\n'
        '[[feeds]]\nurl = "feeds/my feed.xml"\n'
    )
    exported = tmp_path / "feeds.opml"
    result = run(source, "export-opml", "-o", str(exported))
    assert result.returncode == 0, result.stderr

    root = ET.fromstring(exported.read_bytes())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title")
    listed = configured_feeds(source)
    written = outlines(exported.read_text(encoding="utf-8"))
    assert [(o["text"], o["title"]) for o in written] == [(name, name) for name, _ in listed]
    assert all(o["type"] == "rss" for o in written)
    assert [o["xmlUrl"] for o in written[:3]] == [url for _, url in listed[:3]]
    assert written[3]["xmlUrl"] == local_feed.resolve().as_uri()

    empty = tmp_path / "new" / "config.toml"
    empty.parent.mkdir()
    empty.write_text("")
    result = run(empty, "import-opml", str(exported))
    assert result.returncode == 0, result.stderr
    assert "default feeds" in result.stdout
    assert "3 feed(s) added, 1 skipped (already configured)" in result.stdout  # arxiv:cs.LG
    tomllib.loads(empty.read_text())  # still TOML
    imported = configured_feeds(empty)
    assert [url for _, url in imported] == DEFAULT_URLS + [url for _, url in listed[1:]]
    assert imported[len(DEFAULT_URLS):] == listed[1:], "names and URLs survive"

    again = run(empty, "import-opml", str(exported))
    assert again.returncode == 0, again.stderr
    assert "0 feed(s) added, 4 skipped (already configured)" in again.stdout
    assert configured_feeds(empty) == imported


def test_import_into_a_missing_config_creates_it(tmp_path: Path) -> None:
    config = tmp_path / "xdg" / "paperread" / "config.toml"
    result = run(config, "import-opml", str(OPML / "elfeed.opml"))
    assert result.returncode == 0, result.stderr
    feeds = configured_feeds(config)
    # the Hugging Face feed is a default already; titles that are empty fall back
    assert [url for _, url in feeds] == DEFAULT_URLS + [
        "https://nullprogram.com/feed/", "https://example.org/untitled.xml"]
    assert feeds[-2:] == [("null program", "https://nullprogram.com/feed/"),
                          ("example.org/untitled.xml", "https://example.org/untitled.xml")]
    assert "2 feed(s) added, 1 skipped (already configured)" in result.stdout


def test_existing_config_text_survives_byte_for_byte(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(EXISTING_CONFIG)
    os.chmod(config, 0o600)
    result = run(config, "import-opml", str(OPML / "newsboat.opml"))
    assert result.returncode == 0, result.stderr
    text = config.read_text()
    assert text.startswith(EXISTING_CONFIG), "comments, order and layout are kept"
    assert "default feeds" not in result.stdout, "the file has feeds: no defaults written"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    data = tomllib.loads(text)
    assert data["refresh_interval"] == 30 and data["watch"] == {"keywords": ["diffusion"]}
    assert configured_feeds(config) == [
        ("LG", "https://rss.arxiv.org/rss/cs.LG"),
        ("arXiv Query: diffusion",
         "https://export.arxiv.org/api/query?search_query=ti:diffusion&sortBy=submittedDate"),
        ("bioRxiv Genomics", "https://www.biorxiv.org/rss/genomics.xml"),
    ]
    assert "2 feed(s) added, 2 skipped (already configured)" in result.stdout


def test_nested_folders_are_flattened_and_unusable_urls_reported(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(EXISTING_CONFIG)
    result = run(config, "import-opml", str(OPML / "nested.opml"))
    assert result.returncode == 0, result.stderr
    assert configured_feeds(config)[1:] == [
        ("arXiv cs.CL", "https://rss.arxiv.org/rss/cs.CL"),
        ("Distill & friends", "https://distill.pub/rss.xml"),
        ("Lil'Log", "https://lilianweng.github.io/index.xml"),
        ("quant-ph (daily)", "https://rss.arxiv.org/rss/quant-ph"),
    ]
    assert "'|/usr/local/bin/make-feed'" in result.stderr
    assert "'gopher://example.org/feed'" in result.stderr
    assert "4 feed(s) added, 0 skipped (already configured), 2 skipped (unusable)" in result.stdout


def test_symlinked_config_stays_a_symlink(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "paperread.toml"
    dotfiles.parent.mkdir()
    dotfiles.write_text(EXISTING_CONFIG)
    link = tmp_path / "config.toml"
    link.symlink_to(dotfiles)
    assert run(link, "import-opml", str(OPML / "elfeed.opml")).returncode == 0
    assert link.is_symlink()
    assert "nullprogram.com" in dotfiles.read_text()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_doctype_is_refused_with_a_clear_message(tmp_path: Path, encoding: str) -> None:
    opml = tmp_path / "bomb.opml"
    text = (OPML / "doctype.opml").read_text(encoding="utf-8")
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    opml.write_bytes(text.replace('<?xml version="1.0"?>', declaration).encode(encoding))
    config = tmp_path / "config.toml"
    config.write_text(EXISTING_CONFIG)
    result = run(config, "import-opml", str(opml))
    assert result.returncode == 2
    assert result.stderr.startswith(f"paperread: error: {opml}: refused:")
    assert "<!DOCTYPE>" in result.stderr and "Traceback" not in result.stderr
    assert config.read_text() == EXISTING_CONFIG


@pytest.mark.parametrize(("body", "message"), [
    (b"<opml><body><outline", "not valid XML"),
    (b"<rss version='2.0'><channel/></rss>", "not an OPML file (the root element is <rss>)"),
    (b"<opml version='2.0'><head/></opml>", "without <body>"),
])
def test_broken_opml_is_a_clear_error(tmp_path: Path, body: bytes, message: str) -> None:
    opml = tmp_path / "broken.opml"
    opml.write_bytes(body)
    config = tmp_path / "config.toml"
    result = run(config, "import-opml", str(opml))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not config.exists()


def test_missing_opml_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path / "config.toml", "import-opml", str(tmp_path / "nope.opml"))
    assert result.returncode == 2 and "cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_that_cannot_take_feed_tables_is_left_alone(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    inline = 'feeds = [{ url = "arxiv:cs.LG" }]\n'
    config.write_text(inline)
    result = run(config, "import-opml", str(OPML / "elfeed.opml"))
    assert result.returncode == 2
    assert "cannot add [[feeds]] tables" in result.stderr
    assert config.read_text() == inline


def test_hostile_names_are_written_as_valid_toml(tmp_path: Path) -> None:
    opml = tmp_path / "names.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline title="a &quot;quoted&quot; \\ back&#x9;slash &#x7f;&#x9b;31mred ü" '
        'xmlUrl="https://example.org/a.xml"/>'
        '<outline title="x = 1&#10;[[feeds]]&#10;url = &quot;evil&quot;" '
        'xmlUrl="https://example.org/b.xml"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    config = tmp_path / "config.toml"
    config.write_text('[[feeds]]\nurl = "https://example.org/first.xml"\n')
    result = run(config, "import-opml", str(opml))
    assert result.returncode == 0, result.stderr
    assert configured_feeds(config)[1:] == [
        ('a "quoted" \\ back slash red ü', "https://example.org/a.xml"),
        ('x = 1 [[feeds]] url = "evil"', "https://example.org/b.xml"),
    ]


def test_parse_opml_reads_every_feed_outline_in_order() -> None:
    feeds = parse_opml((OPML / "nested.opml").read_bytes())
    assert feeds == [
        OpmlFeed("https://rss.arxiv.org/rss/cs.CL", "arXiv cs.CL"),
        OpmlFeed("https://distill.pub/rss.xml", "Distill & friends"),
        OpmlFeed("https://lilianweng.github.io/index.xml", "Lil'Log"),
        OpmlFeed("https://rss.arxiv.org/rss/quant-ph", "quant-ph (daily)"),
        OpmlFeed("|/usr/local/bin/make-feed", "A script"),
        OpmlFeed("gopher://example.org/feed", "Gopher"),
    ]
    with pytest.raises(OpmlError, match="refused"):
        parse_opml((OPML / "doctype.opml").read_bytes(), "doctype.opml")


def test_feeds_to_opml_round_trips_through_parse_opml() -> None:
    specs = [resolve("arxiv:cs.LG+cs.CL"), resolve("hf:daily", "HF <daily> & \"more\""),
             resolve("https://example.org/feed?x=1&y=2", "Example")]
    assert parse_opml(feeds_to_opml(specs).encode("utf-8")) == [
        OpmlFeed(spec.url, spec.name) for spec in specs
    ]
