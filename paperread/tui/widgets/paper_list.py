"""The paper list: a virtual list that renders only the rows on screen.

A ``ScrollView`` with the Line API (``render_line``): the virtual height is
the number of rows and each visible row is built on demand from plain
strings into Segments, so 100,000 papers cost no more to show than 50.
Rendered rows are cached by everything that changes how they look (the
paper record, width, cursor, focus, read/star/tags, grouping), not by their
place, so a stale row can never be shown, and scrolling back and forth or a
new list holding the same papers (a search narrowing) reuses work.

Grouped by day (for the date orders), a header row ("Mon 27 Apr 2026 · 123
papers") opens each announcement day. The papers are then sorted by day, so
the days are found by binary search (tens of days among 100,000 papers take
a few hundred look-ups, not a pass), and rows map to papers by arithmetic on
the days' first indexes. The cursor is an index into the papers, never a
row, so it cannot land on a header.
"""

from __future__ import annotations

import contextlib
import functools
import operator
import textwrap
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperread.library import paper_day
from paperread.model import Paper, PaperState
from paperread.tui.rendering import (
    BADGE_WIDTH,
    WATCHED_MARK,
    badge,
    fit,
    format_day,
    format_day_header,
    format_tags,
    one_line,
    pad,
    short_authors,
    upvotes_badge,
)
from paperread.tui.widgets.scrolling import set_virtual_size

EMPTY_TEXT = "No papers in this view"
NOT_GROUPED_TEXT = "Days are marked only in date order (S changes the order)"
_DATE_WIDTH = 6  # "Apr 28"


def empty_library_text(config_path: Path | None, refresh_key: str = "r") -> str:
    """What the list says while the library has no papers at all (a first
    run with no feed reachable, say): where papers come from."""
    where = "the config file" if config_path is None else f"the config file, {config_path}"
    if config_path is not None and not config_path.exists():
        where += " (not there yet: create it)"
    return "\n".join([
        "No papers yet: the library is empty.",
        "",
        f"Press {refresh_key} to refresh (fetch the feeds now).",
        f"Feeds to follow go in {where}:",
        "    [[feeds]]",
        '    url = "arxiv:cs.LG"',
        "For one run: paperread --feed SPEC (a URL, a file, arxiv:cs.LG, hf:daily)",
        "From an OPML file: paperread import-opml FILE",
    ])


@functools.lru_cache(maxsize=4)  # asked for every line on screen
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` characters; a line that does
    not fit goes on indented under its start."""
    lines = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        lines += textwrap.wrap(line, max(width, len(indent) + 1), subsequent_indent=indent) or [""]
    return tuple(lines)


class _RowKey(NamedTuple):
    """Everything a rendered row depends on besides the paper itself."""

    paper_id: str
    width: int
    grouped: bool
    cursor: bool
    focused: bool
    read: bool
    starred: bool
    tags: tuple[str, ...]
    watched: bool
    by_upvotes: bool
    mark: str
    dismissed: bool


class _HeaderKey(NamedTuple):
    """A day header row: which day, how many papers, how wide."""

    day: str  # the day, or a section's heading
    count: int
    width: int
    section: bool = False


class PaperList(ScrollView, can_focus=True):
    """A keyboard-driven list of papers, one row each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", tooltip="Next paper", id="list.down", show=False),
        Binding("k,up", "cursor_up", "Up", tooltip="Previous paper", id="list.up", show=False),
        Binding("g,home", "first", "First", tooltip="First paper", id="list.first", show=False),
        Binding("G,end", "last", "Last", tooltip="Last paper", id="list.last", show=False),
        Binding(
            "pagedown", "page_down", "Page down", tooltip="A page down", id="list.page_down", show=False
        ),
        Binding("pageup", "page_up", "Page up", tooltip="A page up", id="list.page_up", show=False),
        Binding(
            "left_square_bracket", "previous_day", "Previous day",
            tooltip="First paper of the previous day", id="list.previous_day", show=False,
        ),
        Binding(
            "right_square_bracket", "next_day", "Next day",
            tooltip="First paper of the next day", id="list.next_day", show=False,
        ),
        Binding(
            "n", "next_unread", "Next unread", tooltip="Next unread paper (on past the day's end)",
            id="list.next_unread", show=False,
        ),
        Binding(
            "N", "previous_unread", "Previous unread", tooltip="Previous unread paper",
            id="list.previous_unread", show=False,
        ),
        Binding(
            "enter", "select_cursor", "Open", tooltip="Open the paper and mark it read", id="list.open"
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--marker",
        "paper-list--star",
        "paper-list--badge-new",
        "paper-list--badge-cross",
        "paper-list--badge-replace",
        "paper-list--badge-upvotes",
        "paper-list--badge-score",
        "paper-list--tags",
        "paper-list--meta",
        "paper-list--empty",
        "paper-list--day",
        "paper-list--watched",
    }

    DEFAULT_CSS = """
    PaperList {
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        & > .paper-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .paper-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .paper-list--unread { text-style: bold; }
        & > .paper-list--read { text-style: dim; }
        & > .paper-list--marker { color: $accent; }
        & > .paper-list--star { color: $warning; }
        & > .paper-list--badge-new { color: $text-success; }
        & > .paper-list--badge-cross { color: $text-secondary; }
        & > .paper-list--badge-replace { color: $text-muted; }
        & > .paper-list--badge-upvotes { color: $text-warning; }
        & > .paper-list--badge-score { color: $text-accent; }
        & > .paper-list--tags { color: $text-accent; }
        & > .paper-list--meta { color: $text-muted; }
        & > .paper-list--empty { color: $text-muted; text-style: dim; }
        & > .paper-list--day { background: $boost; color: $text-primary; text-style: bold; }
        & > .paper-list--watched { color: $text-error; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    """Index of the highlighted paper in ``papers`` (0 when the list is
    empty). Not a row: with day headers the rows are more than the papers.
    A move repaints the two rows concerned (``watch_cursor``), not the list."""

    class Highlighted(Message):
        """The cursor is on another paper, or the list changed under it."""

        def __init__(self, paper: Paper | None, *, paper_list: PaperList | None = None) -> None:
            super().__init__()
            self.paper = paper
            self.paper_list = paper_list

        @property
        def control(self) -> PaperList | None:
            return self.paper_list

    class Selected(Message):
        """The user opened the paper under the cursor (Enter or double click)."""

        def __init__(self, paper: Paper, *, paper_list: PaperList | None = None) -> None:
            super().__init__()
            self.paper = paper
            self.paper_list = paper_list

        @property
        def control(self) -> PaperList | None:
            return self.paper_list

    def __init__(
        self,
        state_of: Callable[[str], PaperState],
        *,
        watched_of: Callable[[Paper], bool] | None = None,
        empty_text: Callable[[], str] = lambda: EMPTY_TEXT,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``state_of`` gives a paper's state by id; ``watched_of``, when
        given, tells which papers the watch list marks (a column of its own);
        ``empty_text`` what to say instead of papers, asked each time the
        list is set empty."""
        super().__init__(id=id, classes=classes)
        self._state_of = state_of
        self._watched_of = watched_of
        self._empty_text = empty_text
        self._empty_shown = empty_text()
        self._papers: list[Paper] = []
        self._index_by_id: dict[str, int] | None = None
        self._grouped = False
        self._sectioned = False  # headers are the caller's sections, not days
        self._by_upvotes = False
        self._marks: Mapping[str, str] | None = None
        # Grouped only: the paper index each day starts at, and that day. Day
        # d's header is row _day_starts[d] + d, its papers the rows after it.
        # Ungrouped, rows and paper indexes are the same.
        self._day_starts: list[int] = []
        self._days: list[str] = []
        # row key -> (the paper record drawn, None for a header; the row)
        self._rows: LRUCache[_RowKey | _HeaderKey, tuple[Paper | None, Strip]] = LRUCache(maxsize=1024)
        # The paper last announced with Highlighted; compared by identity so a
        # refreshed record with the same id is announced again.
        self._announced: Paper | None = None

    # -- public API ------------------------------------------------------------
    @property
    def papers(self) -> list[Paper]:
        """The papers, in order. Treat as read-only: use ``set_papers`` to change."""
        return self._papers

    @property
    def grouped(self) -> bool:
        """Whether the papers are shown under day headers."""
        return self._grouped

    @property
    def row_count(self) -> int:
        """Rows in the list: the papers, plus the day headers when grouped."""
        return len(self._papers) + len(self._day_starts)

    def day_starts(self) -> list[int]:
        """The index (in ``papers``) of the first paper of each day, in list
        order; empty when not grouped."""
        return list(self._day_starts)

    @property
    def highlighted(self) -> Paper | None:
        """The paper under the cursor, or None when the list is empty."""
        return self._papers[self.cursor] if self._papers else None

    def index_of(self, paper_id: str) -> int | None:
        """The row of ``paper_id``, or None. The cursor row is checked first,
        since that is the paper the user just changed."""
        if self._papers and self._papers[self.cursor].id == paper_id:
            return self.cursor
        if self._index_by_id is None:
            self._index_by_id = {paper.id: index for index, paper in enumerate(self._papers)}
        return self._index_by_id.get(paper_id)

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped to the list)."""
        self.cursor = index

    def set_papers(
        self,
        papers: list[Paper],
        keep_id: str | None = None,
        *,
        grouped: bool = False,
        keep: Paper | None = None,
        by_upvotes: bool = False,
        sections: Sequence[tuple[int, str]] | None = None,
        marks: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the rows. The cursor stays on ``keep_id`` when that paper is
        still listed, else on the same index (clamped); ``keep`` instead is
        that paper's record as the caller holds it, the very object listed,
        found by identity. ``grouped`` puts a header row before each run of
        papers of the same day (``paper_day``); the papers must then be
        sorted by day (either way). ``by_upvotes`` shows every paper's
        Hugging Face upvotes in the badge column (else only where there is
        no arXiv announce type). ``sections`` instead of days: (first index,
        heading) pairs, in order, each heading a header row. Always announces
        the highlighted paper, since the list changed. ``marks`` (paper id ->
        a few characters, such as a score) take the badge column.
        """
        old_index = self.cursor
        self._by_upvotes = by_upvotes
        self._marks = marks
        self._papers = list(papers)
        if not self._papers:
            self._empty_shown = self._empty_text()
        self._index_by_id = None
        if sections:
            self._grouped, self._sectioned = True, True
            starts = [(start, heading) for start, heading in sections if 0 <= start < len(self._papers)]
            self._day_starts, self._days = [start for start, _ in starts], [heading for _, heading in starts]
        else:
            self._sectioned = False
            self._group(grouped)
        # A scan, not index_of: building the id index costs ten times more
        # and a search rebuilds the list on every keystroke. By identity
        # when the caller can: id() reads no paper, where reading each
        # one's id took 26 ms at 61k rows spread over the heap, whenever
        # the kept paper had just been filtered out.
        index = None
        if keep is not None:
            with contextlib.suppress(ValueError):
                index = operator.indexOf(map(id, self._papers), id(keep))
        elif keep_id is not None:
            index = next((row for row, paper in enumerate(self._papers) if paper.id == keep_id), None)
        self.set_reactive(PaperList.cursor, self.validate_cursor(old_index if index is None else index))
        self._update_virtual_size()
        self.refresh()
        self._scroll_to_cursor()
        self._announce(force=True)

    def refresh_paper(self, paper_id: str) -> None:
        """Repaint the row of ``paper_id`` (after its state changed)."""
        index = self.index_of(paper_id)
        if index is None:
            return
        self.refresh_line(self._row_of(index))  # the state is part of the row's key

    # -- rows ------------------------------------------------------------------
    def _group(self, grouped: bool) -> None:
        """Find the days of the (day-sorted) papers by binary search."""
        self._grouped = grouped
        self._day_starts, self._days = [], []
        if not grouped:
            return
        papers = self._papers
        count = len(papers)
        start = 0
        while start < count:
            day = paper_day(papers[start])
            # gallop to an index past the day's run (papers[low] is of the
            # day), then bisect for where the run ends
            low, step, high = start, 1, start + 1
            while high < count and paper_day(papers[high]) == day:
                low, step = high, step * 2
                high = low + step
            end = bisect_left(
                range(count), True, low + 1, min(high, count), key=lambda index: paper_day(papers[index]) != day
            )
            self._day_starts.append(start)
            self._days.append(day)
            start = end

    def _day_of(self, index: int) -> int:
        """The day number of paper ``index`` (grouped lists)."""
        return bisect_right(self._day_starts, index) - 1

    def _row_of(self, index: int) -> int:
        """The row that shows paper ``index``."""
        if self._grouped and 0 <= index < len(self._papers):
            return index + self._day_of(index) + 1
        return index

    def _row_item(self, row: int) -> int:
        """What ``row`` (within the list) shows: a paper index (>= 0), or
        ~day number (< 0) for a day's header."""
        if not self._grouped:
            return row
        starts = self._day_starts
        day = bisect_right(range(len(starts)), row, key=lambda number: starts[number] + number) - 1
        header = starts[day] + day
        return ~day if row == header else row - day - 1

    def _paper_at(self, row: int) -> int | None:
        """The paper shown on ``row``, or for a header the first paper below
        it (every day has one); None past the end."""
        if not 0 <= row < self.row_count:
            return None
        item = self._row_item(row)
        return item if item >= 0 else self._day_starts[~item]

    def _day_count(self, day_number: int) -> int:
        starts = self._day_starts
        end = starts[day_number + 1] if day_number + 1 < len(starts) else len(self._papers)
        return end - starts[day_number]

    # -- cursor ----------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return clamp(value, 0, max(0, len(self._papers) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(self._row_of(old))
        self.refresh_line(self._row_of(new))
        self._scroll_to_cursor()
        self._announce()

    def _announce(self, force: bool = False) -> None:
        paper = self.highlighted
        if force or paper is not self._announced:
            self._announced = paper
            self.post_message(self.Highlighted(paper, paper_list=self))

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = self.scroll_offset.y
        row = self._row_of(self.cursor)
        # the first paper of a day brings its header into view with it
        first = row - 1 if self._grouped and row > 0 and self._row_item(row - 1) < 0 else row
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def _move_page(self, direction: int) -> None:
        """Scroll by a page and keep the cursor on the same screen row (or
        the paper just below, where that row is a day header)."""
        if not self._papers:
            return
        height = self._page_height()
        row = self._row_of(self.cursor)
        on_screen = row - self.scroll_offset.y
        target_row = clamp(row + direction * height, 0, self.row_count - 1)
        target = self._paper_at(target_row)
        if target is None:
            return
        self.scroll_to(y=max(0, self._row_of(target) - on_screen), animate=False)
        self.cursor = target

    def _jump_to_day(self, day_number: int) -> None:
        """Cursor on the first paper of a day, its header at the top."""
        self.cursor = self._day_starts[day_number]
        self.scroll_to(y=self._row_of(self.cursor) - 1, animate=False)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._papers) - 1

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_next_day(self) -> None:
        if not self._grouped:
            self.notify(NOT_GROUPED_TEXT, markup=False)
            return
        if self._papers:
            day = bisect_right(self._day_starts, self.cursor) - 1
            if day + 1 < len(self._day_starts):
                self._jump_to_day(day + 1)

    def action_previous_day(self) -> None:
        if not self._grouped:
            self.notify(NOT_GROUPED_TEXT, markup=False)
            return
        if self._papers:
            day = bisect_right(self._day_starts, self.cursor) - 1
            if day > 0:
                self._jump_to_day(day - 1)

    def unread_index(self, start: int, step: int) -> int | None:
        """The first unread paper from index ``start`` on, going by ``step``
        (1 down, -1 up), across days; None when there is none that way."""
        papers, state_of = self._papers, self._state_of
        stop = len(papers) if step > 0 else -1
        for index in range(start, stop, step):
            if not state_of(papers[index].id).read:
                return index
        return None

    def move_to_unread(self, step: int) -> bool:
        """Put the cursor on the next unread paper below (``step`` 1) or above
        (-1); past the end, on the first one from the other end, saying so.
        False (with a notice) when no other paper listed is unread."""
        found = self.unread_index(self.cursor + step, step) if self._papers else None
        wrapped = found is None and bool(self._papers)
        if wrapped:
            found = self.unread_index(0 if step > 0 else len(self._papers) - 1, step)
        if found is None or found == self.cursor:
            self.notify("no other unread paper in this list", markup=False)
            return False
        if wrapped:
            self.notify(f"no unread paper {'below: back to the top' if step > 0 else 'above: from the end'}",
                        markup=False)
        self.cursor = found
        return True

    def action_next_unread(self) -> None:
        self.move_to_unread(1)

    def action_previous_unread(self) -> None:
        self.move_to_unread(-1)

    def action_select_cursor(self) -> None:
        paper = self.highlighted
        if paper is not None:
            self.post_message(self.Selected(paper, paper_list=self))

    # -- events ----------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self._paper_at(offset.y + self.scroll_offset.y)
        if index is None:
            return
        self.cursor = index
        if event.chain >= 2:
            self.action_select_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    def on_mount(self) -> None:
        self._update_virtual_size()

    def notify_style_update(self) -> None:
        self._rows.clear()
        super().notify_style_update()

    def _update_virtual_size(self) -> None:
        set_virtual_size(self, Size(self.scrollable_content_region.width, self.row_count))

    # -- rendering -------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        base = self.get_visual_style().rich_style
        if not self._papers:
            lines = _wrap(self._empty_shown, width)
            if row < len(lines):
                style = base + self.get_component_rich_style("paper-list--empty", partial=True)
                return Strip([Segment(fit(lines[row], width), style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if row >= self.row_count:
            return Strip.blank(width, base)
        index = self._row_item(row)
        key: _RowKey | _HeaderKey
        paper: Paper | None = None
        if index < 0:
            key = _HeaderKey(self._days[~index], self._day_count(~index), width, self._sectioned)
        else:
            paper = self._papers[index]
            state = self._state_of(paper.id)
            key = _RowKey(
                paper.id,
                width,
                self._grouped,
                index == self.cursor,
                self.has_focus,
                state.read,
                state.starred,
                tuple(state.tags),
                self._watched_of(paper) if self._watched_of is not None else False,
                self._by_upvotes,
                self._marks.get(paper.id, "") if self._marks is not None else "",
                state.dismissed,
            )
        cached = self._rows.get(key)
        if cached is not None and cached[0] is paper:
            return cached[1]
        if paper is None:
            strip = self._render_header(key)  # type: ignore[arg-type]
        else:
            strip = self._render_row(paper, key)  # type: ignore[arg-type]
        self._rows.set(key, (paper, strip))
        return strip

    def _render_header(self, key: _HeaderKey) -> Strip:
        style = self.get_visual_style("paper-list--day").rich_style
        heading = f"{key.day} · {key.count} paper{'' if key.count == 1 else 's'}" if key.section else None
        text = fit(" " + (heading or format_day_header(key.day, key.count)), key.width)
        return Strip([Segment(text, style)]).adjust_cell_length(key.width, style)

    def _render_row(self, paper: Paper, key: _RowKey) -> Strip:
        width = key.width
        if key.cursor:
            base = self.get_visual_style("paper-list--cursor").rich_style
        else:
            base = self.get_visual_style().rich_style

        def part(component: str) -> Style:
            style = self.get_component_rich_style(component, partial=True)
            # The focused cursor has its own contrasting colours; keep only
            # the text attributes (bold, dim) of the columns on it.
            if key.cursor and key.focused:
                style = style.without_color
            return base + style

        author_width = clamp(width // 5, 12, 24) if width >= 70 else 0
        show_badge = width >= 40
        show_date = show_badge and not key.grouped  # grouped, the header says the day
        show_watched = self._watched_of is not None
        meta_width = (author_width + 1 if author_width else 0)
        meta_width += (_DATE_WIDTH + 1) if show_date else 0
        meta_width += (BADGE_WIDTH + 2) if show_badge else 0
        flexible = max(0, width - (6 if show_watched else 4) - meta_width)

        tags = format_tags(key.tags)
        tags_width = min(cell_len(tags) + 1, flexible // 3) if tags else 0
        tags_text = " " + fit(tags, tags_width - 1) if tags_width >= 2 else ""
        title = fit(one_line(paper.title), flexible - cell_len(tags_text))
        filler = flexible - cell_len(tags_text) - cell_len(title)

        segments = [
            # × not interested, ● unread
            Segment("× " if key.dismissed else "● " if not key.read else "  ", part("paper-list--marker")),
            Segment("★ " if key.starred else "  ", part("paper-list--star")),
        ]
        if show_watched:
            segments.append(Segment(f"{WATCHED_MARK} " if key.watched else "  ", part("paper-list--watched")))
        segments += [
            Segment(title, part("paper-list--read" if key.read else "paper-list--unread")),
            Segment(tags_text, part("paper-list--tags")),
            Segment(" " * max(0, filler), base),
        ]
        meta = part("paper-list--meta")
        if author_width:
            author = pad(short_authors(paper.authors, author_width), author_width)
            segments.append(Segment(" " + author, meta))
        if show_date:
            segments.append(Segment(" " + pad(format_day(paper_day(paper)), _DATE_WIDTH), meta))
        if show_badge:
            badge_text, badge_kind = badge(paper.announce_type)
            if key.mark:
                badge_text, badge_kind = key.mark, "score"
            elif paper.upvotes is not None and (key.by_upvotes or not badge_kind):
                badge_text, badge_kind = upvotes_badge(paper.upvotes), "upvotes"
            badge_style = part(f"paper-list--badge-{badge_kind}") if badge_kind else base
            segments.append(Segment(" " + pad(badge_text, BADGE_WIDTH) + " ", badge_style))
        return Strip(segments).adjust_cell_length(width, base)
