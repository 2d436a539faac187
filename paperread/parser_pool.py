"""The process pool that parses feed bodies.

A worker process is spawned, not forked (the reader has threads running, and
forking a threaded process can deadlock the child), so it starts a fresh
interpreter and imports what its tasks name. This module is that import for
the pool's initializer: it pulls in nothing beyond the standard library, so
a worker loads only the parsers (``paperread.sources``), not the fetcher,
the store or the reader. The other way round too: the process that hands
out the bodies never imports the parsers (feedparser and its regular
expressions, 60-90 ms at the start of every refresh).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import resource_tracker
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperread.model import ParsedFeed

WORKERS = 2
PARSER_NICENESS = 10


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr (call
    it on the main thread, before ``parser_pool``, where stderr may be
    captured).

    A process pool's first start also starts the tracker and hands it
    ``sys.stderr.fileno()``. Inside the reader ``sys.stderr`` is Textual's
    print capture, whose fileno is -1, and that spawn fails; started here
    first, the tracker is reused from then on."""
    captured = sys.stderr
    sys.stderr = sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


def start_worker(behind_a_screen: bool) -> None:
    """A worker's set-up. No garbage collection: a worker lives for one
    refresh and builds acyclic trees and records, which the collector only
    scanned again and again (about 15 ms of each 100 ms parse). Behind the
    reader's screen, a lower priority, so that two busy parsers on two cores
    do not take turns with the reader's drawing; they still use all the
    time the reader leaves."""
    gc.disable()
    if behind_a_screen:
        with contextlib.suppress(OSError):
            os.nice(PARSER_NICENESS)
    import paperread.sources  # noqa: F401  (now, while the feeds download)


def parse_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """``paperread.sources.parse_feed``, imported where it runs."""
    from paperread.sources import parse_feed as parse

    return parse(body, url, content_type)


def parser_pool(behind_a_screen: bool = True) -> ProcessPoolExecutor:
    """A pool whose workers start now, while the feeds are still being
    fetched: a pool spawns a worker only when a task finds none idle, so one
    trivial task per worker starts them all at once. ``behind_a_screen``:
    the workers yield to the reader's drawing (a command line refresh has
    none, and its workers would only wait behind the fetching). Starting
    the workers takes 20-40 ms: the reader calls this in a thread."""
    pool = ProcessPoolExecutor(
        max_workers=WORKERS,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(behind_a_screen,),
    )
    for _ in range(WORKERS):
        pool.submit(os.getpid)
    return pool
