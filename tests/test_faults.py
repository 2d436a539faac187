"""Storage faults as a user meets them, through the real CLI in a subprocess:
a full disk, a file-size limit, a damaged state file at start, a read-only
data directory, two instances at once, and a broken config file.

tests/test_store.py covers the same faults one layer down (StateStore and
AtomicJSONStorage); tests/test_lock.py the lock itself; tests/test_store_crash.py
kill -9 during writes. Here the question is what the user sees: one clear
line, a non-zero exit code where something was not done, no traceback, and
the state they had before still there.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from paperread.model import PaperState
from paperread.store import open_library_store
from paperread.store.atomic import backup_path, load
from paperread.store.state import SCHEMA as STATE_SCHEMA
from tests.conftest import REPO_ROOT, TEST_DATA
from tests.factories import make_paper

FEED_FILE = TEST_DATA / "feeds" / "arxiv-small.xml"
IDS = [f"2401.{n:05d}" for n in range(20)]
STARRED = IDS[0]
ENV = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def cli(
    data_dir: Path,
    config: Path,
    *args: str,
    preexec: Callable[[], None] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config), *args],
        capture_output=True, text=True, timeout=timeout, env=ENV, cwd=REPO_ROOT, preexec_fn=preexec,
        stdin=subprocess.DEVNULL,
    )


def assert_clear_failure(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Non-zero exit, no traceback, and an error line holding every fragment."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("paperread: error: ")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]


def seed(data_dir: Path, starred_tags: list[str] | None = None) -> None:
    """A library of 20 papers, the first starred and tagged."""
    store = open_library_store(data_dir)
    store.cache.save([make_paper(paper_id) for paper_id in IDS])
    store.state.set(STARRED, PaperState(starred=True, tags=starred_tags or ["keep"]))
    store.close()


def states(data_dir: Path) -> dict[str, dict]:
    data = load(data_dir / "state.json", STATE_SCHEMA)
    return dict(data["state"]) if data else {}


def leftovers(data_dir: Path) -> list[str]:
    return sorted(path.name for path in data_dir.rglob("*.tmp"))


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A config with one local feed (no network needed)."""
    path = tmp_path / "config.toml"
    path.write_text(f'[[feeds]]\nurl = "{FEED_FILE}"\nname = "small"\n')
    return path


# --------------------------------------------------------------------------
# A full disk


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "tiny"
    point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(directory: Path) -> Path:
    """Write zeros into ``directory`` until the file system is full."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as handle:
        block = bytes(4096)
        with pytest.raises(OSError) as full:
            while True:
                handle.write(block)
    assert full.value.errno == errno.ENOSPC
    return filler


def test_full_disk_mark_fails_clearly_and_keeps_the_state(tiny_disk: Path, config: Path) -> None:
    library = tiny_disk / "library"
    seed(library)
    before = (library / "state.json").read_bytes()
    filler = fill(tiny_disk)

    # the lock file cannot take the holder's pid either: the open still works
    result = cli(library, config, "mark", IDS[1], "--star", "--tag", "later")
    assert_clear_failure(result, f"could not save {library / 'state.json'}: No space left on device",
                         "the previous version is kept")
    assert (library / "state.json").read_bytes() == before
    assert leftovers(library) == []

    listed = cli(library, config, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    starred = [json.loads(line)["id"] for line in listed.stdout.splitlines() if json.loads(line)["starred"]]
    assert starred == [STARRED]

    filler.unlink()
    again = cli(library, config, "mark", IDS[1], "--star")
    assert again.returncode == 0, again.stderr
    assert set(states(library)) == {STARRED, IDS[1]}


def test_full_disk_refresh_fails_clearly_and_keeps_the_library(tiny_disk: Path, config: Path) -> None:
    library = tiny_disk / "library"
    seed(library)
    before = {path.name: path.read_bytes() for path in library.rglob("*.json")}
    fill(tiny_disk)
    result = cli(library, config, "refresh")
    assert_clear_failure(result, "could not save", "No space left on device")
    assert {path.name: path.read_bytes() for path in library.rglob("*.json")} == before
    assert leftovers(library) == []


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # ignored signals stay ignored across exec: writes past the limit fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_mark_fails_clearly_and_keeps_the_state(data_dir: Path, config: Path) -> None:
    seed(data_dir, starred_tags=["x" * 3000])
    before = (data_dir / "state.json").read_bytes()
    assert len(before) < 4096
    result = cli(data_dir, config, "mark", *IDS[1:6], "--tag", "y" * 300, preexec=_limit_file_size(4096))
    assert_clear_failure(result, f"could not save {data_dir / 'state.json'}: File too large")
    assert (data_dir / "state.json").read_bytes() == before
    assert leftovers(data_dir) == []


# --------------------------------------------------------------------------
# A damaged state file at start

DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: b"\x00\xff\xfe garbage \x1b[2J",
    "wrong-shape": lambda good: b'[{"state": {}}]',
    "wrong-field-types": lambda good: json.dumps(
        {"state": {STARRED: {"starred": "yes", "tags": 5}}, "meta": {"1": {"schema": STATE_SCHEMA}}}
    ).encode(),
}


def damaged_library(data_dir: Path, kind: str, with_backup: bool) -> bytes:
    """A library whose state.json is damaged; its backup (when kept) stars STARRED."""
    seed(data_dir)
    store = open_library_store(data_dir)
    store.state.set(IDS[1], PaperState(tags=["later"]))  # the backup keeps the seeded version
    store.close()
    assert backup_path(data_dir / "state.json").exists()
    if not with_backup:
        backup_path(data_dir / "state.json").unlink()
    damaged = DAMAGE[kind]((data_dir / "state.json").read_bytes())
    (data_dir / "state.json").write_bytes(damaged)
    return damaged


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every file of the library (state, read blocks, paper blocks) but the lock."""
    return {
        str(path.relative_to(data_dir)): path.read_bytes()
        for path in data_dir.rglob("*")
        if path.is_file() and path.name != "lock"
    }


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_state_with_backup(data_dir: Path, config: Path, kind: str) -> None:
    damaged = damaged_library(data_dir, kind, with_backup=True)
    before = snapshot(data_dir)

    # a reader shows the backup and changes nothing
    listed = cli(data_dir, config, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "state.json is unreadable (" in listed.stderr and "showing the backup from" in listed.stderr
    assert "read-only: no file was changed" in listed.stderr
    starred = [json.loads(line)["id"] for line in listed.stdout.splitlines() if json.loads(line)["starred"]]
    assert starred == [STARRED]
    assert snapshot(data_dir) == before

    # a writer keeps the damaged file aside and restores the backup
    marked = cli(data_dir, config, "mark", IDS[2], "--star")
    assert marked.returncode == 0, marked.stderr
    [aside] = data_dir.glob("state.json.corrupt-*")
    assert aside.read_bytes() == damaged
    assert "state.json was unreadable (" in marked.stderr
    assert f"moved it to {aside}; restored the backup from " in marked.stderr
    assert set(states(data_dir)) == {STARRED, IDS[2]}
    assert states(data_dir)[STARRED]["tags"] == ["keep"]


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_state_without_backup_is_never_silently_empty(data_dir: Path, config: Path, kind: str) -> None:
    damaged = damaged_library(data_dir, kind, with_backup=False)
    before = snapshot(data_dir)

    listed = cli(data_dir, config, "list")
    assert_clear_failure(listed, f"{data_dir / 'state.json'} is unreadable (", "there is no backup",
                         "read-only: no file was changed")
    assert listed.stdout == ""
    assert snapshot(data_dir) == before

    marked = cli(data_dir, config, "mark", IDS[2], "--star")
    [aside] = data_dir.glob("state.json.corrupt-*")
    assert_clear_failure(marked, f"{data_dir / 'state.json'} is unreadable (",
                         f"moved it to {aside}; there is no backup, so nothing was restored")
    assert aside.read_bytes() == damaged
    assert not (data_dir / "state.json").exists()

    # later runs, the reader's too, keep saying so until the user moves the copy away
    for command in (["list"], ["mark", IDS[2], "--star"], []):
        result = cli(data_dir, config, *command, timeout=30)
        assert_clear_failure(result, f"kept aside as {aside}, with no backup to restore",
                             f"move that file out of {data_dir} to start with an empty state.json")
    aside.rename(data_dir.parent / aside.name)
    fresh = cli(data_dir, config, "mark", IDS[2], "--star")
    assert fresh.returncode == 0, fresh.stderr
    assert set(states(data_dir)) == {IDS[2]}


def test_state_from_a_newer_version_is_left_alone(data_dir: Path, config: Path) -> None:
    seed(data_dir)
    store = open_library_store(data_dir)
    store.state.set(IDS[1], PaperState(read=True))
    store.close()
    future = json.dumps({"state": {STARRED: {"starred": True, "colour": "red"}}, "meta": {"1": {"schema": 99}}})
    (data_dir / "state.json").write_text(future)
    before = snapshot(data_dir)
    for command in (["list"], ["mark", IDS[2], "--star"], ["refresh"]):
        result = cli(data_dir, config, *command)
        assert_clear_failure(result, f"written by a newer paperread: schema 99, this version reads up to {STATE_SCHEMA}",
                             "upgrade paperread")
        assert snapshot(data_dir) == before, "neither the file nor its backup is touched"
    assert not list(data_dir.glob("*.corrupt-*"))


# --------------------------------------------------------------------------
# A read-only data directory


@contextmanager
def read_only_dir(data_dir: Path) -> Iterator[tuple[Path, str]]:
    """``data_dir`` made read-only, and the reason the system gives for it:
    a read-only bind mount as root (permissions do not stop root), else
    the directory's permissions."""
    if os.geteuid() != 0:
        data_dir.chmod(0o555)
        try:
            yield data_dir, "Permission denied"
        finally:
            data_dir.chmod(0o755)
        return
    bound = subprocess.run(["mount", "--bind", str(data_dir), str(data_dir)], capture_output=True, text=True)
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {bound.stderr.strip()}")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(data_dir)], capture_output=True, text=True)
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {remount.stderr.strip()}")
        yield data_dir, "Read-only file system"
    finally:
        if subprocess.run(["umount", str(data_dir)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(data_dir)], capture_output=True)


def test_read_only_directory(data_dir: Path, config: Path) -> None:
    seed(data_dir)
    before = snapshot(data_dir)
    with read_only_dir(data_dir) as (path, reason):
        listed = cli(path, config, "list", "--json")
        assert listed.returncode == 0, listed.stderr
        assert "Traceback" not in listed.stderr
        rows = [json.loads(line) for line in listed.stdout.splitlines()]
        assert len(rows) == len(IDS) and [row["id"] for row in rows if row["starred"]] == [STARRED]

        for command in (["mark", IDS[1], "--star"], ["refresh"]):
            result = cli(path, config, *command)
            assert f"paperread: {path} is not writable ({reason}); opened read-only" in result.stderr
            assert_clear_failure(result, "could not save", "the library was opened read-only")
    assert snapshot(data_dir) == before
    assert not (data_dir / "lock").read_text()


def test_read_only_directory_still_shows_the_feeds_and_exports(data_dir: Path, config: Path, tmp_path: Path) -> None:
    seed(data_dir)
    assert cli(data_dir, config, "refresh").returncode == 0  # the feed's status and 3 papers more
    before = snapshot(data_dir)
    with read_only_dir(data_dir) as (path, reason):
        feeds = cli(path, config, "feeds")
        assert feeds.returncode == 0 and "Traceback" not in feeds.stderr, feeds.stderr
        small, seeded = feeds.stdout.splitlines()  # the seeded papers' feed is not configured
        assert small.startswith(f"small\t{FEED_FILE}\t3 unread / 3\tok 20"), small
        assert seeded.endswith(f"\t{len(IDS)} unread / {len(IDS)}\tnever fetched\tnot configured"), seeded

        exported = cli(path, config, "export")  # the starred papers, as BibTeX
        assert exported.returncode == 0 and "Traceback" not in exported.stderr, exported.stderr
        assert exported.stdout.count("@misc{") == 1 and f"eprint = {{{STARRED}}}" in exported.stdout
        outside = tmp_path / "starred.json"
        assert cli(path, config, "export", "-f", "json", "-o", str(outside)).returncode == 0
        assert [paper["id"] for paper in json.loads(outside.read_text())] == [STARRED]

        inside = path / "starred.bib"
        assert_clear_failure(cli(path, config, "export", "-o", str(inside)), f"could not save {inside}", reason)
    assert snapshot(data_dir) == before


# --------------------------------------------------------------------------
# Two instances at once

HOLDER = """
import sys
from pathlib import Path
from paperread.store import open_library_store
store = open_library_store(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.readline()
store.close()
"""


# what ``mark`` advises while another process holds the library
MARK_WHILE_LOCKED = "mark the papers there if it is the reader, or run this again once it has closed"


@contextmanager
def holding_the_library(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the library (and its lock) meanwhile."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=ENV, cwd=REPO_ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        yield holder
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0


def test_second_writer_is_refused_and_a_reader_works(data_dir: Path, config: Path) -> None:
    seed(data_dir)
    with holding_the_library(data_dir) as holder:
        before = snapshot(data_dir)
        marked = cli(data_dir, config, "mark", IDS[1], "--star")
        assert_clear_failure(marked, f"the library in {data_dir} is in use by paperread (pid {holder.pid}, since ",
                             MARK_WHILE_LOCKED)
        listed = cli(data_dir, config, "list", "--json")
        assert listed.returncode == 0 and len(listed.stdout.splitlines()) == len(IDS), listed.stderr
        assert snapshot(data_dir) == before


def test_readonly_beside_the_holder_reads_and_refuses_a_mark(data_dir: Path, config: Path) -> None:
    seed(data_dir)
    with holding_the_library(data_dir):
        before = snapshot(data_dir)
        listed = cli(data_dir, config, "--readonly", "list", "--json")
        assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
        assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == sorted(IDS, reverse=True)
        exported = cli(data_dir, config, "--readonly", "export", "-f", "json")
        assert exported.returncode == 0, exported.stderr
        assert [paper["id"] for paper in json.loads(exported.stdout)] == [STARRED]

        marked = cli(data_dir, config, "--readonly", "mark", IDS[1], "--star")
        assert_clear_failure(marked, f"could not save {data_dir / 'state.json'}", "the library was opened read-only")
        assert marked.stdout == "", "nothing is said to be saved"
        assert snapshot(data_dir) == before


# Lock conflicts come and go with the machine's load (four rounds of three
# gave 0 to 5): mark on until enough marks were refused, and enough saved
# beside them.
LANES = 3
# collisions are a race: marks start faster now, and 40 rounds once gave only 3 refusals;
# the loop ends as soon as both floors are reached
MIN_REFUSED, MIN_SAVED, MAX_ROUNDS = 4, 8, 100


@pytest.mark.timing
def test_parallel_marks_lose_no_update(data_dir: Path, config: Path) -> None:
    seed(data_dir)
    expected = dict(states(data_dir))
    saved = refused = 0
    papers = itertools.cycle(IDS[1:])  # LANES in a row are distinct
    for round_no in range(MAX_ROUNDS):
        jobs = {}
        for lane in range(LANES):
            paper_id, tag = next(papers), f"r{round_no}-{lane}"
            command = [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config),
                       "mark", paper_id, "--tag", tag]
            jobs[(paper_id, tag)] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                     text=True, env=ENV, cwd=REPO_ROOT)
        for (paper_id, tag), job in jobs.items():
            out, err = job.communicate(timeout=60)
            assert "Traceback" not in err
            if job.returncode == 0:
                saved += 1
                assert out.strip() == "1 paper(s), 1 change(s) saved"
                expected[paper_id] = {"tags": [*expected.get(paper_id, {}).get("tags", []), tag]}
            else:
                refused += 1
                assert job.returncode == 2
                assert "is in use by paperread (pid " in err and MARK_WHILE_LOCKED in err, err
        stored = states(data_dir)
        assert set(stored) == set(expected), f"round {round_no}: lost or invented an update"
        for paper_id, state in expected.items():
            assert stored[paper_id]["tags"] == state["tags"], f"round {round_no}: {paper_id}"
        if refused >= MIN_REFUSED and saved >= MIN_SAVED:
            break
    print(f"{LANES * (round_no + 1)} parallel marks: {saved} saved, {refused} refused with a clear message")
    assert refused >= MIN_REFUSED and saved >= MIN_SAVED, (saved, refused)


# --------------------------------------------------------------------------
# A broken config file


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("theme = 'nord'\nrefresh_interval = 5 5\n", 2),
        ("theme = 'nord'\n\n[[feeds]\nurl = 'hf:daily'\n", 3),
        ("refresh_interval = 5\ntheme = 'nord\nmark_read_on_highlight = true\n", 2),
        ("theme = 'nord'\nfeeds = [\n  'arxiv:cs.LG',\n", 2),
        ("theme = 'nord'\n\ncolour = 'red'\n", 3),
        ("[[feeds]]\nurl = 'hf:daily'\n\n[[feeds]]\nurl = 'arxiv:cs.LG'\nlabel = 'x'\n", 6),
        ("[watch]\nkeywords = ['a']\nauthor = ['b']\n", 3),
        ("theme = 'nord'\n\n[watch]\nkeywords = 'diffusion'\n", 4),
        ("[[feeds]]\nurl = 'hf:daily'\n\n[[feeds]]\nurl = 3\n", 5),
        ("theme = 'nord'\n[keys]\n'app.stra' = 'f'\n", 3),
        ("[keys]\n'app.star' = 'f'\n'list.down' = 'Ctrl+n'\n", 3),
        ("refresh_interval = 5\ntheme = 'no-such-theme'\n", 2),
    ],
    ids=["syntax", "table-header", "unclosed-string", "unclosed-array", "unknown-key", "unknown-feed-key",
         "unknown-watch-key", "string-for-a-list", "wrong-type-in-second-feed", "unknown-binding-id",
         "unparsable-key", "unknown-theme"],
)
def test_broken_config_names_the_line_and_creates_nothing(tmp_path: Path, text: str, line: int) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    never = tmp_path / "never-created"
    for command in (["list"], ["mark", STARRED, "--star"], ["refresh"], []):
        result = cli(never, config, *command, timeout=30)
        assert_clear_failure(result, str(config))
        assert re.search(rf"\bline {line}\b", result.stderr), result.stderr
        assert result.returncode == 2 and result.stdout == ""
    assert not never.exists(), "nothing is created before the config has been read"
    assert config.read_text() == text
