"""Merging a freshly parsed paper into the stored record of the same id.

One paper, one record: the same id from two feeds, or again the next day,
stays one record whose ``feeds`` lists every feed that carried it. A newer
version replaces the metadata; an older or equal one only fills gaps (so an
arXiv record and a Hugging Face record of the same paper complete each other
instead of flapping), while Hugging Face counters always take the latest
value, and an announcement day a feed states wins over one estimated from a
version's date. User state lives elsewhere and is never touched here.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Literal

from paperread.model import Paper, copy_paper

MergeStatus = Literal["new", "updated", "same"]

_IDENTITY_FIELDS = {"id", "feeds", "first_seen"}
_LIVE_COUNTERS = ("upvotes", "num_comments")
_MERGED_FIELDS = [f.name for f in fields(Paper) if f.name not in _IDENTITY_FIELDS]
# a day and what it was worked out from go together (see _takes_announcement)
_ANNOUNCEMENT_FIELDS = {"announced", "announced_from"}
_FILLED_FIELDS = [name for name in _MERGED_FIELDS if name not in _ANNOUNCEMENT_FIELDS]


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merge_paper(old: Paper | None, new: Paper, now: str) -> tuple[Paper, MergeStatus]:
    """Return the record to store and whether it is new, changed or the same.

    A first sighting takes ``new`` over as the record (no copy: a freshly
    parsed paper belongs to the refresh that merges it, and a refresh of
    20,000 new papers spent 45 ms copying them); ``old`` is never changed."""
    if old is None:
        new.feeds, new.first_seen = list(dict.fromkeys(new.feeds)), now
        return new, "new"
    merged = copy_paper(old)
    merged.feeds = list(dict.fromkeys(old.feeds + new.feeds))
    newer = new.version is not None and (old.version is None or new.version > old.version)
    for name in _FILLED_FIELDS:
        incoming = getattr(new, name)
        if _is_empty(incoming):
            continue
        current = getattr(merged, name)
        if isinstance(current, dict):
            # links and affiliations: every key any feed gave, the newer version's value first
            setattr(merged, name, {**current, **incoming} if newer else {**incoming, **current})
        elif newer or _is_empty(current):
            setattr(merged, name, incoming)
    for name in _LIVE_COUNTERS:
        if getattr(new, name) is not None:
            setattr(merged, name, getattr(new, name))
    if _takes_announcement(merged, new, newer):
        merged.announced, merged.announced_from = new.announced, new.announced_from
        merged.announce_type = new.announce_type or merged.announce_type
    changed = any(getattr(merged, name) != getattr(old, name) for name in _MERGED_FIELDS)
    return merged, "updated" if changed else "same"


def _takes_announcement(merged: Paper, new: Paper, newer: bool) -> bool:
    """Whether the announcement day of ``new`` replaces the record's: a
    newer version's does; for the same version a day a feed stated wins
    over one estimated from a version's date, whichever came first, and
    otherwise the later day wins (announced again: a cross-list, a
    replacement on a new day)."""
    if not new.announced:
        return False
    if newer or not merged.announced:
        return True
    stated = new.announced_from is None
    if stated != (merged.announced_from is None):
        return stated
    return merged.announced < new.announced
