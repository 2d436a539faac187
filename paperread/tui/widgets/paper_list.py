"""The paper list: a virtual list that renders only the rows on screen.

A ``ScrollView`` with the Line API (``render_line``): the virtual height is
the number of papers and each visible row is built on demand from plain
strings into Segments, so 100,000 papers cost no more to show than 50.
Rendered rows are cached per row together with everything that changes how
they look (width, cursor, focus, read/star/tags), so a stale row can never be
shown and scrolling back and forth reuses work.
"""

from __future__ import annotations

from collections.abc import Callable
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
    badge,
    fit,
    format_day,
    format_tags,
    one_line,
    pad,
    short_authors,
)

EMPTY_TEXT = "No papers in this view"
_DATE_WIDTH = 6  # "Apr 28"


class _RowKey(NamedTuple):
    """Everything a rendered row depends on besides the paper itself."""

    paper_id: str
    width: int
    cursor: bool
    focused: bool
    read: bool
    starred: bool
    tags: tuple[str, ...]


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
        "paper-list--tags",
        "paper-list--meta",
        "paper-list--empty",
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
        & > .paper-list--tags { color: $text-accent; }
        & > .paper-list--meta { color: $text-muted; }
        & > .paper-list--empty { color: $text-muted; text-style: dim; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)
    """Index of the highlighted row (0 when the list is empty)."""

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
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._state_of = state_of
        self._papers: list[Paper] = []
        self._index_by_id: dict[str, int] | None = None
        self._rows: LRUCache[int, tuple[_RowKey, Strip]] = LRUCache(maxsize=1024)
        # The paper last announced with Highlighted; compared by identity so a
        # refreshed record with the same id is announced again.
        self._announced: Paper | None = None

    # -- public API ------------------------------------------------------------
    @property
    def papers(self) -> list[Paper]:
        """The rows, in order. Treat as read-only: use ``set_papers`` to change."""
        return self._papers

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

    def set_papers(self, papers: list[Paper], keep_id: str | None = None) -> None:
        """Replace the rows. The cursor stays on ``keep_id`` when that paper is
        still listed, else on the same index (clamped). Always announces the
        highlighted paper, since the list changed."""
        old_index = self.cursor
        self._papers = list(papers)
        self._index_by_id = None
        self._rows.clear()
        # A scan, not index_of: building the id index costs ten times more
        # and a search rebuilds the list on every keystroke.
        index = None
        if keep_id is not None:
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
        self._rows.discard(index)
        self.refresh_line(index)

    # -- cursor ----------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return clamp(value, 0, max(0, len(self._papers) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
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
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def _move_page(self, direction: int) -> None:
        """Scroll by a page and keep the cursor on the same screen row."""
        height = self._page_height()
        on_screen = self.cursor - self.scroll_offset.y
        target = self.validate_cursor(self.cursor + direction * height)
        self.scroll_to(y=max(0, target - on_screen), animate=False)
        self.cursor = target

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

    def action_select_cursor(self) -> None:
        paper = self.highlighted
        if paper is not None:
            self.post_message(self.Selected(paper, paper_list=self))

    # -- events ----------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + self.scroll_offset.y
        if row >= len(self._papers):
            return
        self.cursor = row
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
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._papers))

    # -- rendering -------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        base = self.get_visual_style().rich_style
        if not self._papers:
            if row == 0:
                style = base + self.get_component_rich_style("paper-list--empty", partial=True)
                return Strip([Segment(fit(EMPTY_TEXT, width), style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if row >= len(self._papers):
            return Strip.blank(width, base)
        paper = self._papers[row]
        state = self._state_of(paper.id)
        key = _RowKey(
            paper.id,
            width,
            row == self.cursor,
            self.has_focus,
            state.read,
            state.starred,
            tuple(state.tags),
        )
        cached = self._rows.get(row)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._render_row(paper, key)
        self._rows.set(row, (key, strip))
        return strip

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
        show_date = width >= 40
        meta_width = (author_width + 1 if author_width else 0)
        meta_width += (_DATE_WIDTH + 1 + BADGE_WIDTH + 1) if show_date else 0
        flexible = max(0, width - 4 - meta_width)

        tags = format_tags(key.tags)
        tags_width = min(cell_len(tags) + 1, flexible // 3) if tags else 0
        tags_text = " " + fit(tags, tags_width - 1) if tags_width >= 2 else ""
        title = fit(one_line(paper.title), flexible - cell_len(tags_text))
        filler = flexible - cell_len(tags_text) - cell_len(title)

        segments = [
            Segment("● " if not key.read else "  ", part("paper-list--marker")),
            Segment("★ " if key.starred else "  ", part("paper-list--star")),
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
            badge_text, badge_kind = badge(paper.announce_type)
            badge_style = part(f"paper-list--badge-{badge_kind}") if badge_kind else base
            segments.append(Segment(" " + pad(badge_text, BADGE_WIDTH) + " ", badge_style))
        return Strip(segments).adjust_cell_length(width, base)
