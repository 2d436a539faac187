"""The library lock against real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperread.model import PaperState
from paperread.store import CorruptFile, LibraryLock, LibraryLocked, open_library_store
from tests.conftest import REPO_ROOT

HOLDER = """
import sys
from pathlib import Path
from paperread.store import LibraryLock
LibraryLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def holder(data_dir: Path) -> Iterator[subprocess.Popen]:
    """A separate process holding the lock on ``data_dir`` until killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert process.stdout.readline() == "held\n"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def test_acquire_writes_holder_and_release_clears(data_dir: Path) -> None:
    lock = LibraryLock(data_dir)
    lock.acquire()
    holder = json.loads((data_dir / "lock").read_text())
    assert holder["pid"] == os.getpid()
    assert holder["since"].endswith("Z")
    lock.release()
    assert not lock.held
    assert (data_dir / "lock").read_text() == ""
    with LibraryLock(data_dir) as again:
        assert again.held


def test_second_lock_in_same_process_is_refused(data_dir: Path) -> None:
    with LibraryLock(data_dir):
        with pytest.raises(LibraryLocked) as caught:
            LibraryLock(data_dir).acquire()
    assert caught.value.pid == os.getpid()


def test_lock_held_by_another_process_names_its_pid(
    data_dir: Path, holder: subprocess.Popen
) -> None:
    with pytest.raises(LibraryLocked) as caught:
        LibraryLock(data_dir).acquire()
    assert caught.value.pid == holder.pid
    message = str(caught.value)
    expected_start = f"the library in {data_dir} is in use by paperread (pid {holder.pid}, since "
    assert message.startswith(expected_start)
    assert message.endswith("; close it first or use --readonly")


def test_lock_of_killed_holder_vanishes(data_dir: Path, holder: subprocess.Popen) -> None:
    with pytest.raises(LibraryLocked):
        LibraryLock(data_dir).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    # the dead holder's pid is still written in the file; the flock is gone
    assert json.loads((data_dir / "lock").read_text())["pid"] == holder.pid
    with LibraryLock(data_dir) as lock:
        assert lock.held
        assert json.loads((data_dir / "lock").read_text())["pid"] == os.getpid()


def test_library_open_while_locked(data_dir: Path, holder: subprocess.Popen) -> None:
    with pytest.raises(LibraryLocked, match=f"pid {holder.pid}"):
        open_library_store(data_dir)
    reader = open_library_store(data_dir, readonly=True)
    assert reader.lock is None and reader.readonly
    assert reader.state.get("2401.00001") == PaperState()
    reader.close()


def test_failed_open_releases_the_lock(data_dir: Path) -> None:
    (data_dir / "state.json").write_text("{broken")
    with pytest.raises(CorruptFile, match="state.json"):
        open_library_store(data_dir)
    with LibraryLock(data_dir) as lock:
        assert lock.held


def test_unknown_holder_is_described_without_pid(data_dir: Path) -> None:
    with LibraryLock(data_dir) as lock:
        (data_dir / "lock").write_text("")  # as if the holder had not written yet
        with pytest.raises(LibraryLocked) as caught:
            LibraryLock(data_dir).acquire()
        assert lock.held
    assert caught.value.pid is None
    assert "in use by another paperread process" in str(caught.value)
