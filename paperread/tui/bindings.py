"""Every key binding of the reader, each with an id, and the user's
``[keys]`` table from the config applied on top through ``App.set_keymap``.

Ids name what a key does (``app.star``, ``list.down``), so a config can say
``"app.star" = "f"`` without knowing the default key. An id the reader does
not know is an error at start, with the known ids close to it named.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from paperread.tui.screens import (
    ConfirmScreen,
    HelpRow,
    HelpScreen,
    PromptScreen,
    TagsScreen,
)
from paperread.tui.widgets import AbstractPane, PaperList, Sidebar

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode


def _app(key: str, action: str, short: str, long: str, binding_id: str, **options: object) -> Binding:
    return Binding(key, action, short, tooltip=long, id=f"app.{binding_id}", **options)  # type: ignore[arg-type]


APP_BINDINGS: list[BindingType] = [
    _app("space", "triage", "Read+next", "Mark the paper read and go to the next one", "triage"),
    _app("m", "toggle_read", "Read", "Toggle read / unread", "toggle_read"),
    _app("s", "toggle_star", "Star", "Star / unstar the paper", "star"),
    _app("t", "edit_tags", "Tags", "Edit the paper's tags", "tags"),
    _app("slash", "search", "Search", "Search: filter the list with the query language", "search"),
    _app("escape", "clear_search", "Clear", "Clear the search", "clear_search", show=False),
    _app("r", "refresh", "Refresh", "Refresh all feeds in the background", "refresh"),
    _app("o", "open_abs", "Browser", "Open the paper's page in the browser", "open_abs"),
    _app("p", "open_pdf", "PDF", "Open the PDF in the browser", "open_pdf", show=False),
    _app("y", "copy_url", "Copy URL", "Copy the paper's URL", "copy_url", show=False),
    _app("b", "copy_bibtex", "BibTeX", "Copy a BibTeX entry for the paper", "copy_bibtex", show=False),
    _app("A", "mark_all_read", "All read", "Mark every paper in this view read", "mark_all_read", show=False),
    _app("S", "sort", "Sort", "Change the order: newest, oldest, title, first author, upvotes", "sort"),
    _app("V", "save_search", "Save search", "Save the current search as a view in the sidebar", "save_search",
         show=False),
    _app("u", "undo", "Undo", "Undo the last change (star, read, tags, mark all)", "undo"),
    _app("tab", "focus_next", "Next pane", "Move to the next pane", "focus_next", show=False),
    _app("shift+tab", "focus_previous", "Prev pane", "Move to the previous pane", "focus_previous", show=False),
    _app("backslash", "toggle_sidebar", "Sidebar", "Show / hide the sidebar", "toggle_sidebar", show=False),
    _app("R", "toggle_raw", "Raw", "Show the abstract as the feed sent it / rendered", "toggle_raw", show=False),
    _app("question_mark", "help", "Help", "Show every key", "help"),
    _app("q", "quit", "Quit", "Quit (saving first)", "quit"),
    _app(
        "ctrl+p", "command_palette", "Palette", "Command palette: every action, views, themes",
        "command_palette", show=False, priority=True,
    ),
]


class KeymapError(ValueError):
    """The ``[keys]`` table names a binding id that does not exist or a key
    that is empty."""


# Horizontal scrolling: inherited by the lists but of no use in them.
_HIDDEN_ACTIONS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})


def _own(bindings: Iterable[BindingType]) -> list[Binding]:
    return [binding for binding in bindings if isinstance(binding, Binding)]


def _merged(widget_class: type[DOMNode]) -> list[Binding]:
    """A widget's bindings including inherited ones, as Textual merges them."""
    merged = widget_class._merge_bindings()  # the merge Textual itself uses
    unique: dict[int, Binding] = {}
    for bindings in merged.key_to_bindings.values():
        for binding in bindings:
            if binding.action not in _HIDDEN_ACTIONS:
                unique.setdefault(id(binding), binding)
    return list(unique.values())


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """Every binding of the reader, grouped by where it works, in help order."""
    return [
        ("Paper list", _merged(PaperList)),
        ("Reader", _own(APP_BINDINGS)),
        ("Sidebar", _merged(Sidebar)),
        ("Abstract", _merged(AbstractPane)),
        ("Tag editor", _own(TagsScreen.BINDINGS)),
        ("Confirmation", _own(ConfirmScreen.BINDINGS)),
        ("Prompt", _own(PromptScreen.BINDINGS)),
        ("Help", _own(HelpScreen.BINDINGS)),
    ]


def known_binding_ids() -> list[str]:
    return [binding.id for _, bindings in binding_groups() for binding in bindings if binding.id]


def check_keymap(keys: Mapping[str, str], source: str = "[keys]") -> dict[str, str]:
    """``keys`` (binding id -> comma-separated keys) checked against the
    known ids; raises KeymapError naming every problem."""
    known = sorted(set(known_binding_ids()))
    problems = []
    for binding_id, value in keys.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, known, n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            problems.append(f"unknown key binding id {binding_id!r}{hint}")
        elif not all(part.strip() for part in value.split(",")):
            problems.append(f"{binding_id!r}: empty key in {value!r}")
    if problems:
        raise KeymapError(
            f"{source}: " + "; ".join(problems) + f". Known ids: {', '.join(sorted(known))}"
        )
    return {binding_id: ",".join(part.strip() for part in value.split(",")) for binding_id, value in keys.items()}


def apply_keymap(app: App[object], keys: Mapping[str, str]) -> dict[str, str]:
    """Check ``keys`` and make them the app's keymap; returns the keymap."""
    keymap = check_keymap(keys)
    app.set_keymap(keymap)
    return keymap


def binding_keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that trigger ``binding`` under ``keymap`` (else its defaults)."""
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


def key_names(app: App[object], binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys of ``binding`` as a person would name them (``?``, ``space``)."""
    return [
        app.get_key_display(binding.with_key(key=key, key_display=None))
        for key in binding_keys(binding, keymap)
    ]


def help_rows(app: App[object], keymap: Mapping[str, str]) -> list[HelpRow]:
    """The help screen's lines, from the bindings as mapped by ``keymap``:
    one line per action, with every key that triggers it."""
    rows = []
    for title, bindings in binding_groups():
        by_action: dict[str, list[Binding]] = {}
        for binding in bindings:
            by_action.setdefault(binding.action, []).append(binding)
        for same in by_action.values():
            named = next((binding for binding in same if binding.id), None)
            described = named or same[0]
            description = described.tooltip or described.description
            shown = dict.fromkeys(key for binding in same for key in key_names(app, binding, keymap))
            # single characters before named keys, as in "j / ↓"
            keys = " / ".join(sorted(shown, key=lambda key: not (len(key) == 1 and key.isascii())))
            rows.append(HelpRow(title, keys, description))
    return rows
