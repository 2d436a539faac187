"""The paper records, split into blocks of at most about 1000 papers
(``blocks`` has the rules): ``papers/<month>/<name>.json``.

Each block is a TinyDB file of stored documents (``records``), written
atomically with a backup, beside a summary index ``<name>.idx.json``
(``summaries``) that is rebuilt from the block whenever it does not match it.
A save rewrites only the blocks holding the papers saved; a start reads only
the indexes (``load_summaries``) and fills abstracts later, a block at a time
(``iter_abstracts``). No single ``json.dumps`` or ``json.loads`` covers more
than one block, so none holds the GIL for long.

A library in the previous layout (one file per month) is moved into blocks
when opened for writing; see ``legacy``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..model import Paper
from . import legacy, summaries
from .atomic import (
    decode,
    encode,
    ensure_directory,
    load_or_recover,
    remove_stale_temps_below,
    write_atomically,
)
from .blocks import (
    arxiv_block,
    list_blocks,
    newest_first,
    other_block,
    other_number,
    paper_month,
)
from .bulk import without_gc
from .errors import StorageError, StoreError
from .records import (
    Document,
    compact_document,
    encode_table,
    from_document,
    to_document,
)

SCHEMA = 2
PAPERS_TABLE = "papers"
INDEX_SUFFIX = ".idx.json"
OTHER_BLOCK_LIMIT = 1000  # papers in one ``other-<n>`` block

_UNUSABLE_INDEX = (OSError, StoreError, summaries.UnusableIndex, KeyError, TypeError, IndexError)


class PaperCache:
    """Paper records under ``directory``, split into blocks.

    ``messages`` collects sentences about damaged files met while reading
    (each is repaired from its backup or moved aside; the papers of a block
    with no usable backup are re-learnt from the feeds that still carry them).
    Safe to use from several threads; a save locks one block at a time.
    """

    def __init__(self, directory: Path, readonly: bool = False) -> None:
        self.directory = Path(directory)
        self.readonly = readonly
        self.messages: list[str] = []
        self._lock = threading.RLock()
        # paper id -> block, and papers per block, of the ``other-<n>``
        # blocks (arXiv ids name their block); None until first needed
        self._other_of: dict[str, str] | None = None
        self._other_count: dict[str, int] = {}
        self._open_other: dict[str, str] = {}
        self._legacy = legacy.legacy_months(self.directory)
        if not readonly:
            remove_stale_temps_below(self.directory)
            if self._legacy:
                self._migrate()

    # -- files ---------------------------------------------------------------------

    def _path(self, block: str) -> Path:
        return self.directory / f"{block}.json"

    def _index_path(self, block: str) -> Path:
        return self.directory / f"{block}{INDEX_SUFFIX}"

    def _note(self, messages: list[str]) -> None:
        for message in messages:
            if message not in self.messages:
                self.messages.append(message)

    def _blocks(self) -> list[str]:
        """Every block, newest first."""
        return sorted(list_blocks(self.directory), key=newest_first, reverse=True)

    def _read_block(self, block: str) -> dict[str, Document]:
        """The documents of one block (repairing a damaged file)."""
        with self._lock:
            data, messages = load_or_recover(
                self._path(block),
                schema=SCHEMA,
                readonly=self.readonly,
                required=False,
                label=f"{self.directory.name}/{block}.json",
            )
        self._note(messages)
        return (data or {}).get(PAPERS_TABLE, {})

    def _source(self, block: str) -> list[int] | None:
        try:
            return summaries.source_of(os.stat(self._path(block)))
        except FileNotFoundError:
            return None

    def _stored_index(self, block: str) -> dict[str, Any] | None:
        """The block's index if it matches the block file, else None."""
        source = self._source(block)
        if source is None:
            return None
        path = self._index_path(block)
        try:
            index = decode(path, path.read_bytes(), summaries.INDEX_SCHEMA)[summaries.INDEX_TABLE]["1"]
            summaries.check(index, source)
        except _UNUSABLE_INDEX:
            return None
        return index

    def _write_index(self, block: str, documents: dict[str, Document]) -> dict[str, Any]:
        """Build the block's index from its documents and write it beside the
        block. Raises StorageError."""
        source = self._source(block)
        index = summaries.build(documents, source or [])
        payload = encode({summaries.INDEX_TABLE: {"1": index}}, summaries.INDEX_SCHEMA)
        write_atomically(self._index_path(block), payload, backup=False)
        return index

    def _index(self, block: str, rebuild: bool = False) -> dict[str, Any]:
        """The block's index, rebuilt from the block when the stored one is
        missing, damaged or stale (or when ``rebuild``). A rebuilt index that
        cannot be written is used anyway (it is derived data: the next start
        rebuilds it again)."""
        index = None if rebuild else self._stored_index(block)
        if index is not None:
            return index
        with self._lock:
            documents = self._read_block(block)
            if self.readonly or self._source(block) is None:
                return summaries.build(documents, [])
            try:
                return self._write_index(block, documents)
            except StorageError:
                return summaries.build(documents, [])

    def _write_block(self, block: str, documents: dict[str, Document], keep_existing: bool = False) -> None:
        """Insert or replace ``documents`` in ``block`` (or, with
        ``keep_existing``, insert only those it lacks): the block file, then
        its index. Raises StorageError."""
        with self._lock:
            current = dict(self._read_block(block))
            if keep_existing:
                for paper_id, document in documents.items():
                    current.setdefault(paper_id, document)
            else:
                current.update(documents)
            path = self._path(block)
            ensure_directory(path.parent)
            write_atomically(path, encode_table(PAPERS_TABLE, current, SCHEMA), backup=True)
            self._write_index(block, current)
            if self._other_of is not None and other_number(block) is not None:
                self._other_count[block] = len(current)
                for paper_id in current:
                    self._other_of[paper_id] = block

    # -- papers outside arXiv --------------------------------------------------------

    def _other_map(self) -> dict[str, str]:
        """Paper id -> block for the ``other-<n>`` blocks."""
        with self._lock:
            if self._other_of is None:
                other_of: dict[str, str] = {}
                for block in self._blocks():
                    if other_number(block) is None:
                        continue
                    ids = summaries.ids_of(self._index(block))
                    self._other_count[block] = len(ids)
                    other_of.update(dict.fromkeys(ids, block))
                self._other_of = other_of
            return self._other_of

    def _place_other(self, paper_id: str, month: str) -> str:
        """The block of a paper that has no arXiv id: the one it is in, else
        the month's last ``other-<n>`` block with room, else a new one."""
        other_of = self._other_map()
        known = other_of.get(paper_id)
        if known is not None:
            return known
        block = self._open_other.get(month)
        if block is None or self._other_count.get(block, 0) >= OTHER_BLOCK_LIMIT:
            prefix = f"{month}/"
            numbers = [
                number
                for name in self._other_count
                if name.startswith(prefix) and (number := other_number(name)) is not None
            ]
            number = max(numbers, default=0)
            if self._other_count.get(other_block(month, number), 0) >= OTHER_BLOCK_LIMIT:
                number += 1
            block = self._open_other[month] = other_block(month, number)
        other_of[paper_id] = block
        self._other_count[block] = self._other_count.get(block, 0) + 1
        return block

    def _block_of(self, paper_id: str) -> str | None:
        """The block holding ``paper_id`` (or that would), None if unknown."""
        return arxiv_block(paper_id) or self._other_map().get(paper_id)

    # -- the previous layout -----------------------------------------------------------

    def _migrate(self) -> None:
        """Move every month file into blocks, one month at a time: write its
        papers' blocks (each durable before the next step), then delete the
        month file. A paper already in a block keeps the block's version, so
        an interrupted move is simply done again. When the disk refuses, the
        month files stay and are read as they are."""
        for month in list(self._legacy):
            documents, messages = legacy.read_month(self.directory, month, readonly=False)
            self._note(messages)
            groups: dict[str, dict[str, Document]] = {}
            for paper_id, document in documents.items():
                block = arxiv_block(paper_id)
                if block is None:
                    if paper_id in self._other_map():
                        continue
                    block = self._place_other(paper_id, month)
                groups.setdefault(block, {})[paper_id] = compact_document(document)
            try:
                for block in sorted(groups):
                    self._write_block(block, groups[block], keep_existing=True)
                legacy.remove_month(self.directory, month)
            except StorageError as error:
                message = (
                    f"could not move the paper cache into its new layout ({error}); "
                    "it is read from the old files until that succeeds"
                )
                self._note([message])
                return
            self._legacy.remove(month)

    def _legacy_documents(self) -> Iterator[tuple[str, Document]]:
        """Documents of the month files still present (read-only, or a move
        that failed), oldest month first."""
        for month in list(self._legacy):
            with self._lock:
                documents, messages = legacy.read_month(self.directory, month, self.readonly)
            self._note(messages)
            yield from documents.items()

    # -- reading ---------------------------------------------------------------------

    def load_all(self) -> dict[str, Paper]:
        """Every stored paper by id, every field."""
        return without_gc(self._load_all)

    def _load_all(self) -> dict[str, Paper]:
        papers: dict[str, Paper] = {}
        for block in self._blocks():
            for paper_id, document in self._read_block(block).items():
                papers[paper_id] = from_document(paper_id, document)
        for paper_id, document in self._legacy_documents():
            if paper_id not in papers:
                papers[paper_id] = from_document(paper_id, document)
        return papers

    def load_summaries(self) -> dict[str, Paper]:
        """Every stored paper by id, newest blocks first, with every field
        except ``abstract``, ``raw_title`` and ``raw_abstract`` (left empty),
        read from the summary indexes."""
        return without_gc(self._load_summaries)

    def _load_summaries(self) -> dict[str, Paper]:
        papers: dict[str, Paper] = {}
        other_of: dict[str, str] = {}
        other_count: dict[str, int] = {}
        for block in self._blocks():
            index = self._index(block)
            try:
                papers.update(summaries.decode(index))
            except _UNUSABLE_INDEX:
                # damaged in a way only decoding shows: rebuild from the block
                for paper_id in summaries.ids_of(index):
                    papers.pop(paper_id, None)
                index = self._index(block, rebuild=True)
                papers.update(summaries.decode(index))
            if other_number(block) is not None:
                ids = summaries.ids_of(index)
                other_count[block] = len(ids)
                other_of.update(dict.fromkeys(ids, block))
        with self._lock:
            if self._other_of is None:
                self._other_of, self._other_count = other_of, other_count
        for paper_id, document in self._legacy_documents():
            if paper_id not in papers:
                paper = from_document(paper_id, document)
                paper.abstract = paper.raw_title = paper.raw_abstract = ""
                papers[paper_id] = paper
        return papers

    def iter_abstracts(self) -> Iterator[dict[str, str]]:
        """``{paper id: abstract}`` one block at a time (at most about 1000
        papers, one parse each), newest blocks first."""
        seen: set[str] | None = set() if self._legacy else None
        for block in self._blocks():
            chunk = {
                paper_id: document.get("abstract", "")
                for paper_id, document in self._read_block(block).items()
            }
            if seen is not None:
                seen.update(chunk)
            if chunk:
                yield chunk
        if seen is None:
            return
        chunk = {}
        for paper_id, document in self._legacy_documents():
            if paper_id not in seen:
                chunk[paper_id] = document.get("abstract", "")
                if len(chunk) >= OTHER_BLOCK_LIMIT:
                    yield chunk
                    chunk = {}
        if chunk:
            yield chunk

    def get(self, paper_id: str) -> Paper | None:
        """One paper with every field, reading only its block."""
        return self.get_many([paper_id]).get(paper_id)

    def get_many(self, paper_ids: Iterable[str]) -> dict[str, Paper]:
        """The stored papers among ``paper_ids``, every field, reading each
        block involved once. Ids not stored are left out."""
        wanted = list(dict.fromkeys(paper_ids))
        groups: dict[str, list[str]] = {}
        for paper_id in wanted:
            block = self._block_of(paper_id)
            if block is not None:
                groups.setdefault(block, []).append(paper_id)
        found: dict[str, Paper] = {}
        for block, ids in groups.items():
            documents = self._read_block(block)
            for paper_id in ids:
                document = documents.get(paper_id)
                if document is not None:
                    found[paper_id] = from_document(paper_id, document)
        missing = {paper_id for paper_id in wanted if paper_id not in found}
        if missing and self._legacy:
            for paper_id, document in self._legacy_documents():
                if paper_id in missing and paper_id not in found:
                    found[paper_id] = from_document(paper_id, document)
        return found

    # -- writing ---------------------------------------------------------------------

    def save(self, papers: Iterable[Paper]) -> list[str]:
        """Insert or replace ``papers``, rewriting only the blocks that hold
        them, each with one atomic write (and its index after it). Returns
        the blocks written. Raises StorageError when a write fails (blocks
        written before it stay saved)."""
        if self.readonly:
            raise StorageError(self.directory, "the library was opened read-only")
        by_block: dict[str, dict[str, Document]] = {}
        with self._lock:
            for paper in papers:
                block = arxiv_block(paper.id) or self._place_other(paper.id, paper_month(paper))
                by_block.setdefault(block, {})[paper.id] = to_document(paper)
        for block in sorted(by_block):
            self._write_block(block, by_block[block])
        return sorted(by_block)
