"""The paper cache's previous layout: one TinyDB file per month,
``papers/YYYY-MM.json`` and ``papers/undated.json``, every document with all
fields. ``PaperCache`` moves such files into blocks when it opens a library
it may write, and reads them as they are otherwise."""

from __future__ import annotations

import re
from pathlib import Path

from .atomic import backup_path, fsync_directory, load_or_recover
from .errors import StorageError
from .records import Document

SCHEMA = 1
PAPERS_TABLE = "papers"
_FILE_RE = re.compile(r"^(\d{4}-(0[1-9]|1[0-2])|undated)\.json(\.bak)?$")


def legacy_months(directory: Path) -> list[str]:
    """The months with a month file (or only its backup, which reading
    restores) in ``directory``, oldest first."""
    if not directory.is_dir():
        return []
    months = set()
    for path in directory.iterdir():
        match = _FILE_RE.match(path.name)
        if match:
            months.add(match.group(1))
    return sorted(months)


def month_path(directory: Path, month: str) -> Path:
    return directory / f"{month}.json"


def read_month(directory: Path, month: str, readonly: bool) -> tuple[dict[str, Document], list[str]]:
    """The documents of one month file by paper id, and messages about any
    repair (a damaged file is restored from its backup or moved aside)."""
    data, messages = load_or_recover(
        month_path(directory, month),
        schema=SCHEMA,
        readonly=readonly,
        required=False,
        label=f"{directory.name}/{month}.json",
    )
    return (data or {}).get(PAPERS_TABLE, {}), messages


def remove_month(directory: Path, month: str) -> None:
    """Delete a month file and its backup (once its papers are safely in
    blocks). Raises StorageError."""
    path = month_path(directory, month)
    try:
        backup_path(path).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        fsync_directory(directory)
    except OSError as error:
        raise StorageError(path, error.strerror or str(error)) from error
