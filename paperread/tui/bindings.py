"""Every key binding of the reader, each with an id, and the user's
``[keys]`` table from the config applied on top through ``App.set_keymap``.

Ids name what a key does (``app.star``, ``list.down``), so a config can say
``"app.star" = "f"`` without knowing the default key. An id the reader does
not know, or a key no key press would match (``Ctrl+f``, ``Space``), is an
error when the config is read, naming its line and what comes close.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.keys import REPLACED_KEYS, Keys, key_to_character

from paperread.tui.screens import (
    ConfirmScreen,
    HelpRow,
    HelpScreen,
    PromptScreen,
    TagsScreen,
)
from paperread.tui.textual_private import (
    character_key_name,
    functional_key_names,
    merged_bindings,
)
from paperread.tui.widgets import PaperList, Sidebar

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode


def _app(key: str, action: str, short: str, long: str, binding_id: str, **options: object) -> Binding:
    return Binding(key, action, short, tooltip=long, id=f"app.{binding_id}", **options)  # type: ignore[arg-type]


# What the keys do on the main screen (tui/main/). Their ids keep the
# "app." prefix they had when the app held them: configs name them so.
READER_BINDINGS: list[BindingType] = [
    _app("space", "triage", "Read+next", "Mark the paper read and go to the next unread one", "triage"),
    _app("m", "toggle_read", "Read", "Toggle read / unread", "toggle_read"),
    _app("s", "toggle_star", "Star", "Star / unstar the paper", "star"),
    _app("t", "edit_tags", "Tags", "Edit the paper's tags", "tags"),
    _app("slash", "search", "Search", "Search: filter the list with the query language", "search"),
    _app("escape", "back", "Back", "Back to the list; on the list, clear the search", "clear_search", show=False),
    _app("r", "refresh", "Refresh", "Refresh all feeds in the background", "refresh"),
    _app("o", "open_abs", "Browser", "Open the paper's page in the browser", "open_abs"),
    _app("p", "open_pdf", "PDF", "Open the PDF in the browser", "open_pdf", show=False),
    _app("y", "copy_url", "Copy URL", "Copy the paper's URL", "copy_url", show=False),
    _app("b", "copy_bibtex", "BibTeX", "Copy a BibTeX entry for the paper", "copy_bibtex", show=False),
    _app("D", "open_doi", "DOI", "Open the paper's DOI in the browser", "open_doi", show=False),
    _app("c", "open_code", "Code", "Open the paper's code link (else its project page) in the browser", "open_code",
         show=False),
    _app("x", "dismiss", "Not interested", "Not interested: hide the paper from For you (again: interested)",
         "dismiss", show=False),
    _app("L", "more_like", "More like", "More like this: the papers most like the highlighted one", "more_like",
         show=False),
    _app("A", "mark_all_read", "All read", "Mark every paper in this view read", "mark_all_read", show=False),
    _app("S", "sort", "Sort", "Change the order: newest, oldest, title, first author, upvotes", "sort"),
    _app("V", "save_search", "Save search", "Save the current search as a view in the sidebar", "save_search",
         show=False),
    _app("u", "undo", "Undo", "Undo the last change (star, read, tags, mark all)", "undo"),
    _app("tab", "app.focus_next", "Next pane", "Move to the next pane", "focus_next", show=False),
    _app("shift+tab", "app.focus_previous", "Prev pane", "Move to the previous pane", "focus_previous",
         show=False),
    _app("backslash", "toggle_sidebar", "Sidebar", "Show / hide the sidebar", "toggle_sidebar", show=False),
    _app("R", "toggle_raw", "Raw", "Show the abstract as the feed sent it / rendered", "toggle_raw", show=False),
]

# The list's moves work whatever pane has the focus (a text input takes its
# letters first): bound on the main screen too, with the list's ids, so one
# [keys] line moves both.
_MOVES_EVERYWHERE = frozenset(
    {"cursor_down", "cursor_up", "first", "last", "previous_day", "next_day", "next_unread", "previous_unread"}
)
LIST_MOVES: list[BindingType] = [
    replace(binding, action=f"move_list('{binding.action}')")
    for binding in PaperList.BINDINGS
    if isinstance(binding, Binding) and binding.action in _MOVES_EVERYWHERE
]


def _abstract(key: str, how: str, short: str, long: str, binding_id: str) -> Binding:
    return Binding(key, f"scroll_abstract('{how}')", short, tooltip=long, id=f"abstract.{binding_id}", show=False)


# The abstract scrolls with keys of its own, from any pane.
ABSTRACT_BINDINGS: list[BindingType] = [
    _abstract("J", "down", "Scroll down", "Scroll the abstract down", "down"),
    _abstract("K", "up", "Scroll up", "Scroll the abstract up", "up"),
    _abstract("ctrl+d,pagedown", "page_down", "Page down",
              "Scroll the abstract a page down (PgDn where the list does not have the focus)", "page_down"),
    _abstract("ctrl+u,pageup", "page_up", "Page up",
              "Scroll the abstract a page up (PgUp where the list does not have the focus)", "page_up"),
]

# What the keys do on any screen.
APP_BINDINGS: list[BindingType] = [
    _app("question_mark", "help", "Help", "Show every key", "help"),
    _app("q", "quit", "Quit", "Quit (saving first)", "quit"),
    _app(
        "ctrl+p", "command_palette", "Palette", "Command palette: every action, views, themes",
        "command_palette", show=False, priority=True,
    ),
]
# Help and quit, bound on the main screen too so that its footer shows them
# first: a narrow terminal cuts the footer's end.
HELP_AND_QUIT: list[BindingType] = [
    replace(binding, action=f"app.{binding.action}")
    for binding in APP_BINDINGS
    if isinstance(binding, Binding) and binding.action in ("help", "quit")
]


class KeymapError(ValueError):
    """The ``[keys]`` table names a binding id that does not exist or a key
    no key press matches."""


# Horizontal scrolling: inherited by the lists but of no use in them.
_HIDDEN_ACTIONS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})


def _own(bindings: Iterable[BindingType]) -> list[Binding]:
    return [binding for binding in bindings if isinstance(binding, Binding)]


def _merged(widget_class: type[DOMNode]) -> list[Binding]:
    """A widget's bindings including inherited ones, as Textual merges them."""
    merged = merged_bindings(widget_class)
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
        ("Reader", _own(READER_BINDINGS) + _own(APP_BINDINGS)),
        ("Sidebar", _merged(Sidebar)),
        ("Abstract", _own(ABSTRACT_BINDINGS)),
        ("Tag editor", _own(TagsScreen.BINDINGS)),
        ("Confirmation", _own(ConfirmScreen.BINDINGS)),
        ("Prompt", _own(PromptScreen.BINDINGS)),
        ("Help", _own(HelpScreen.BINDINGS)),
    ]


def known_binding_ids() -> list[str]:
    return [binding.id for _, bindings in binding_groups() for binding in bindings if binding.id]


# What Textual names a key with: its modifiers (in this order, as Textual
# sorts them), then a key name or a character.
_MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
_KEY_NAMES = frozenset(
    [key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")]
    + functional_key_names()
)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _is_key_name(name: str) -> bool:
    """Whether Textual calls some key ``name``: a special key, a single
    character, or a character's name (``question_mark``, ``slash``)."""
    if name in _KEY_NAMES or (len(name) == 1 and name.isprintable()):
        return True
    character = key_to_character(REPLACED_KEYS.get(name, name))
    return character is not None and character_key_name(character) == name


def key_problem(key: str) -> str | None:
    """Why no key press would ever match ``key`` (one key, as in a binding),
    or None when it is a key Textual names."""
    if len(key) == 1:
        return None if key.isprintable() else f"{key!r} is not a key"
    *modifiers, name = key.split("+")
    unknown = [modifier for modifier in modifiers if modifier not in _MODIFIERS]
    if unknown:
        return f"{key!r}: unknown modifier {unknown[0]!r} (known: {', '.join(_MODIFIERS)}, lower case)"
    if not _is_key_name(name):
        return f"{key!r}: unknown key name {name!r}{_did_you_mean(name.lower(), sorted(_KEY_NAMES))}"
    canonical = "+".join([*sorted(set(modifiers)), name])
    if canonical != key:
        return f"{key!r} never matches: Textual names it {canonical!r}"
    return None


def binding_problem(binding_id: str, keys: str) -> str | None:
    """What is wrong with binding ``binding_id`` to ``keys`` (comma-separated),
    or None."""
    known = known_binding_ids()
    if binding_id not in known:
        hint = _did_you_mean(binding_id, known)
        return f"unknown key binding id {binding_id!r}{hint}. Known ids: {', '.join(sorted(set(known)))}"
    parts = [part.strip() for part in keys.split(",")]
    if not all(parts):
        return f"{binding_id!r}: empty key in {keys!r}"
    problems = [problem for problem in map(key_problem, parts) if problem]
    return f"{binding_id!r}: {problems[0]}" if problems else None


def check_keymap(keys: Mapping[str, str], source: str = "[keys]") -> dict[str, str]:
    """``keys`` (binding id -> comma-separated keys) checked; raises
    KeymapError naming every problem."""
    problems = [problem for binding_id, value in keys.items() if (problem := binding_problem(binding_id, value))]
    if problems:
        raise KeymapError(f"{source}: " + "; ".join(problems))
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
