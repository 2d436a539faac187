"""The summary index of a block: every field of its papers except the text
fields (abstract, raw title, raw abstract), laid out for a fast start.

One TinyDB file per block (``<block>.idx.json``) holding one document::

    {"fields": [...], "source": [inode, size, mtime_ns],
     "table": [shared values...], "columns": {field: column}}

A column is ``{"v": [value per paper]}``, ``{"t": [index into table per
paper]}`` for fields with few distinct values (categories, feeds, announce
type, dates of announcement), or ``{"c": value}`` when every paper has the
same value. Decoding builds the papers with ``map`` over the columns, so the
only Python code run per paper is ``Paper.__init__``; shared values are
interned, so 100k papers of ten feeds hold ten feed URL strings.

The index is derived data: ``source`` records the block file it was built
from, and an index whose source does not match the block file on disk (a
crash between the two writes, a restored backup, a copied library) is
rebuilt from the block.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import fields
from itertools import repeat
from typing import Any

from ..model import Paper
from .records import TEXT_FIELDS, Document, default_value

INDEX_TABLE = "summaries"
INDEX_SCHEMA = 1
SUMMARY_FIELDS = tuple(f.name for f in fields(Paper) if f.name not in TEXT_FIELDS)

_PAPER_FIELDS = tuple(f.name for f in fields(Paper))
_TABLED = frozenset(
    {"categories", "feeds", "primary_category", "announce_type", "announced", "first_seen"}
)
_KIND = {
    f.name: "list" if f.default_factory is list else "dict" if f.default_factory is dict else "scalar"
    for f in fields(Paper)
}


class UnusableIndex(ValueError):
    """The index does not describe the block as it is on disk."""


def source_of(stat: os.stat_result) -> list[int]:
    """What identifies one version of a block file. Files are replaced,
    never changed in place, so a new version has a new inode (the previous
    one lives on as the backup), size and modification time."""
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def build(documents: Mapping[str, Document], source: list[int]) -> dict[str, Any]:
    """The index document of a block holding ``documents``."""
    ids = list(documents)
    docs = list(documents.values())
    count = len(ids)
    table: list[Any] = []
    refs: dict[Any, int] = {}

    def ref(value: Any) -> int:
        key = (list, tuple(value)) if isinstance(value, list) else (value.__class__, value)
        found = refs.get(key)
        if found is None:
            found = refs[key] = len(table)
            table.append(value)
        return found

    columns: dict[str, dict[str, Any]] = {"id": {"v": ids}}
    for name in SUMMARY_FIELDS[1:]:
        default = default_value(name) if name != "title" else ""
        values = [doc.get(name, default) for doc in docs]
        if count and values.count(values[0]) == count:
            columns[name] = {"c": values[0]}
            continue
        if name in _TABLED:
            try:
                columns[name] = {"t": [ref(value) for value in values]}
                continue
            except TypeError:  # an unhashable value where none belongs
                pass
        columns[name] = {"v": values}
    return {"fields": list(SUMMARY_FIELDS), "source": source, "table": table, "columns": columns}


def _shared(value: Any) -> Any:
    """One object per distinct value: interned strings, tuples of them."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, list):
        return tuple(sys.intern(item) if isinstance(item, str) else item for item in value)
    return value


def _column(name: str, column: Mapping[str, Any], table: list[Any], count: int) -> Any:
    """An iterable of ``count`` values of field ``name``; lists and dicts
    are fresh objects for every paper."""
    kind = _KIND[name]
    if "c" in column:
        value = _shared(column["c"])
        if kind == "scalar":
            return repeat(value, count)
        return map(list if kind == "list" else dict, repeat(value, count))
    if "t" in column:
        refs = column["t"]
        if len(refs) != count:
            raise UnusableIndex(f"column {name} has {len(refs)} values for {count} papers")
        values = map(table.__getitem__, refs)
        return values if kind == "scalar" else map(list if kind == "list" else dict, values)
    values = column["v"]
    if not isinstance(values, list) or len(values) != count:
        raise UnusableIndex(f"column {name} does not hold {count} values")
    return values


def check(index: Mapping[str, Any], source: list[int]) -> None:
    """Raise UnusableIndex unless ``index`` was built, for the current
    fields, from the block version ``source``, and has the expected shape."""
    if index.get("fields") != list(SUMMARY_FIELDS):
        raise UnusableIndex("written for other fields")
    if index.get("source") != source:
        raise UnusableIndex("built from another version of the block")
    columns = index.get("columns")
    if not isinstance(columns, dict) or not isinstance(index.get("table"), list):
        raise UnusableIndex("no columns")
    if not all(isinstance(columns.get(name), dict) for name in SUMMARY_FIELDS):
        raise UnusableIndex("a column is missing")
    ids = columns["id"].get("v")
    if not isinstance(ids, list) or not all(isinstance(paper_id, str) for paper_id in ids):
        raise UnusableIndex("no paper ids")


def ids_of(index: Mapping[str, Any]) -> list[str]:
    """The paper ids of a checked or freshly built index."""
    return index["columns"]["id"]["v"]


def decode(index: Mapping[str, Any]) -> Iterator[tuple[str, Paper]]:
    """``(id, paper)`` for every paper of a checked or freshly built index,
    text fields empty. A damaged index raises UnusableIndex, KeyError,
    TypeError or IndexError, possibly while iterating."""
    columns = index["columns"]
    ids = ids_of(index)
    count = len(ids)
    table = [_shared(value) for value in index["table"]]
    iterables = [
        repeat("", count) if name in TEXT_FIELDS else _column(name, columns[name], table, count)
        for name in _PAPER_FIELDS
    ]
    return zip(ids, map(Paper, *iterables))
