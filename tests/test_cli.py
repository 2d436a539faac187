"""The headless CLI, run as a real subprocess against feeds on a loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperread.cli import main
from paperread.store import open_library_store
from tests.conftest import REPO_ROOT, TEST_DATA
from tests.factories import make_paper
from tests.feedserver import FeedServer

FEEDS = TEST_DATA / "feeds"
ENV = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


def paperread(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m paperread ARGS`` in a subprocess, its output captured."""
    return subprocess.run([sys.executable, "-m", "paperread", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV, cwd=REPO_ROOT)


def run(data_dir: Path, config: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return paperread("--data-dir", str(data_dir), "--config", str(config), *args, timeout=timeout)


def listing(data_dir: Path, config: Path, *args: str) -> list[dict]:
    result = run(data_dir, config, "list", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def served(feed_server: FeedServer, tmp_path: Path) -> Path:
    """A config with an arXiv RSS feed and a Hugging Face JSON feed on loopback."""
    feed_server.add("/rss/cs.LG", (FEEDS / "arxiv-small.xml").read_bytes(),
                    etag='"lg-1"', content_type="application/rss+xml")
    feed_server.add("/api/daily_papers", (FEEDS / "hf-small.json").read_bytes(),
                    content_type="application/json")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[feeds]]\nurl = "{feed_server.url("/rss/cs.LG")}"\nname = "LG"\n\n'
        f'[[feeds]]\nurl = "{feed_server.url("/api/daily_papers", host="localhost")}"\nname = "HF"\n'
    )
    return config


def test_refresh_reports_each_feed_and_merges_papers(served: Path, data_dir: Path) -> None:
    result = run(data_dir, served, "refresh")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "LG: 3 new, 0 updated, 3 total" in lines
    assert any(line.startswith("HF: ") and "2 total" in line for line in lines), lines

    papers = {paper["id"]: paper for paper in listing(data_dir, served)}
    assert set(papers) == {"2604.20001", "2604.20002", "2604.20003", "2604.20099"}
    survey = papers["2604.20003"]
    assert len(survey["feeds"]) == 2, "one record for the paper both feeds carry"
    assert survey["upvotes"] == 42 and survey["announce_type"] == "cross"
    for key in ("id", "version", "title", "authors", "abstract", "categories", "announce_type",
                "published", "updated", "links", "feeds", "read", "starred", "tags", "dismissed"):
        assert key in survey
    sparse = papers["2604.20001"]
    assert sparse["authors"] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert not sparse["abstract"].startswith("arXiv:")
    assert "5%" in sparse["abstract"]

    again = run(data_dir, served, "refresh")
    assert again.returncode == 0
    assert "LG: not modified" in again.stdout.splitlines()


def test_refresh_joins_its_parser_pool_before_returning(served: Path, data_dir: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """No pool thread outlives the command: a process pool shut down without
    waiting races its own clean-up at interpreter exit and, now and then,
    prints an OSError traceback after a successful refresh."""
    before = set(threading.enumerate())
    assert main(["--data-dir", str(data_dir), "--config", str(served), "refresh"]) == 0
    assert "LG: 3 new, 0 updated, 3 total" in capsys.readouterr().out
    assert set(threading.enumerate()) - before == set()


def test_mark_then_list_and_query(served: Path, data_dir: Path) -> None:
    assert run(data_dir, served, "refresh").returncode == 0
    marked = run(data_dir, served, "mark", "2604.20001v1", "https://arxiv.org/abs/2604.20002",
                 "--star", "--read", "--tag", "to-read")
    assert marked.returncode == 0, marked.stderr
    papers = {paper["id"]: paper for paper in listing(data_dir, served)}
    assert papers["2604.20001"]["starred"] and papers["2604.20001"]["read"]
    assert papers["2604.20002"]["tags"] == ["to-read"]
    assert not papers["2604.20003"]["starred"]

    # newest first: both were announced on the same day, so the id decides
    assert [p["id"] for p in listing(data_dir, served, "--query", "is:starred")] == ["2604.20002", "2604.20001"]
    assert {p["id"] for p in listing(data_dir, served, "--query", "is:unread")} == {"2604.20003", "2604.20099"}
    assert [p["id"] for p in listing(data_dir, served, "--query", "protein")] == ["2604.20002"]
    assert len(listing(data_dir, served, "--limit", "1")) == 1

    assert run(data_dir, served, "mark", "2604.20001", "--untag", "to-read", "--unstar").returncode == 0
    assert not {p["id"]: p for p in listing(data_dir, served)}["2604.20001"]["starred"]

    table = run(data_dir, served, "list")
    assert table.returncode == 0 and "Protein Language Models" in table.stdout


def test_mark_unknown_id_changes_nothing(served: Path, data_dir: Path) -> None:
    assert run(data_dir, served, "refresh").returncode == 0
    result = run(data_dir, served, "mark", "2604.20001", "9999.99999", "--star")
    assert result.returncode == 1 and "not in the library: 9999.99999" in result.stderr
    assert not any(p["starred"] for p in listing(data_dir, served))


def test_bad_query_is_a_clear_error(served: Path, data_dir: Path) -> None:
    result = run(data_dir, served, "list", "--query", 'title:"unclosed')
    assert result.returncode == 2
    assert result.stderr.startswith("paperread: error:") and "Traceback" not in result.stderr


def test_a_failing_feed_does_not_stop_the_others(feed_server: FeedServer, data_dir: Path, tmp_path: Path) -> None:
    feed_server.add("/good", (FEEDS / "arxiv-small.xml").read_bytes())
    feed_server.add("/gone", b"not here", status=404)
    feed_server.add("/html", b"<html><body>Down for maintenance</body></html>", content_type="text/html")
    config = tmp_path / "config.toml"
    config.write_text("".join(
        f'[[feeds]]\nurl = "{feed_server.url(path)}"\nname = "{path[1:]}"\n' for path in ("/good", "/gone", "/html")
    ))
    result = run(data_dir, config, "refresh")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "good: 3 new, 0 updated, 3 total" in lines
    assert any(line.startswith("gone: error: HTTP 404") for line in lines), lines
    assert any(line.startswith("html: error:") for line in lines), lines
    assert "Traceback" not in result.stderr
    assert len(listing(data_dir, config)) == 3

    feeds = run(data_dir, config, "feeds")
    assert feeds.returncode == 0
    status = {line.split("\t")[0]: line for line in feeds.stdout.splitlines()}
    assert "failed" in status["gone"] and "404" in status["gone"]
    assert "3 unread / 3" in status["good"]


def test_feed_option_replaces_configured_feeds_and_reads_files(data_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[feeds]]\nurl = "http://127.0.0.1:9/never-used"\n')
    result = run(data_dir, config, "--feed", str(FEEDS / "arxiv-small.xml"), "refresh")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "arxiv-small.xml: 3 new, 0 updated, 3 total" in result.stdout


def offline_config(path: Path, server: FeedServer, local: Path) -> Path:
    """A config with a feed on the loopback server and a local file feed."""
    server.add("/lg", (FEEDS / "arxiv-small.xml").read_bytes())
    path.write_text(f'[[feeds]]\nurl = "{server.url("/lg")}"\nname = "net"\n\n'
                    f'[[feeds]]\nurl = "{local}"\nname = "disk"\n')
    return path


def test_two_feed_options_refresh_both_feeds(data_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "none.toml"
    small, daily = FEEDS / "arxiv-small.xml", FEEDS / "hf-small.json"
    result = run(data_dir, config, "--feed", str(small), "--feed", str(daily), "refresh")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "arxiv-small.xml: 3 new, 0 updated, 3 total"
    assert len(lines) == 2 and lines[1].startswith("hf-small.json: ") and lines[1].endswith(", 2 total"), lines
    papers = {paper["id"]: paper for paper in listing(data_dir, config)}
    assert set(papers) == {"2604.20001", "2604.20002", "2604.20003", "2604.20099"}
    assert len(papers["2604.20003"]["feeds"]) == 2, "the paper both feeds carry came from both"


def test_offline_refresh_reads_local_files_and_skips_network_feeds(feed_server: FeedServer, data_dir: Path,
                                                                   tmp_path: Path) -> None:
    config = offline_config(tmp_path / "config.toml", feed_server, FEEDS / "arxiv-small.xml")
    result = run(data_dir, config, "--offline", "refresh")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["net: skipped (offline: a network feed)",
                                          "disk: 3 new, 0 updated, 3 total"]
    assert feed_server.requests == []
    assert len(listing(data_dir, config)) == 3
    status = {line.split("\t")[0]: line for line in run(data_dir, config, "feeds").stdout.splitlines()}
    assert status["net"].endswith("never fetched"), "a skipped feed was not fetched"


def test_offline_refresh_fails_only_for_a_failing_local_feed(feed_server: FeedServer, data_dir: Path,
                                                            tmp_path: Path) -> None:
    config = offline_config(tmp_path / "config.toml", feed_server, tmp_path / "missing.xml")
    result = run(data_dir, config, "--offline", "refresh")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "net: skipped (offline: a network feed)"
    assert result.stdout.splitlines()[1].startswith("disk: error: cannot read")


def test_bad_config_names_the_line(data_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("theme = 'nord'\nfeeds = 3\n")
    result = run(data_dir, config, "list")
    assert result.returncode == 2
    assert f"{config}, line 2" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def lock_holder(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process holding the library lock on ``data_dir`` until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from paperread.store import open_library_store;"
         "store = open_library_store(Path(sys.argv[1])); print('locked', flush=True); time.sleep(60)",
         str(data_dir)],
        stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT, env=ENV,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def in_use_by(data_dir: Path, holder: subprocess.Popen[str]) -> str:
    """How an error names the library and the process holding it."""
    since = json.loads((data_dir / "lock").read_text())["since"]
    return f"paperread: error: the library in {data_dir} is in use by paperread (pid {holder.pid}, since {since})"


@pytest.mark.parametrize(("command", "advice"), [
    (["refresh"], "refresh there if it is the reader, or run this again once it has closed"),
    (["mark", "2604.20001", "--star"], "mark the papers there if it is the reader, or run this again once it has closed"),
])
def test_a_writer_beside_a_running_reader_is_told_what_works(served: Path, data_dir: Path,
                                                             lock_holder: subprocess.Popen[str],
                                                             command: list[str], advice: str) -> None:
    """--readonly cannot mark nor refresh: the advice for a writer is the
    reader itself, or later."""
    result = run(data_dir, served, *command)
    assert result.returncode == 2
    assert result.stderr == f"{in_use_by(data_dir, lock_holder)}; {advice}\n"


def test_the_reader_beside_a_running_reader_is_offered_readonly(served: Path, data_dir: Path,
                                                                lock_holder: subprocess.Popen[str]) -> None:
    result = run(data_dir, served)
    assert result.returncode == 2
    assert result.stderr == f"{in_use_by(data_dir, lock_holder)}; close it first or use --readonly\n"


@pytest.mark.parametrize("command", [["list", "--json"], ["export", "-q", ""], ["feeds"], ["export-opml"]])
def test_reading_commands_work_beside_a_running_reader(served: Path, data_dir: Path,
                                                       lock_holder: subprocess.Popen[str], command: list[str]) -> None:
    result = run(data_dir, served, *command)
    assert result.returncode == 0, result.stderr


@pytest.mark.timing
def test_the_lock_dies_with_its_holder(served: Path, data_dir: Path, lock_holder: subprocess.Popen[str]) -> None:
    assert run(data_dir, served, "refresh").returncode == 2
    lock_holder.kill()
    lock_holder.wait()
    started = time.monotonic()
    assert run(data_dir, served, "refresh").returncode == 0
    assert time.monotonic() - started < 30


def test_module_entry_point_shows_help() -> None:
    result = subprocess.run([sys.executable, "-m", "paperread", "--help"], capture_output=True, text=True,
                            cwd=REPO_ROOT, timeout=30)
    assert result.returncode == 0 and "refresh" in result.stdout and "--data-dir" in result.stdout


def test_default_paths_follow_xdg(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.add("/lg", (FEEDS / "arxiv-small.xml").read_bytes())
    config_home, data_home = tmp_path / "config-home", tmp_path / "data-home"
    (config_home / "paperread").mkdir(parents=True)
    (config_home / "paperread" / "config.toml").write_text(f'[[feeds]]\nurl = "{feed_server.url("/lg")}"\n')
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "XDG_CONFIG_HOME": str(config_home),
           "XDG_DATA_HOME": str(data_home)}
    result = subprocess.run([sys.executable, "-m", "paperread", "refresh"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (data_home / "paperread" / "lock").exists()
    assert (data_home / "paperread" / "papers").is_dir()
    assert not (tmp_path / "paperread").exists()


def test_a_newer_version_updates_the_paper_and_keeps_its_state(feed_server: FeedServer, data_dir: Path,
                                                               tmp_path: Path) -> None:
    original = (FEEDS / "arxiv-small.xml").read_bytes()
    feed_server.add("/lg", original)
    config = tmp_path / "config.toml"
    config.write_text(f'[[feeds]]\nurl = "{feed_server.url("/lg")}"\nname = "LG"\n')
    assert run(data_dir, config, "refresh").returncode == 0
    assert run(data_dir, config, "mark", "2604.20001", "--star", "--tag", "keep").returncode == 0
    replaced = (original.replace(b"2604.20001v1 Announce Type: new", b"2604.20001v2 Announce Type: replace")
                .replace(b"oai:arXiv.org:2604.20001v1", b"oai:arXiv.org:2604.20001v2")
                .replace(b"Sparse Graph Transformers", b"Sparser Graph Transformers"))
    feed_server.add("/lg", replaced)
    again = run(data_dir, config, "refresh")
    assert "LG: 0 new, 1 updated, 3 total" in again.stdout.splitlines(), again.stdout
    paper = {p["id"]: p for p in listing(data_dir, config)}["2604.20001"]
    assert paper["version"] == 2 and paper["title"].startswith("Sparser Graph Transformers")
    assert paper["starred"] and paper["tags"] == ["keep"]


# --- the command line as a shell uses it ---

PIPE_PAPERS = 1500  # a listing of 175 kB, its JSON of 1 MB: well over a pipe's 64 kB


@pytest.fixture
def big_library(data_dir: Path) -> Path:
    """A library whose listings do not fit in a pipe's buffer."""
    store = open_library_store(data_dir)
    try:
        store.cache.save([make_paper(f"2504.{number:05d}") for number in range(PIPE_PAPERS)])
    finally:
        store.close()
    return data_dir


def closing_pipe(args: list[str], lines: int, unbuffered: bool = False) -> tuple[int, str]:
    """Run paperread with ``args`` into a pipe that is closed after ``lines``
    lines have been read (``paperread list | head -1``); its exit status and
    standard error. ``unbuffered``: with PYTHONUNBUFFERED=1, as many
    containers set it."""
    env = {name: value for name, value in ENV.items() if name != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen([sys.executable, "-m", "paperread", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)
    assert process.stdout is not None and process.stderr is not None
    for _ in range(lines):
        assert process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    return process.wait(timeout=60), stderr


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["export", "-f", "json", "-q", ""]])
def test_a_reader_that_stops_reading_ends_the_listing_quietly(big_library: Path, tmp_path: Path,
                                                              command: list[str], unbuffered: bool) -> None:
    code, stderr = closing_pipe(["--data-dir", str(big_library), "--config", str(tmp_path / "none.toml"),
                                 *command], lines=1, unbuffered=unbuffered)
    assert stderr == ""
    assert code == 141, "128 + SIGPIPE, what a shell says for git or grep in the same place"


@pytest.mark.parametrize("command", [["feeds"], ["export-opml"], ["refresh"]])
def test_a_pipe_closed_before_a_short_output_ends_it_quietly(data_dir: Path, tmp_path: Path,
                                                             command: list[str]) -> None:
    """The output fits the buffer and is written at the end: the pipe is
    closed before, the command still does its work."""
    config = tmp_path / "none.toml"
    code, stderr = closing_pipe(["--data-dir", str(data_dir), "--config", str(config),
                                 "--feed", str(FEEDS / "arxiv-small.xml"), *command], lines=0)
    assert stderr == ""
    assert code == 141
    assert len(listing(data_dir, config)) == (3 if command == ["refresh"] else 0)


@pytest.fixture
def small_library(data_dir: Path, tmp_path: Path) -> Path:
    """``data_dir`` with the three papers of arxiv-small.xml; its config."""
    config = tmp_path / "none.toml"
    assert run(data_dir, config, "--feed", str(FEEDS / "arxiv-small.xml"), "refresh").returncode == 0
    return config


@pytest.mark.parametrize("query", [["--query", "-cat:q-bio.BM"], ["-q", "-cat:q-bio.BM"], ["-q", "-protein"],
                                   ["--query=-protein"]])
def test_a_query_may_begin_with_a_negation(small_library: Path, data_dir: Path, query: list[str]) -> None:
    ids = {paper["id"] for paper in listing(data_dir, small_library, *query)}
    assert "2604.20002" not in ids and "2604.20003" in ids
    exported = run(data_dir, small_library, "export", "-f", "json", *query)
    assert exported.returncode == 0, exported.stderr
    assert {paper["id"] for paper in json.loads(exported.stdout)} == ids


def test_mark_unread_takes_back_read(small_library: Path, data_dir: Path) -> None:
    def read_ids(*query: str) -> set[str]:
        return {paper["id"] for paper in listing(data_dir, small_library, *query) if paper["read"]}

    assert run(data_dir, small_library, "mark", "2604.20001", "2604.20002", "--read").returncode == 0
    assert read_ids() == {"2604.20001", "2604.20002"}
    unread = run(data_dir, small_library, "mark", "2604.20001", "--unread")
    assert (unread.returncode, unread.stdout) == (0, "1 paper(s), 1 change(s) saved\n"), unread.stderr
    assert read_ids() == {"2604.20002"}
    assert [paper["id"] for paper in listing(data_dir, small_library, "-q", "is:unread")] == ["2604.20003", "2604.20001"]


def test_mark_dismiss_and_undismiss(small_library: Path, data_dir: Path) -> None:
    def dismissed(*query: str) -> list[str]:
        return [paper["id"] for paper in listing(data_dir, small_library, *query) if paper["dismissed"]]

    assert dismissed() == []
    marked = run(data_dir, small_library, "mark", "2604.20001", "https://arxiv.org/abs/2604.20002v1", "--dismiss")
    assert (marked.returncode, marked.stdout) == (0, "2 paper(s), 2 change(s) saved\n"), marked.stderr
    assert dismissed() == ["2604.20002", "2604.20001"]
    # still listed everywhere else, unread and unstarred
    assert len(listing(data_dir, small_library, "-q", "is:unread")) == 3
    assert [p["id"] for p in listing(data_dir, small_library, "-q", "is:dismissed")] == ["2604.20002", "2604.20001"]
    assert [p["id"] for p in listing(data_dir, small_library, "-q", "-is:dismissed")] == ["2604.20003"]
    exported = run(data_dir, small_library, "export", "-f", "json", "-q", "is:dismissed")
    assert exported.returncode == 0, exported.stderr
    assert [(paper["id"], paper["dismissed"]) for paper in json.loads(exported.stdout)] == [
        ("2604.20002", True), ("2604.20001", True),
    ]  # fmt: skip

    again = run(data_dir, small_library, "mark", "2604.20001", "--dismiss", "--star")
    assert (again.returncode, again.stdout) == (0, "1 paper(s), 1 change(s) saved\n"), again.stderr
    undone = run(data_dir, small_library, "mark", "2604.20001", "--undismiss")
    assert (undone.returncode, undone.stdout) == (0, "1 paper(s), 1 change(s) saved\n"), undone.stderr
    assert dismissed() == ["2604.20002"]
    assert [p["id"] for p in listing(data_dir, small_library, "-q", "is:starred")] == ["2604.20001"]

    both = run(data_dir, small_library, "mark", "2604.20001", "--dismiss", "--undismiss")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    nothing = run(data_dir, small_library, "mark", "2604.20001")
    assert nothing.returncode == 2 and "--dismiss/--undismiss" in nothing.stderr
    assert dismissed() == ["2604.20002"]


def test_a_missing_query_is_still_an_error(small_library: Path, data_dir: Path) -> None:
    result = run(data_dir, small_library, "list", "--query", "--json")
    assert result.returncode == 2 and "--query/-q: expected one argument" in result.stderr


def test_global_options_after_the_command(small_library: Path, data_dir: Path) -> None:
    result = paperread("list", "--json", "--data-dir", str(data_dir), "--config", str(small_library),
                       "--offline", "--readonly")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_global_options_before_the_command_are_kept(small_library: Path, data_dir: Path) -> None:
    """The command's copies of the options give no defaults of their own."""
    result = paperread("--data-dir", str(data_dir), "list", "--json", "--config", str(small_library))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize("before", [2, 0, 1], ids=["both-before", "both-after", "one-each"])
def test_every_feed_option_counts_wherever_it_stands(data_dir: Path, tmp_path: Path, before: int) -> None:
    """``before`` of the two --feed options stand before the command, the others after it."""
    feeds = [option for name in ("arxiv-small.xml", "hf-small.json") for option in ("--feed", str(FEEDS / name))]
    result = paperread(*feeds[: 2 * before], "feeds", *feeds[2 * before :], "--data-dir", str(data_dir),
                       "--config", str(tmp_path / "none.toml"))
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["arxiv-small.xml", "hf-small.json"]
