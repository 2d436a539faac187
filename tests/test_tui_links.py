"""The reader's link and clipboard keys (o, p, D, c, y, b) driven by Pilot,
with real programs as the browser and the clipboard tool: scripts written
to a temporary folder that record how they were started."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from paperread.bibtex import bibtex_entry
from paperread.model import Paper
from paperread.opener import EXAMPLE_OPENER
from paperread.session import Session
from paperread.tui.app import ReaderApp
from tests.fake_tools import calls, fake_tool
from tests.test_tui_app import SIZE, Spy
from tests.tui_library import build_session, paper
from tests.waiting import wait_for

ABS = "https://arxiv.org/abs/2604.30001"
PDF = "https://arxiv.org/pdf/2604.30001v1"
CODE = "https://github.com/ada/sparse"
MODEL = "https://huggingface.co/ada/sparse-model"
PROJECT = "https://ada.example/sparse"
OTHER_PROJECT = "https://example.org/project"


def sample() -> list[Paper]:
    """Newest first: one with a DOI, code and a project page; one with a
    project page only; one with neither; one keyed by its DOI."""
    return [
        paper(
            "2604.30001", "Sparse Everything", "2026-04-29", doi="10.1000/sparse.1",
            code_links=[CODE, MODEL], github_repo=CODE, links={"abs": ABS, "pdf": PDF, "project": PROJECT},
        ),
        paper("2604.30002", "Only a Project Page", "2026-04-28",
              links={"abs": "https://arxiv.org/abs/2604.30002", "project": OTHER_PROJECT}),
        paper("2604.30003", "Nothing Else", "2026-04-27"),
        paper("doi:10.1000/journal.7", "A Journal Article", "2026-04-26",
              links={"source": "https://journal.example/7"}),
    ]  # fmt: skip


MakeSession = Callable[..., Session]


@pytest.fixture
def make_session(data_dir: Path, tmp_path: Path) -> Iterator[MakeSession]:
    """Opens a session on ``papers`` (default: ``sample()``) whose config
    sets ``opener`` (None: no opener line); closed after the test."""
    opened: list[Session] = []

    def make(opener: str | None, papers: list[Paper] | None = None) -> Session:
        extra = "refresh_interval = 0" + (f'\nopener = "{opener}"' if opener is not None else "")
        session = build_session(data_dir, tmp_path, papers=papers or sample(), states={}, extra_config=extra)
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


@pytest.fixture
def browser(tmp_path: Path) -> Path:
    return fake_tool(tmp_path / "tools", "browser")


@pytest.fixture
def session(make_session: MakeSession, browser: Path) -> Session:
    return make_session(f"{browser} --new-tab %u")


@asynccontextmanager
async def reader(session: Session) -> AsyncIterator[tuple[ReaderApp, Spy, Pilot]]:
    app = ReaderApp(session)
    spy = Spy(app)
    async with app.run_test(size=SIZE) as pilot:
        yield app, spy, pilot


def opened_urls(browser: Path) -> list[str]:
    urls = []
    for call in calls(browser):
        argv = call["argv"]
        assert isinstance(argv, list) and argv[0] == "--new-tab" and len(argv) == 2, argv
        assert call["session_leader"], "detached"
        urls.append(argv[1])
    return urls


async def press_and_wait(pilot: Pilot, browser: Path, key: str) -> None:
    """Press ``key`` and wait until the opener it starts has run."""
    before = len(calls(browser))
    await pilot.press(key)
    await wait_for(pilot, lambda: len(calls(browser)) > before)


def errors(spy: Spy) -> list[str]:
    return [message for message, severity in spy.messages if severity == "error"]


async def test_o_p_d_and_c_hand_their_links_to_the_configured_opener(session: Session, browser: Path) -> None:
    async with reader(session) as (_, spy, pilot):
        for key in ("o", "p", "D", "c"):
            await press_and_wait(pilot, browser, key)
        assert opened_urls(browser) == [ABS, PDF, "https://doi.org/10.1000/sparse.1", CODE]
        await wait_for(pilot, lambda: CODE in spy.text())
        assert (f"opened with {browser}: {ABS}", "information") in spy.messages
        note = "(code link 1 of 3; the abstract pane lists them)"
        assert (f"opened with {browser}: {CODE} {note}", "information") in spy.messages


async def test_c_opens_the_project_page_and_says_what_a_paper_lacks(session: Session, browser: Path) -> None:
    async with reader(session) as (_, spy, pilot):
        await pilot.press("j")
        await press_and_wait(pilot, browser, "c")
        await pilot.press("D", "j", "c")
        await pilot.pause()
        assert opened_urls(browser) == [OTHER_PROJECT]
        assert ("this paper has no DOI link", "warning") in spy.messages
        assert ("this paper has no code link", "warning") in spy.messages
        await pilot.press("j")
        await press_and_wait(pilot, browser, "D")
        assert opened_urls(browser)[-1] == "https://doi.org/10.1000/journal.7", "the DOI a paper is keyed by"


@pytest.mark.parametrize(
    ("opener", "message"),
    [
        ("{failing}", "opener '{failing}' failed (exit 4); the link: " + ABS),
        ("no-such-browser %u", "opener 'no-such-browser' not found; the link: " + ABS),
    ],
    ids=["exit-4", "missing"],
)
async def test_an_opener_that_fails_is_one_error_line(
    make_session: MakeSession, tmp_path: Path, bin_dir: Path, opener: str, message: str
) -> None:
    failing = fake_tool(tmp_path / "tools", "failing", exit_code=4)
    async with reader(make_session(opener.format(failing=failing))) as (_, spy, pilot):
        await pilot.press("o")
        await wait_for(pilot, lambda: bool(errors(spy)))
        assert errors(spy) == [message.format(failing=failing)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's platform opener needs a display")
async def test_without_an_opener_or_a_display_the_reader_says_what_to_set(
    make_session: MakeSession, tmp_path: Path, bin_dir: Path
) -> None:
    fake_tool(bin_dir, "xdg-open")
    async with reader(make_session(None)) as (_, spy, pilot):
        await pilot.press("p")
        await wait_for(pilot, lambda: bool(errors(spy)))
        config = tmp_path / "config.toml"
        assert errors(spy) == [f"no display to open a browser on: set {EXAMPLE_OPENER} in {config}; the link: {PDF}"]
        assert calls(bin_dir / "xdg-open") == []


async def test_y_and_b_name_the_clipboard_tool_that_took_the_text(
    session: Session, bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xclip = fake_tool(bin_dir, "xclip", read_stdin=True)
    monkeypatch.setenv("DISPLAY", ":0")
    async with reader(session) as (app, spy, pilot):
        await pilot.press("y")
        await wait_for(pilot, lambda: "copied" in spy.text())
        assert (f"copied with xclip: {ABS}", "information") in spy.messages
        assert app.clipboard == ABS, "sent to the terminal too"
        await pilot.press("b")
        await wait_for(pilot, lambda: len(calls(xclip)) == 2 and "BibTeX" in spy.text())
        entry = bibtex_entry(session.library.papers["2604.30001"])
        assert [call["stdin"] for call in calls(xclip)] == [ABS, entry]
        lines = entry.strip().splitlines()
        shown = f"copied with xclip: the BibTeX entry {lines[0]} … ({len(lines)} lines)"
        assert (shown, "information") in spy.messages


async def test_y_without_a_clipboard_tool_says_osc_52_and_shows_the_text(session: Session, bin_dir: Path) -> None:
    async with reader(session) as (app, spy, pilot):
        await pilot.press("y")
        await wait_for(pilot, lambda: "OSC 52" in spy.text())
        assert spy.messages == [
            (f"sent to the terminal's clipboard (OSC 52; not every terminal takes it): {ABS}", "information")
        ]
        assert app.clipboard == ABS


async def test_unsafe_links_are_neither_opened_nor_copied(make_session: MakeSession, browser: Path) -> None:
    evil = paper(
        "guid:evil", "A feed item with a script link", "2026-04-28", doi="10.1/x",
        links={"source": "javascript:alert(1)", "pdf": "-a /etc/passwd", "doi": "file:///etc/passwd"},
        code_links=["javascript:alert(2)"],
    )  # fmt: skip
    async with reader(make_session(f"{browser} %u", [evil])) as (app, spy, pilot):
        await pilot.press("o", "p", "D", "c", "y")
        await pilot.pause()
        assert len(errors(spy)) == 5, spy.messages
        assert "javascript:alert(1)" in errors(spy)[0] and "javascript:alert(2)" in errors(spy)[3]
        assert calls(browser) == [] and app.clipboard == ""
