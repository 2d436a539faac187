"""The reader's Textual-free pieces: the full records kept for the pane,
the status line, and the keystroke gate."""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import time

from paperread.library import Count
from paperread.tui.data.full_records import READ_AHEAD, READ_BEHIND, FullRecords
from paperread.tui.data.status_line import StatusLine
from paperread.tui.pacing import GIVE_WAY_AT_MOST, SWITCH_INTERVAL, KeystrokeGate
from tests.factories import make_paper


def papers(count: int) -> list:
    return [make_paper(f"2601.{index:05d}", title=f"Paper {index}") for index in range(count)]


def test_a_full_record_is_found_only_for_the_paper_object_it_was_read_for() -> None:
    listed = papers(3)
    records = FullRecords()
    full = make_paper(listed[0].id, title="Paper 0", abstract="the whole abstract")
    records.put([(listed[0], full)])
    assert records.get(listed[0]) is full
    refreshed = make_paper(listed[0].id, title="Paper 0, version 2")
    assert records.get(refreshed) is None, "a new record of the same paper is read again"
    assert records.get(listed[1]) is None


def test_the_oldest_full_records_are_forgotten_and_a_look_up_keeps_one() -> None:
    listed = papers(4)
    records = FullRecords(kept=3)
    records.put([(paper, paper) for paper in listed[:3]])
    assert records.get(listed[0]) is listed[0]  # now the newest
    records.put([(listed[3], listed[3])])
    assert [records.get(paper) is not None for paper in listed] == [True, False, True, True]


def test_the_neighbours_read_with_a_paper_are_those_around_the_cursor_not_read_yet() -> None:
    listed = papers(30)
    records = FullRecords()
    cursor = 10
    records.put([(listed[11], listed[11])])
    missing = records.missing_near(listed, cursor)
    expected = [paper for paper in listed[cursor - READ_BEHIND : cursor + READ_AHEAD + 1] if paper is not listed[11]]
    assert missing == expected
    assert records.missing_near(listed, 0)[0] is listed[0], "no wrap-around at the top"


def test_the_status_line_says_the_view_counts_search_order_and_loading() -> None:
    line = StatusLine("Unread", Count(5, 12), "graph", 3, "newest")
    assert line.text() == "Unread · 5 unread / 12 · search: graph (3) · newest first"
    loading = StatusLine("All", Count(1, 2), "graph", 1, "title", "loading abstracts 40%", readonly=True)
    assert loading.text() == (
        "All · 1 unread / 2 · search: graph (1, in the abstracts loaded so far) · by title"
        " · loading abstracts 40% · read-only"
    )
    assert StatusLine("Starred", Count(0, 0), "", 0, "upvotes").text() == "Starred · 0 unread / 0 · by upvotes"


async def test_the_gate_holds_background_work_and_the_collector_until_the_frame() -> None:
    gate = KeystrokeGate()
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        gate.give_way()
        assert gate.holding and not gc.isenabled()
        waited = []

        def background() -> None:
            start = time.monotonic()
            gate.wait_turn()
            waited.append(time.monotonic() - start)

        thread = threading.Thread(target=background)
        thread.start()
        await asyncio.sleep(0.05)
        assert thread.is_alive(), "a background thread waits while the key is handled"
        gate.frame_written()
        thread.join(timeout=5)
        assert not gate.holding and gc.isenabled()
        assert 0.04 <= waited[0] < GIVE_WAY_AT_MOST
    finally:
        gate.go_on()
        gc.enable() if was_enabled else gc.disable()


async def test_a_key_that_draws_nothing_lets_go_after_the_longest_wait() -> None:
    gate = KeystrokeGate()
    gate.give_way()
    start = time.monotonic()
    while gate.holding and time.monotonic() - start < 5:
        await asyncio.sleep(0.01)
    assert not gate.holding
    assert GIVE_WAY_AT_MOST <= time.monotonic() - start < GIVE_WAY_AT_MOST + 1.0


async def test_the_gate_leaves_the_process_as_it_found_it() -> None:
    before = sys.getswitchinterval()
    was_enabled = gc.isenabled()
    gc.enable()
    gate = KeystrokeGate()
    try:
        gate.start()
        assert sys.getswitchinterval() == SWITCH_INTERVAL and not gc.isenabled(), "no collections while loading"
        gate.resume_collector()
        assert gc.isenabled()
        gate.give_way()
        gate.stop()
        assert sys.getswitchinterval() == before and gc.isenabled() and not gate.holding
    finally:
        sys.setswitchinterval(before)
        gc.enable() if was_enabled else gc.disable()


def test_a_refresh_notice_cuts_a_long_feed_name_and_keeps_the_error() -> None:
    from paperread.feedspec import FeedSpec
    from paperread.refresh import FeedOutcome, RefreshReport
    from paperread.tui.main.refresh import FEED_LABEL_WIDTH, refresh_notice

    url = "https://export.arxiv.org/api/query?search_query=cat:cs.LG+AND+abs:diffusion&max_results=200"
    feed = FeedSpec(spec=url, url=url, name=url)
    report = RefreshReport([FeedOutcome(feed, "error", error="HTTP 503")], {}, warnings=["vectors not stored: disk full"])
    lines = refresh_notice(report, lambda spec: spec.name)
    assert lines[0] == "0 new papers"
    assert lines[1] == url[: FEED_LABEL_WIDTH - 1] + "…: error: HTTP 503"
    assert lines[2] == "vectors not stored: disk full"
