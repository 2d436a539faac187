"""Edges of the storage layer that the broader tests in test_store.py and
test_cache_layout.py pass over: the exact recovery paths and messages of a
damaged file, the names of the copies kept aside, the summary index's own
checks, block names and record encoding, on real files in temporary
directories."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from paperread.store import CorruptFile, StorageError, atomic
from paperread.store.atomic import load_or_recover
from paperread.store.errors import LibraryLocked

GOOD = {"items": {"1": {"n": 1}}, "meta": {"1": {"schema": 1}}}
NEWER = {"items": {"1": {"n": 2}}, "meta": {"1": {"schema": 1}}}


def write_versions(path: Path) -> None:
    """GOOD in the backup, NEWER in the file, as two atomic writes leave them."""
    atomic.write_atomically(path, json.dumps(GOOD).encode(), backup=True)
    atomic.write_atomically(path, json.dumps(NEWER).encode(), backup=True)


def refuse_n_of_two(path: Path, data: dict[str, Any]) -> None:
    """A check that finds documents with n == 2 unusable."""
    if any(doc.get("n") == 2 for doc in data.get("items", {}).values()):
        raise CorruptFile(path, "n may not be 2")


def dead_pid() -> int:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True, text=True, check=True,
    )
    return int(finished.stdout)


STAMP = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC"


# --- atomic files: writing ------------------------------------------------------


def test_a_write_into_a_missing_directory_is_a_storage_error(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "state.json"
    with pytest.raises(StorageError) as caught:
        atomic.write_atomically(target, b"{}", backup=True)
    assert caught.value.path == target
    assert caught.value.reason == "No such file or directory"
    assert str(caught.value) == (
        f"could not save {target}: No such file or directory; the previous version is kept"
    )


def test_ensure_directory_names_the_directory_it_could_not_make(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    wanted = tmp_path / "file" / "sub" / "deeper"
    with pytest.raises(StorageError) as caught:
        atomic.ensure_directory(wanted)
    assert caught.value.path == wanted
    assert caught.value.reason == "File exists"  # the regular file where a directory belongs


def test_ensure_directory_makes_every_missing_parent(tmp_path: Path) -> None:
    wanted = tmp_path / "a" / "b" / "c"
    atomic.ensure_directory(wanted)
    atomic.ensure_directory(wanted)  # already there: nothing to do
    assert wanted.is_dir()


def test_backup_names_the_previous_version_and_temps_are_gone(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    write_versions(path)
    assert json.loads(path.read_text()) == NEWER
    assert json.loads(atomic.backup_path(path).read_text()) == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.json", "items.json.bak"]


def test_readonly_storage_refuses_to_write_and_says_why(tmp_path: Path) -> None:
    storage = atomic.AtomicJSONStorage(tmp_path / "items.json", readonly=True)
    with pytest.raises(StorageError) as caught:
        storage.write({"items": {}})
    assert caught.value.reason == "the library was opened read-only"
    assert not (tmp_path / "items.json").exists()


def test_temp_files_of_dead_writers_are_removed_in_subdirectories(tmp_path: Path) -> None:
    nested = tmp_path / "read" / "2024-01"
    nested.mkdir(parents=True)
    stale = nested / f".0.json.new.{dead_pid()}-0badc0de.tmp"
    live = nested / f".0.json.new.{os.getpid()}-00000000.tmp"
    other = nested / "notes.txt"
    for path in (stale, live, other):
        path.write_text("x")
    atomic.remove_stale_temps_below(tmp_path)
    assert not stale.exists()
    assert live.exists() and other.exists()
    atomic.remove_stale_temps_below(tmp_path / "missing")  # no directory: nothing to do


# --- atomic files: reading --------------------------------------------------------


def test_a_meta_document_without_schema_does_not_hide_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_text(json.dumps({"meta": {"1": {"note": "x"}, "2": {"schema": 9}}}))
    with pytest.raises(atomic.FutureSchema):
        atomic.load(path, 1)


def test_an_empty_file_without_backup_is_new_and_left_in_place(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_bytes(b"")
    assert load_or_recover(path, schema=1, readonly=False, required=True) == (None, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.json"]


def test_restoring_the_backup_keeps_the_backup_good(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    write_versions(path)
    path.write_text("{oops")
    data, [message] = load_or_recover(path, schema=1, readonly=False, required=True)
    assert data == GOOD
    [aside] = tmp_path.glob("items.json.corrupt-*")
    assert re.fullmatch(r"items\.json\.corrupt-\d{8}T\d{6}Z", aside.name)
    assert aside.read_text() == "{oops"
    assert json.loads(path.read_text()) == GOOD
    assert json.loads(atomic.backup_path(path).read_text()) == GOOD
    assert re.fullmatch(
        rf"items\.json was unreadable \(not valid JSON: .*\); moved it to {re.escape(str(aside))};"
        rf" restored the backup from {STAMP}",
        message,
    )


def test_the_check_applies_to_the_backup_too(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    atomic.write_atomically(path, json.dumps(NEWER).encode(), backup=True)
    atomic.write_atomically(path, b"{oops", backup=True)  # NEWER is now the backup
    with pytest.raises(CorruptFile) as caught:
        load_or_recover(path, schema=1, readonly=False, required=True, check=refuse_n_of_two)
    assert "the backup is unusable too (n may not be 2)" in str(caught.value)
    assert "so nothing was restored" in str(caught.value)


def test_a_missing_file_is_not_restored_from_a_backup_the_check_refuses(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    write_versions(path)
    atomic.write_atomically(path, json.dumps(NEWER).encode(), backup=True)  # backup: NEWER
    path.unlink()
    assert load_or_recover(
        path, schema=1, readonly=False, required=False, check=refuse_n_of_two
    ) == (None, [])
    assert not path.exists()


def test_a_restored_missing_file_keeps_the_backup(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    write_versions(path)
    path.unlink()
    data, [message] = load_or_recover(path, schema=1, readonly=False, required=False)
    assert data == GOOD
    assert re.fullmatch(rf"items\.json was missing; restored its backup from {STAMP}", message)
    assert json.loads(path.read_text()) == GOOD
    assert json.loads(atomic.backup_path(path).read_text()) == GOOD


def test_read_only_damage_with_an_empty_backup_is_refused_with_both_reasons(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    write_versions(path)
    atomic.backup_path(path).write_bytes(b"")
    path.write_text("[1]")
    with pytest.raises(CorruptFile) as caught:
        load_or_recover(path, schema=1, readonly=True, required=True)
    assert caught.value.path == path
    assert caught.value.reason == "expected an object of tables, found list"
    assert caught.value.detail == "the backup is empty; read-only: no file was changed"
    assert path.read_text() == "[1]"


def test_read_only_damage_shows_the_backup_and_its_time(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    write_versions(path)
    path.write_text("[1]")
    data, [message] = load_or_recover(path, schema=1, readonly=True, required=True, label="x/items")
    assert data == GOOD
    assert re.fullmatch(
        r"x/items is unreadable \(expected an object of tables, found list\); showing the backup"
        rf" from {STAMP} \(read-only: no file was changed\)",
        message,
    )


def test_backup_times_are_told_in_utc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kathmandu")  # UTC+05:45 all year
    time.tzset()
    try:
        path = tmp_path / "items.json"
        write_versions(path)
        moment = 1_700_000_000  # 2023-11-14 22:13:20 UTC
        os.utime(atomic.backup_path(path), (moment, moment))
        path.unlink()
        _, [message] = load_or_recover(path, schema=1, readonly=True, required=False)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert message == "items.json is missing; showing its backup from 2023-11-14 22:13:20 UTC (read-only)"


def test_copies_kept_aside_are_stamped_in_utc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    try:
        before = datetime.now(timezone.utc).replace(microsecond=0)
        name = atomic._aside_name(tmp_path / "items.json").name
        after = datetime.now(timezone.utc)
    finally:
        monkeypatch.undo()
        time.tzset()
    stamp = datetime.strptime(name.removeprefix("items.json.corrupt-"), "%Y%m%dT%H%M%SZ")
    assert before <= stamp.replace(tzinfo=timezone.utc) <= after


def test_a_temp_file_of_another_users_live_process_is_kept(tmp_path: Path) -> None:
    """As a user who may not signal the writer, the writer still counts as alive."""
    if os.geteuid() != 0:
        assert atomic._pid_alive(1)  # init: alive, and not ours to signal
        return
    assert atomic._pid_alive(os.getpid())
    pid = os.fork()
    if pid == 0:  # child: drop to nobody and ask about init
        try:
            os.setgid(65534)
            os.setuid(65534)
            os._exit(0 if atomic._pid_alive(1) else 1)
        finally:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_copies_kept_aside_in_one_second_get_numbers(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    base = atomic._aside_name(path)
    base.write_text("first")
    second = atomic._aside_name(path)
    assert second.name == base.name + "-2"
    second.write_text("second")
    assert atomic._aside_name(path).name == base.name + "-3"


def test_damage_without_backup_names_the_copy_and_then_refuses_to_start_empty(
    tmp_path: Path,
) -> None:
    path = tmp_path / "items.json"
    path.write_text("{oops")
    with pytest.raises(CorruptFile) as caught:
        load_or_recover(path, schema=1, readonly=False, required=True)
    [aside] = tmp_path.glob("items.json.corrupt-*")
    assert caught.value.path == path
    assert caught.value.detail == f"moved it to {aside}; there is no backup, so nothing was restored"
    with pytest.raises(CorruptFile) as again:
        load_or_recover(path, schema=1, readonly=False, required=True)
    assert again.value.path == path
    assert again.value.reason == f"it was damaged and kept aside as {aside}, with no backup to restore"
    assert again.value.detail == f"move that file out of {tmp_path} to start with an empty items.json"


def test_two_copies_kept_aside_are_both_named(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    first = tmp_path / "items.json.corrupt-20260101T000000Z"
    second = tmp_path / "items.json.corrupt-20260102T000000Z"
    first.write_text("x")
    second.write_text("y")
    with pytest.raises(CorruptFile) as caught:
        load_or_recover(path, schema=1, readonly=False, required=True)
    assert caught.value.reason == (
        f"it was damaged and kept aside as {first}, {second}, with no backup to restore"
    )
    assert caught.value.detail == f"move those files out of {tmp_path} to start with an empty items.json"


def test_damage_of_an_optional_file_starts_it_empty_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    atomic.write_atomically(path, json.dumps(GOOD).encode(), backup=False)
    atomic.backup_path(path).write_text("{also broken")
    path.write_text("{oops")
    data, [message] = load_or_recover(path, schema=1, readonly=False, required=False)
    [aside] = tmp_path.glob("items.json.corrupt-*")
    assert data is None
    assert re.fullmatch(
        rf"items\.json was unreadable \(not valid JSON: .+\); moved it to {re.escape(str(aside))};"
        r" the backup is unusable too \(not valid JSON: .+\), so it starts empty",
        message,
    )
    assert not path.exists()


def test_read_only_damage_of_an_optional_file_is_ignored_and_said(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_text("[1]")
    data, [message] = load_or_recover(path, schema=1, readonly=True, required=False)
    assert data is None
    assert message == (
        "items.json is unreadable (expected an object of tables, found list) and there is no"
        " backup; ignored it (read-only)"
    )
    assert path.read_text() == "[1]"


# --- errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pid", "since", "holder"),
    [
        (None, None, "another paperread process"),
        (42, None, "paperread (pid 42)"),
        (42, "2026-05-01 10:00", "paperread (pid 42, since 2026-05-01 10:00)"),
    ],
)
def test_library_locked_names_the_holder(pid: int | None, since: str | None, holder: str) -> None:
    error = LibraryLocked("/data/lib", pid, since)
    assert (error.data_dir, error.pid, error.since) == (Path("/data/lib"), pid, since)
    assert error.in_use == f"the library in /data/lib is in use by {holder}"
    assert str(error) == f"the library in /data/lib is in use by {holder}; close it first or use --readonly"


def test_corrupt_file_without_detail_is_one_sentence(tmp_path: Path) -> None:
    error = CorruptFile(tmp_path / "x.json", "not valid JSON")
    assert (error.path, error.reason, error.detail) == (tmp_path / "x.json", "not valid JSON", "")
    assert str(error) == f"{tmp_path / 'x.json'} is unreadable (not valid JSON)"


def test_future_schema_says_what_to_do(tmp_path: Path) -> None:
    error = atomic.FutureSchema(tmp_path / "x.json", 3, 2)
    assert error.path == tmp_path / "x.json"
    assert error.reason == "written by a newer paperread: schema 3, this version reads up to 2"
    assert error.detail == "upgrade paperread to use it"
    assert str(error) == (
        f"{tmp_path / 'x.json'} is unreadable (written by a newer paperread: schema 3,"
        " this version reads up to 2); upgrade paperread to use it"
    )


# --- the lock file's holder ---------------------------------------------------------


def held_with(data_dir: Path, content: bytes) -> int:
    """Hold the flock of ``data_dir``'s lock through a descriptor of our own
    (a flock belongs to one open file, so the store's own open conflicts),
    the file holding ``content``."""
    import fcntl

    fd = os.open(data_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.pwrite(fd, content, 0)
    return fd


@pytest.mark.parametrize(
    ("content", "pid", "since"),
    [
        (b'{"pid": 4242, "since": "2026-05-01T10:00:00Z"}', 4242, "2026-05-01T10:00:00Z"),
        (b'{"pid": "4242", "since": 5}', None, None),
        (b'{"pid": 4242, "since": ["x"]}', 4242, None),
        (b"", None, None),
        (b"[1, 2]", None, None),
    ],
)
def test_a_locked_library_names_only_a_well_formed_holder(
    tmp_path: Path, content: bytes, pid: int | None, since: str | None
) -> None:
    from paperread.store import LibraryLock

    fd = held_with(tmp_path, content)
    try:
        with pytest.raises(LibraryLocked) as caught:
            LibraryLock(tmp_path).acquire()
    finally:
        os.close(fd)
    assert (caught.value.data_dir, caught.value.pid, caught.value.since) == (tmp_path, pid, since)


# --- state and feed metadata ----------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"read": "yes"}, "'read' of paper '2401.00001' is not true/false: 'yes'"),
        ({"starred": 1}, "'starred' of paper '2401.00001' is not true/false: 1"),
        ({"tags": "later"}, "'tags' of paper '2401.00001' is not a list of strings: 'later'"),
        ({"tags": ["ok", 3]}, "'tags' of paper '2401.00001' is not a list of strings: ['ok', 3]"),
        ({"starred_at": 17}, "'starred_at' of paper '2401.00001' is not a time: 17"),
        ({"dismissed": "no"}, "'dismissed' of paper '2401.00001' is not true/false: 'no'"),
        ({"dismissed": None}, "'dismissed' of paper '2401.00001' is not true/false: None"),
        ({"dismissed_at": 1.5}, "'dismissed_at' of paper '2401.00001' is not a time: 1.5"),
    ],
)
def test_state_fields_of_the_wrong_type_are_named(
    tmp_path: Path, document: dict[str, Any], problem: str
) -> None:
    from paperread.store.state import SCHEMA, check_states

    data = {"state": {"2401.00001": document}, "meta": {"1": {"schema": SCHEMA}}}
    with pytest.raises(CorruptFile) as caught:
        check_states(tmp_path / "state.json", data)
    assert caught.value.reason == problem


def test_state_fields_of_the_right_type_pass(tmp_path: Path) -> None:
    from paperread.store.state import check_states

    good = {"read": True, "starred": False, "tags": ["a", "b"], "tags_at": None, "read_at": "2026-05-01",
            "dismissed": True, "dismissed_at": None, "future_field": {"any": "thing"}}  # fmt: skip
    check_states(tmp_path / "state.json", {"state": {"2401.00001": good}, "read": {"2401.00002": good}})


def test_feed_metadata_knows_its_url(tmp_path: Path) -> None:
    from paperread.store import FeedMetaStore

    store = FeedMetaStore(tmp_path / "feeds.json")
    url = "https://example.org/feed"
    updated = store.update_many({url: {"last_status": "ok"}})
    assert updated[url].url == url
    assert store.get(url).url == url
    assert store.get("https://example.org/other").url == "https://example.org/other"
    assert [meta.url for meta in store.all().values()] == [url]
    with pytest.raises(TypeError) as caught:
        store.update_many({url: {"colour": 1, "size": 2}})
    assert str(caught.value) == "unknown feed metadata fields: colour, size"
    store.close()


def test_a_read_only_storage_leaves_other_writers_temps_alone(tmp_path: Path) -> None:
    stale = tmp_path / f".items.json.new.{dead_pid()}-0badc0de.tmp"
    stale.write_text("half")
    atomic.AtomicJSONStorage(tmp_path / "items.json", readonly=True)
    assert stale.exists()
    atomic.AtomicJSONStorage(tmp_path / "items.json")
    assert not stale.exists()


def test_a_lock_file_that_cannot_be_opened_says_why(tmp_path: Path) -> None:
    from paperread.store import LibraryLock, StoreError

    missing = tmp_path / "missing"
    with pytest.raises(StoreError) as caught:
        LibraryLock(missing).acquire()
    assert str(caught.value) == f"cannot open the lock file {missing / 'lock'}: No such file or directory"


def test_a_holder_that_writes_its_pid_a_moment_late_is_named(tmp_path: Path) -> None:
    import threading

    from paperread.store import LibraryLock

    fd = held_with(tmp_path, b"")
    late = threading.Timer(0.05, lambda: os.pwrite(fd, b'{"pid": 4242, "since": "now"}', 0))
    late.start()
    try:
        with pytest.raises(LibraryLocked) as caught:
            LibraryLock(tmp_path).acquire()
    finally:
        late.join()
        os.close(fd)
    assert (caught.value.pid, caught.value.since) == (4242, "now")


# --- records -----------------------------------------------------------------------------


def test_a_record_from_a_newer_version_reads_without_its_unknown_fields() -> None:
    from paperread.store.records import compact_document, from_document

    document = {"title": "T", "abstract": "A", "colour": "red", "upvotes": 3}
    paper = from_document("2401.00001", document)
    assert (paper.id, paper.title, paper.abstract, paper.upvotes) == ("2401.00001", "T", "A", 3)
    assert compact_document(document) == {"title": "T", "abstract": "A", "upvotes": 3}


# --- the state store ------------------------------------------------------------------------


def test_a_state_file_with_a_field_of_the_wrong_type_is_restored_from_its_backup(tmp_path: Path) -> None:
    from paperread.model import PaperState
    from paperread.store import StateStore

    path = tmp_path / "state.json"
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(starred=True))
        store.flush()
        store.set("2401.00002", PaperState(starred=True))
    data = json.loads(path.read_text())
    data["state"]["2401.00002"]["starred"] = "yes"
    path.write_text(json.dumps(data))
    store = StateStore(path)
    assert set(store.all()) == {"2401.00001"}
    assert "'starred' of paper '2401.00002' is not true/false" in store.open_messages[0]
    store.close()


def file_bytes(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_a_read_only_state_store_writes_no_file(tmp_path: Path) -> None:
    from paperread.model import PaperState
    from paperread.store import StateStore

    path = tmp_path / "state.json"
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(read=True, starred=True))
        store.flush()
        store.set("2401.00002", PaperState(read=True))
    block = tmp_path / "read" / "2024-01" / "0.json"
    block.write_text("{damaged")
    before = file_bytes(tmp_path)

    readonly = StateStore(path, readonly=True)
    assert readonly.get("2401.00001") == PaperState(read=True, starred=True)
    assert "read-only" in readonly.open_messages[0]
    for change in ({"2401.00003": PaperState(starred=True)}, {"2401.00004": PaperState(read=True)}):
        readonly.set_many(change)
        with pytest.raises(StorageError):
            readonly.flush()
    readonly.close()
    assert file_bytes(tmp_path) == before


def test_read_flags_are_written_to_their_block_with_its_schema(tmp_path: Path) -> None:
    from paperread.model import PaperState
    from paperread.store import StateStore
    from paperread.store.state import READ_SCHEMA

    path = tmp_path / "state.json"
    block_path = tmp_path / "read" / "2024-01" / "0.json"
    with StateStore(path) as store:
        store.set("2401.00001", PaperState(read=True))
    assert json.loads(block_path.read_text())["meta"] == {"1": {"schema": READ_SCHEMA}}
    with StateStore(path) as store:  # the block exists now: change it
        store.set("2401.00002", PaperState(read=True))
    block = json.loads(block_path.read_text())
    assert set(block["read"]) == {"2401.00001", "2401.00002"}
    assert block["meta"] == {"1": {"schema": READ_SCHEMA}}
    assert [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.json")] == ["read/2024-01/0.json"]


@pytest.mark.parametrize(
    ("record", "state"),
    [
        ({"read": True}, {"read": True}),
        ({"read_at": "2026-05-01T10:00:00Z", "starred": True}, {"read_at": "2026-05-01T10:00:00Z", "starred": True}),
    ],
)
def test_read_flags_of_an_old_state_file_move_to_read_blocks(
    tmp_path: Path, record: dict[str, Any], state: dict[str, Any]
) -> None:
    from paperread.model import PaperState
    from paperread.store import StateStore

    path = tmp_path / "state.json"
    path.write_text(json.dumps({"state": {"2401.00001": record}, "meta": {"1": {"schema": 1}}}))
    with StateStore(path) as store:
        assert store.get("2401.00001") == PaperState(**state)
    assert StateStore(path, readonly=True).get("2401.00001") == PaperState(**state)


# --- feed metadata -------------------------------------------------------------------------


def test_a_new_feed_file_carries_its_schema_and_is_written_once(tmp_path: Path) -> None:
    from paperread.store import FeedMetaStore
    from paperread.store.feedmeta import SCHEMA

    path = tmp_path / "feeds.json"
    store = FeedMetaStore(path)
    store.update("https://example.org/feed", last_status="ok")
    assert json.loads(path.read_text())["meta"] == {"1": {"schema": SCHEMA}}
    written = path.stat().st_ino
    store.close()
    assert path.stat().st_ino == written


def test_a_damaged_feed_file_read_only_and_without_backup_reads_as_empty(tmp_path: Path) -> None:
    from paperread.store import FeedMetaStore

    path = tmp_path / "feeds.json"
    path.write_text("[1]")
    store = FeedMetaStore(path, readonly=True)
    assert store.all() == {}
    assert store.open_messages == [
        "feeds.json is unreadable (expected an object of tables, found list) and there is no"
        " backup; ignored it (read-only)"
    ]
    assert path.read_text() == "[1]"


# --- the library -----------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_a_directory_no_one_may_write_opens_read_only() -> None:
    from paperread.store import open_library_store

    library = open_library_store(Path("/proc/self"))  # not even root may create files there
    assert library.readonly and library.lock is None
    assert library.messages == [
        "/proc/self is not writable (No such file or directory); opened read-only,"
        " changes will not be saved"
    ]
    library.close()


def test_a_library_opened_read_only_refuses_every_write(tmp_path: Path) -> None:
    from paperread.model import Paper, PaperState
    from paperread.store import open_library_store

    writable = open_library_store(tmp_path)
    writable.state.set("2401.00001", PaperState(starred=True))
    writable.cache.save([Paper(id="2401.00001", title="T")])
    writable.feeds.update("https://example.org/feed", last_status="ok")
    writable.close()
    before = file_bytes(tmp_path)

    library = open_library_store(tmp_path, readonly=True)
    assert library.readonly and library.lock is None
    library.state.set("2401.00002", PaperState(starred=True))
    with pytest.raises(StorageError):
        library.state.flush()
    with pytest.raises(StorageError):
        library.feeds.update("https://example.org/feed", last_status="error")
    with pytest.raises(StorageError):
        library.cache.save([Paper(id="2401.00002", title="U")])
    library.close()
    assert file_bytes(tmp_path) == before


# --- the paper cache ---------------------------------------------------------------------------


def test_a_paper_without_arxiv_id_is_found_in_the_session_that_saved_it(tmp_path: Path) -> None:
    from paperread.model import Paper
    from paperread.store import PaperCache

    cache = PaperCache(tmp_path / "papers")
    paper = Paper(id="doi:10.1000/x", title="T", published="2025-04-01T00:00:00Z")
    cache.save([paper])
    cache.save([paper])
    assert cache.get("doi:10.1000/x") == paper
    assert list(tmp_path.joinpath("papers").rglob("other-*[0-9].json")) == [
        tmp_path / "papers" / "2025-04" / "other-0.json"
    ]


def test_saving_a_paper_again_does_not_count_it_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paperread.model import Paper
    from paperread.store import PaperCache
    from paperread.store import cache as cache_module

    monkeypatch.setattr(cache_module, "OTHER_BLOCK_LIMIT", 2)
    cache = PaperCache(tmp_path / "papers")
    first = Paper(id="doi:10.1000/x", title="T", published="2025-04-01T00:00:00Z")
    second = Paper(id="doi:10.1000/y", title="U", published="2025-04-02T00:00:00Z")
    assert cache.save([first, first, second]) == ["2025-04/other-0"]  # two papers: room for both
    assert cache.save([first, second]) == ["2025-04/other-0"]


def write_month(papers_dir: Path, month: str, documents: dict[str, Any], backup: bool = True) -> Path:
    papers_dir.mkdir(parents=True, exist_ok=True)
    path = papers_dir / f"{month}.json"
    if backup:
        atomic.backup_path(path).write_bytes(atomic.encode({"papers": documents}, 1))
    path.write_bytes(atomic.encode({"papers": documents}, 1))
    return path


def test_a_read_only_cache_of_month_files_gets_only_the_wanted_papers(tmp_path: Path) -> None:
    from paperread.store import PaperCache

    papers_dir = tmp_path / "papers"
    write_month(papers_dir, "2025-04", {f"guid:{n}": {"title": f"T{n}"} for n in range(3)})
    cache = PaperCache(papers_dir, readonly=True)
    assert list(cache.get_many(["guid:1"])) == ["guid:1"]
    assert cache.get("guid:2").title == "T2"


def test_month_files_move_into_blocks_however_they_were_left(tmp_path: Path) -> None:
    from paperread.store import PaperCache

    papers_dir = tmp_path / "papers"
    write_month(papers_dir, "2025-03", {"guid:a": {"title": "A"}}, backup=False)
    write_month(papers_dir, "2025-04", {}, backup=False)
    (papers_dir / "2025-04.json").write_bytes(atomic.encode({}, 1))  # no papers table at all
    damaged = write_month(papers_dir, "2025-05", {"guid:b": {"title": "B"}})
    damaged.write_text("{oops")
    cache = PaperCache(papers_dir)
    [aside] = papers_dir.glob("2025-05.json.corrupt-*")
    assert sorted(cache.load_all()) == ["guid:a", "guid:b"]
    assert len(cache.messages) == 1
    assert re.fullmatch(
        rf"papers/2025-05\.json was unreadable \(not valid JSON: .+\);"
        rf" moved it to {re.escape(str(aside))}; restored the backup from {STAMP}",
        cache.messages[0],
    )
    assert [path.name for path in papers_dir.glob("2025-0?.json*")] == [aside.name]


def test_moved_papers_without_arxiv_id_fill_blocks_to_their_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperread.store import PaperCache
    from paperread.store import cache as cache_module

    monkeypatch.setattr(cache_module, "OTHER_BLOCK_LIMIT", 2)
    papers_dir = tmp_path / "papers"
    write_month(papers_dir, "2025-04", {f"guid:{n}": {"title": f"T{n}"} for n in range(5)})
    cache = PaperCache(papers_dir)
    assert cache.get("guid:4").title == "T4"
    sizes = {
        str(path.relative_to(papers_dir)): len(json.loads(path.read_text())["papers"])
        for path in sorted(papers_dir.rglob("other-*[0-9].json"))
    }
    assert sizes == {"2025-04/other-0.json": 2, "2025-04/other-1.json": 2, "2025-04/other-2.json": 1}


def test_backups_are_copied_where_hard_links_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: Any, target: Any) -> None:
        raise PermissionError(1, "Operation not permitted")  # as on file systems without hard links

    path = tmp_path / "items.json"
    atomic.write_atomically(path, json.dumps(GOOD).encode(), backup=True)
    monkeypatch.setattr(atomic.os, "link", no_links)
    atomic.write_atomically(path, json.dumps(NEWER).encode(), backup=True)
    assert json.loads(atomic.backup_path(path).read_text()) == GOOD
    assert json.loads(path.read_text()) == NEWER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.json", "items.json.bak"]


def test_block_files_carry_the_cache_schema(tmp_path: Path) -> None:
    from paperread.model import Paper
    from paperread.store import PaperCache
    from paperread.store.cache import SCHEMA

    PaperCache(tmp_path).save([Paper(id="2401.00001", title="T", raw_title="T")])
    block = json.loads((tmp_path / "2024-01" / "0.json").read_text())
    assert block == {"papers": {"2401.00001": {"title": "T"}}, "meta": {"1": {"schema": SCHEMA}}}


# --- block names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("12.json", "12"),
        ("12.json.bak", "12"),
        ("12.json.corrupt-20260101T000000Z", "12"),
        ("other-3.json.bak", "other-3"),
        ("12.idx.json", None),
        ("12.json.BAK", None),
        (".12.json.new.4242-0badc0de.tmp", None),
        ("notes.txt", None),
    ],
)
def test_block_stems(name: str, stem: str | None) -> None:
    from paperread.store.blocks import block_stem

    assert block_stem(name) == stem


def test_only_month_directories_hold_blocks(tmp_path: Path) -> None:
    from paperread.store.blocks import list_blocks

    (tmp_path / "2025-04").mkdir()
    (tmp_path / "2025-04" / "3.json").write_text("{}")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "1.json").write_text("{}")
    (tmp_path / "2025-05").write_text("a file named like a month")
    assert list_blocks(tmp_path) == ["2025-04/3"]


def test_blocks_of_one_month_sort_numbered_then_other_then_archives() -> None:
    from paperread.store.blocks import newest_first

    blocks = ["1991-08/hep-th", "1991-08/other-0", "1991-08/other-1", "1991-08/3", "1991-08/12", "undated/other-0"]
    assert sorted(blocks, key=newest_first, reverse=True) == [
        "1991-08/12", "1991-08/3", "1991-08/other-1", "1991-08/other-0", "1991-08/hep-th", "undated/other-0",
    ]


# --- summary indexes ------------------------------------------------------------------------


def test_summary_index_shares_repeated_values_and_decodes_back() -> None:
    from paperread.model import Paper
    from paperread.store import summaries
    from paperread.store.records import to_document

    papers = [
        Paper(id="2401.00001", title="A", categories=["cs.LG", "stat.ML"], feeds=["f1"], announced="2026-01-02"),
        Paper(id="2401.00002", title="B", categories=["cs.LG", "stat.ML"], feeds=["f2"], announced="2026-01-02"),
        Paper(id="2401.00003", title="C", categories=["cs.CL"], feeds=["f1"], announced="2026-01-03"),
    ]
    index = summaries.build({paper.id: to_document(paper) for paper in papers}, [1, 2, 3])
    columns = index["columns"]
    assert index["source"] == [1, 2, 3]
    assert columns["title"] == {"v": ["A", "B", "C"]}
    assert columns["announce_type"] == {"c": None}
    table = index["table"]
    assert sorted(map(str, table)) == sorted(map(str, [["cs.LG", "stat.ML"], ["cs.CL"], ["f1"], ["f2"], "2026-01-02", "2026-01-03"]))
    assert [table[ref] for ref in columns["categories"]["t"]] == [["cs.LG", "stat.ML"], ["cs.LG", "stat.ML"], ["cs.CL"]]
    summaries.check(index, [1, 2, 3])
    decoded = dict(summaries.decode(index))
    for paper in papers:
        assert decoded[paper.id] == Paper(
            **{**paper.to_dict(), "abstract": "", "raw_title": "", "raw_abstract": ""}
        )
    decoded["2401.00001"].categories.append("x")  # lists are the paper's own
    assert decoded["2401.00002"].categories == ["cs.LG", "stat.ML"]


def test_summary_of_a_record_without_title_has_an_empty_title() -> None:
    from paperread.store import summaries

    index = summaries.build({"2401.00001": {}, "2401.00002": {"title": "B"}}, [])
    assert [paper.title for _, paper in summaries.decode(index)] == ["", "B"]


def test_a_backup_that_cannot_be_read_is_named_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    atomic.backup_path(path).mkdir()  # a directory where the backup belongs
    path.write_text("{oops")
    data, [message] = load_or_recover(path, schema=1, readonly=False, required=False)
    assert data is None
    assert message.endswith(
        f"; the backup is unusable too (cannot read {atomic.backup_path(path)}: Is a directory),"
        " so it starts empty"
    )


def test_a_damaged_file_that_cannot_be_moved_aside_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: Any, target: Any) -> None:
        raise OSError(30, "Read-only file system")

    path = tmp_path / "items.json"
    path.write_text("{oops")
    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(CorruptFile) as caught:
        load_or_recover(path, schema=1, readonly=False, required=False)
    assert caught.value.path == path
    assert caught.value.reason.startswith("not valid JSON")
    assert caught.value.detail == "there is no backup, and moving it aside failed: Read-only file system"
    assert path.read_text() == "{oops"


@pytest.mark.parametrize(
    ("paper_id", "block"),
    [
        ("2401.00001", "2024-01/0"),
        ("2401.12345", "2024-01/12"),
        ("0704.0001", "2007-04/0"),
        ("hep-th/9901001", "1999-01/hep-th"),
        ("math.GT/0309136", "2003-09/math.GT"),
        ("hep-th/9913001", None),
        ("hep-th/0013001", None),
        ("2413.00001", None),
        ("doi:10.1000/x", None),
    ],
)
def test_arxiv_blocks(paper_id: str, block: str | None) -> None:
    from paperread.store.blocks import arxiv_block

    assert arxiv_block(paper_id) == block


def test_json_the_fast_encoder_refuses_is_still_compact() -> None:
    from paperread.store import jsonio

    data = {"a": ["\ud800 lone surrogate", 2**70], "b": {"c": 1}}
    encoded = jsonio.dumps(data)
    assert encoded == b'{"a":["\\ud800 lone surrogate",1180591620717411303424],"b":{"c":1}}'
    assert jsonio.loads(encoded) == data
