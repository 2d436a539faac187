"""Surnames: what the paper list shows of its authors and sorts them by.

A feed gives names as written ("Ada Lovelace", "Martin Luther King Jr.",
"Lovelace, A."); the surname is the part before a comma, else the last
word that is not a suffix such as "Jr." or "III".
"""

from __future__ import annotations

_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."})


def surname(name: str) -> str:
    """The surname in ``name`` ("" for an empty name)."""
    before, comma, after = name.partition(",")
    if comma and before.strip():
        if after.strip().casefold() not in _SUFFIXES:
            return before.strip()  # "Lovelace, A."
        name = before  # "Martin Luther King, Jr."
    words = name.split()
    while len(words) > 1 and words[-1].casefold() in _SUFFIXES:
        words.pop()
    return words[-1] if words else ""
