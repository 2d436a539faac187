"""paperread beside newsboat at 100,000 papers: one table, one run.

Usage (from the repository root; by hand, not part of the test suite)::

    python3 tests/benchmarks/bench.py            # the full run, several minutes
    python3 tests/benchmarks/bench.py --quick    # smoke run: 2 feeds x 200, 5k library
    python3 tests/benchmarks/bench.py --skip-newsboat

Needs tmux, and newsboat for its column (``apt-get install -y newsboat``).
The table goes to stdout and to ``tests/benchmarks/results/latest.md``
(git-ignored), followed by the raw samples.

What it does: ``feedgen`` builds deterministic arXiv-style RSS feeds (feed
``k`` is one business day, 2,000 items each), a loopback ``FeedServer``
serves them, and both programs read them in the same run:

1. ``paperread refresh`` (a subprocess) of 10 feeds into an empty library;
   ``newsboat -x reload`` of the same feeds into an empty cache. Wall time,
   and peak memory two ways: the largest single process (``wait4`` maxrss)
   and the sum over the process tree (VmRSS sampled every 20 ms), since
   paperread parses in a process pool. Median of the runs.
2. Cold start in tmux (160x48): start the reader on the 100k library and
   poll ``capture-pane`` every 10 ms until the title of the top paper shows.
   newsboat: until its feed list shows, then Enter on a query feed holding
   every article ("All papers", the counterpart of paperread's Unread view)
   until its article list shows. Median of the runs.
3. Key press to screen updated (j, s, m), in-process with Pilot on the real
   session: from posting the key to the end of the first frame that shows
   the change (the app's ``_display`` is wrapped; headless Textual skips the
   ANSI encoding of the frame, so the wrapper does it to count its cost).
   For j also the first frame in which the abstract pane shows the newly
   highlighted paper (its summary and "Reading the abstract…" at least).
4. Search: the same measure for each character of a query typed into the
   search box (median and max over the characters). newsboat: Enter on a
   one-word search in its feed list until the results list shows.
5. VmRSS of the reader process in tmux one second after its first paint
   (newsboat: after its 100k article list opened).
6. Bytes written by one star toggle in the app at 1k and at 100k papers:
   ``wchar`` of this process (bytes passed to write()) while the key is
   handled and the state flushed, and the files whose size or mtime changed.
   Measured on a fresh library and again with 80% of the papers read.
7. The longest gap between ticks of a 10 ms interval timer in the reader
   while it refreshes the feeds of (1) from nothing (in-process, headless).

paperread runs from a fresh virtual environment with this checkout
installed, as the README's quick start does (``install_paperread``).
The 100k library is built once by ``paperread refresh`` of 50 feeds (the real
path, not a shortcut through the store), newsboat's by ``-x reload``. The
machine has 2 cores shared with other work: compare numbers from one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    # last: a measuring child imports paperread as installed in the
    # benchmark's environment (see install_paperread), and tests from here
    sys.path.append(str(REPO_ROOT))

from tests.benchmarks.feedgen import FeedPlan, generate_feed, library_plan
from tests.feedserver import FeedServer

RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"
WIDTH, HEIGHT = 160, 48
POLL = 0.01
SEARCH_TYPED = "quantum entanglement"
NEWSBOAT_SEARCHES = ("entanglement", "hamiltonian", "calibration")
QUERY_FEED = "All papers"
MB = 2**20


@dataclass(frozen=True)
class Sizes:
    refresh_feeds: int
    items: int
    library_feeds: int
    small_library: int
    runs: int

    @property
    def library(self) -> int:
        return self.library_feeds * self.items


FULL = Sizes(refresh_feeds=10, items=2000, library_feeds=50, small_library=1000, runs=3)
QUICK = Sizes(refresh_feeds=2, items=200, library_feeds=25, small_library=1000, runs=1)


# -- processes -------------------------------------------------------------------


@dataclass
class ProcRun:
    wall: float
    max_rss: float  # MB, the largest single process (wait4)
    tree_rss: float  # MB, peak of the summed VmRSS of the process tree (sampled)
    code: int
    output: str


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                kids += [int(kid) for kid in handle.read().split()]
    except OSError:
        pass
    return kids


def _status_kb(pid: int, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _status_kb(current, "VmRSS")
        todo += _children(current)
    return total


def run_measured(command: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> ProcRun:
    """Run ``command`` to the end: wall time, peak memory, exit code, output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_kb(process.pid))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace")
    return ProcRun(wall, usage.ru_maxrss / 1024, peak / 1024, process.returncode, output)


# the Python with paperread installed that every measured run uses
PYTHON = sys.executable


def paperread_command(*args: str) -> list[str]:
    return [PYTHON, "-m", "paperread", *args]


def install_paperread(work: Path) -> str:
    """A fresh virtual environment with paperread installed from this
    checkout, as the README's quick start does; every measured run uses it.
    So paperread runs as a user has it: its byte code compiled at install
    (this machine sets PYTHONDONTWRITEBYTECODE, so a run from the checkout
    compiles every module again, about 0.15 s a start), and beside its own
    dependencies only (the system Python here also has trio, which httpx
    then imports at its first client: 0.07 s)."""
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(REPO_ROOT)], check=True)
    return python


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


# -- tmux ------------------------------------------------------------------------


class Tmux:
    """A private tmux server (its own socket) for terminal runs."""

    def __init__(self) -> None:
        self.base = ["tmux", "-L", f"paperread-bench-{os.getpid()}", "-f", "/dev/null"]
        self.call("new-session", "-d", "-s", "idle", "-x", str(WIDTH), "-y", str(HEIGHT))

    def call(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([*self.base, *args], capture_output=True, text=True, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, name: str, command: list[str], env: dict[str, str]) -> float:
        """Start ``command`` in a new session; the time just before."""
        shell = "exec " + shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), *command])
        started = time.perf_counter()
        self.call("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), shell)
        return started

    def screen(self, name: str) -> str:
        return self.call("capture-pane", "-p", "-t", name, check=False)

    def pid(self, name: str) -> int:
        return int(self.call("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def send(self, name: str, *keys: str, literal: bool = False) -> None:
        self.call("send-keys", "-t", name, *(["-l"] if literal else []), *keys)

    def alive(self, name: str) -> bool:
        return subprocess.run([*self.base, "has-session", "-t", name], capture_output=True, check=False).returncode == 0

    def wait_for(self, name: str, seen: Callable[[str], bool], timeout: float) -> float:
        """Poll the screen every 10 ms; the time ``seen`` first held."""
        deadline = time.perf_counter() + timeout
        while True:
            text = self.screen(name)
            now = time.perf_counter()
            if seen(text):
                return now
            if now > deadline:
                raise TimeoutError(f"{name}: not seen in {timeout} s; screen:\n{text}")
            time.sleep(POLL)

    def stop(self, name: str, quit_keys: tuple[str, ...], timeout: float = 15) -> None:
        """Quit with ``quit_keys`` (repeated), killing the session if it stays."""
        deadline = time.perf_counter() + timeout
        while self.alive(name) and time.perf_counter() < deadline:
            for key in quit_keys:
                # not checked: the program may have quit at the key before
                self.call("send-keys", "-t", name, key, check=False)
                time.sleep(0.3)
        if self.alive(name):
            self.call("kill-session", "-t", name, check=False)

    def close(self) -> None:
        self.call("kill-server", check=False)


# -- feeds and libraries ---------------------------------------------------------


@dataclass
class Bench:
    sizes: Sizes
    work: Path
    server: FeedServer
    library_plans: list[FeedPlan]
    small_plans: list[FeedPlan]
    newsboat: bool
    raw: list[str] = field(default_factory=list)
    results: dict[str, object] = field(default_factory=dict)

    def url(self, prefix: str, plan: FeedPlan) -> str:
        return self.server.url(f"/{prefix}{plan.path}")

    def note(self, line: str) -> None:
        self.raw.append(line)
        print(f"  {line}", file=sys.stderr, flush=True)


def serve_feeds(server: FeedServer, prefix: str, plans: list[FeedPlan], items: int) -> int:
    size = 0
    for plan in plans:
        body = generate_feed(plan, items)
        size += len(body)
        server.add(f"/{prefix}{plan.path}", body, content_type="application/rss+xml; charset=utf-8")
    return size


def write_config(path: Path, urls: list[tuple[str, str]]) -> Path:
    lines = ["refresh_interval = 0", ""]
    for url, name in urls:
        lines += ["[[feeds]]", f'url = "{url}"', f'name = "{name}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def feed_list(bench: Bench, prefix: str, plans: list[FeedPlan]) -> list[tuple[str, str]]:
    return [(bench.url(prefix, plan), f"{plan.category} {plan.day.isoformat()}") for plan in plans]


def count_papers(data_dir: Path) -> int:
    from paperread.store import PaperCache

    return len(PaperCache(data_dir / "papers", readonly=True).load_all())


def count_newsboat(cache: Path) -> int:
    with sqlite3.connect(cache) as db:
        return db.execute("select count(*) from rss_item").fetchone()[0]


def newsboat_files(directory: Path) -> dict[str, Path]:
    return {"urls": directory / "urls", "cache": directory / "cache.db", "config": directory / "config",
            "home": directory / "home"}


def write_newsboat_files(directory: Path, urls: list[str], query_feed: bool = False) -> dict[str, Path]:
    """A urls file (with a query feed of every unread article first, if
    asked), an empty config and a HOME of its own."""
    files = newsboat_files(directory)
    files["home"].mkdir(parents=True, exist_ok=True)
    lines = [f'"query:{QUERY_FEED}:unread = \\"yes\\""'] if query_feed else []
    files["urls"].write_text("\n".join(lines + urls) + "\n", encoding="utf-8")
    files["config"].write_text("", encoding="utf-8")
    return files


def newsboat_command(files: dict[str, Path], *extra: str) -> list[str]:
    return ["newsboat", "-u", str(files["urls"]), "-c", str(files["cache"]), "-C", str(files["config"]), *extra]


def newsboat_version() -> str | None:
    if shutil.which("newsboat") is None:
        return None
    done = subprocess.run(["newsboat", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.split(" - ")[0].strip() or None


# -- 1. refresh ------------------------------------------------------------------


def bench_refresh(bench: Bench) -> None:
    sizes = bench.sizes
    plans = bench.library_plans[: sizes.refresh_feeds]
    config = write_config(bench.work / "refresh.toml", feed_list(bench, "lib", plans))
    expected = sizes.refresh_feeds * sizes.items
    runs: list[ProcRun] = []
    for run in range(sizes.runs):
        data = bench.work / f"refresh-{run}"
        result = run_measured(paperread_command("--data-dir", str(data), "--config", str(config), "refresh"),
                              env=child_env())
        stored = count_papers(data)
        if result.code != 0 or stored != expected:
            raise RuntimeError(f"paperread refresh: exit {result.code}, {stored} papers stored\n{result.output}")
        runs.append(result)
        bench.note(f"1 paperread refresh run {run + 1}: {result.wall:.2f} s, "
                   f"largest process {result.max_rss:.0f} MB, all processes {result.tree_rss:.0f} MB")
    bench.results["refresh"] = runs
    if not bench.newsboat:
        return
    nb_runs: list[ProcRun] = []
    for run in range(sizes.runs):
        files = write_newsboat_files(bench.work / f"nb-refresh-{run}", [url for url, _ in feed_list(bench, "lib", plans)])
        result = run_measured(newsboat_command(files, "-x", "reload"), env=child_env(HOME=str(files["home"])))
        stored = count_newsboat(files["cache"])
        if result.code != 0 or stored != expected:
            raise RuntimeError(f"newsboat reload: exit {result.code}, {stored} items\n{result.output}")
        nb_runs.append(result)
        bench.note(f"1 newsboat reload run {run + 1}: {result.wall:.2f} s, {result.max_rss:.0f} MB")
    bench.results["nb_refresh"] = nb_runs


def build_libraries(bench: Bench) -> None:
    sizes = bench.sizes
    lib_config = write_config(bench.work / "library.toml", feed_list(bench, "lib", bench.library_plans))
    small_config = write_config(bench.work / "small.toml", feed_list(bench, "small", bench.small_plans))
    for name, config, expected in (
        ("library", lib_config, sizes.library),
        ("small", small_config, sizes.small_library),
    ):
        data = bench.work / name
        result = run_measured(paperread_command("--data-dir", str(data), "--config", str(config), "refresh"),
                              env=child_env())
        stored = count_papers(data)
        if result.code != 0 or stored != expected:
            raise RuntimeError(f"building {name}: exit {result.code}, {stored} papers\n{result.output}")
        bench.note(f"built the {stored}-paper library ({name}) with paperread refresh in {result.wall:.1f} s, "
                   f"{result.tree_rss:.0f} MB")
    if bench.newsboat:
        urls = [url for url, _ in feed_list(bench, "lib", bench.library_plans)]
        files = write_newsboat_files(bench.work / "nb-library", urls, query_feed=True)
        result = run_measured(newsboat_command(files, "-x", "reload"), env=child_env(HOME=str(files["home"])))
        stored = count_newsboat(files["cache"])
        if result.code != 0 or stored != sizes.library:
            raise RuntimeError(f"newsboat library: exit {result.code}, {stored} items\n{result.output}")
        bench.note(f"built newsboat's {stored}-item cache with -x reload in {result.wall:.1f} s")


def top_title(data_dir: Path, config: Path) -> str:
    from paperread.library import UNREAD
    from paperread.session import open_session

    session = open_session(data_dir, config, offline=True, readonly=True)
    try:
        return session.library.select(UNREAD)[0].title
    finally:
        session.close()


# -- 2 and 5: cold start and memory in tmux ---------------------------------------


def bench_cold_start(bench: Bench, tmux: Tmux) -> None:
    data, config = bench.work / "library", bench.work / "library.toml"
    title = top_title(data, config)
    marker = title[:16]
    starts, rss = [], []
    for run in range(bench.sizes.runs):
        started = tmux.start("reader", paperread_command("--offline", "--data-dir", str(data),
                                                         "--config", str(config)), child_env())
        pid = tmux.pid("reader")
        painted = tmux.wait_for("reader", lambda screen: marker in screen, timeout=120)
        starts.append(painted - started)
        time.sleep(1.0)
        rss.append(_status_kb(pid, "VmRSS") / 1024)
        bench.note(f"2 paperread cold start run {run + 1}: {starts[-1]:.3f} s to '{marker}'; "
                   f"5 VmRSS {rss[-1]:.0f} MB (VmHWM {_status_kb(pid, 'VmHWM') / 1024:.0f} MB)")
        tmux.stop("reader", ("q",))
    bench.results["cold_start"] = starts
    bench.results["rss"] = rss
    if bench.newsboat:
        bench_newsboat_terminal(bench, tmux)


def bench_newsboat_terminal(bench: Bench, tmux: Tmux) -> None:
    files = newsboat_files(bench.work / "nb-library")
    feed_lists, article_lists, rss, searches = [], [], [], []
    first_row = re.compile(r"^\s+1 N ", re.MULTILINE)
    for run in range(bench.sizes.runs):
        started = tmux.start("newsboat", newsboat_command(files), {"HOME": str(files["home"])})
        pid = tmux.pid("newsboat")
        shown = tmux.wait_for("newsboat", lambda screen: "Your feeds" in screen and QUERY_FEED in screen, 120)
        feed_lists.append(shown - started)
        pressed = time.perf_counter()
        tmux.send("newsboat", "Enter")
        opened = tmux.wait_for(
            "newsboat",
            lambda screen: f"Articles in feed '{QUERY_FEED}'" in screen and bool(first_row.search(screen)),
            120,
        )
        article_lists.append(opened - pressed)
        time.sleep(1.0)
        rss.append(_status_kb(pid, "VmRSS") / 1024)
        tmux.send("newsboat", "q")
        tmux.wait_for("newsboat", lambda screen: "Your feeds" in screen, 30)
        word = NEWSBOAT_SEARCHES[run % len(NEWSBOAT_SEARCHES)]
        tmux.send("newsboat", "/")
        tmux.wait_for("newsboat", lambda screen: "Search for:" in screen, 30)
        tmux.send("newsboat", word, literal=True)
        time.sleep(0.2)
        pressed = time.perf_counter()
        tmux.send("newsboat", "Enter")
        found = tmux.wait_for("newsboat", lambda screen: "Search results" in screen, 120)
        searches.append(found - pressed)
        bench.note(f"2 newsboat run {run + 1}: feed list {feed_lists[-1]:.3f} s, Enter to the "
                   f"{bench.sizes.library}-item article list {article_lists[-1]:.3f} s; "
                   f"5 VmRSS {rss[-1]:.0f} MB; 4 search '{word}' {searches[-1]:.3f} s")
        tmux.stop("newsboat", ("q",))
    bench.results.update(nb_feed_list=feed_lists, nb_article_list=article_lists, nb_rss=rss, nb_search=searches)


# -- in-process reader (3, 4, 6, 7) ------------------------------------------------


class Frames:
    """Wraps ``app._display`` to time frames: ``arm(condition)`` then read
    ``hit``, the end time of the first frame drawn while ``condition()`` held."""

    def __init__(self, app) -> None:
        self.app = app
        self.condition: Callable[[], bool] | None = None
        self.hit: float | None = None
        original = app._display

        def display(screen, renderable) -> None:
            # what a terminal's driver encodes and writes inside Textual's
            # _display, before an override's code after super() runs
            if renderable is not None and hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)
            if self.condition is not None and self.hit is None and self.condition():
                self.hit = time.perf_counter()
            original(screen, renderable)

        app._display = display

    async def time_key(self, pilot, key: str, condition: Callable[[], bool], timeout: float = 60) -> float:
        self.condition, self.hit = condition, None
        started = time.perf_counter()
        await pilot.press(key)
        while self.hit is None:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"no frame showed the effect of {key!r}")
            await asyncio.sleep(0.001)
        self.condition = None
        await pilot.pause()
        return self.hit - started


def _pane_shows_highlighted(app) -> bool:
    highlighted, shown = app.main.paper_list.highlighted, app.main.abstract_pane.paper
    return highlighted is not None and shown is not None and shown.id == highlighted.id


def open_reader(data_dir: Path, config: Path, offline: bool = True):
    from paperread.session import open_session
    from paperread.tui.app import ReaderApp

    # as the reader opens it: summaries first, abstracts read in the background
    session = open_session(data_dir, config, offline=offline, fast=True)
    return session, ReaderApp(session)


async def _keys(data_dir: Path, config: Path, presses: int) -> dict[str, list[float]]:
    session, app = open_reader(data_dir, config)
    frames = Frames(app)
    timings: dict[str, list[float]] = {"j": [], "j pane": [], "s": [], "m": [], "search": []}
    pane_frames = Frames(app)  # the pane follows the list a frame later
    library = session.library
    try:
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            papers = app.main.paper_list
            for _ in range(presses):
                row = papers.cursor
                pane_frames.condition, pane_frames.hit = lambda: _pane_shows_highlighted(app), None
                started = time.perf_counter()
                timings["j"].append(await frames.time_key(pilot, "j", lambda row=row: papers.cursor == row + 1))
                while pane_frames.hit is None:
                    await asyncio.sleep(0.001)
                pane_frames.condition = None
                timings["j pane"].append(pane_frames.hit - started)
            for _ in range(presses):
                paper_id = papers.highlighted.id
                wanted = not library.state(paper_id).starred
                timings["s"].append(
                    await frames.time_key(pilot, "s", lambda paper_id=paper_id, wanted=wanted:
                                         library.state(paper_id).starred == wanted))
            for _ in range(presses):
                paper_id = papers.highlighted.id
                wanted = not library.state(paper_id).read
                timings["m"].append(
                    await frames.time_key(pilot, "m", lambda paper_id=paper_id, wanted=wanted:
                                         library.state(paper_id).read == wanted))
            await pilot.press("slash")
            await pilot.pause()
            for position, char in enumerate(SEARCH_TYPED):
                before = papers.papers
                typed = SEARCH_TYPED[: position + 1]
                timings["search"].append(await frames.time_key(
                    pilot, "space" if char == " " else char,
                    lambda typed=typed, before=before: app.main.search_input.value == typed and papers.papers is not before,
                ))
            timings["matches"] = [float(len(papers.papers))]
            await pilot.press("escape")
            await pilot.pause()
    finally:
        session.close()
    return timings


def measure_in_child(name: str, data_dir: Path, config: Path, *extra: str) -> Any:
    """Run one in-process measurement in a fresh interpreter, so that neither
    the feed server's threads nor the garbage of an earlier measurement share
    its GIL or its heap; the child prints its result as JSON."""
    command = [PYTHON, str(Path(__file__).resolve()), "--measure", name, str(data_dir), str(config), *extra]
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), cwd=REPO_ROOT, timeout=1800,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {name} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_keys(bench: Bench) -> None:
    presses = 20 if bench.sizes is FULL else 8
    timings = measure_in_child("keys", bench.work / "library", bench.work / "library.toml", str(presses))
    ms = {key: [value * 1000 for value in values] for key, values in timings.items() if key != "matches"}
    for key, values in ms.items():
        bench.note(f"{'4' if key == 'search' else '3'} {key}: " + " ".join(f"{value:.1f}" for value in values) + " ms")
    bench.note(f"4 search '{SEARCH_TYPED}' ends with {int(timings['matches'][0])} matches")
    bench.results["keys"] = ms


async def _refresh_gaps(data_dir: Path, config: Path) -> dict[str, object]:
    from paperread.tui.messages import RefreshFinished, RefreshProgress

    session, app = open_reader(data_dir, config, offline=False)
    events: list[tuple[float, str]] = []
    finished = asyncio.Event()

    def hook(message) -> None:
        if isinstance(message, RefreshProgress):
            events.append((time.perf_counter(), f"{message.feed.name} {message.stage}"))
        elif isinstance(message, RefreshFinished):
            events.append((time.perf_counter(), "finished (merge into the list)"))
            finished.set()

    ticks: list[float] = []
    try:
        async with app.run_test(size=(WIDTH, HEIGHT), message_hook=hook) as pilot:
            await pilot.pause()
            app.set_interval(0.01, lambda: ticks.append(time.perf_counter()))
            await asyncio.sleep(0.3)
            started = time.perf_counter()
            events.append((started, "start"))
            app.main.start_refresh()
            await asyncio.wait_for(finished.wait(), timeout=600)
            await asyncio.sleep(0.5)  # the handler of RefreshFinished runs after the message
            ended = time.perf_counter()
            papers = len(app.main.paper_list.papers)
    finally:
        session.close()
    window = [tick for tick in ticks if tick >= started - 0.02]
    gaps = sorted(((b - a, a) for a, b in pairwise(window) if a <= ended), reverse=True)

    def during(start: float, gap: float) -> str:
        """What happened in the stall: the events inside it, else the last before it."""
        inside = [label for when, label in events if start <= when <= start + gap]
        before = [label for when, label in events if when < start]
        return ", ".join(inside) if inside else f"after {before[-1]}" if before else "before the start"

    return {
        "max_gap": gaps[0][0] if gaps else float("nan"),
        "top": [(gap, during(at, gap)) for gap, at in gaps[:5]],
        "over_50ms": sum(1 for gap, _ in gaps if gap > 0.05),
        "refresh_seconds": max(when for when, label in events if label.startswith("finished")) - started,
        "papers": papers,
    }


def bench_refresh_gaps(bench: Bench) -> None:
    data = bench.work / "gaps"
    result = measure_in_child("gaps", data, bench.work / "refresh.toml")
    expected = bench.sizes.refresh_feeds * bench.sizes.items
    if result["papers"] != expected:
        raise RuntimeError(f"refresh in the reader listed {result['papers']} papers, expected {expected}")
    bench.note(f"7 refresh in the reader took {result['refresh_seconds']:.2f} s; "
               f"{result['over_50ms']} gaps over 50 ms; longest: "
               + "; ".join(f"{gap * 1000:.0f} ms ({label})" for gap, label in result["top"]))
    bench.results["gaps"] = result


def _io_wchar() -> int:
    with open("/proc/self/io") as handle:
        for line in handle:
            if line.startswith("wchar:"):
                return int(line.split()[1])
    return 0


def _files(root: Path) -> dict[Path, tuple[int, int, int]]:
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            info = path.stat()
            found[path] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


async def _star_bytes(data_dir: Path, config: Path) -> tuple[int, dict[str, int]]:
    session, app = open_reader(data_dir, config)
    state = session.store.state
    try:
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            while state.dirty or app._flushing:
                await asyncio.sleep(0.05)
            before, written = _files(data_dir), _io_wchar()
            await pilot.press("s")
            state_file = session.store.state.path
            deadline = time.perf_counter() + 30
            # saved: nothing pending and state.json replaced (the flush may
            # already have run while the key was being pressed)
            while state.dirty or app._flushing or _files(state_file.parent).get(state_file) == before.get(state_file):
                if time.perf_counter() > deadline:
                    raise TimeoutError("the star was not saved within 30 s")
                await asyncio.sleep(0.01)
            written = _io_wchar() - written
            after = _files(data_dir)
    finally:
        session.close()
    changed = {str(path.relative_to(data_dir)): info[0] for path, info in after.items() if before.get(path) != info}
    return written, changed


def mark_most_read(data_dir: Path, config: Path, share: float = 0.8) -> int:
    from paperread.library import ALL
    from paperread.session import open_session

    session = open_session(data_dir, config, offline=True)
    try:
        papers = session.library.select(ALL)
        ids = [paper.id for paper in papers[len(papers) - int(len(papers) * share):]]
        session.actions.set_read(ids, True)
        session.store.state.flush()
    finally:
        session.close()
    return len(ids)


def bench_star_bytes(bench: Bench) -> None:
    libraries = (("small", bench.sizes.small_library), ("library", bench.sizes.library))
    results: dict[str, dict[int, tuple[int, dict[str, int]]]] = {"fresh": {}, "80% read": {}}
    for setting, by_size in results.items():
        for name, size in libraries:
            data, config = bench.work / name, bench.work / f"{name}.toml"
            if setting != "fresh":
                mark_most_read(data, config)
            written, changed = measure_in_child("star", data, config)
            by_size[size] = (written, changed)
            files = ", ".join(f"{path} {size_:,} B" for path, size_ in sorted(changed.items()))
            bench.note(f"6 star toggle, {setting}, {size:,} papers: {written:,} B written (wchar); files: {files}")
    bench.results["star"] = results
    # the keys of (3) again, now that most papers have a state to save
    presses = 20 if bench.sizes is FULL else 8
    timings = measure_in_child("keys", bench.work / "library", bench.work / "library.toml", str(presses))
    ms = {key: [value * 1000 for value in timings[key]] for key in ("j", "s", "m")}
    for key, values in ms.items():
        bench.note(f"3 {key} with 80% read: " + " ".join(f"{value:.1f}" for value in values) + " ms")
    bench.results["keys_read"] = ms


# -- the table -------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def machine_line(newsboat: str | None) -> str:
    import textual

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores (shared; load average at start {load}), "
            f"Python {platform.python_version()}, textual {textual.__version__}, "
            f"{newsboat or 'newsboat not run'}, {datetime.now().strftime('%Y-%m-%d %H:%M')}")


def table(bench: Bench, machine: str) -> str:
    sizes, results = bench.sizes, bench.results
    library = f"{sizes.library // 1000}k"
    nb = bench.newsboat
    rows: list[tuple[str, str, str, str, str]] = []

    def row(metric: str, target: str, ours: str, theirs: str = "", ok: bool | None = None) -> None:
        rows.append((metric, target, ours, theirs if nb else "not run", "" if ok is None else _mark(ok)))

    refresh: list[ProcRun] = results.get("refresh", [])  # type: ignore[assignment]
    nb_refresh: list[ProcRun] = results.get("nb_refresh", [])  # type: ignore[assignment]
    feeds = f"{sizes.refresh_feeds} feeds x {sizes.items:,}"
    if refresh:
        wall = _median([run.wall for run in refresh])
        row(f"1. refresh {feeds} from nothing: wall", "≤ 1.5 s", _seconds(wall),
            _seconds(_median([run.wall for run in nb_refresh])) if nb_refresh else "", wall <= 1.5)
        row("1. refresh: peak memory (largest process / all processes)", "—",
            f"{_median([run.max_rss for run in refresh]):.0f} MB / {_median([run.tree_rss for run in refresh]):.0f} MB",
            f"{_median([run.max_rss for run in nb_refresh]):.0f} MB" if nb_refresh else "")
    if "cold_start" in results:
        cold = _median(results["cold_start"])  # type: ignore[arg-type]
        theirs = ""
        if "nb_feed_list" in results:
            feed_list_s = _median(results["nb_feed_list"])  # type: ignore[arg-type]
            article_s = _median(results["nb_article_list"])  # type: ignore[arg-type]
            theirs = f"{_seconds(feed_list_s + article_s)} ({feed_list_s:.2f} s feed list + {article_s:.2f} s to open all)"
        row(f"2. cold start to first rows, {library} papers (tmux)", "≤ 0.8 s", _seconds(cold), theirs, cold <= 0.8)
    keys = results.get("keys")
    if keys:
        for key, label in (("j", "move down (j)"), ("s", "star (s)"), ("m", "mark read (m)")):
            values = keys[key]  # type: ignore[index]
            row(f"3. key to screen updated, {library}: {label}", "≤ 16 ms",
                f"{_median(values):.1f} ms (max {max(values):.1f})", "", max(values) <= 16)
            if key == "j" and "j pane" in keys:
                pane = keys["j pane"]  # type: ignore[index]
                row("3. … and the abstract pane showing that paper (a frame later)", "—",
                    f"{_median(pane):.1f} ms (max {max(pane):.1f})")
        keys_read = results.get("keys_read")
        if keys_read:
            cells = [f"{key} {_median(values):.0f} (max {max(values):.0f})" for key, values in keys_read.items()]  # type: ignore[union-attr]
            worst = max(max(values) for values in keys_read.values())  # type: ignore[union-attr]
            row(f"3. the same keys with 80% of the {library} papers read, ms", "≤ 16 ms", ", ".join(cells), "", worst <= 16)
        search = keys["search"]  # type: ignore[index]
        theirs = f"{_median(results['nb_search']):.2f} s per search" if "nb_search" in results else ""  # type: ignore[arg-type]
        row(f"4. search, one more character to list updated, {library}", "≤ 50 ms",
            f"{_median(search):.0f} ms (max {max(search):.0f})", theirs, max(search) <= 50)
    if "rss" in results:
        rss = _median(results["rss"])  # type: ignore[arg-type]
        theirs = f"{_median(results['nb_rss']):.0f} MB" if "nb_rss" in results else ""  # type: ignore[arg-type]
        row(f"5. resident memory, {library} papers loaded", "≤ 400 MB", f"{rss:.0f} MB", theirs, rss <= 400)
    star = results.get("star")
    if star:
        for setting, by_size in star.items():  # type: ignore[union-attr]
            small, large = by_size[sizes.small_library][0], by_size[sizes.library][0]
            row(f"6. bytes written by one star, {sizes.small_library // 1000}k / {library} ({setting})",
                "same at both", f"{small:,} B / {large:,} B", "", large <= small * 1.1 + 4096)
    gaps = results.get("gaps")
    if gaps:
        gap = gaps["max_gap"] * 1000  # type: ignore[index]
        row("7. longest UI stall during the refresh of 1", "≤ 50 ms", f"{gap:.0f} ms", "", gap <= 50)
    lines = [
        "| metric | target | paperread | newsboat 2.21 | |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {' | '.join(cells)} |" for cells in rows),
        "",
        f"Machine: {machine}.",
        "",
        ("Notes: 1 median of the runs, each from an empty library; paperread's peak memory as the largest "
         "process and as the sum over its process tree (the parse pool), sampled every 20 ms; newsboat with "
         "its defaults (one reload thread); both fetch one feed at a time from one loopback host. "
         "2 tmux 160x48, capture-pane every 10 ms until the top paper's title shows; newsboat until its feed "
         "list shows, then Enter on a query feed of every article until that list shows. "
         "3 and 4 in-process with Pilot on the real session, a fresh interpreter per measurement: from posting "
         "the key to the end of the first frame showing its effect, the frame's ANSI encoding included; "
         "one sample per key press, and per character of the search (the first character also builds the "
         "search text). 5 VmRSS 1 s after the first paint. 6 bytes passed to write() by the reader (wchar) "
         "while the key is handled and the state saved. 7 longest gap between ticks of a 10 ms timer in the "
         "reader (headless) while it refreshes the feeds of 1 from nothing."),
    ]
    return "\n".join(lines)


MEASURES = {
    "keys": lambda data, config, presses: _keys(data, config, int(presses)),
    "gaps": lambda data, config: _refresh_gaps(data, config),
    "star": lambda data, config: _star_bytes(data, config),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 feeds x 200 items, 5k library, one run")
    parser.add_argument("--skip-newsboat", action="store_true", help="measure paperread only")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (its path is printed)")
    parser.add_argument("--measure", nargs="+", metavar="ARG", help=argparse.SUPPRESS)  # the child's side
    args = parser.parse_args(argv)
    if args.measure:
        name, data, config, *extra = args.measure
        print(json.dumps(asyncio.run(MEASURES[name](Path(data), Path(config), *extra))))
        return 0
    sizes = QUICK if args.quick else FULL
    version = None if args.skip_newsboat else newsboat_version()
    if not args.skip_newsboat and version is None:
        print("newsboat not found (apt-get install -y newsboat), or pass --skip-newsboat", file=sys.stderr)
        return 2
    if shutil.which("tmux") is None:
        print("tmux not found", file=sys.stderr)
        return 2
    machine = machine_line(version)
    work = Path(tempfile.mkdtemp(prefix="paperread-bench-"))
    print(f"work folder {work}", file=sys.stderr)
    global PYTHON
    PYTHON = install_paperread(work)
    tmux = None
    try:
        with FeedServer() as server:
            started = time.perf_counter()
            library_plans = library_plan(sizes.library_feeds, sizes.items)
            small_plans = library_plan(1, sizes.small_library)
            size = serve_feeds(server, "lib", library_plans, sizes.items)
            size += serve_feeds(server, "small", small_plans, sizes.small_library)
            bench = Bench(sizes, work, server, library_plans, small_plans, newsboat=version is not None)
            bench.note(f"generated {len(library_plans) + 1} feeds, {size / MB:.0f} MB, "
                       f"in {time.perf_counter() - started:.1f} s")
            bench_refresh(bench)
            build_libraries(bench)
            tmux = Tmux()
            bench_cold_start(bench, tmux)
            bench_keys(bench)
            bench_refresh_gaps(bench)
            bench_star_bytes(bench)
    finally:
        if tmux is not None:
            tmux.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = table(bench, machine) + "\n\nRaw samples:\n\n" + "\n".join(f"- {line}" for line in bench.raw) + "\n"
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
