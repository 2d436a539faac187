"""How papers are split into blocks: small files that a save rewrites
whole, so that no single file grows with the library.

A block is named ``<month>/<name>``, a path relative to the store's
directory without ``.json``:

- arXiv ``YYMM.NNNNN``: ``YYYY-MM/<NNNNN // 1000>`` (``2604.12345`` is in
  ``2026-04/12``), so a block holds at most 1000 ids;
- old-style arXiv ``archive/YYMMNNN``: ``YYYY-MM/<archive>`` (at most 999);
- anything else (DOIs, feed guids): ``YYYY-MM/other-<n>`` by the month of
  ``published``, else ``first_seen``, else ``undated/other-<n>``; ``n``
  counts up when a block is full (see ``PaperCache``). Such a paper stays
  in the block it was first saved to.

The user's read flags (``StateStore``) use the same names for arXiv ids, and
``other/<hash>`` for the rest, since their month is not known from the id.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from ..arxiv_ids import id_month, parse_arxiv_id
from ..model import Paper

ARXIV_BLOCK_IDS = 1000
OTHER_PREFIX = "other-"
UNDATED = "undated"
READ_OTHER_DIR = "other"
READ_OTHER_BUCKETS = 64

_NEW_STYLE_RE = re.compile(r"\d{4}\.\d{4,5}")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_STEM_RE = re.compile(r"^(\d+|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?|other-\d+)$")


def is_month(text: str) -> bool:
    return bool(_MONTH_RE.match(text))


def arxiv_block(paper_id: str) -> str | None:
    """The block of a canonical arXiv id (no version), else None."""
    if _NEW_STYLE_RE.fullmatch(paper_id):  # most ids: no need for the full parser
        month = id_month(paper_id)
        return f"{month}/{int(paper_id[5:]) // ARXIV_BLOCK_IDS}" if month and is_month(month) else None
    parsed = parse_arxiv_id(paper_id)
    if parsed is None or parsed.base != paper_id:
        return None
    month = id_month(paper_id)
    if not month or not is_month(month):
        return None
    if "/" in paper_id:
        return f"{month}/{paper_id.split('/', 1)[0]}"
    return f"{month}/{int(paper_id.split('.', 1)[1]) // ARXIV_BLOCK_IDS}"


def paper_month(paper: Paper) -> str:
    """The month directory a new paper belongs in: its arXiv id's month, else
    the month of ``published``, else of ``first_seen``, else ``undated``."""
    block = arxiv_block(paper.id)
    if block is not None:
        return block.split("/", 1)[0]
    for date in (paper.published, paper.first_seen):
        if date and is_month(date[:7]):
            return date[:7]
    return UNDATED


def other_block(month: str, number: int) -> str:
    return f"{month}/{OTHER_PREFIX}{number}"


def other_number(block: str) -> int | None:
    """``n`` of an ``other-<n>`` block, else None."""
    name = block.rsplit("/", 1)[-1]
    if name.startswith(OTHER_PREFIX):
        return int(name[len(OTHER_PREFIX):])
    return None


def read_block(paper_id: str) -> str:
    """The read-flag block of a paper id (see module docstring)."""
    block = arxiv_block(paper_id)
    if block is not None:
        return block
    bucket = zlib.crc32(paper_id.encode("utf-8", "surrogatepass")) % READ_OTHER_BUCKETS
    return f"{READ_OTHER_DIR}/{bucket:02d}"


def newest_first(block: str) -> tuple[str, int, int | str]:
    """Sort key (use with ``reverse=True``): later months first; within a
    month numbered arXiv blocks from the highest, then other papers, then
    old-style archives; undated papers last."""
    month, name = block.split("/", 1)
    if month == UNDATED:
        month = "0000-00"
    if name.isdigit():
        return month, 2, int(name)
    number = other_number(block)
    if number is not None:
        return month, 1, number
    return month, 0, name


def list_blocks(directory: Path, extra_dirs: tuple[str, ...] = ()) -> list[str]:
    """Every block under ``directory``: ``<dir>/<stem>`` for each file
    ``<stem>.json`` (or only its backup, or a damaged copy kept aside, so that
    a lost file is noticed) in a month directory, in ``undated`` or in one of
    ``extra_dirs``."""
    if not directory.is_dir():
        return []
    found: set[str] = set()
    for sub in directory.iterdir():
        wanted = is_month(sub.name) or sub.name == UNDATED or sub.name in extra_dirs
        if not wanted or not sub.is_dir():
            continue
        for entry in sub.iterdir():
            stem = block_stem(entry.name)
            if stem is not None:
                found.add(f"{sub.name}/{stem}")
    return sorted(found)


def block_stem(file_name: str) -> str | None:
    """The block stem of a block file, its backup or a kept damaged copy
    (``12.json``, ``12.json.bak``, ``12.json.corrupt-...``); None for
    anything else (indexes, temporary files)."""
    if file_name.startswith("."):
        return None
    head, dot_json, tail = file_name.partition(".json")
    if not dot_json or not (tail in ("", ".bak") or tail.startswith(".corrupt-")):
        return None
    return head if _STEM_RE.match(head) else None
