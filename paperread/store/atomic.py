"""Crash-safe JSON files for TinyDB.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write
leaves a damaged or half-empty file. Here every write goes to a temporary file
in the same directory, is fsynced, and replaces the old file with
``os.replace``; the directory is fsynced afterwards. Before the replace, the
current file is hard-linked to ``<name>.bak``: the link points at the old,
complete inode (files are never modified in place), so the backup is always a
whole file too.

Every file carries a ``meta`` table holding ``{"schema": N}``; reading checks
the shape and refuses files from a newer schema.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tinydb import Storage

from . import jsonio
from .errors import CorruptFile, FutureSchema, StorageError, StoreError

Tables = dict[str, dict[str, Any]]
Check = Callable[[Path, Tables], None]

META_TABLE = "meta"
BACKUP_SUFFIX = ".bak"


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def _temp_name(path: Path, kind: str) -> Path:
    """A unique sibling name; the pid lets a later run remove leftovers of a
    killed process (see ``remove_stale_temps``)."""
    return path.with_name(f".{path.name}.{kind}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _discard(temp: Path) -> None:
    """Remove a temporary file if it can be. On a read-only file system even
    a missing one gives EROFS, which must not replace the error being
    handled; a leftover is removed by a later ``remove_stale_temps``."""
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)


def _remove_if_stale(temp: Path) -> None:
    pid_part = temp.name.rsplit(".", 2)[-2].split("-", 1)[0]
    if pid_part.isdigit() and not _pid_alive(int(pid_part)):
        _discard(temp)


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files that a killed writer of ``path`` left behind."""
    for temp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        _remove_if_stale(temp)


def remove_stale_temps_below(root: Path) -> None:
    """Delete the temporary files of killed writers anywhere in ``root`` and
    its subdirectories (for stores made of many files)."""
    if root.is_dir():
        for temp in root.rglob(".*.tmp"):
            _remove_if_stale(temp)


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_directory(directory: Path) -> None:
    """Create ``directory`` and its missing parents so that they survive a
    crash (each new entry's parent is fsynced). Raises StorageError."""
    missing: list[Path] = []
    current = directory
    while not current.is_dir():
        missing.append(current)
        current = current.parent
    try:
        for new in reversed(missing):
            new.mkdir(exist_ok=True)
            fsync_directory(new.parent)
    except OSError as error:
        raise StorageError(directory, error.strerror or str(error)) from error


def _write_synced(path: Path, payload: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())


def _make_backup(path: Path) -> None:
    """Point ``<name>.bak`` at the current file's contents, atomically."""
    temp = _temp_name(path, "bak")
    try:
        try:
            os.link(path, temp)
        except OSError:
            # file systems without hard links: copy instead
            _write_synced(temp, path.read_bytes())
        os.replace(temp, backup_path(path))
    except BaseException:
        _discard(temp)
        raise


def write_atomically(path: Path, payload: bytes, *, backup: bool) -> None:
    """Replace ``path`` with ``payload`` so that a crash at any moment leaves
    either the old or the new file. Raises StorageError on any OS failure,
    with the old file untouched."""
    temp = _temp_name(path, "new")
    try:
        _write_synced(temp, payload)
        if backup and path.exists():
            _make_backup(path)
        os.replace(temp, path)
        fsync_directory(path.parent)
    except OSError as error:
        _discard(temp)
        raise StorageError(path, error.strerror or str(error)) from error
    except BaseException:
        _discard(temp)
        raise


def validate(path: Path, data: Any, schema: int) -> Tables:
    """Check that ``data`` is a dict of tables of documents with a schema we
    understand; return it unchanged."""
    if not isinstance(data, dict):
        raise CorruptFile(path, f"expected an object of tables, found {type(data).__name__}")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptFile(path, f"table {name!r} is {type(table).__name__}, not an object")
        for doc_id, document in table.items():
            if not isinstance(document, dict):
                raise CorruptFile(path, f"document {doc_id!r} in table {name!r} is not an object")
    for document in data.get(META_TABLE, {}).values():
        found = document.get("schema")
        if found is None:
            continue
        if not isinstance(found, int) or isinstance(found, bool):
            raise CorruptFile(path, f"schema version {found!r} is not a whole number")
        if found > schema:
            raise FutureSchema(path, found, schema)
    return data


def decode(path: Path, raw: bytes, schema: int) -> Tables | None:
    """Parse a file's bytes; ``None`` for an empty file."""
    if not raw.strip():
        return None
    try:
        data = jsonio.loads(raw)
    except (ValueError, RecursionError) as error:
        raise CorruptFile(path, f"not valid JSON: {error}") from error
    return validate(path, data, schema)


def load(path: Path, schema: int) -> Tables | None:
    """Read and check ``path``; ``None`` when it is missing or empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror or error}") from error
    return decode(path, raw, schema)


def encode(data: Tables, schema: int) -> bytes:
    """Serialise ``data``, stamping the schema version when the caller has not."""
    if META_TABLE not in data:
        data = {**data, META_TABLE: {"1": {"schema": schema}}}
    return jsonio.dumps(data)


def _describe_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _aside_name(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    base = path.with_name(f"{path.name}.corrupt-{stamp}")
    candidate, number = base, 1
    while candidate.exists():
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def _load_checked(path: Path, schema: int, check: Check | None) -> Tables | None:
    data = load(path, schema)
    if data is not None and check is not None:
        check(path, data)
    return data


def _load_backup(path: Path, schema: int, check: Check | None) -> tuple[Tables | None, str]:
    """The backup's data, or None and why it cannot be used."""
    backup = backup_path(path)
    if not backup.exists():
        return None, "there is no backup"
    try:
        data = _load_checked(backup, schema, check)
    except StoreError as error:
        return None, f"the backup is unusable too ({getattr(error, 'reason', error)})"
    if data is None:
        return None, "the backup is empty"
    return data, ""


def _refuse_if_lost(path: Path) -> None:
    """A missing file whose damaged copy was kept aside (with no backup to
    restore) was lost, not never written: starting it empty is the user's
    choice, made by moving the copies away, never a silent default."""
    kept = sorted(path.parent.glob(f"{glob.escape(path.name)}.corrupt-*"))
    if kept:
        copies = ", ".join(str(copy) for copy in kept)
        raise CorruptFile(
            path,
            f"it was damaged and kept aside as {copies}, with no backup to restore",
            f"move {'that file' if len(kept) == 1 else 'those files'} out of {path.parent} "
            f"to start with an empty {path.name}",
        )


def _restore_missing(
    path: Path, schema: int, check: Check | None, readonly: bool, name: str
) -> tuple[Tables | None, list[str]]:
    """A missing file beside a good backup was lost (deleted, or a move that
    never finished): bring the backup back rather than start empty."""
    backup_data, _ = _load_backup(path, schema, check)
    if backup_data is None:
        return None, []
    when = _describe_time(backup_path(path).stat().st_mtime)
    if readonly:
        return backup_data, [f"{name} is missing; showing its backup from {when} (read-only)"]
    write_atomically(path, backup_path(path).read_bytes(), backup=False)
    return backup_data, [f"{name} was missing; restored its backup from {when}"]


def load_or_recover(
    path: Path,
    *,
    schema: int,
    readonly: bool,
    required: bool,
    check: Check | None = None,
    label: str | None = None,
) -> tuple[Tables | None, list[str]]:
    """Load ``path``, repairing it from its backup when it is damaged.

    ``check`` looks inside the documents of a well-formed file (and of its
    backup) and raises CorruptFile for one this version cannot use.
    ``label`` names the file in the messages (default: its file name; stores
    of many files pass the path inside the data directory).

    Returns the data (None for a new, empty file) and sentences for the user
    describing any repair. A damaged file is kept under
    ``<name>.corrupt-<UTC time>``. Without a usable backup, ``required`` files
    raise CorruptFile (naming the moved file) instead of starting empty, and
    keep raising it while the damaged copy lies beside the missing file.
    Read-only callers get the backup's data without any file being changed.
    A file from a newer schema raises FutureSchema and is never touched.
    """
    try:
        data = _load_checked(path, schema, check)
    except FutureSchema:
        raise
    except CorruptFile as damage:
        reason, empty = damage.reason, False
    else:
        if data is not None:
            return data, []
        if not path.exists():
            if required:
                _refuse_if_lost(path)
            return _restore_missing(path, schema, check, readonly, label or path.name)
        # this module never writes an empty file: with a backup at hand, an
        # empty file means damage, without one it is merely new
        reason, empty = "the file is empty", True

    backup_data, backup_problem = _load_backup(path, schema, check)
    if empty and backup_data is None:
        return None, []
    name = label or path.name
    if readonly:
        if backup_data is not None:
            when = _describe_time(backup_path(path).stat().st_mtime)
            return backup_data, [
                f"{name} is unreadable ({reason}); showing the backup from {when} "
                "(read-only: no file was changed)"
            ]
        if required:
            raise CorruptFile(path, reason, f"{backup_problem}; read-only: no file was changed")
        return None, [
            f"{name} is unreadable ({reason}) and {backup_problem}; ignored it (read-only)"
        ]

    aside = _aside_name(path)
    if backup_data is not None:
        when = _describe_time(backup_path(path).stat().st_mtime)
        try:
            os.link(path, aside)
        except OSError:
            write_atomically(aside, path.read_bytes(), backup=False)
        write_atomically(path, backup_path(path).read_bytes(), backup=False)
        return backup_data, [
            f"{name} was unreadable ({reason}); moved it to {aside}; "
            f"restored the backup from {when}"
        ]
    try:
        os.replace(path, aside)
        fsync_directory(path.parent)
    except OSError as error:
        detail = f"{backup_problem}, and moving it aside failed: {error.strerror or error}"
        raise CorruptFile(path, reason, detail) from error
    if required:
        detail = f"moved it to {aside}; {backup_problem}, so nothing was restored"
        raise CorruptFile(path, reason, detail)
    return None, [
        f"{name} was unreadable ({reason}); moved it to {aside}; "
        f"{backup_problem}, so it starts empty"
    ]


class AtomicJSONStorage(Storage):
    """A TinyDB storage writing whole files atomically (see module docstring).

    ``TinyDB(path, storage=AtomicJSONStorage, schema=1, readonly=False)``.
    Reads raise CorruptFile for damaged files; writes raise StorageError and
    leave the previous file in place.
    """

    def __init__(
        self, path: str | Path, *, schema: int = 1, readonly: bool = False, backup: bool = True
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.schema = schema
        self.readonly = readonly
        self.backup = backup
        if not readonly and self.path.parent.is_dir():
            remove_stale_temps(self.path)

    def read(self) -> Tables | None:
        return load(self.path, self.schema)

    def encode(self, data: Tables) -> bytes:
        return encode(data, self.schema)

    def write(self, data: Tables) -> None:
        self.write_encoded(self.encode(data))

    def write_encoded(self, payload: bytes) -> None:
        """Write bytes produced by ``encode``; lets a caller serialise under
        its own lock and do the slow disk work outside it."""
        if self.readonly:
            raise StorageError(self.path, "the library was opened read-only")
        write_atomically(self.path, payload, backup=self.backup)
