"""The reader driven by Pilot on a real library: every key of the table,
views, search, tags, undo, refresh while browsing, layouts, hostile text."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.fuzzy import Matcher
from textual.widgets import Input, Static

from paperread.bibtex import bibtex_entry
from paperread.model import PaperState
from paperread.session import Session
from paperread.tui.app import ReaderApp, run_reader
from paperread.tui.bindings import KeymapError, check_keymap
from paperread.tui.commands import highlight
from paperread.tui.css import stylesheet_path
from paperread.tui.screens import ConfirmScreen, HelpScreen, TagsScreen
from paperread.tui.ui_state import load_ui_state
from tests.conftest import TEST_DATA
from tests.feedserver import FeedServer
from tests.tui_library import (
    HF,
    HOSTILE_TITLE,
    build_session,
    paper,
    sample_papers,
    stored_states,
)

SIZE = (160, 50)
NEWEST_FIRST = [
    "2604.20003", "2604.20002", "2604.20001",
    "2604.10006", "2604.10005", "2604.10004",
    "2604.00008", "2604.00007",
]  # fmt: skip
UNREAD_FIRST = [pid for pid in NEWEST_FIRST if pid != "2604.00008"]


@pytest.fixture
def session(data_dir: Path, tmp_path: Path) -> Iterator[Session]:
    session = build_session(data_dir, tmp_path)
    yield session
    session.close()


class Spy:
    """Records notifications while passing them on to the real ``notify``."""

    def __init__(self, app: ReaderApp) -> None:
        self.messages: list[tuple[str, str]] = []
        original = app.notify

        def notify(message: str, **options: object) -> None:
            self.messages.append((message, str(options.get("severity", "information"))))
            original(message, **options)  # type: ignore[arg-type]

        app.notify = notify  # type: ignore[method-assign]

    def text(self) -> str:
        return "\n".join(message for message, _ in self.messages)


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


async def flushed(pilot, session: Session) -> None:
    await wait_for(pilot, lambda: not session.store.state.dirty)


def listed(app: ReaderApp) -> list[str]:
    return [paper.id for paper in app.paper_list.papers]


def highlighted_id(app: ReaderApp) -> str | None:
    paper = app.paper_list.highlighted
    return paper.id if paper else None


# -- start ------------------------------------------------------------------------


async def test_starts_on_unread_with_the_cached_library(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert listed(app) == UNREAD_FIRST
        assert app.current_view.kind == "unread"
        assert app.focused is app.paper_list
        assert app.title == "paperread"
        assert app.sub_title == "Unread · 7 unread / 7"
        assert app.abstract_pane.paper is not None and app.abstract_pane.paper.id == "2604.20003"
        labels = [view.label for view in app.sidebar.views]
        assert labels == ["Unread", "Starred", "All", "benchmarks", "gnn", "to-read", "cs.LG", "HF daily"]
        assert not app.workers, "no refresh with refresh_interval = 0"


async def test_session_messages_are_notified(session: Session) -> None:
    session.messages.append("state.json was damaged; restored the backup from 2026-04-27")
    app = ReaderApp(session)
    spy = Spy(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert ("state.json was damaged; restored the backup from 2026-04-27", "warning") in spy.messages


# -- movement -----------------------------------------------------------------------


async def test_movement_keys(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        cursor = lambda: app.paper_list.cursor  # noqa: E731
        await pilot.press("j", "j")
        assert cursor() == 2
        await pilot.press("down")
        assert cursor() == 3
        await pilot.press("k")
        assert cursor() == 2
        await pilot.press("up")
        assert cursor() == 1
        await pilot.press("G")
        assert cursor() == len(UNREAD_FIRST) - 1
        await pilot.press("g")
        assert cursor() == 0
        await pilot.press("end")
        assert cursor() == len(UNREAD_FIRST) - 1
        await pilot.press("home")
        assert cursor() == 0
        await pilot.press("pagedown")
        assert cursor() == len(UNREAD_FIRST) - 1  # the whole list fits on a page
        await pilot.press("pageup")
        assert cursor() == 0
        await pilot.press("j")
        await pilot.pause()
        assert app.abstract_pane.paper is not None
        assert app.abstract_pane.paper.id == UNREAD_FIRST[1]


async def test_highlighting_does_not_mark_read_by_default(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j")
        assert all(not session.library.state(pid).read for pid in UNREAD_FIRST)


async def test_mark_read_on_highlight_option(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(data_dir, tmp_path, extra_config="refresh_interval = 0\nmark_read_on_highlight = true")
    try:
        app = ReaderApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("j")
            await pilot.pause()
            assert session.library.state(UNREAD_FIRST[0]).read
            assert session.library.state(UNREAD_FIRST[1]).read
            assert not session.library.state(UNREAD_FIRST[2]).read
    finally:
        session.close()


# -- state keys ---------------------------------------------------------------------


async def test_enter_opens_the_paper_in_the_pane_and_marks_it_read(session: Session, data_dir: Path) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.focused is app.abstract_pane
        assert app.abstract_pane.paper is not None and app.abstract_pane.paper.id == UNREAD_FIRST[1]
        assert session.library.state(UNREAD_FIRST[1]).read
        assert app.sub_title == "Unread · 6 unread / 6"
        assert listed(app) == UNREAD_FIRST, "the row stays until the view is reloaded"
        await flushed(pilot, session)
    assert stored_states(data_dir)[UNREAD_FIRST[1]].read


async def test_space_marks_read_and_moves_on(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space")
        assert session.library.state(UNREAD_FIRST[0]).read
        assert session.library.state(UNREAD_FIRST[1]).read
        assert not session.library.state(UNREAD_FIRST[2]).read
        assert app.paper_list.cursor == 2


async def test_m_and_s_toggle_and_reach_the_disk(session: Session, data_dir: Path) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "j", "s", "j", "s", "s")
        first, second, third = UNREAD_FIRST[:3]
        assert session.library.state(first).read
        assert session.library.state(second).starred
        assert not session.library.state(third).starred
        starred = session.library.count(app.sidebar.views[1])
        assert (starred.unread, starred.total) == (2, 2)
        await flushed(pilot, session)
        on_disk = stored_states(data_dir)
        assert on_disk[first].read and on_disk[second].starred and third not in on_disk
        await pilot.press("k", "k", "m")
        assert not session.library.state(first).read


async def test_tags_modal_completes_saves_and_cancels(session: Session, data_dir: Path) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagsScreen)
        tags_input = app.screen.query_one("#tags-input", Input)
        assert tags_input.value == ""
        await pilot.press("g")
        await wait_for(pilot, lambda: tags_input._suggestion == "gnn")
        await pilot.press("right", "comma", "space", "t", "o")
        await wait_for(pilot, lambda: tags_input._suggestion == "gnn, to-read")
        await pilot.press("right", "comma", "space", *"new one", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, TagsScreen)
        assert session.library.state(UNREAD_FIRST[0]).tags == ["gnn", "to-read", "new one"]
        assert "new one" in [view.label for view in app.sidebar.views], "a new tag gets a sidebar entry"

        await pilot.press("t")
        await pilot.pause()
        tags_input = app.screen.query_one("#tags-input", Input)
        assert tags_input.value == "gnn, to-read, new one, "
        await pilot.press(*"ignored", "escape")
        await pilot.pause()
        assert session.library.state(UNREAD_FIRST[0]).tags == ["gnn", "to-read", "new one"]
        await flushed(pilot, session)
    assert stored_states(data_dir)[UNREAD_FIRST[0]].tags == ["gnn", "to-read", "new one"]


async def test_undo_reverts_star_read_tags_and_mark_all(session: Session) -> None:
    app = ReaderApp(session)
    spy = Spy(app)
    async with app.run_test(size=SIZE) as pilot:
        first = UNREAD_FIRST[0]
        await pilot.press("s", "m", "t")
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert session.library.state(first) .tags == ["x"]
        await pilot.press("u")
        assert session.library.state(first).tags == []
        await pilot.press("u")
        assert not session.library.state(first).read
        await pilot.press("u")
        assert not session.library.state(first).starred
        assert "undone: star (1 paper)" in spy.text()

        await pilot.press("A")
        await pilot.pause()
        assert all(session.library.state(pid).read for pid in UNREAD_FIRST)
        assert app.sub_title.startswith("Unread · 0 unread")
        await pilot.press("u")
        assert not any(session.library.state(pid).read for pid in UNREAD_FIRST)
        assert "undone: mark read (7 papers)" in spy.text()
        await pilot.press("u")
        assert "nothing to undo" in spy.text()


async def test_mark_all_over_twenty_asks_first(data_dir: Path, tmp_path: Path) -> None:
    papers = [paper(f"2604.3{n:04d}", f"Paper number {n}", "2026-04-28") for n in range(25)]
    session = build_session(data_dir, tmp_path, papers=papers, states={})
    try:
        app = ReaderApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("A")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
            assert not any(session.library.state(p.id).read for p in papers)

            await pilot.press("A")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert all(session.library.state(p.id).read for p in papers)
            await flushed(pilot, session)
        assert sum(state.read for state in stored_states(data_dir).values()) == 25
    finally:
        session.close()


# -- search -------------------------------------------------------------------------


async def test_search_filters_as_you_type(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        search = app.query_one("#search", Input)
        assert app.focused is search
        await pilot.press(*"graph")
        await pilot.pause()
        assert listed(app) == ["2604.20001", "2604.10005"]
        assert "search: graph (2)" in app.sub_title

        await pilot.press("space", "left_parenthesis")
        await pilot.pause()
        error = app.query_one("#search-error", Static)
        assert error.display and error.has_class("-shown")
        assert "at" in str(error.render())
        assert listed(app) == ["2604.20001", "2604.10005"], "the last good result stays"

        await pilot.press("backspace", "backspace")
        await pilot.press(*" -physics")
        await pilot.pause()
        assert not error.has_class("-shown")
        assert listed(app) == ["2604.20001"]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace",
                          "backspace", "backspace", "backspace")
        await pilot.press(*" tag:gnn")
        await pilot.pause()
        assert listed(app) == ["2604.10005"]

        await pilot.press("enter")
        assert app.focused is app.paper_list
        assert listed(app) == ["2604.10005"], "Enter keeps the filter"
        await pilot.press("escape")
        await pilot.pause()
        assert listed(app) == UNREAD_FIRST
        assert search.value == ""
        assert not app.query_one("#search-bar").display


async def test_escape_in_the_search_box_clears_it(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"survey")
        await pilot.pause()
        assert listed(app) == ["2604.20003"]
        await pilot.press("escape")
        await pilot.pause()
        assert listed(app) == UNREAD_FIRST
        assert app.focused is app.paper_list


async def test_keys_typed_in_the_search_box_are_text(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "s", "q", "m")
        await pilot.pause()
        assert app.query_one("#search", Input).value == "sqm"
        assert app.is_running
        assert not any(session.library.state(pid).starred for pid in UNREAD_FIRST[:1])


# -- views --------------------------------------------------------------------------


async def test_sidebar_enter_selects_a_view(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("shift+tab")
        assert app.focused is app.sidebar
        await pilot.press("j")  # Unread -> Starred
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_view.kind == "starred"
        assert listed(app) == ["2604.10005"]
        assert app.focused is app.paper_list
        assert app.sub_title == "Starred · 1 unread / 1"

        await pilot.press("shift+tab", "j", "enter")  # All
        await pilot.pause()
        assert listed(app) == NEWEST_FIRST

        await pilot.press("shift+tab", "G", "enter")  # the last feed
        await pilot.pause()
        assert app.current_view.kind == "feed" and app.current_view.value == HF
        assert listed(app) == ["2604.20003", "2604.10006"]


async def test_tab_moves_between_panes(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is app.paper_list
        await pilot.press("tab")
        assert app.focused is app.abstract_pane
        await pilot.press("tab")
        assert app.focused is app.sidebar
        await pilot.press("tab")
        assert app.focused is app.paper_list
        await pilot.press("shift+tab")
        assert app.focused is app.sidebar


async def test_backslash_toggles_the_sidebar(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        assert app.sidebar.display
        await pilot.press("backslash")
        await pilot.pause()
        assert not app.sidebar.display
        assert app.screen.has_class("-no-sidebar")
        await pilot.press("backslash")
        await pilot.pause()
        assert app.sidebar.display


async def test_capital_r_toggles_the_raw_abstract(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")  # 2604.20001, whose abstract has TeX
        await pilot.pause()
        abstract = app.abstract_pane.query_one(".pane-abstract", Static)
        assert "𝒪(n²)" in str(abstract.render())
        await pilot.press("R")
        await pilot.pause()
        assert app.abstract_pane.raw
        assert r"$\mathcal{O}(n^2)$" in str(abstract.render())
        await pilot.press("R")
        await pilot.pause()
        assert not app.abstract_pane.raw


# -- links and clipboard ------------------------------------------------------------


async def test_o_and_p_open_the_abs_page_and_the_pdf(session: Session) -> None:
    app = ReaderApp(session)
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o", "j", "p")
        assert opened == ["https://arxiv.org/abs/2604.20003", "https://arxiv.org/pdf/2604.20002v1"]


async def test_unsafe_links_are_refused(data_dir: Path, tmp_path: Path) -> None:
    evil = paper(
        "guid:evil", "A feed item with a script link", "2026-04-28",
        links={"source": "javascript:alert(1)", "pdf": "-a /etc/passwd"},
    )
    session = build_session(data_dir, tmp_path, papers=[evil], states={})
    try:
        app = ReaderApp(session)
        spy = Spy(app)
        opened: list[str] = []
        app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("o", "p")
            await pilot.pause()
            assert opened == []
            errors = [message for message, severity in spy.messages if severity == "error"]
            assert len(errors) == 2 and "javascript:alert(1)" in errors[0]
    finally:
        session.close()


async def test_y_and_b_copy_the_url_and_a_bibtex_entry(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        assert app.clipboard == "https://arxiv.org/abs/2604.20003"
        await pilot.press("j", "b")
        expected = bibtex_entry(session.library.papers["2604.20002"])
        assert app.clipboard == expected
        assert "eprint = {2604.20002}" in app.clipboard and "@misc{franklin2026calibrated," in app.clipboard


# -- help, palette, quit ------------------------------------------------------------


async def test_help_shows_every_key(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).render())
        rows = [line.strip().split("  ", 1) for line in text.splitlines() if line.startswith("  ")]
        for keys, description in [
            ("j / ↓", "Next paper"), ("G / end", "Last paper"), ("pgdn", "page down"),
            ("⏎", "Open the paper"), ("⏎", "Show this view"),
            ("space", "Mark the paper read and go to the next one"), ("m", "Toggle read"),
            ("s", "Star / unstar the paper"), ("t", "Edit the paper's tags"), ("/", "Search"),
            ("r", "Refresh"), ("o", "Open the paper's page"), ("p", "Open the PDF"),
            ("y", "Copy the paper's URL"), ("b", "BibTeX"), ("A", "Mark every paper in this view read"),
            ("u", "Undo"), ("tab", "next pane"), ("shift+tab", "previous pane"),
            ("\\", "Show / hide the sidebar"), ("R", "Show the abstract"), ("?", "Show every key"),
            ("q", "Quit"), ("^p", "Command palette"),
        ]:
            assert any(
                row_keys.strip() == keys and description in row_description for row_keys, row_description in rows
            ), (keys, description, text)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_from_config_rebinds_and_shows_in_help(data_dir: Path, tmp_path: Path) -> None:
    session = build_session(
        data_dir, tmp_path, extra_config='refresh_interval = 0\n[keys]\n"app.star" = "f"\n"list.down" = "n,down"'
    )
    try:
        app = ReaderApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("s")
            assert not session.library.state(UNREAD_FIRST[0]).starred
            await pilot.press("f")
            assert session.library.state(UNREAD_FIRST[0]).starred
            await pilot.press("n")
            assert app.paper_list.cursor == 1
            await pilot.press("j")
            assert app.paper_list.cursor == 1
            await pilot.press("question_mark")
            await pilot.pause()
            lines = str(app.screen.query_one("#help-keys", Static).render()).splitlines()
            star = next(line for line in lines if "Star / unstar" in line)
            assert star.split()[0] == "f"
    finally:
        session.close()


def test_unknown_binding_id_is_a_clear_error(data_dir: Path, tmp_path: Path, capsys) -> None:
    with pytest.raises(KeymapError, match=r"unknown key binding id 'app.stra' \(did you mean 'app.star'"):
        check_keymap({"app.stra": "f"})
    session = build_session(data_dir, tmp_path, extra_config='refresh_interval = 0\n[keys]\n"app.stra" = "f"')
    try:
        assert run_reader(session) == 2
    finally:
        session.close()
    err = capsys.readouterr().err
    assert "unknown key binding id 'app.stra'" in err and "config.toml" in err


def test_unknown_theme_is_a_clear_error(data_dir: Path, tmp_path: Path, capsys) -> None:
    session = build_session(data_dir, tmp_path, extra_config='refresh_interval = 0\ntheme = "no-such-theme"')
    try:
        assert run_reader(session) == 2
    finally:
        session.close()
    err = capsys.readouterr().err
    assert "unknown theme 'no-such-theme'" in err and "gruvbox" in err


async def test_palette_goes_to_a_view_and_switches_theme(session: Session, data_dir: Path) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go to tag: gnn")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.option_count > 0)
        assert "Go to tag: gnn" in str(commands.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_view.kind == "tag" and app.current_view.value == "gnn"
        assert listed(app) == ["2604.10005"]

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme: gruvbox")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.option_count > 0)
        assert "Theme: gruvbox" in str(commands.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "gruvbox"
        await wait_for(pilot, lambda: load_ui_state(data_dir).get("theme") == "gruvbox")


async def test_remembered_theme_is_used_unless_the_config_names_one(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "ui.json").write_text(json.dumps({"theme": "nord"}))
    session = build_session(data_dir, tmp_path)
    try:
        app = ReaderApp(session)
        async with app.run_test(size=SIZE):
            assert app.theme == "nord"
    finally:
        session.close()
    session = build_session(data_dir, tmp_path, extra_config='refresh_interval = 0\ntheme = "dracula"')
    try:
        app = ReaderApp(session)
        async with app.run_test(size=SIZE):
            assert app.theme == "dracula"
    finally:
        session.close()


async def test_q_quits_and_saves_at_once(session: Session, data_dir: Path) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    assert stored_states(data_dir)[UNREAD_FIRST[0]].starred


async def test_failed_save_is_reported_and_retried(session: Session, data_dir: Path) -> None:
    from paperread.store.errors import StorageError

    state_store = session.store.state
    real_flush = state_store.flush
    failures = {"left": 3}

    def flaky_flush() -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise StorageError(state_store.path, "No space left on device")
        real_flush()

    state_store.flush = flaky_flush  # type: ignore[method-assign]
    app = ReaderApp(session)
    spy = Spy(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: failures["left"] == 0 and not state_store.dirty)
        errors = [message for message, severity in spy.messages if severity == "error"]
        assert len(errors) == 1 and "No space left on device" in errors[0]
        assert session.library.state(UNREAD_FIRST[0]).starred
    assert stored_states(data_dir)[UNREAD_FIRST[0]].starred


async def test_read_only_session_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    build_session(data_dir, tmp_path).close()
    session = build_session(data_dir, tmp_path, readonly=True)
    try:
        app = ReaderApp(session)
        spy = Spy(app)
        async with app.run_test(size=SIZE) as pilot:
            assert app.sub_title.endswith("read-only")
            await pilot.press("s", "m", "space", "A", "t")
            await pilot.pause()
            assert not isinstance(app.screen, TagsScreen)
            assert session.library.state(UNREAD_FIRST[0]) == PaperState()
            assert sum(message.startswith("read-only: cannot") for message, _ in spy.messages) == 5
    finally:
        session.close()


# -- refresh ------------------------------------------------------------------------


@pytest.fixture
def served_session(feed_server: FeedServer, data_dir: Path, tmp_path: Path) -> Iterator[Session]:
    """The sample library plus three served feeds: cs.LG (3 papers, one of
    them new), one that trickles in for seconds, and one that is missing."""
    feed_server.add("/rss/cs.LG", (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes(),
                    content_type="application/rss+xml")
    feed_server.add_slow("/slow", chunk=b" ", delay=0.1, count=40)
    feeds = [
        (feed_server.url("/rss/cs.LG"), "served LG"),
        (feed_server.url("/slow"), "slow"),
        (feed_server.url("/missing"), "missing"),
    ]
    papers = [p for p in sample_papers() if p.id != "2604.20001"]
    session = build_session(data_dir, tmp_path, papers=papers, feeds=feeds)
    yield session
    session.close()


async def test_refresh_while_browsing(served_session: Session, data_dir: Path) -> None:
    session = served_session
    app = ReaderApp(session)
    spy = Spy(app)
    async with app.run_test(size=SIZE) as pilot:
        before = listed(app)
        await pilot.press("r")
        await pilot.pause()
        status = app.query_one("#refresh-status", Static)
        assert status.display and "slow" in str(status.render())
        await pilot.press("j", "s", "slash", *"protein", "enter")
        await pilot.pause()
        assert app.refresh_status, "the refresh is still running"
        assert session.library.state(before[1]).starred
        assert listed(app) == ["2604.20002"]
        assert app.focused is app.paper_list
        await pilot.press("escape")
        await pilot.press("r")
        assert "a refresh is already running" in spy.text()

        await wait_for(pilot, lambda: not app.refresh_status, timeout=30)
        assert not status.display
        assert "2604.20001" in listed(app), "the new paper is listed"
        assert highlighted_id(app) == before[1] == "2604.20002", "the cursor stays on its paper"
        notice = next(message for message, _ in spy.messages if "new paper" in message)
        assert notice.startswith("1 new paper")
        assert "missing: error:" in notice
        feed_entry = next(view for view in app.sidebar.views if view.label == "missing")
        assert feed_entry.value in app._feed_errors()
        await flushed(pilot, session)
    assert stored_states(data_dir)[before[1]].starred


async def test_refresh_starts_by_itself_when_due(feed_server: FeedServer, data_dir: Path, tmp_path: Path) -> None:
    feed_server.add("/rss/cs.LG", (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes())
    feeds = [(feed_server.url("/rss/cs.LG"), "served LG")]
    session = build_session(data_dir, tmp_path, papers=[], states={}, feeds=feeds, extra_config="refresh_interval = 60")
    try:
        app = ReaderApp(session)
        async with app.run_test(size=SIZE) as pilot:
            assert listed(app) == []
            await wait_for(pilot, lambda: len(listed(app)) == 3, timeout=30)
        # a second start within the hour does not fetch again
        requests = len(feed_server.requests)
        app = ReaderApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.3)
            assert not app.refresh_status
        assert len(feed_server.requests) == requests
    finally:
        session.close()


async def test_offline_never_refreshes(feed_server: FeedServer, data_dir: Path, tmp_path: Path) -> None:
    feeds = [(feed_server.url("/rss/cs.LG"), "served LG")]
    session = build_session(data_dir, tmp_path, feeds=feeds, extra_config="refresh_interval = 60", offline=True)
    try:
        app = ReaderApp(session)
        spy = Spy(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await pilot.pause(0.3)
        assert feed_server.requests == []
        assert "offline" in spy.text()
    finally:
        session.close()


# -- layout and hostile text --------------------------------------------------------


async def test_narrow_layouts(session: Session) -> None:
    app = ReaderApp(session)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-narrow") and not app.screen.has_class("-very-narrow")
        assert app.sidebar.display
        pane, papers = app.abstract_pane.region, app.paper_list.region
        assert pane.y >= papers.bottom, "the abstract pane is below the list"
        assert pane.width >= papers.width

        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert app.screen.has_class("-very-narrow")
        assert not app.sidebar.display
        await pilot.press("backslash")
        await pilot.pause()
        assert app.sidebar.display and app.sidebar.region.width > 0

        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert not app.screen.has_class("-narrow")
        assert app.abstract_pane.region.x >= app.paper_list.region.right


async def test_hostile_title_renders_literally_and_does_not_quit(data_dir: Path, tmp_path: Path) -> None:
    hostile = paper("2604.66666", HOSTILE_TITLE, "2026-04-28", authors=["[red]Mallory[/]"])
    session = build_session(data_dir, tmp_path, papers=[hostile], states={"2604.66666": PaperState(tags=["[/]"])})
    try:
        app = ReaderApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            row = "".join(segment.text for segment in app.paper_list.render_line(0))
            assert "[bold]Array[int][/bold] [@click=app.qu" in row
            assert "#[/]" in row and "[red]Mallory[/]" in row
            title = app.abstract_pane.query_one(".pane-title", Static)
            assert str(title.render()) == HOSTILE_TITLE
            await pilot.click(app.paper_list, offset=(20, 0))
            await pilot.click(title, offset=(40, 0))
            await pilot.press("t")
            await pilot.pause()
            assert str(app.screen.query_one("#tags-paper", Static).render()) == HOSTILE_TITLE
            await pilot.press("escape", "ctrl+p")
            await pilot.press(*"go to tag")
            await pilot.pause(0.5)
            await pilot.press("escape")
            await pilot.press("y")
            await pilot.pause()
            assert app.is_running
    finally:
        session.close()


def test_palette_highlight_keeps_text_literal() -> None:
    content = highlight(Matcher("tag array"), f"Go to tag: {HOSTILE_TITLE}")
    assert content.plain == f"Go to tag: {HOSTILE_TITLE}"
    assert content.spans, "the matched characters are styled"


def test_stylesheet_is_found() -> None:
    path = stylesheet_path()
    assert path.name == "paperread.tcss" and path.is_file()
