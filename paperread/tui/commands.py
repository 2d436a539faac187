"""The command palette's provider: every reader action, "Go to …" for each
view, tag and feed, bulk actions, sort orders, exports, removing saved
searches, and "Theme: …" for each theme.

Titles can hold tag and feed names, which are not markup: matches are
highlighted on ``Content`` built from the plain title, never by parsing it
(Textual's ``Matcher.highlight`` would). Help lines are parsed as markup by
the palette, so they only ever hold fixed text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from paperread.export import FORMATS
from paperread.library import SORT_ORDERS
from paperread.tui.bindings import APP_BINDINGS
from paperread.tui.choices import FORMAT_NAMES, SORT_LABELS

if TYPE_CHECKING:
    from paperread.tui.app import ReaderApp

_GO_TO = {
    "unread": "view", "starred": "view", "all": "view",
    "saved": "view", "tag": "tag", "feed": "feed",
}  # fmt: skip
_HELP = {
    "view": "Show this view in the list",
    "tag": "Show the papers with this tag",
    "feed": "Show the papers from this feed",
}
# Actions the palette would only get in the way of.
_NOT_IN_PALETTE = frozenset({"command_palette", "clear_search"})


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    title: str
    help: str
    callback: Callable[[], object]


def reader_commands(app: ReaderApp) -> list[PaletteCommand]:
    """The palette's entries for the app as it is now."""
    commands = []
    for binding in APP_BINDINGS:
        if isinstance(binding, Binding) and binding.action not in _NOT_IN_PALETTE:
            commands.append(
                PaletteCommand(
                    binding.tooltip or binding.description,
                    "Reader action",
                    partial(app.run_action, binding.action),
                )
            )
    commands += [
        PaletteCommand("Star every paper in this view", "Bulk action on the list as shown (u undoes)",
                       app.action_star_all),
        PaletteCommand("Tag every paper in this view…", "Bulk action on the list as shown (u undoes)",
                       app.action_tag_all),
    ]
    commands += [
        PaletteCommand(f"Sort: {SORT_LABELS[order]}", "Order the list", partial(app.set_sort, order))
        for order in SORT_ORDERS
    ]
    commands += [
        PaletteCommand(f"Export view as {FORMAT_NAMES[fmt]}…", "Write the papers listed to a file",
                       partial(app.export_view, fmt))
        for fmt in FORMATS
    ]
    for view in app.all_views():
        kind = _GO_TO[view.kind]
        commands.append(
            PaletteCommand(f"Go to {kind}: {view.label}", _HELP[kind], partial(app.show_view, view))
        )
    commands += [
        PaletteCommand(f"Remove saved search: {name}", "Forget a search saved from the reader",
                       partial(app.remove_saved_search, name))
        for name in app.saved_searches.reader_views
    ]
    for name in sorted(app.available_themes):
        commands.append(PaletteCommand(f"Theme: {name}", "Switch to this theme", partial(app.set_theme, name)))
    return commands


def highlight(matcher: Matcher, title: str) -> Content:
    """``title`` as plain text with the matched characters styled."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if not score:
        return content
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ReaderCommands(Provider):
    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        for command in reader_commands(self.reader):
            yield DiscoveryHit(Content(command.title), command.callback, text=command.title, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in reader_commands(self.reader):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, command.title), command.callback,
                    text=command.title, help=command.help,
                )

