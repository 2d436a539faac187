"""The reader's theme: the names it may take."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES


def theme_problem(name: str) -> str | None:
    """Why ``name`` is no theme, or None."""
    if name in BUILTIN_THEMES:
        return None
    return f"unknown theme {name!r} (one of: {', '.join(sorted(BUILTIN_THEMES))})"
