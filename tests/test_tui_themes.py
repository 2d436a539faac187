"""Which theme the reader starts with: the config's, or one chosen in the
reader while the config said what it says now (real ui.json files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperread.tui.themes import StartTheme, start_theme, theme_choice, theme_problem
from paperread.tui.data.prefs import load_ui_state, save_ui_state


def test_theme_problem_names_the_themes() -> None:
    assert theme_problem("nord") is None
    problem = theme_problem("Nord")
    assert problem is not None and problem.startswith("unknown theme 'Nord' (one of: ") and "gruvbox" in problem


@pytest.mark.parametrize(
    ("config_theme", "stored", "expected"),
    [
        (None, {}, StartTheme(None, False)),
        ("nord", {}, StartTheme("nord", False)),
        ("nord", {"theme": "gruvbox", "config_theme": "nord"}, StartTheme("gruvbox", False)),
        (None, {"theme": "gruvbox"}, StartTheme("gruvbox", False)),
        ("dracula", {"theme": "gruvbox", "config_theme": "nord"}, StartTheme("dracula", True)),
        ("dracula", {"theme": "gruvbox"}, StartTheme("dracula", True)),  # chosen before the config named one
        (None, {"theme": "gruvbox", "config_theme": "nord"}, StartTheme(None, True)),
        ("nord", {"theme": "gone-theme", "config_theme": "nord"}, StartTheme("nord", True)),
        ("nord", {"theme": 3, "config_theme": "nord"}, StartTheme("nord", True)),
    ],
)
def test_start_theme(config_theme: str | None, stored: dict, expected: StartTheme) -> None:
    assert start_theme(config_theme, stored) == expected


def test_a_choice_is_kept_with_the_config_theme_of_its_time_and_forgotten_whole(data_dir: Path) -> None:
    save_ui_state(data_dir, sort="title")
    save_ui_state(data_dir, **theme_choice("gruvbox", "nord"))
    assert load_ui_state(data_dir) == {"sort": "title", "theme": "gruvbox", "config_theme": "nord"}
    assert start_theme("nord", load_ui_state(data_dir)) == StartTheme("gruvbox", False)
    save_ui_state(data_dir, **theme_choice("monokai", None))
    assert load_ui_state(data_dir) == {"sort": "title", "theme": "monokai"}
    save_ui_state(data_dir, **theme_choice(None, "nord"))
    assert load_ui_state(data_dir) == {"sort": "title"}
