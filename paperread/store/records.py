"""Paper records as stored in block files, and block serialisation.

A stored document is a paper's fields minus the ones at their default
value, minus ``raw_title``/``raw_abstract`` when they equal the clean text
(most do) and minus ``id``, which is the document's key. This halves the
bytes that a save writes and a load parses. Documents written with every
field (the month files of schema 1) read the same way.

``encode_table`` serialises a block's table of documents: about 2 ms for
1000 papers with orjson, so a save in a thread never holds the GIL long
enough to stall the reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, fields
from operator import attrgetter
from typing import Any

from ..model import Paper
from . import jsonio

Document = dict[str, Any]

TEXT_FIELDS = ("abstract", "raw_title", "raw_abstract")

_FIELD_NAMES = frozenset(f.name for f in fields(Paper))
_DEFAULTS: dict[str, Any] = {
    f.name: f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
    for f in fields(Paper)
    if f.default is not MISSING or f.default_factory is not MISSING
}
# stored in this order; raw text after the text it may equal
_STORED = tuple(f.name for f in fields(Paper) if f.name != "id")
_stored_values = attrgetter(*_STORED)
# what a stored field is left out at; the raw texts are always kept here and
# left out when they equal the clean text
_ALWAYS = object()
_STORED_DEFAULTS = tuple(
    (name, _ALWAYS if name in ("raw_title", "raw_abstract") else _DEFAULTS.get(name, _ALWAYS))
    for name in _STORED
)


def default_value(name: str) -> Any:
    """The default of a Paper field (a shared object: never mutate it)."""
    return _DEFAULTS[name]


def to_document(paper: Paper) -> Document:
    """The stored form of ``paper`` (see module docstring). The document
    shares the paper's lists and dicts: serialise it before changing them."""
    document = {
        name: value
        for (name, default), value in zip(_STORED_DEFAULTS, _stored_values(paper))
        if value != default
    }
    if document["raw_title"] == paper.title:
        del document["raw_title"]
    if document["raw_abstract"] == paper.abstract:
        del document["raw_abstract"]
    return document


def from_document(paper_id: str, document: Mapping[str, Any]) -> Paper:
    """The paper a stored document describes. Unknown fields (from a newer
    version) are ignored."""
    values = dict(document)
    if not values.keys() <= _FIELD_NAMES:
        values = {name: value for name, value in values.items() if name in _FIELD_NAMES}
    values["id"] = paper_id
    values.setdefault("title", "")
    values.setdefault("raw_title", values["title"])
    values.setdefault("raw_abstract", values.get("abstract", ""))
    return Paper(**values)


def compact_document(document: Mapping[str, Any]) -> Document:
    """A document written with every field (the month files of schema 1)
    in stored form."""
    return to_document(from_document("", document))


def encode_table(table: str, documents: Mapping[str, Document], schema: int) -> bytes:
    """``{table: documents, "meta": {"1": {"schema": schema}}}`` as compact
    JSON (the format of ``atomic.encode``)."""
    return jsonio.dumps({table: documents, "meta": {"1": {"schema": schema}}})
