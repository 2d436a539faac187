"""The sidebar: the views (fixed views, saved searches, tags, feeds) with
their unread/total counts, grouped under small headings.

An OptionList is plenty here: there are tens of entries, not thousands. Each
option's id is the view's key; headings are disabled options. Labels are
built from plain text only, so a tag named ``[bold]`` shows those characters.
A count may be unknown for a while (saved searches are counted in the
background); it shows as "…".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from paperread.library import Count, View
from paperread.tui.rendering import count_label, one_line
from paperread.tui.textual_private import (
    forget_option_render,
    option_lines,
    set_option_prompt,
)

_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Views", ("foryou", "unread", "starred", "all", "unsure")),
    ("Saved", ("saved",)),
    ("Tags", ("tag",)),
    ("Feeds", ("feed",)),
)

CountsFn = Callable[[View], Count | None]
PENDING_COUNT = "…"
_BOLD, _DIM, _ERROR = Style(bold=True), Style(dim=True), Style(bold=True, color="red")


class EntryLabel:
    """A sidebar entry's label, laid out at the width it is drawn at: the
    name (bold for the current view) cut with an ellipsis, a space, the
    counts flush right (dim, after a red "!" for an error), and the error's
    reason as a dim second line under the name. The same layout as a
    two-column rich Table grid, at a tenth of its cost: every entry is
    measured and drawn when the reader starts."""

    def __init__(self, name: str, counts: str, current: bool = False, error: str | None = None) -> None:
        self.name = name
        self.counts = counts
        self.current = current
        self.error = error

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        right = cell_len(self.counts) + (2 if self.error else 0)
        column = max(width - right - 1, 0)  # the name's column; one space between the two
        yield from _cell(self.name, column, _BOLD if self.current else None)
        yield Segment(" ")
        if self.error:
            yield Segment("! ", _ERROR)
        yield Segment(self.counts, _DIM)
        if self.error:
            yield Segment.line()
            yield from _cell(self.error, column, _DIM)
            yield Segment(" " * (width - column))
        yield Segment.line()  # how Textual counts a renderable's lines


def _cell(text: str, width: int, style: Style | None) -> Iterator[Segment]:
    """``text`` in a column ``width`` cells wide: cut with an ellipsis as a
    rich Text with overflow="ellipsis" is, padded with spaces."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…" if width > 0 else ""
    yield Segment(text, style)
    padding = width - cell_len(text)
    if padding > 0:
        yield Segment(" " * padding)


def _values(count: Count | None) -> tuple[int, int] | None:
    return None if count is None else (count.unread, count.total)


class Sidebar(OptionList):
    """The list of views. Enter (or a click) on an entry posts ``ViewChosen``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", tooltip="Next view", id="sidebar.down", show=False),
        Binding("k,up", "cursor_up", "Up", tooltip="Previous view", id="sidebar.up", show=False),
        Binding("g,home", "first", "First", tooltip="First view", id="sidebar.first", show=False),
        Binding("G,end", "last", "Last", tooltip="Last view", id="sidebar.last", show=False),
        Binding("enter", "select", "Show", tooltip="Show this view's papers", id="sidebar.choose"),
        Binding("d", "remove", "Remove", tooltip="Remove this saved search", id="sidebar.remove", show=False),
    ]

    DEFAULT_CSS = """
    Sidebar {
        height: 1fr;
        max-height: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    class ViewChosen(Message):
        """The user chose a view to show in the list."""

        def __init__(self, view: View, *, sidebar: Sidebar | None = None) -> None:
            super().__init__()
            self.view = view
            self.sidebar = sidebar

        @property
        def control(self) -> Sidebar | None:
            return self.sidebar

    class RemoveRequested(Message):
        """The user asked to remove a saved search (the app decides whether
        it can be removed, and asks first)."""

        def __init__(self, view: View, *, sidebar: Sidebar | None = None) -> None:
            super().__init__()
            self.view = view
            self.sidebar = sidebar

        @property
        def control(self) -> Sidebar | None:
            return self.sidebar

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._views: dict[str, View] = {}
        self._errors: dict[str, str] = {}
        self._counts: CountsFn = lambda view: Count()
        # view key -> the (unread, total) its label shows; Count objects are
        # updated in place by the library, so their values are kept instead
        self._shown: dict[str, tuple[int, int] | None] = {}
        self.current_key: str | None = None

    # -- public API ------------------------------------------------------------
    @property
    def views(self) -> list[View]:
        """The views shown, in order."""
        return list(self._views.values())

    @property
    def highlighted_view(self) -> View | None:
        option = self.highlighted_option
        return None if option is None or option.id is None else self._views.get(option.id)

    def show_views(
        self,
        views: list[View],
        counts: CountsFn,
        feed_errors: Mapping[str, str],
        current_key: str,
        view_errors: Mapping[str, str] | None = None,
    ) -> None:
        """Rebuild the entries. ``feed_errors`` maps a feed URL to the reason
        its last fetch failed, ``view_errors`` a view key to what is wrong
        with it (a saved search that does not parse). The highlight stays on
        the entry it was on (when that entry still exists), else goes to
        ``current_key``."""
        previous = self.highlighted_option.id if self.highlighted_option is not None else None
        self._views = {view.key: view for view in views}
        self._counts = counts
        self._shown = {}
        self._errors = {f"feed:{url}": one_line(error) for url, error in feed_errors.items()}
        self._errors.update((key, one_line(error)) for key, error in (view_errors or {}).items())
        self.current_key = current_key
        options: list[Option | None] = []
        for heading, kinds in _GROUPS:
            group = [view for view in self._views.values() if view.kind in kinds]
            if not group:
                continue
            if options:
                options.append(None)
            options.append(Option(Content.styled(heading, "dim bold"), disabled=True))
            options += [Option(self._label(view), id=view.key) for view in group]
        self.set_options(options)
        for key in (previous, current_key):
            if key is not None and key in self._views:
                self.highlighted = self.get_option_index(key)
                break
        else:
            self.highlighted = self._first_enabled()
        self._update_tooltip()

    def update_counts(self, counts: CountsFn) -> None:
        """Refresh the labels whose counts changed, in place (no rebuild)."""
        self._counts = counts
        for key, view in self._views.items():
            if _values(counts(view)) != self._shown.get(key):
                self._relabel(key)

    def set_current(self, key: str) -> None:
        """Mark ``key`` as the view being shown (its name in bold)."""
        previous, self.current_key = self.current_key, key
        for changed in {previous, key}:
            if changed in self._views:
                self._relabel(changed)

    # -- internals -------------------------------------------------------------
    def _relabel(self, key: str) -> None:
        """Give ``key``'s entry a new label of the same height (its counts or
        boldness changed; errors change only in ``show_views``).

        ``replace_option_prompt`` would drop every rendered option and measure
        all of them again, tens of milliseconds per keypress with these table
        labels; only this option's renders are dropped and its lines repainted.
        This reaches into OptionList internals (``Option._set_prompt``, the
        render and line caches) of the exactly pinned Textual version."""
        index = self.get_option_index(key)
        option = self.get_option_at_index(index)
        set_option_prompt(option, self._label(self._views[key]))
        forget_option_render(self, option)
        lines = option_lines(self, index)
        if lines is not None:
            self.refresh_lines(*lines)
        else:
            self.refresh()  # not measured yet: the first render draws it

    def _label(self, view: View) -> EntryLabel:
        """A full-width row: the name on the left, "unread/total" on the
        right, and for a failed feed or a broken saved search a "!" and a
        dim line with the reason."""
        count = self._counts(view)
        self._shown[view.key] = _values(count)
        return EntryLabel(
            one_line(view.label) or view.value,
            PENDING_COUNT if count is None else count_label(count.unread, count.total),
            current=view.key == self.current_key,
            error=self._errors.get(view.key),
        )

    def _first_enabled(self) -> int | None:
        for index, option in enumerate(self.options):
            if not option.disabled:
                return index
        return None

    def _update_tooltip(self) -> None:
        view = self.highlighted_view
        error = self._errors.get(view.key) if view is not None else None
        self.tooltip = Content(error) if error else None

    def action_remove(self) -> None:
        view = self.highlighted_view
        if view is None:
            return
        if view.kind != "saved":
            self.notify("Only saved searches can be removed here", markup=False)
            return
        self.post_message(self.RemoveRequested(view, sidebar=self))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self._update_tooltip()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self._views.get(event.option_id or "")
        if view is not None:
            self.set_current(view.key)
            self.post_message(self.ViewChosen(view, sidebar=self))
