"""The storage layer on real TinyDB files: round trips, write sizes, damaged
files, backups, read-only directories and failed writes.

tests/test_cache_layout.py covers the block layout of the paper cache and
of the read flags in depth (splitting, summaries, migrations, write sizes)."""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from paperread.model import Paper, PaperState
from paperread.store import (
    AtomicJSONStorage,
    CorruptFile,
    FeedMetaStore,
    FutureSchema,
    PaperCache,
    StateStore,
    StorageError,
    open_library_store,
    paper_month,
)
from paperread.store import atomic
from paperread.store.atomic import load
from paperread.store.state import SCHEMA as STATE_SCHEMA
from tests.conftest import REPO_ROOT

NOBODY = 65534


def make_paper(paper_id: str, **fields: Any) -> Paper:
    abstract = fields.pop("abstract", f"Abstract of {paper_id}. " * 20)
    title = fields.pop("title", f"Title {paper_id}")
    return Paper(id=paper_id, title=title, abstract=abstract, raw_abstract=abstract, **fields)


def arxiv_papers(count: int, months: tuple[str, ...] = ("2401", "2402", "2403")) -> list[Paper]:
    return [
        make_paper(f"{months[i % len(months)]}.{i:05d}", authors=["A. Author"])
        for i in range(count)
    ]


def file_stats(directory: Path) -> dict[str, tuple[int, int, int]]:
    """name -> (inode, size, mtime_ns) of every file in ``directory``."""
    return {
        path.name: (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(directory.iterdir())
    }


def leftover_temps(directory: Path) -> list[str]:
    return [path.name for path in directory.iterdir() if path.name.endswith(".tmp")]


def write_state_versions(path: Path) -> None:
    """Two flushes of state.json: version 1 ends up in the backup, version 2
    in the file."""
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(starred=True))
        store.flush()
        store.set("2401.00002", PaperState(tags=["later"]))


def run_without_write_permission(workdir: Path, action: Callable[[], Any]) -> Any:
    """Run ``action`` (with ``workdir`` as current directory) where file
    permissions apply. Root ignores them, so as root the action runs in a
    forked child that drops to user nobody; its result comes back pickled."""
    os.chdir(workdir)
    if os.geteuid() != 0:
        return action()
    workdir.chmod(0o755)  # nobody must be able to look up names in it
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        try:
            os.close(reader)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            try:
                outcome: tuple[str, Any] = ("ok", action())
            except BaseException as error:  # reported to the parent
                outcome = ("raised", f"{type(error).__name__}: {error}")
            os.write(writer, pickle.dumps(outcome))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(payload)
    if kind != "ok":
        raise AssertionError(f"the unprivileged child raised {value}")
    return value


@pytest.fixture
def restore_cwd():
    cwd = os.getcwd()
    yield
    os.chdir(cwd)


# --- AtomicJSONStorage ---------------------------------------------------------


def test_atomic_storage_round_trip_with_backup_of_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.insert({"n": 1})
        db.insert({"n": 2})
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        assert [doc["n"] for doc in db.all()] == [1, 2]

    on_disk = json.loads(path.read_text())
    assert on_disk["meta"] == {"1": {"schema": 1}}
    backup = json.loads((tmp_path / "db.json.bak").read_text())
    assert [doc["n"] for doc in backup["_default"].values()] == [1]
    assert leftover_temps(tmp_path) == []


def record_syncs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """From now on, every os.fsync, with the path its descriptor is open on
    (and the size of a file), and every os.replace, in order; both still do
    their work."""
    calls: list[tuple[str, ...]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        opened, status = os.readlink(f"/proc/self/fd/{fd}"), os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            calls.append(("fsync directory", opened))
        else:
            calls.append(("fsync file", opened, f"{status.st_size} bytes"))
        real_fsync(fd)

    def replace(source: str | Path, target: str | Path) -> None:
        calls.append(("replace", str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_a_write_fsyncs_the_temp_file_renames_it_and_fsyncs_the_directory(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the README's Reliability table says of every write, on a star
    saved over an older state file (which becomes the backup by a hard link
    renamed into place)."""
    path = data_dir / "state.json"
    store = StateStore(path)
    store.set("2401.00001", PaperState(starred=True))
    store.flush()
    calls = record_syncs(monkeypatch)
    store.set("2401.00002", PaperState(starred=True))
    store.flush()
    store.close()

    temp, backup_temp = calls[0][1], calls[1][1]
    assert calls == [
        ("fsync file", temp, f"{path.stat().st_size} bytes"),
        ("replace", backup_temp, str(data_dir / "state.json.bak")),
        ("replace", temp, str(path)),
        ("fsync directory", str(data_dir)),
    ]
    assert Path(temp).parent == data_dir and Path(temp).name.startswith(".state.json.")
    assert Path(backup_temp).parent == data_dir


def test_any_string_round_trips(tmp_path: Path) -> None:
    title = "Schrödinger \u2014 \ud835 lone surrogate, \x00 NUL, \u202e bidi"
    storage = AtomicJSONStorage(tmp_path / "db.json")
    storage.write({"papers": {"1": {"title": title}}})
    assert storage.read()["papers"] == {"1": {"title": title}}


def test_missing_and_empty_files_read_as_empty(tmp_path: Path) -> None:
    assert AtomicJSONStorage(tmp_path / "missing.json").read() is None
    (tmp_path / "empty.json").write_text("  \n")
    assert AtomicJSONStorage(tmp_path / "empty.json").read() is None
    assert not (tmp_path / "missing.json").exists()


GOOD_STATE = {"state": {"2401.00001": {"starred": True}}, "meta": {"1": {"schema": 1}}}

DAMAGED = {
    "truncated": (json.dumps(GOOD_STATE)[:30], "not valid JSON"),
    "garbage": ("\x00\x13\xff binary garbage", "not valid JSON"),
    "list": ("[1, 2, 3]", "expected an object of tables, found list"),
    "table-not-object": ('{"state": [1]}', "table 'state' is list"),
    "document-not-object": ('{"state": {"x": 5}}', "document 'x' in table 'state' is not an object"),
    "schema-not-number": ('{"meta": {"1": {"schema": "one"}}}', "schema version 'one'"),
}


@pytest.mark.parametrize("kind", sorted(DAMAGED))
def test_damaged_files_raise_corrupt_file_with_reason(tmp_path: Path, kind: str) -> None:
    content, reason = DAMAGED[kind]
    path = tmp_path / "state.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(CorruptFile) as caught:
        AtomicJSONStorage(path).read()
    assert reason in caught.value.reason
    assert caught.value.path == path
    assert str(path) in str(caught.value)


def test_future_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"state": {}, "meta": {"1": {"schema": 7}}}))
    with pytest.raises(FutureSchema) as caught:
        AtomicJSONStorage(path, schema=1).read()
    assert (caught.value.found, caught.value.supported) == (7, 1)
    assert "newer paperread" in str(caught.value)


def test_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True, text=True, check=True,
    )
    dead_pid = int(finished.stdout)
    stale = tmp_path / f".state.json.new.{dead_pid}-0badc0de.tmp"
    mine = tmp_path / f".state.json.new.{os.getpid()}-00000000.tmp"
    stale.write_text("half")
    mine.write_text("in progress")
    AtomicJSONStorage(tmp_path / "state.json")
    assert not stale.exists()
    assert mine.exists()


# --- StateStore ----------------------------------------------------------------


def test_state_round_trip_and_defaults(data_dir: Path) -> None:
    path = data_dir / "state.json"
    states = {
        "2401.00001": PaperState(read=True, read_at="2026-01-02T03:04:05Z"),
        "hep-ph/0301050": PaperState(starred=True, starred_at="2026-01-02T03:04:06Z"),
        "doi:10.1000/xyz": PaperState(tags=["to read", "ünïcode"], tags_at="2026-01-02T03:04:07Z"),
    }
    with StateStore(path) as store:
        for paper_id, state in states.items():
            store.set(paper_id, state)
    with StateStore(path) as store:
        assert store.all() == states
        assert store.get("2401.00001") == states["2401.00001"]
        assert store.get("9999.99999") == PaperState()
        assert store.open_messages == []


def test_dismissed_round_trips_with_its_time_beside_the_star(data_dir: Path) -> None:
    path = data_dir / "state.json"
    states = {
        "2401.00001": PaperState(dismissed=True, dismissed_at="2026-01-02T03:04:05Z"),
        "2401.00002": PaperState(read=True, starred=True, dismissed=True, dismissed_at="2026-01-02T03:04:06Z"),
        # taken back: the time stays, as starred_at does after an unstar
        "2401.00003": PaperState(tags=["x"], dismissed_at="2026-01-02T03:04:07Z"),
        "2401.00004": PaperState(starred=True, starred_at="2026-01-02T03:04:08Z"),
    }
    with StateStore(path) as store:
        store.set_many(states)
    with StateStore(path) as store:
        assert store.all() == states
        assert store.get("2401.00001").dismissed and not store.get("2401.00001").read
    with StateStore(path, readonly=True) as store:
        assert store.all() == states
    stored = json.loads(path.read_text())
    assert stored["meta"] == {"1": {"schema": STATE_SCHEMA}} and STATE_SCHEMA == 3
    marks = stored["state"]
    assert marks["2401.00001"] == {
        "starred": False, "tags": [], "starred_at": None, "tags_at": None,
        "dismissed": True, "dismissed_at": "2026-01-02T03:04:05Z",
    }  # fmt: skip
    assert marks["2401.00003"]["dismissed"] is False
    # a paper never dismissed has the record schema 2 wrote: a star still writes the same bytes
    assert set(marks["2401.00004"]) == {"starred", "tags", "starred_at", "tags_at"}
    # the dismissal is in state.json, the read flag in its block
    blocks = list((data_dir / "read").rglob("*.json"))
    assert blocks and not any("dismissed" in block.read_text() for block in blocks)


def test_a_dismissal_taken_back_leaves_no_record(data_dir: Path) -> None:
    path = data_dir / "state.json"
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(dismissed=True, dismissed_at="2026-01-02T03:04:05Z"))
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(dismissed_at="2026-01-02T03:04:06Z"))
    assert json.loads(path.read_text())["state"] == {}
    with StateStore(path) as store:
        assert store.all() == {}


SCHEMA_2_STATE = {
    "state": {
        "2401.00001": {"starred": True, "tags": ["keep"], "starred_at": "2026-01-02T03:04:05Z", "tags_at": None},
    },
    "meta": {"1": {"schema": 2}},
}


def test_a_schema_2_state_file_loads_unchanged_and_is_written_as_schema_3(data_dir: Path) -> None:
    path = data_dir / "state.json"
    path.write_text(json.dumps(SCHEMA_2_STATE))
    before = path.read_bytes()
    with StateStore(path) as store:
        assert store.open_messages == []
        assert store.all() == {
            "2401.00001": PaperState(starred=True, tags=["keep"], starred_at="2026-01-02T03:04:05Z"),
        }
        assert not store.get("2401.00001").dismissed
    assert path.read_bytes() == before, "opening changes nothing"
    with StateStore(path, readonly=True) as store:
        assert store.get("2401.00001").starred
    with StateStore(path) as store:
        store.set("2401.00002", PaperState(dismissed=True, dismissed_at="2026-01-03T00:00:00Z"))
    stored = json.loads(path.read_text())
    assert stored["meta"] == {"1": {"schema": 3}}
    assert stored["state"]["2401.00001"] == SCHEMA_2_STATE["state"]["2401.00001"]
    assert stored["state"]["2401.00002"]["dismissed"] is True


def test_a_paperread_that_knows_only_schema_2_refuses_the_file_once_written(data_dir: Path) -> None:
    """An older paperread would drop the dismissal when it rewrote the
    record; it refuses the file instead (as it refuses any newer schema)."""
    path = data_dir / "state.json"
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(dismissed=True))
    with pytest.raises(FutureSchema):
        atomic.load(path, 2)


def test_returned_states_are_copies(data_dir: Path) -> None:
    with StateStore(data_dir / "state.json") as store:
        store.set("a", PaperState(tags=["x"]))
        store.get("a").tags.append("y")
        store.all()["a"].tags.append("z")
        assert store.get("a").tags == ["x"]


def test_only_non_default_states_are_stored(data_dir: Path) -> None:
    path = data_dir / "state.json"
    with StateStore(path) as store:
        store.set("keep", PaperState(starred=True))
        store.set("gone", PaperState(read=True))
        store.set("never", PaperState())
        store.flush()
        store.set("gone", PaperState())
    stored = json.loads(path.read_text())["state"]
    assert list(stored) == ["keep"]
    assert stored["keep"]["starred"] is True


def test_set_is_write_behind_and_flush_writes_once(data_dir: Path, monkeypatch) -> None:
    writes: list[int] = []
    real_write = AtomicJSONStorage.write_encoded

    def counting_write(self: AtomicJSONStorage, payload: bytes) -> None:
        writes.append(len(payload))
        real_write(self, payload)

    monkeypatch.setattr(AtomicJSONStorage, "write_encoded", counting_write)
    path = data_dir / "state.json"
    store = StateStore(path)
    assert not store.dirty
    store.set_many({f"2401.{i:05d}": PaperState(read=True) for i in range(200)})
    assert store.dirty and writes == [] and not path.exists()
    store.flush()
    assert len(writes) == 1 and not store.dirty
    store.flush()
    assert len(writes) == 1

    # setting what is already stored changes nothing
    store.set("2401.00003", PaperState(read=True))
    assert not store.dirty
    store.set_many({f"2401.{i:05d}": PaperState() for i in range(100)})
    store.close()
    assert len(writes) == 2
    assert len(StateStore(path).all()) == 100


@pytest.mark.parametrize("cache_size", [60, 3000])
def test_star_toggle_writes_only_state_json(data_dir: Path, cache_size: int) -> None:
    """One star writes a state file holding the starred paper alone, whatever
    the cache holds and however many papers are read, and leaves the paper
    blocks and the read blocks untouched."""
    library = open_library_store(data_dir)
    library.cache.save(arxiv_papers(cache_size))
    library.state.set_many({paper.id: PaperState(read=True) for paper in arxiv_papers(cache_size)})
    library.state.flush()
    before = file_stats_below(data_dir / "papers") | file_stats_below(data_dir / "read")

    library.state.set("2402.00001", PaperState(read=True, starred=True, starred_at="2026-01-01T00:00:00Z"))
    library.state.flush()

    assert file_stats_below(data_dir / "papers") | file_stats_below(data_dir / "read") == before
    assert (data_dir / "state.json").stat().st_size == STAR_TOGGLE_STATE_SIZE
    library.close()


def file_stats_below(directory: Path) -> dict[str, tuple[int, int, int]]:
    """file_stats of every file under ``directory``, by relative path."""
    return {
        str(path.relative_to(directory)): (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


# one paper's star record plus the schema stamp, in compact JSON
STAR_TOGGLE_STATE_SIZE = len(
    json.dumps(
        {
            "state": {
                "2402.00001": {"starred": True, "tags": [], "starred_at": "2026-01-01T00:00:00Z", "tags_at": None},
            },
            "meta": {"1": {"schema": STATE_SCHEMA}},
        },
        separators=(",", ":"),
    )
)


@pytest.mark.parametrize("kind", sorted(DAMAGED))
def test_damaged_state_is_moved_aside_and_backup_restored(data_dir: Path, kind: str) -> None:
    path = data_dir / "state.json"
    write_state_versions(path)
    damaged = DAMAGED[kind][0].encode("utf-8", "surrogateescape")
    path.write_bytes(damaged)

    store = StateStore(path)
    assert store.all() == {"2401.00001": PaperState(starred=True)}
    [message] = store.open_messages
    [aside] = data_dir.glob("state.json.corrupt-*")
    assert message.startswith("state.json was unreadable (")
    assert f"moved it to {aside}" in message
    assert "restored the backup from 20" in message
    assert aside.read_bytes() == damaged
    # the restored file is good on its own and the store writes on from it
    assert StateStore(path).open_messages == []
    store.set("2401.00003", PaperState(read=True))
    store.close()
    assert set(StateStore(path).all()) == {"2401.00001", "2401.00003"}


def test_empty_state_file_with_good_backup_is_restored(data_dir: Path) -> None:
    path = data_dir / "state.json"
    write_state_versions(path)
    path.write_bytes(b"")
    store = StateStore(path)
    assert "state.json was unreadable (the file is empty)" in store.open_messages[0]
    assert store.get("2401.00001").starred


def test_missing_state_file_with_good_backup_is_restored_not_emptied(data_dir: Path) -> None:
    path = data_dir / "state.json"
    write_state_versions(path)
    path.unlink()
    readonly = StateStore(path, readonly=True)
    assert readonly.get("2401.00001").starred and not path.exists()
    assert "state.json is missing; showing its backup" in readonly.open_messages[0]
    store = StateStore(path)
    assert store.get("2401.00001").starred
    assert store.open_messages[0].startswith("state.json was missing; restored its backup from ")
    assert load(path, STATE_SCHEMA) is not None


@pytest.mark.parametrize("backup", ["missing", "damaged"])
def test_damaged_state_without_usable_backup_raises_naming_moved_file(
    data_dir: Path, backup: str
) -> None:
    path = data_dir / "state.json"
    write_state_versions(path)
    if backup == "missing":
        (data_dir / "state.json.bak").unlink()
    else:
        (data_dir / "state.json.bak").write_text("{oops")
    path.write_text('{"state": {"x": ')

    with pytest.raises(CorruptFile) as caught:
        StateStore(path)
    [aside] = data_dir.glob("state.json.corrupt-*")
    assert str(aside) in str(caught.value)
    assert aside.read_text() == '{"state": {"x": '
    assert not path.exists()


def write_read_block_versions(path: Path) -> Path:
    """Two flushes of one read block: version 1 (2401.00001 read) ends up in
    the backup, version 2 (2401.00002 read too) in the file."""
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(read=True, starred=True))
        store.flush()
        store.set("2401.00002", PaperState(read=True))
    return path.parent / "read" / "2024-01" / "0.json"


def test_damaged_read_block_is_moved_aside_and_backup_restored(data_dir: Path) -> None:
    block = write_read_block_versions(data_dir / "state.json")
    block.write_text('{"read": {"2401.00001": ')

    store = StateStore(data_dir / "state.json")
    assert store.all() == {"2401.00001": PaperState(read=True, starred=True)}
    [message] = store.open_messages
    [aside] = block.parent.glob("0.json.corrupt-*")
    assert message.startswith("read/2024-01/0.json was unreadable (not valid JSON")
    assert f"moved it to {aside}; restored the backup from 20" in message
    store.close()


@pytest.mark.parametrize("damage", ["no-backup", "lost-after-damage"])
def test_damaged_read_block_without_backup_is_never_silently_empty(data_dir: Path, damage: str) -> None:
    block = write_read_block_versions(data_dir / "state.json")
    block.with_name("0.json.bak").unlink()
    block.write_text('{"read": {"2401.00001": {"read": "yes"}}}')
    with pytest.raises(CorruptFile) as caught:
        StateStore(data_dir / "state.json")
    assert "'read' of paper '2401.00001' is not true/false" in str(caught.value)
    assert "there is no backup, so nothing was restored" in str(caught.value)
    if damage == "lost-after-damage":
        # the damaged copy kept aside: later opens keep refusing
        with pytest.raises(CorruptFile, match="with no backup to restore"):
            StateStore(data_dir / "state.json", readonly=True)
    [aside] = block.parent.glob("0.json.corrupt-*")
    aside.rename(data_dir.parent / aside.name)
    assert StateStore(data_dir / "state.json").all() == {"2401.00001": PaperState(starred=True)}


def test_future_schema_state_is_left_alone(data_dir: Path) -> None:
    path = data_dir / "state.json"
    content = json.dumps({"state": {}, "meta": {"1": {"schema": STATE_SCHEMA + 1}}})
    path.write_text(content)
    with pytest.raises(FutureSchema):
        StateStore(path)
    assert path.read_text() == content
    assert list(data_dir.glob("*.corrupt-*")) == []


def test_readonly_store_shows_backup_without_changing_files(data_dir: Path) -> None:
    path = data_dir / "state.json"
    write_state_versions(path)
    path.write_text("garbage")
    before = file_stats(data_dir)

    store = StateStore(path, readonly=True)
    assert store.get("2401.00001").starred
    assert "read-only" in store.open_messages[0]
    store.set("2401.00009", PaperState(read=True))
    with pytest.raises(StorageError, match="read-only"):
        store.flush()
    store.close()
    assert file_stats(data_dir) == before


def test_flush_from_a_worker_thread_while_setting(data_dir: Path) -> None:
    path = data_dir / "state.json"
    store = StateStore(path)
    stop = threading.Event()
    errors: list[BaseException] = []

    def flusher() -> None:
        try:
            while not stop.is_set():
                store.flush()
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=flusher)
    worker.start()
    expected = {}
    for i in range(300):
        expected[f"2401.{i:05d}"] = PaperState(read=True, tags=[str(i)])
        store.set(f"2401.{i:05d}", expected[f"2401.{i:05d}"])
    stop.set()
    worker.join()
    store.close()
    assert errors == []
    assert StateStore(path).all() == expected


WRITE_LIMIT_CHILD = """
import resource, signal, sys
from pathlib import Path
from paperread.model import PaperState
from paperread.store import StateStore, StorageError

path = Path(sys.argv[1])
store = StateStore(path)
store.set_many({f"2401.{i:05d}": PaperState(tags=["x" * 200]) for i in range(100)})
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # oversize writes fail with EFBIG
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
try:
    store.flush()
except StorageError as error:
    print("refused:", error)
print("dirty:", store.dirty, "kept:", len(store.all()), flush=True)
sys.stdin.readline()  # the parent looks at the file meanwhile
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
store.flush()
print("retried dirty:", store.dirty)
"""


def test_failed_write_keeps_old_file_and_pending_changes(data_dir: Path) -> None:
    path = data_dir / "state.json"
    with StateStore(path) as store:
        store.set("old", PaperState(starred=True))
    old_bytes = path.read_bytes()
    snapshot = {}

    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITE_LIMIT_CHILD, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    # the child waits before retrying, so the file is seen as the failure left it
    refused = child.stdout.readline()
    state_line = child.stdout.readline()
    snapshot["bytes"] = path.read_bytes()
    snapshot["temps"] = leftover_temps(data_dir)
    out, err = child.communicate("go\n", timeout=20)
    assert child.returncode == 0, err

    assert refused.startswith(f"refused: could not save {path}: File too large")
    assert "previous version is kept" in refused
    assert state_line.strip() == "dirty: True kept: 101"
    assert snapshot == {"bytes": old_bytes, "temps": []}
    assert out.strip() == "retried dirty: False"
    assert len(StateStore(path).all()) == 101


def test_write_refused_by_directory_permissions_keeps_old_file(data_dir: Path, restore_cwd) -> None:
    path = data_dir / "state.json"
    with StateStore(path) as store:
        store.set("old", PaperState(starred=True))
    old_bytes = path.read_bytes()

    # the owner locks the directory after opening; as root the parent locks
    # it before the unprivileged child (which may not chmod it) opens
    lock_after_opening = os.geteuid() != 0

    def star_in_locked_directory() -> tuple[str, bool, int]:
        store = StateStore(Path("data/state.json"))
        if lock_after_opening:
            Path("data").chmod(0o555)
        store.set("new", PaperState(starred=True))
        try:
            store.flush()
        except StorageError as error:
            return str(error), store.dirty, len(store.all())
        return "no error", store.dirty, len(store.all())

    if not lock_after_opening:
        data_dir.chmod(0o555)
    try:
        message, dirty, count = run_without_write_permission(
            data_dir.parent, star_in_locked_directory
        )
    finally:
        data_dir.chmod(0o755)
    assert message.startswith("could not save data/state.json: Permission denied")
    assert (dirty, count) == (True, 2)
    assert path.read_bytes() == old_bytes
    assert leftover_temps(data_dir) == []


# --- PaperCache ----------------------------------------------------------------


def test_paper_month_rules() -> None:
    assert paper_month(make_paper("2401.00001", published="1999-01-01T00:00:00Z")) == "2024-01"
    assert paper_month(make_paper("hep-ph/9901001")) == "1999-01"
    assert paper_month(make_paper("doi:10.1/x", published="2023-07-04T00:00:00Z")) == "2023-07"
    assert paper_month(make_paper("guid:abc", first_seen="2025-12-31T23:00:00Z")) == "2025-12"
    assert paper_month(make_paper("guid:abc/2401xyz")) == "undated"
    assert paper_month(make_paper("guid:x", published="sometime")) == "undated"


def test_cache_round_trip_split_into_blocks(data_dir: Path) -> None:
    papers = [
        make_paper("2401.00001", authors=["Ada", "Bo"], categories=["cs.LG"], version=2,
                   links={"abs": "https://arxiv.org/abs/2401.00001"}, upvotes=3),
        make_paper("2402.00002", affiliations={"Ada": "Somewhere, Inc."}),
        make_paper("hep-th/9901001"),
        make_paper("doi:10.1000/xyz", published="2023-07-04T00:00:00Z"),
        make_paper("guid:feed-item-1"),
    ]
    cache = PaperCache(data_dir / "papers")
    blocks = ["1999-01/hep-th", "2023-07/other-0", "2024-01/0", "2024-02/0", "undated/other-0"]
    assert cache.save(papers) == blocks
    papers_dir = data_dir / "papers"
    assert sorted(str(p.relative_to(papers_dir)) for p in papers_dir.rglob("*.json")) == sorted(
        [f"{block}.json" for block in blocks] + [f"{block}.idx.json" for block in blocks]
    )
    loaded = PaperCache(papers_dir).load_all()
    assert loaded == {paper.id: paper for paper in papers}


def test_save_rewrites_only_touched_blocks(data_dir: Path) -> None:
    papers_dir = data_dir / "papers"
    cache = PaperCache(papers_dir)
    cache.save(arxiv_papers(90))
    before = file_stats_below(papers_dir)

    changed = make_paper("2402.00001", title="Revised title")
    added = make_paper("2402.00999")
    assert cache.save([changed, added]) == ["2024-02/0"]

    after = file_stats_below(papers_dir)
    changed_files = {name for name in after if after[name] != before.get(name)}
    assert changed_files == {"2024-02/0.json", "2024-02/0.json.bak", "2024-02/0.idx.json"}
    loaded = PaperCache(papers_dir).load_all()
    assert len(loaded) == 91
    assert loaded["2402.00001"].title == "Revised title"
    assert loaded["2401.00000"] == arxiv_papers(1)[0]


def test_paper_keeps_its_block(data_dir: Path) -> None:
    papers_dir = data_dir / "papers"
    PaperCache(papers_dir).save([make_paper("guid:item")])
    cache = PaperCache(papers_dir)
    cache.save([make_paper("guid:item", published="2024-05-01T00:00:00Z")])
    assert sorted(str(p.relative_to(papers_dir)) for p in papers_dir.rglob("*.json")) == [
        "undated/other-0.idx.json", "undated/other-0.json",
    ]
    assert PaperCache(papers_dir).load_all()["guid:item"].published == "2024-05-01T00:00:00Z"


def test_cache_get(data_dir: Path) -> None:
    papers_dir = data_dir / "papers"
    PaperCache(papers_dir).save(
        [make_paper("2401.00001"), make_paper("guid:a", published="2020-02-02T00:00:00Z")]
    )
    cache = PaperCache(papers_dir)
    assert cache.get("2401.00001").title == "Title 2401.00001"
    assert cache.get("guid:a").published == "2020-02-02T00:00:00Z"
    assert cache.get("2401.99999") is None
    assert cache.get("guid:missing") is None
    assert set(cache.get_many(["guid:a", "2401.00001", "2401.00002"])) == {"guid:a", "2401.00001"}


def _every_id(cache: PaperCache, how: str) -> set[str]:
    if how == "load_all":
        return set(cache.load_all())
    if how == "load_summaries":
        return set(cache.load_summaries())
    return {paper_id for chunk in cache.iter_abstracts() for paper_id in chunk}


@pytest.mark.parametrize("how", ["load_all", "load_summaries", "iter_abstracts"])
def test_damaged_blocks_are_repaired_or_skipped(data_dir: Path, how: str) -> None:
    papers_dir = data_dir / "papers"
    cache = PaperCache(papers_dir)
    cache.save(arxiv_papers(30))
    cache.save([make_paper("2401.00999")])  # 2024-01/0 now has a backup
    (papers_dir / "2024-01" / "0.json").write_text('{"papers": {')
    (papers_dir / "2024-02" / "0.json").write_text("[]")

    fresh = PaperCache(papers_dir)
    loaded = _every_id(fresh, how)
    assert len(loaded) == 20  # 2024-01 from its backup (10), 2024-03 intact (10)
    assert "2401.00999" not in loaded
    skipped, restored = fresh.messages  # newest blocks first
    assert restored.startswith("papers/2024-01/0.json was unreadable (not valid JSON")
    assert "restored the backup" in restored
    assert skipped.startswith(
        "papers/2024-02/0.json was unreadable (expected an object of tables, found list)"
    )
    assert "there is no backup, so it starts empty" in skipped
    assert len(list(papers_dir.rglob("*.corrupt-*"))) == 2
    # the indexes follow the repaired blocks
    assert set(PaperCache(papers_dir).load_summaries()) == loaded


def test_readonly_cache_refuses_to_save(data_dir: Path) -> None:
    with pytest.raises(StorageError, match="read-only"):
        PaperCache(data_dir / "papers", readonly=True).save([make_paper("2401.00001")])
    assert not (data_dir / "papers").exists()


# --- FeedMetaStore -------------------------------------------------------------


def test_feed_meta_round_trip(data_dir: Path) -> None:
    path = data_dir / "feeds.json"
    feeds = FeedMetaStore(path)
    assert feeds.get("https://rss.arxiv.org/rss/cs.LG").etag is None
    assert feeds.last_refresh() is None
    arxiv, other = "https://rss.arxiv.org/rss/cs.LG", "https://example.org/feed"
    counts = {"new": 3, "updated": 1, "total": 40}
    feeds.update(
        arxiv, etag='W/"1"', last_modified="Mon, 27 Apr 2026 04:00:00 GMT",
        last_attempt="2026-04-27T05:00:00Z", last_success="2026-04-27T05:00:00Z",
        last_status="ok", counts=counts,
    )
    feeds.update(
        other, last_attempt="2026-04-27T06:00:00Z", last_status="error",
        last_error="HTTP 503", retry_after_until="2026-04-27T07:00:00Z",
    )
    feeds.update(arxiv, last_status="not-modified")
    feeds.get(arxiv).counts["new"] = 99  # a copy

    reopened = FeedMetaStore(path)
    lg = reopened.get(arxiv)
    assert (lg.etag, lg.last_status, lg.counts) == ('W/"1"', "not-modified", counts)
    assert reopened.all()[other].last_error == "HTTP 503"
    assert reopened.last_refresh() == "2026-04-27T06:00:00Z"
    assert set(json.loads(path.read_text())["feeds"]) == {arxiv, other}


def test_feed_meta_rejects_unknown_fields_and_statuses(data_dir: Path) -> None:
    feeds = FeedMetaStore(data_dir / "feeds.json")
    with pytest.raises(TypeError, match="colour"):
        feeds.update("https://a", colour="red")
    with pytest.raises(ValueError, match="last_status"):
        feeds.update("https://a", last_status="fine")
    assert feeds.all() == {}


def test_feed_meta_of_many_feeds_is_one_write(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir / "feeds.json"
    feeds = FeedMetaStore(path)
    feeds.update("https://a", etag='"a0"')
    writes: list[Path] = []
    real_write = atomic.write_atomically

    def counted_write(target: Path, payload: bytes, *, backup: bool) -> None:
        writes.append(target)
        real_write(target, payload, backup=backup)

    monkeypatch.setattr(atomic, "write_atomically", counted_write)
    urls = [f"https://feed/{number}" for number in range(10)] + ["https://a"]
    updated = feeds.update_many({url: {"last_status": "ok", "counts": {"new": 1}} for url in urls})
    assert writes == [path]
    assert updated["https://a"].etag == '"a0"' and updated["https://a"].last_status == "ok"
    with pytest.raises(ValueError, match="last_status"):
        feeds.update_many({"https://b": {"last_status": "ok"}, "https://c": {"last_status": "fine"}})
    assert writes == [path] and "https://b" not in feeds.all(), "a refused change changes nothing"
    reopened = FeedMetaStore(path).all()
    assert set(reopened) == set(urls) and all(meta.counts == {"new": 1} for meta in reopened.values())


def test_damaged_feed_meta_starts_empty_with_message(data_dir: Path) -> None:
    (data_dir / "feeds.json").write_text("not json")
    feeds = FeedMetaStore(data_dir / "feeds.json")
    assert feeds.all() == {}
    assert feeds.open_messages[0].startswith("feeds.json was unreadable (not valid JSON")


# --- open_library_store --------------------------------------------------------


def test_open_library_store_creates_and_reopens(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "library"
    library = open_library_store(data_dir)
    assert data_dir.is_dir() and library.lock is not None and library.lock.held
    assert not library.readonly and library.messages == []
    library.state.set("2401.00001", PaperState(starred=True))
    library.cache.save([make_paper("2401.00001")])
    library.feeds.update("https://a", last_attempt="2026-01-01T00:00:00Z")
    library.close()

    again = open_library_store(data_dir)
    assert again.state.get("2401.00001").starred
    assert list(again.cache.load_all()) == ["2401.00001"]
    assert again.feeds.last_refresh() == "2026-01-01T00:00:00Z"
    again.close()


def test_library_messages_report_repairs(data_dir: Path) -> None:
    write_state_versions(data_dir / "state.json")
    (data_dir / "state.json").write_text("{")
    library = open_library_store(data_dir)
    assert len(library.messages) == 1 and "restored the backup" in library.messages[0]
    library.close()


def test_unwritable_directory_opens_read_only(data_dir: Path, restore_cwd) -> None:
    with StateStore(data_dir / "state.json") as store:
        store.set("2401.00001", PaperState(starred=True))

    def open_it() -> tuple[bool, list[str], bool, bool, str]:
        library = open_library_store(Path("data"))
        library.state.set("2401.00002", PaperState(read=True))
        try:
            library.state.flush()
            refused = "no error"
        except StorageError as error:
            refused = str(error)
        library.close()
        starred = library.state.get("2401.00001").starred
        return library.readonly, library.messages, library.lock is None, starred, refused

    data_dir.chmod(0o555)
    try:
        outcome = run_without_write_permission(data_dir.parent, open_it)
        readonly, messages, no_lock, starred, refused = outcome
    finally:
        data_dir.chmod(0o755)
    assert readonly and no_lock and starred
    assert messages == [
        "data is not writable (Permission denied); opened read-only, changes will not be saved"
    ]
    assert "read-only" in refused
    assert not (data_dir / "lock").exists()
    assert load(data_dir / "state.json", STATE_SCHEMA)["state"].keys() == {"2401.00001"}
    assert not (data_dir / "read").exists()
