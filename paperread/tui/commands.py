"""The command palette's provider: every reader action, "Go to …" for each
view, tag and feed, bulk actions, sort orders, exports, removing saved
searches, and "Theme: …" for each theme.

An entry runs a binding's action by name or posts a message to the main
screen (``tui/messages.py``; the app's own bubble up to it); what it lists
it reads from the main screen through ``PaletteSource``, so this module
never imports the app or the screen.

Titles can hold tag and feed names, which are not markup: matches are
highlighted on ``Content`` built from the plain title, never by parsing it
(Textual's ``Matcher.highlight`` would). Help lines are parsed as markup by
the palette, so they hold fixed text and escaped key names only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape
from textual.message import Message

from paperread.export import FORMATS
from paperread.library import SORT_ORDERS, View
from paperread.tui.bindings import APP_BINDINGS, READER_BINDINGS
from paperread.tui.data.labels import FORMAT_NAMES, SORT_LABELS
from paperread.tui.messages import (
    ExportView,
    MoreLikeTag,
    RemoveSavedSearch,
    SetSort,
    SetTheme,
    ShowView,
    StarAll,
    TagAll,
)

_GO_TO = {
    "unread": "view", "starred": "view", "all": "view", "foryou": "view", "unsure": "view",
    "saved": "view", "tag": "tag", "feed": "feed",
}  # fmt: skip
_HELP = {
    "view": "Show this view in the list",
    "tag": "Show the papers with this tag",
    "feed": "Show the papers from this feed",
}
# Actions the palette would only get in the way of.
_NOT_IN_PALETTE = frozenset({"command_palette", "back"})


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    title: str
    help: str
    callback: Callable[[], object]


class PaletteSource(Protocol):
    """What the palette lists, as the main screen knows it."""

    @property
    def available_themes(self) -> Mapping[str, object]: ...

    def all_views(self) -> list[View]: ...

    def reader_saved_searches(self) -> Iterable[str]: ...

    def keys_of(self, binding: Binding) -> str: ...

    def run_action(self, action: str) -> object: ...

    def post_message(self, message: Message) -> bool: ...


def reader_commands(source: PaletteSource) -> list[PaletteCommand]:
    """The palette's entries for the reader as it is now."""

    def post(message: Message) -> Callable[[], object]:
        return partial(source.post_message, message)

    commands = []
    # the screen runs its own actions; the app's are named with their namespace
    bindings = [(binding, binding.action) for binding in READER_BINDINGS if isinstance(binding, Binding)]
    bindings += [(binding, f"app.{binding.action}") for binding in APP_BINDINGS if isinstance(binding, Binding)]
    for binding, action in bindings:
        if binding.action not in _NOT_IN_PALETTE:
            # the help line is markup: a key such as [ is escaped
            help_line = f"Reader action · key: {escape(source.keys_of(binding))}"
            commands.append(
                PaletteCommand(binding.tooltip or binding.description, help_line, partial(source.run_action, action))
            )
    commands += [
        PaletteCommand("Star every paper in this view", "Bulk action on the list as shown (u undoes)",
                       post(StarAll())),
        PaletteCommand("Tag every paper in this view…", "Bulk action on the list as shown (u undoes)",
                       post(TagAll())),
    ]
    commands += [
        PaletteCommand(f"Sort: {SORT_LABELS[order]}", "Order the list", post(SetSort(order)))
        for order in SORT_ORDERS
    ]
    commands += [
        PaletteCommand(f"Export view as {FORMAT_NAMES[fmt]}…", "Write the papers listed to a file",
                       post(ExportView(fmt)))
        for fmt in FORMATS
    ]
    for view in source.all_views():
        kind = _GO_TO[view.kind]
        commands.append(PaletteCommand(f"Go to {kind}: {view.label}", _HELP[kind], post(ShowView(view))))
        if view.kind == "tag":
            commands.append(PaletteCommand(f"More like #{view.value}", "For you, learned from this tag alone",
                                           post(MoreLikeTag(view.value))))
    commands += [
        PaletteCommand(f"Remove saved search: {name}", "Forget a search saved from the reader",
                       post(RemoveSavedSearch(name)))
        for name in source.reader_saved_searches()
    ]
    for name in sorted(source.available_themes):
        commands.append(PaletteCommand(f"Theme: {name}", "Switch to this theme", post(SetTheme(name))))
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
    def reader(self) -> PaletteSource:
        """The main screen: the bottom of the stack, whatever the palette opened over."""
        return self.app.screen_stack[0]  # type: ignore[return-value]

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

