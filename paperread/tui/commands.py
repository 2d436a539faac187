"""The command palette's provider: every reader action, "Go to …" for each
view, tag and feed, and "Theme: …" for each theme.

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

from paperread.tui.bindings import APP_BINDINGS

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
    for view in app.session.library.views(app.session.config.views):
        kind = _GO_TO[view.kind]
        commands.append(
            PaletteCommand(f"Go to {kind}: {view.label}", _HELP[kind], partial(app.show_view, view))
        )
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

