"""The paper records, one TinyDB file per month: ``papers/YYYY-MM.json``.

Splitting by month keeps each write proportional to one month of papers, and
a paper's month never changes once it is stored (arXiv ids carry their month;
other papers are filed by their publication or first-seen date and stay in
the file they were first saved to). ``load_all`` parses each file with one
``json.loads`` instead of iterating TinyDB documents, which copies every
document.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..arxiv_ids import id_month, parse_arxiv_id
from ..model import Paper
from .atomic import Tables, load_or_recover
from .errors import StorageError
from .tinydb_ext import open_write_behind

SCHEMA = 1
PAPERS_TABLE = "papers"
UNDATED = "undated"
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FILE_RE = re.compile(r"^(\d{4}-(0[1-9]|1[0-2])|undated)\.json$")


def paper_month(paper: Paper) -> str:
    """The file a new paper belongs in: its arXiv id's month, else the month
    of ``published``, else of ``first_seen``, else ``undated``."""
    parsed = parse_arxiv_id(paper.id)
    if parsed is not None and parsed.base == paper.id:
        month = id_month(paper.id)
        if month and _MONTH_RE.match(month):
            return month
    for date in (paper.published, paper.first_seen):
        if date and _MONTH_RE.match(date[:7]):
            return date[:7]
    return UNDATED


class PaperCache:
    """Paper records split into month files under ``directory``.

    ``messages`` collects sentences about damaged files met while reading
    (each is repaired from its backup or moved aside; the papers in a file
    with no usable backup are re-learnt from the feeds that still carry them).
    """

    def __init__(self, directory: Path, readonly: bool = False) -> None:
        self.directory = Path(directory)
        self.readonly = readonly
        self.messages: list[str] = []
        self._month_of: dict[str, str] = {}
        self._lock = threading.Lock()

    def _path(self, month: str) -> Path:
        return self.directory / f"{month}.json"

    def _months(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(
            path.name[: -len(".json")]
            for path in self.directory.iterdir()
            if _FILE_RE.match(path.name)
        )

    def _read_month(self, month: str) -> Tables | None:
        data, messages = load_or_recover(
            self._path(month), schema=SCHEMA, readonly=self.readonly, required=False
        )
        self.messages.extend(messages)
        return data

    def load_all(self) -> dict[str, Paper]:
        """Every stored paper by id."""
        papers: dict[str, Paper] = {}
        with self._lock:
            for month in self._months():
                data = self._read_month(month) or {}
                for paper_id, document in data.get(PAPERS_TABLE, {}).items():
                    papers[paper_id] = Paper.from_dict(document)
                    self._month_of[paper_id] = month
        return papers

    def get(self, paper_id: str) -> Paper | None:
        """One paper, reading only its month file when the month is known
        (from ``load_all``/``save`` or the arXiv id), else every file."""
        with self._lock:
            known = self._month_of.get(paper_id)
            if known is None:
                parsed = parse_arxiv_id(paper_id)
                if parsed is not None and parsed.base == paper_id:
                    known = id_month(paper_id)
            months = [known] if known else self._months()
            for month in months:
                data = self._read_month(month) or {}
                document = data.get(PAPERS_TABLE, {}).get(paper_id)
                if document is not None:
                    self._month_of[paper_id] = month
                    return Paper.from_dict(document)
        return None

    def save(self, papers: Iterable[Paper]) -> list[str]:
        """Insert or replace ``papers``, rewriting only the month files that
        hold them, each with one atomic write. Returns the months written.
        Raises StorageError when a write fails (earlier months stay saved)."""
        if self.readonly:
            raise StorageError(self.directory, "the library was opened read-only")
        with self._lock:
            by_month: dict[str, dict[str, dict[str, Any]]] = {}
            for paper in papers:
                month = self._month_of.get(paper.id) or paper_month(paper)
                by_month.setdefault(month, {})[paper.id] = paper.to_dict()
            if not by_month:
                return []
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(self.directory, error.strerror or str(error)) from error
            for month, documents in sorted(by_month.items()):
                self._write_month(month, documents)
                for paper_id in documents:
                    self._month_of[paper_id] = month
            return sorted(by_month)

    def _write_month(self, month: str, documents: dict[str, dict[str, Any]]) -> None:
        db, memory = open_write_behind(self._path(month), self._read_month(month), schema=SCHEMA)
        try:
            db.table(PAPERS_TABLE).apply(documents)
            memory.flush()
        finally:
            db.close()
