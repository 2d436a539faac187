"""The reader's theme: the names it may take, which one to start with, and
what ``ui.json`` keeps of a theme chosen in the palette.

The config's ``theme`` is a standing choice; one made in the reader is a
later one, so it survives a restart. ``ui.json`` keeps it with the config's
theme as it was at that moment: while the config still says the same, the
reader's choice wins; once the config's theme has been edited, the config
wins and the older choice is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from textual.theme import BUILTIN_THEMES

CHOSEN = "theme"  # the theme chosen in the reader
CONFIG_THEN = "config_theme"  # the config's theme when it was chosen (absent: none)


def theme_problem(name: str) -> str | None:
    """Why ``name`` is no theme, or None."""
    if name in BUILTIN_THEMES:
        return None
    return f"unknown theme {name!r} (one of: {', '.join(sorted(BUILTIN_THEMES))})"


class StartTheme(NamedTuple):
    name: str | None  # None: Textual's default
    forget_choice: bool  # ui.json holds a choice the config has overridden since


def start_theme(config_theme: str | None, ui_state: Mapping[str, Any]) -> StartTheme:
    """The theme to start with, given the config's and the stored preferences."""
    chosen = ui_state.get(CHOSEN)
    if chosen is None:
        return StartTheme(config_theme, False)
    if ui_state.get(CONFIG_THEN) != config_theme:
        return StartTheme(config_theme, True)
    if isinstance(chosen, str) and theme_problem(chosen) is None:
        return StartTheme(chosen, False)
    return StartTheme(config_theme, True)  # unusable: a theme this Textual lacks


def theme_choice(name: str | None, config_theme: str | None) -> dict[str, str | None]:
    """The ``ui.json`` changes that keep ``name`` as chosen while the config
    says ``config_theme``; ``name`` None forgets the choice."""
    return {CHOSEN: name, CONFIG_THEN: config_theme if name is not None else None}
