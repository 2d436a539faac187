"""The reader's widgets (paper list, sidebar, abstract pane), each mounted in
a small harness app and driven with Pilot."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Input
from textual.message import Message
from textual.strip import Strip

from paperread.library import Count, Library, View, paper_day, sort_papers
from paperread.model import Paper, PaperState
from paperread.sources import parse_feed
from paperread.tui.rendering import (
    fit,
    format_day,
    format_day_header,
    paragraphs,
    short_authors,
    term_pattern,
)
from paperread.tui.widgets import AbstractPane, PaperList, SearchBox, Sidebar
from paperread.tui.widgets.paper_list import empty_library_text

HOSTILE = "[bold]Array[int][/bold] [@click=app.quit]x[/]"
ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross", None)


def make_papers(count: int) -> list[Paper]:
    return [
        Paper(
            id=f"2504.{index:05d}",
            title=f"Paper {index:05d} on sparse attention",
            authors=[f"Ada Lovelace{index}", "Charles Babbage"] if index % 2 else [f"Solo Author{index}"],
            announced=f"2026-04-{1 + index % 28:02d}",
            announce_type=ANNOUNCE_TYPES[index % len(ANNOUNCE_TYPES)],
        )
        for index in range(count)
    ]


def screen_lines(app: App) -> list[str]:
    """The text on the (headless) screen, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def strip_styles(strip: Strip, text: str) -> list[Style]:
    """The styles of the segments that make up ``text`` within ``strip``."""
    return [segment.style for segment in strip if segment.text and segment.text in text]


class ListApp(App[None]):
    def __init__(self, papers: list[Paper], states: dict[str, PaperState] | None = None) -> None:
        super().__init__()
        self.papers = papers
        self.states = states if states is not None else {}
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield PaperList(lambda paper_id: self.states.get(paper_id, PaperState()), id="papers")

    def on_mount(self) -> None:
        paper_list = self.query_one(PaperList)
        paper_list.set_papers(self.papers)
        paper_list.focus()

    def on_paper_list_highlighted(self, message: PaperList.Highlighted) -> None:
        self.messages.append(message)

    def on_paper_list_selected(self, message: PaperList.Selected) -> None:
        self.messages.append(message)

    def last(self, kind: type[Message]) -> Message:
        return [message for message in self.messages if isinstance(message, kind)][-1]


def visible_rows(paper_list: PaperList) -> list[str]:
    return [paper_list.render_line(y).text for y in range(paper_list.scrollable_content_region.height)]


# -- paper list ---------------------------------------------------------------


async def test_paper_list_paints_100k_rows_and_moves_by_keys() -> None:
    started = time.perf_counter()
    papers = make_papers(100_000)
    app = ListApp(papers)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        print(f"\n100k papers: built and first paint in {time.perf_counter() - started:.2f} s")
        paper_list = app.query_one(PaperList)
        height = paper_list.scrollable_content_region.height
        assert paper_list.virtual_size.height == 100_000
        rows = visible_rows(paper_list)
        assert len(rows) == height
        for y, row in enumerate(rows):
            assert papers[y].title in row
        assert "Paper 00000 on sparse attention" in "\n".join(screen_lines(app))
        assert app.last(PaperList.Highlighted).paper is papers[0]

        async def press(key: str, expected: int) -> None:
            await pilot.press(key)
            await pilot.pause()
            assert paper_list.cursor == expected, key
            assert paper_list.highlighted is papers[expected]
            assert app.last(PaperList.Highlighted).paper is papers[expected]
            top = paper_list.scroll_offset.y
            assert top <= expected < top + height, f"cursor off screen after {key}"
            assert papers[expected].title in paper_list.render_line(expected - top).text

        await press("j", 1)
        await press("down", 2)
        await press("k", 1)
        await press("up", 0)
        await press("k", 0)  # clamped at the top
        await press("pagedown", height)
        await press("pagedown", 2 * height)
        await press("pageup", height)
        await press("G", 99_999)
        await press("j", 99_999)  # clamped at the bottom
        await press("g", 0)
        await press("end", 99_999)
        await press("home", 0)
        highlights = [message for message in app.messages if isinstance(message, PaperList.Highlighted)]
        # one announcement for the first paint and one per real move
        assert len(highlights) == 1 + 11
        print(f"100k papers: whole test {time.perf_counter() - started:.2f} s")


async def test_paper_list_groups_100k_rows_by_day() -> None:
    papers = sorted(make_papers(100_000), key=lambda paper: (paper.announced, paper.id), reverse=True)
    app = ListApp([])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        started = time.perf_counter()
        paper_list.set_papers(papers, grouped=True)
        await pilot.pause()
        print(f"\n100k papers grouped by day: set and painted in {time.perf_counter() - started:.2f} s")
        starts = paper_list.day_starts()
        assert len(starts) == 28 and starts[0] == 0
        assert paper_list.row_count == 100_000 + 28
        assert paper_list.virtual_size.height == 100_000 + 28
        rows = visible_rows(paper_list)
        per_day = starts[1]
        assert rows[0].strip() == f"Tue 28 Apr 2026 · {per_day} papers"
        assert papers[0].title in rows[1] and papers[1].title in rows[2]
        assert "Apr 28" not in rows[1], "no date column under a day header"
        assert paper_list.cursor == 0 and paper_list.highlighted is papers[0]

        await pilot.press("right_square_bracket")
        assert paper_list.highlighted is papers[starts[1]]
        assert paper_list.highlighted.announced == "2026-04-27"
        assert visible_rows(paper_list)[0].strip().startswith("Mon 27 Apr 2026 · "), "the day's header at the top"
        await pilot.press("k")
        assert paper_list.cursor == starts[1] - 1, "k steps over the header"
        await pilot.press("j", "j")
        assert paper_list.cursor == starts[1] + 1
        await pilot.press("G")
        assert paper_list.highlighted is papers[-1]
        await pilot.press("left_square_bracket")
        assert paper_list.cursor == starts[-2]
        assert app.last(PaperList.Highlighted).paper is papers[starts[-2]]
        await pilot.press("g")
        assert paper_list.cursor == 0 and paper_list.scroll_offset.y == 0
        # a click on a header goes to the day's first paper
        await pilot.click(PaperList, offset=(10, 0))
        await pilot.pause()
        assert paper_list.cursor == 0
        # the same list without headers
        paper_list.set_papers(papers, keep_id=papers[5].id)
        await pilot.pause()
        assert not paper_list.grouped and paper_list.row_count == 100_000
        assert paper_list.cursor == 5 and paper_list.day_starts() == []
        assert "Apr 28" in visible_rows(paper_list)[0]


async def test_paper_list_marks_watched_papers_in_their_own_column() -> None:
    papers = make_papers(4)
    watched = {papers[1].id, papers[3].id}

    class WatchApp(ListApp):
        def compose(self) -> ComposeResult:
            yield PaperList(
                lambda paper_id: self.states.get(paper_id, PaperState()),
                watched_of=lambda paper: paper.id in watched,
                id="papers",
            )

    app = WatchApp(papers)
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        rows = visible_rows(paper_list)
        assert rows[0].startswith("●     Paper 00000")
        assert rows[1].startswith("●   ◆ Paper 00001")
        assert [row[4] == "◆" for row in rows[:4]] == [False, True, False, True]
        assert all(len(row) == paper_list.scrollable_content_region.width for row in rows[:4])
        colour = paper_list.get_component_rich_style("paper-list--watched", partial=True).color
        mark = [segment for segment in paper_list.render_line(1) if segment.text.startswith("◆")]
        assert mark and mark[0].style is not None and mark[0].style.color == colour


async def test_paper_list_row_shows_marker_star_title_author_date_badge_tags() -> None:
    papers = make_papers(6)
    states = {papers[1].id: PaperState(read=True, starred=True, tags=["ml", "to-read"])}
    app = ListApp(papers, states)
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        unread, read = paper_list.render_line(0).text, paper_list.render_line(1).text
        assert unread.startswith("●   Paper 00000")
        assert read.startswith("  ★ Paper 00001")
        assert "#ml #to-read" in read
        assert " Author0 " in unread and "Solo" not in unread, "the surname only"
        assert "Lovelace1, Babbage" in read, "two authors: both surnames"
        assert format_day(papers[0].announced) == "Apr 01" and "Apr 01" in unread
        badges = [paper_list.render_line(y).text.split()[-1] for y in range(5)]
        assert badges == ["new", "cross", "repl", "repl-x", "05"]  # the fifth has no announce type
        width = paper_list.scrollable_content_region.width
        assert all(len(paper_list.render_line(y).text) == width for y in range(6))
        # unread titles bold, read titles dim
        assert any(style.bold for style in strip_styles(paper_list.render_line(0), papers[0].title))
        assert any(style.dim for style in strip_styles(paper_list.render_line(1), papers[1].title))


async def test_paper_list_shows_upvotes_where_there_is_no_announce_type_and_for_all_sorted_by_them() -> None:
    papers = make_papers(3)
    papers[0].upvotes, papers[0].announce_type = 42, None  # a Hugging Face paper
    papers[1].upvotes = 12_345  # also announced on arXiv
    papers[1].authors = ["Pritam Nirmal", "John Smith"]
    app = ListApp(papers)
    async with app.run_test(size=(120, 6)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        badges = lambda: [paper_list.render_line(y).text.split()[-1] for y in range(3)]
        assert badges() == ["▲42", "cross", "repl"]
        assert " Nirmal, Smith " in paper_list.render_line(1).text
        paper_list.set_papers(papers, by_upvotes=True)
        await pilot.pause()
        assert badges() == ["▲42", "▲12k", "repl"], "sorted by upvotes: every paper's upvotes"


async def test_paper_list_truncates_long_titles_with_an_ellipsis() -> None:
    papers = make_papers(1)
    papers[0].title = "A very long title " * 20
    app = ListApp(papers)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        row = paper_list.render_line(0).text
        assert "…" in row
        assert len(row) == paper_list.scrollable_content_region.width


async def test_set_papers_keeps_the_cursor_on_keep_id_else_clamps() -> None:
    papers = make_papers(50)
    app = ListApp(papers)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        paper_list.move_to(45)
        await pilot.pause()
        assert paper_list.scroll_offset.y > 0
        reversed_papers = list(reversed(papers))
        paper_list.set_papers(reversed_papers, keep_id=papers[45].id)
        await pilot.pause()
        assert paper_list.highlighted is papers[45]
        assert paper_list.cursor == 4
        assert paper_list.index_of(papers[45].id) == 4
        assert app.last(PaperList.Highlighted).paper is papers[45]
        top = paper_list.scroll_offset.y
        assert top <= 4 < top + paper_list.scrollable_content_region.height  # cursor on screen
        # the record itself (what the reader passes) is found by identity
        paper_list.set_papers(papers[20:], keep_id=papers[30].id, keep=papers[30])
        assert paper_list.cursor == 10 and paper_list.highlighted is papers[30]
        copy = Paper(**papers[2].to_dict())  # an equal copy is another record: not found, clamped
        paper_list.set_papers(papers[:5], keep_id=copy.id, keep=copy)
        assert paper_list.cursor == 4
        paper_list.set_papers(reversed_papers, keep_id=papers[45].id, keep=papers[45])
        assert paper_list.cursor == 4
        # keep_id gone: same index, clamped to the shorter list
        paper_list.move_to(40)
        await pilot.pause()
        paper_list.set_papers(papers[:5], keep_id="not-there")
        await pilot.pause()
        assert paper_list.cursor == 4
        assert app.last(PaperList.Highlighted).paper is papers[4]
        assert paper_list.papers == papers[:5]
        assert paper_list.scroll_offset.y == 0
        assert visible_rows(paper_list)[0].startswith("●   Paper 00000")
        assert visible_rows(paper_list)[5].strip() == ""
        # empty list
        paper_list.set_papers([])
        await pilot.pause()
        assert paper_list.highlighted is None
        assert app.last(PaperList.Highlighted).paper is None
        assert paper_list.render_line(0).text.startswith("No papers in this view")
        assert "No papers in this view" in "\n".join(screen_lines(app))
        await pilot.press("j", "G", "enter")  # nothing to move to or open
        assert not [message for message in app.messages if isinstance(message, PaperList.Selected)]


class EmptyListApp(App[None]):
    """A paper list that says ``text`` when it has no papers."""

    def __init__(self) -> None:
        super().__init__()
        self.text = "Nothing yet.\n\n    indented\n" + "word " * 30

    def compose(self) -> ComposeResult:
        yield PaperList(lambda paper_id: PaperState(), empty_text=lambda: self.text, id="papers")


async def test_empty_list_says_its_text_wrapped_and_asks_again_each_time_it_is_emptied() -> None:
    app = EmptyListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        rows = [row.rstrip() for row in visible_rows(paper_list)]
        assert rows[:3] == ["Nothing yet.", "", "    indented"]
        assert all(len(row) <= 40 for row in rows) and rows[4].startswith("  word")  # wrapped, not cut
        assert " ".join(" ".join(rows[3:]).split()) == " ".join(["word"] * 30)
        app.text = "Now something else"
        await pilot.pause()
        assert visible_rows(paper_list)[0].startswith("Nothing yet."), "asked when the list is emptied"
        paper_list.set_papers(make_papers(2))
        await pilot.pause()
        assert visible_rows(paper_list)[0].startswith("●   Paper 00000")
        paper_list.set_papers([])
        await pilot.pause()
        assert [row.strip() for row in visible_rows(paper_list)[:2]] == ["Now something else", ""]


def test_empty_library_text_names_the_config_file_and_the_ways_to_add_feeds(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    text = empty_library_text(config, "f5")
    assert f"the config file, {config} (not there yet: create it):" in text
    assert "Press f5 to refresh" in text
    assert "paperread --feed SPEC" in text and "paperread import-opml FILE" in text
    config.write_text("")
    assert f"the config file, {config}:" in empty_library_text(config)
    assert "Press r to refresh" in empty_library_text(None)


async def test_refresh_paper_repaints_a_new_star() -> None:
    papers = make_papers(5)
    app = ListApp(papers)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        assert "★" not in screen_lines(app)[2]
        app.states[papers[2].id] = PaperState(starred=True, read=True)
        paper_list.refresh_paper(papers[2].id)
        await pilot.pause()
        line = screen_lines(app)[2]
        assert line.startswith("  ★ Paper 00002")
        paper_list.refresh_paper("unknown-id")  # ignored


async def test_hostile_title_shows_literally_and_never_acts() -> None:
    papers = make_papers(3)
    papers[1].title = HOSTILE
    app = ListApp(papers)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        assert HOSTILE in paper_list.render_line(1).text
        assert HOSTILE in screen_lines(app)[1]
        assert all(not segment.style.meta for segment in paper_list.render_line(1) if segment.style)
        column = screen_lines(app)[1].index("x[/]")  # the would-be link
        await pilot.click(PaperList, offset=(column, 1))
        await pilot.pause()
        assert app.is_running
        assert paper_list.cursor == 1


async def test_click_moves_cursor_and_double_click_or_enter_selects() -> None:
    papers = make_papers(20)
    app = ListApp(papers)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        await pilot.click(PaperList, offset=(10, 3))
        await pilot.pause()
        assert paper_list.cursor == 3
        assert not [message for message in app.messages if isinstance(message, PaperList.Selected)]
        await pilot.double_click(PaperList, offset=(10, 5))
        await pilot.pause()
        assert paper_list.cursor == 5
        assert app.last(PaperList.Selected).paper is papers[5]
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.last(PaperList.Selected).paper is papers[6]
        assert app.last(PaperList.Selected).control is paper_list


async def test_cursor_looks_different_with_and_without_focus() -> None:
    papers = make_papers(3)
    app = ListApp(papers)
    async with app.run_test(size=(100, 6)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        focused = paper_list.render_line(0)
        other = paper_list.render_line(1)
        paper_list.blur()
        await pilot.pause()
        blurred = paper_list.render_line(0)
        assert focused.text == blurred.text
        backgrounds = {list(strip)[0].style.bgcolor for strip in (focused, blurred, other)}
        assert len(backgrounds) == 3


# -- sidebar ------------------------------------------------------------------


def make_library() -> Library:
    papers = {
        paper.id: paper
        for paper in [
            Paper(id="2504.00001", title="One", feeds=["https://rss.arxiv.org/rss/cs.LG"]),
            Paper(id="2504.00002", title="Two", feeds=["https://rss.arxiv.org/rss/cs.LG"]),
            Paper(id="2504.00003", title="Three", feeds=["https://broken.example/feed"]),
        ]
    }
    states = {
        "2504.00001": PaperState(read=True, starred=True, tags=["[/]", "ml"]),
        "2504.00002": PaperState(tags=["[bold]"]),
    }
    names = {"https://rss.arxiv.org/rss/cs.LG": "arXiv cs.LG", "https://broken.example/feed": "Broken"}
    return Library(papers, states, names)


class SidebarApp(App[None]):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.chosen: list[Sidebar.ViewChosen] = []
        self.removals: list[Sidebar.RemoveRequested] = []

    def compose(self) -> ComposeResult:
        yield Sidebar(id="sidebar")

    def on_mount(self) -> None:
        sidebar = self.query_one(Sidebar)
        sidebar.show_views(
            self.library.views({"Transformers": "transformer"}),
            self.library.count,
            {"https://broken.example/feed": "HTTP 503 [b]Service Unavailable[/]"},
            current_key="unread",
        )
        sidebar.focus()

    def on_sidebar_view_chosen(self, message: Sidebar.ViewChosen) -> None:
        self.chosen.append(message)

    def on_sidebar_remove_requested(self, message: Sidebar.RemoveRequested) -> None:
        self.removals.append(message)


def sidebar_text(app: App) -> list[str]:
    return [line.rstrip() for line in screen_lines(app)]


def line_with(lines: list[str], text: str) -> str:
    return next(line for line in lines if text in line)


async def test_sidebar_groups_views_with_counts_and_feed_errors() -> None:
    app = SidebarApp(make_library())
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        lines = sidebar_text(app)
        text = "\n".join(lines)
        for heading in ("Views", "Saved", "Tags", "Feeds"):
            assert heading in text
        assert "2/2" in line_with(lines, "Unread")
        assert "0/1" in line_with(lines, "Starred")  # the starred paper is read
        assert "2/3" in line_with(lines, "All")
        assert "Transformers" in text
        assert "0/1" in line_with(lines, "[/]")  # a tag named [/] is shown as is
        assert "1/1" in line_with(lines, "[bold]")
        assert "2/2" not in line_with(lines, "ml ") and "0/1" in line_with(lines, "ml ")
        assert "1/2" in line_with(lines, "arXiv cs.LG")
        broken = line_with(lines, "Broken")
        assert "!" in broken and "1/1" in broken
        assert "HTTP 503 [b]Service Unavailable[/]" in text
        assert text.index("Views") < text.index("Saved") < text.index("Tags") < text.index("Feeds")
        sidebar = app.query_one(Sidebar)
        assert sidebar.highlighted_view is not None and sidebar.highlighted_view.key == "unread"
        assert sidebar.tooltip is None
        await pilot.press("G")
        assert sidebar.highlighted_view.label == "Broken"
        assert str(sidebar.tooltip) == "HTTP 503 [b]Service Unavailable[/]"


async def test_sidebar_enter_and_click_post_view_chosen() -> None:
    app = SidebarApp(make_library())
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert [message.view.key for message in app.chosen] == ["starred"]
        assert sidebar.current_key == "starred"
        # headings are skipped: from All, down goes to the saved search
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert (app.chosen[-1].view.kind, app.chosen[-1].view.label) == ("saved", "Transformers")
        row = next(y for y, line in enumerate(screen_lines(app)) if "[/]" in line)
        await pilot.click(Sidebar, offset=(3, row - sidebar.region.y))
        await pilot.pause()
        assert app.chosen[-1].view.key == "tag:[/]"
        assert app.chosen[-1].control is sidebar


async def test_sidebar_update_counts_and_rebuild_keep_the_highlight() -> None:
    library = make_library()
    app = SidebarApp(library)
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        await pilot.press("j")
        assert sidebar.highlighted_view.key == "starred"
        library.set_state("2504.00003", PaperState(read=True, starred=True, tags=["new-tag"]))
        sidebar.update_counts(library.count)
        await pilot.pause()
        lines = sidebar_text(app)
        assert "0/2" in line_with(lines, "Starred")
        assert "1/1" in line_with(lines, "Unread")
        assert not any("new-tag" in line for line in lines)  # counts only, no rebuild
        sidebar.show_views(library.views(), library.count, {}, current_key="all")
        await pilot.pause()
        lines = sidebar_text(app)
        assert "0/1" in line_with(lines, "new-tag")
        assert not any("!" in line for line in lines)
        assert sidebar.highlighted_view.key == "starred"
        assert "Saved" not in "\n".join(lines)


async def test_sidebar_d_asks_to_remove_saved_searches_only() -> None:
    library = make_library()
    app = SidebarApp(library)
    removals = app.removals
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        await pilot.press("d")  # on Unread
        await pilot.pause()
        assert removals == []
        await pilot.press("j", "j", "j")
        assert sidebar.highlighted_view is not None and sidebar.highlighted_view.kind == "saved"
        await pilot.press("d")
        await pilot.pause()
        assert [message.view.label for message in removals] == ["Transformers"]
        assert removals[0].control is sidebar


async def test_sidebar_shows_pending_counts_and_broken_saved_searches() -> None:
    library = make_library()
    app = SidebarApp(library)
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        views = library.views({"Counting": "graph", "Broken": "title:("})

        def counts(view: View) -> Count | None:
            return None if view.kind == "saved" else library.count(view)

        broken_key = View("saved", "Broken", "title:(").key
        sidebar.show_views(views, counts, {}, "unread", {broken_key: "title: needs a value at column 7"})
        await pilot.pause()
        lines = sidebar_text(app)
        assert line_with(lines, "Counting").split()[-2:] == ["…", "▎"]
        broken = lines.index(line_with(lines, "Broken"))
        assert "!" in lines[broken]
        assert "title: needs a value at column 7" in lines[broken + 1]
        sidebar.update_counts(lambda view: Count(3, 4) if view.kind == "saved" else library.count(view))
        await pilot.pause()
        assert "3/4" in line_with(sidebar_text(app), "Counting")


# -- abstract pane ------------------------------------------------------------


ABSTRACT = "We study sparse attention in transformers.\n\nTransformers scale well; our method is 5% better."


def full_paper() -> Paper:
    return Paper(
        id="2504.17830",
        version=2,
        title="Sparse Attention for Long Documents",
        raw_title="Sparse Attention for Long $\\mathcal{O}(n)$ Documents",
        authors=["Ada Lovelace", "Charles Babbage", "Mary Somerville"],
        affiliations={"Ada Lovelace": "Analytical Engine Society", "Mary Somerville": "Oxford"},
        abstract=ABSTRACT,
        raw_abstract="We study sparse attention in \\emph{transformers}. Raw text with $\\alpha$.",
        categories=["cs.CL", "cs.LG", "stat.ML"],
        primary_category="cs.LG",
        announce_type="replace",
        announced="2026-04-28",
        published="2026-04-24T17:59:59Z",
        updated="2026-04-27T10:00:00Z",
        comment="12 pages, 4 figures [accepted]",
        journal_ref="J. Mach. Learn. 12 (2026) 1-12",
        doi="10.1234/jml.2026.1",
        links={"abs": "https://arxiv.org/abs/2504.17830v2", "pdf": "https://arxiv.org/pdf/2504.17830v2"},
        code_links=["javascript:alert(1)", "https://github.com/example/sparse"],
        upvotes=42,
        num_comments=3,
        github_repo="file:///etc/passwd",
        feeds=["https://rss.arxiv.org/rss/cs.LG", "https://huggingface.co/api/daily_papers"],
    )


FEED_NAMES = {
    "https://rss.arxiv.org/rss/cs.LG": "arXiv cs.LG",
    "https://huggingface.co/api/daily_papers": "HF Daily",
}


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AbstractPane(id="abstract")


def pane_text(pane: AbstractPane) -> str:
    parts = [static for static in pane.children if static.display]
    return "\n".join(str(static.content) for static in parts)


async def test_abstract_pane_shows_every_field() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 50)) as pilot:
        pane = app.query_one(AbstractPane)
        state = PaperState(read=False, starred=True, tags=["ml", "[/]"])
        pane.show_paper(full_paper(), state, FEED_NAMES)
        await pilot.pause()
        text = pane_text(pane)
        screen = "\n".join(screen_lines(app))
        assert "Sparse Attention for Long Documents" in screen
        assert "Ada Lovelace (Analytical Engine Society), Charles Babbage, Mary Somerville (Oxford)" in text
        assert "arXiv:2504.17830v2 · cs.LG · cs.CL, stat.ML" in text
        assert "announced 2026-04-28 · published 2026-04-24 · updated 2026-04-27" in text
        assert "Comment: 12 pages, 4 figures [accepted]" in text
        assert "Journal ref: J. Mach. Learn. 12 (2026) 1-12" in text
        assert "DOI: 10.1234/jml.2026.1" in text
        assert "Hugging Face: ▲ 42 · 3 comments" in text
        assert "State: unread · ★ starred · #ml #[/]" in text
        assert "Feeds: arXiv cs.LG, HF Daily" in text
        for label, url in (
            ("abs", "https://arxiv.org/abs/2504.17830v2"),
            ("pdf", "https://arxiv.org/pdf/2504.17830v2"),
            ("doi", "https://doi.org/10.1234/jml.2026.1"),
            ("code", "https://github.com/example/sparse"),
        ):
            assert any(line.split() == [label, url] for line in text.splitlines()), label
            assert url in screen
        assert "javascript:" not in text and "file:" not in text
        assert ABSTRACT in text
        assert "raw" not in text.split("Abstract")[-1].splitlines()[0]
        # paragraphs stay apart on screen too
        lines = screen_lines(app)
        first = next(y for y, line in enumerate(lines) if "We study sparse" in line)
        assert lines[first + 1].strip() == "" and "Transformers scale well" in lines[first + 2]


def capture_papers(path: Path) -> dict[str, Paper]:
    """The papers of a real feed capture, by id."""
    return {paper.id: paper for paper in parse_feed(path.read_bytes(), "https://feeds.example.org/").papers}


async def pane_lines(paper: Paper) -> list[str]:
    """The lines of the abstract pane showing ``paper``."""
    app = PaneApp()
    async with app.run_test(size=(100, 50)) as pilot:
        pane = app.query_one(AbstractPane)
        pane.show_paper(paper, PaperState(), {})
        await pilot.pause()
        return pane_text(pane).splitlines()


async def test_abstract_pane_shows_msc_and_acm_classes_apart_from_categories(extra_feeds: Path) -> None:
    papers = capture_papers(extra_feeds / "arxiv-api-legacy-2019-08-10-all-science-m10.xml")
    lines = await pane_lines(papers["1802.03292"])
    assert "arXiv:1802.03292v1 · cs.LO" in lines
    assert "MSC classes: 03B70, 68Q99" in lines
    assert "ACM classes: F.4.1, F.4.m, K.2" in lines


async def test_abstract_pane_says_an_announcement_day_is_estimated(shared_feeds: Path) -> None:
    papers = capture_papers(shared_feeds / "arxiv-api-atom-2026-04-12-all-testing-m100.xml")
    assert (
        "announced 2025-05-12 (estimated from the v9 date) · published 2024-09-09 · updated 2025-05-08"
        in await pane_lines(papers["2409.05654"])
    )
    stated = await pane_lines(full_paper())  # a day the feed stated
    assert "announced 2026-04-28 · published 2026-04-24 · updated 2026-04-27" in stated


async def test_arxiv_api_papers_are_grouped_under_weekdays_only(shared_feeds: Path) -> None:
    papers = capture_papers(shared_feeds / "arxiv-api-atom-2026-04-12-all-testing-m100.xml")
    ordered = sort_papers(papers.values(), "newest")
    app = ListApp([])
    async with app.run_test(size=(120, 30)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.set_papers(ordered, grouped=True)
        await pilot.pause()
        headers = [format_day_header(paper_day(ordered[start]), 1) for start in paper_list.day_starts()]
        assert len(headers) > 60
        assert [header for header in headers if header.startswith(("Sat", "Sun"))] == []


async def test_abstract_pane_shows_a_hugging_face_project_page(extra_feeds: Path) -> None:
    papers = capture_papers(extra_feeds / "hf-daily-papers-api-2026-07-31-pretty-5items.json")
    lines = [line.split() for line in await pane_lines(papers["2607.28582"])]
    assert ["project", "https://umd-huang-lab.github.io/beta-opsd/"] in lines


async def test_abstract_pane_raw_toggle_and_empty() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 50)) as pilot:
        pane = app.query_one(AbstractPane)
        assert "No paper selected" in "\n".join(screen_lines(app))
        paper = full_paper()
        pane.show_paper(paper, PaperState(read=True), FEED_NAMES, raw=True)
        await pilot.pause()
        text = pane_text(pane)
        assert "\\emph{transformers}. Raw text with $\\alpha$." in text
        assert "Abstract  raw" in text
        assert "$\\mathcal{O}(n)$" in text
        assert "State: read" in text
        assert pane.raw
        pane.show_paper(paper, PaperState(read=True), FEED_NAMES, raw=False)
        await pilot.pause()
        assert "\\emph" not in pane_text(pane)
        pane.show_paper(None, PaperState(), FEED_NAMES)
        await pilot.pause()
        screen = "\n".join(screen_lines(app))
        assert "No paper selected" in screen and "Sparse Attention" not in screen
        assert pane.paper is None


async def test_abstract_pane_shows_markup_like_text_literally() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 40)) as pilot:
        paper = full_paper()
        paper.title = HOSTILE
        paper.authors = ["[red]Mallory[/red]"]
        paper.abstract = "Cost is O(n) [link=https://evil.example]click[/link] $x$ [/]"
        app.query_one(AbstractPane).show_paper(paper, PaperState(tags=["[/]"]), {})
        await pilot.pause()
        screen = "\n".join(screen_lines(app))
        for text in (HOSTILE, "[red]Mallory[/red]", paper.abstract, "#[/]"):
            assert text in screen
        assert app.is_running


async def test_abstract_pane_highlights_terms_case_insensitively() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 50)) as pilot:
        pane = app.query_one(AbstractPane)
        pane.show_paper(full_paper(), PaperState(), FEED_NAMES, highlight_terms=["TRANSFORMER", "[a"])
        await pilot.pause()
        lines = app.screen._compositor.render_strips()
        y = next(y for y, strip in enumerate(lines) if "We study sparse" in strip.text)
        strip = lines[y]
        plain = [segment for segment in strip if "study" in segment.text][0].style
        marked = [segment for segment in strip if segment.text == "transformer"]
        assert marked, [segment.text for segment in strip]
        assert marked[0].style.bgcolor != plain.bgcolor and marked[0].style.bold
        # "Transformers" at the start of the next paragraph matches too
        second = lines[y + 2]
        assert [segment.text for segment in second if segment.style.bold][:1] == ["Transformer"]
        # a term with markup-like characters is matched literally, not parsed
        comment = next(strip for strip in lines if "Comment:" in strip.text)
        assert any(segment.text == "[a" for segment in comment)


async def test_abstract_pane_scrolls_and_resets_to_top_on_a_new_paper() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 12)) as pilot:
        pane = app.query_one(AbstractPane)
        long_paper = full_paper()
        long_paper.abstract = "\n\n".join(f"Paragraph {n} " + "word " * 40 for n in range(20))
        pane.show_paper(long_paper, PaperState(), FEED_NAMES)
        pane.focus()
        await pilot.pause()
        assert pane.max_scroll_y > 0
        pane.scroll_page_down(animate=False)  # its keys are the main screen's (test_tui_app)
        await pilot.pause()
        scrolled = pane.scroll_y
        assert scrolled > 0
        pane.show_paper(long_paper, PaperState(starred=True), FEED_NAMES)  # same paper: stays
        await pilot.pause()
        assert pane.scroll_y == scrolled
        other = full_paper()
        other.id = "2504.99999"
        pane.show_paper(other, PaperState(), FEED_NAMES)
        await pilot.pause()
        assert pane.scroll_y == 0


# -- shared helpers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("much too long", 8, "much to…"),
        ("論文の題名", 5, "論文…"),  # wide characters count two cells
    ],
)
def test_fit(text: str, width: int, expected: str) -> None:
    assert fit(text, width) == expected


def test_short_authors_keeps_et_al_when_cut() -> None:
    assert short_authors(["Ada Lovelace"], 20) == "Lovelace"
    assert short_authors(["Ada Lovelace", "Charles Babbage"], 30) == "Lovelace, Babbage"
    assert short_authors(["Ada Lovelace", "Charles Babbage", "Alan Turing"], 30) == "Lovelace et al."
    assert short_authors(["Ada Augusta King-Lovelace", "Charles Babbage"], 16) == "King-Lov… et al."
    assert short_authors([], 10) == ""


def test_format_day_header() -> None:
    assert format_day_header("2026-04-27", 123) == "Mon 27 Apr 2026 · 123 papers"
    assert format_day_header("2026-04-24T00:00:00Z", 1) == "Fri 24 Apr 2026 · 1 paper"
    assert format_day_header("", 2) == "Undated · 2 papers"
    assert format_day_header("2026-02-30", 2) == "Undated · 2 papers"


def test_format_day_and_paragraphs_and_terms() -> None:
    assert format_day("2026-04-28") == "Apr 28"
    assert format_day("2025-12-01T10:00:00Z") == "Dec 01"
    assert format_day("garbage") == "" and format_day(None) == ""
    assert paragraphs("one\nline\n\n  two \x1b[31m \n \n\nthree") == ["one line", "two", "three"]
    pattern = term_pattern(["net", "neural net", " ", "a.b"])
    assert pattern is not None
    assert [match.group(0) for match in pattern.finditer("Neural Nets, a.b not axb")] == ["Neural Net", "a.b"]
    assert term_pattern(["", "  "]) is None


# -- at 100k: day runs found by search, rows reused, labels redrawn only when changed ------


def day_runs(papers: list[Paper]) -> list[int]:
    """Where each run of one day starts, by looking at every paper."""
    return [index for index, paper in enumerate(papers) if index == 0 or paper.announced != papers[index - 1].announced]


@pytest.mark.parametrize("days", [1, 2, 3, 17, 400])
async def test_grouping_finds_every_day_run(days: int) -> None:
    import random

    rng = random.Random(days)
    papers = sorted(
        make_papers(400),
        key=lambda paper: (paper.announced, paper.id),
        reverse=days % 2 == 1,  # either direction
    )
    for index, paper in enumerate(papers):  # runs of random lengths
        paper.announced = f"2026-{1 + (index * days // 400):03d}"
    if days == 400:
        rng.shuffle(papers)  # every paper its own day: still sorted by day
    app = ListApp([])
    async with app.run_test(size=(120, 30)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.set_papers(papers, grouped=True)
        await pilot.pause()
        starts = day_runs(papers)
        assert paper_list.day_starts() == starts
        assert paper_list.row_count == len(papers) + len(starts)
        # every row maps to what it shows, and back
        row = 0
        for day, start in enumerate(starts):
            end = starts[day + 1] if day + 1 < len(starts) else len(papers)
            assert paper_list._paper_at(row) == start  # a header: the day's first paper
            for index in range(start, end):
                row += 1
                assert paper_list._row_of(index) == row and paper_list._paper_at(row) == index
            row += 1
        assert paper_list._paper_at(row) is None


async def test_a_narrowed_list_reuses_the_rows_already_drawn() -> None:
    papers = make_papers(200)
    app = ListApp(papers)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        drawn = {paper_list.render_line(y).text for y in range(1, 10)}
        paper_list.set_papers(papers[:100], keep_id=papers[0].id)
        await pilot.pause()
        rendered = []
        original = paper_list._render_row
        paper_list._render_row = lambda paper, key: rendered.append(paper.id) or original(paper, key)  # type: ignore[method-assign]
        assert {paper_list.render_line(y).text for y in range(1, 10)} == drawn
        assert rendered == []
        # a refreshed record of the same paper is drawn anew
        renamed = Paper(**{**papers[1].to_dict(), "title": "Renamed"})
        paper_list.set_papers([papers[0], renamed], keep_id=papers[0].id)
        assert "Renamed" in paper_list.render_line(1).text and rendered == [renamed.id]


async def test_sidebar_redraws_only_the_labels_whose_counts_changed() -> None:
    library = make_library()
    app = SidebarApp(library)
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        relabelled: list[str] = []
        original = sidebar._relabel
        sidebar._relabel = lambda key: relabelled.append(key) or original(key)  # type: ignore[method-assign]
        library.set_state("2504.00003", PaperState(starred=True))
        sidebar.update_counts(library.count)
        await pilot.pause()
        assert relabelled == ["starred"]
        starred = library.count(View("starred", "Starred"))
        assert line_with(sidebar_text(app), "Starred").split()[-2] == f"{starred.unread}/{starred.total}"
        sidebar.update_counts(library.count)
        assert relabelled == ["starred"]


# -- sizes set without a layout pass -----------------------------------------


class BoxesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SearchBox(id="search")
        yield Input(id="plain")
        yield PaperList(lambda paper_id: PaperState(), id="papers")


def count_layouts(app: App, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the screen's layout passes from now on (each lays out and
    repaints the whole screen)."""
    passes: list[int] = []
    screen = app.screen
    original = screen._refresh_layout
    monkeypatch.setattr(screen, "_refresh_layout", lambda *args, **kwargs: passes.append(1) or original(*args, **kwargs))
    return passes


async def test_a_growing_search_and_a_shrinking_list_lay_nothing_out(monkeypatch: pytest.MonkeyPatch) -> None:
    papers = make_papers(300)
    app = BoxesApp()
    async with app.run_test(size=(60, 20)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.set_papers(papers)
        app.query_one(SearchBox).focus()
        await pilot.pause()
        passes = count_layouts(app, monkeypatch)
        await pilot.press(*"quantum")
        for count in (250, 120, 40):  # still more rows than the list shows
            paper_list.set_papers(papers[:count])
            await pilot.pause()
        assert passes == []
        assert paper_list.virtual_size.height == 40 and paper_list.max_scroll_y == 40 - paper_list.size.height
        paper_list.set_papers(papers[:3])  # the scrollbar goes: that lays out
        await pilot.pause()
        assert passes and not paper_list.show_vertical_scrollbar
        # the screen shows the three papers over the whole width, the
        # scrollbar's column included, and nothing below them
        region = paper_list.region
        shown = [line[region.x : region.right] for line in screen_lines(app)[region.y : region.y + 4]]
        assert [papers[index].title in shown[index] for index in range(3)] == [True] * 3
        assert shown[3].strip() == ""
        assert len(paper_list.render_line(0).text) == region.width


async def test_the_search_box_scrolls_a_long_query_as_textuals_input_does() -> None:
    app = BoxesApp()
    long_query = "quantum entanglement in graph neural networks"  # longer than the box
    async with app.run_test(size=(40, 20)) as pilot:
        for box_id in ("search", "plain"):
            app.query_one(f"#{box_id}", Input).focus()
            await pilot.press(*long_query)
        await pilot.pause()
        search, plain = app.query_one("#search", Input), app.query_one("#plain", Input)
        assert search.value == plain.value == long_query
        assert search.virtual_size == plain.virtual_size and search.scroll_x == plain.scroll_x > 0
        lines = screen_lines(app)
        assert lines[search.region.y + 1] == lines[plain.region.y + 1]
