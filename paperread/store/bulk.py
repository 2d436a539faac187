"""Building many long-lived objects at once (a load of the whole library)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")


def without_gc(build: Callable[[], _T]) -> _T:
    """Run ``build`` with the cyclic garbage collector paused.

    Building 100k records (which hold no reference cycles) would otherwise
    trigger collections that rescan everything built so far, again and
    again: they double or triple the time of a load. The objects still reach
    the collector later; a program that keeps them for its lifetime can call
    ``gc.freeze()`` after loading so that no collection scans them again
    (a full collection of a 100k-paper library holds the GIL for ~0.1 s).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if enabled:
            gc.enable()
