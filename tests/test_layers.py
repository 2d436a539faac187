"""The layers hold: the core (everything below ``paperread/tui/``) and the
reader's Textual-free helpers load neither Textual nor Rich, so the command
line, the tests and the benchmarks share one core without the UI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

CORE = [
    "paperread.cli", "paperread.session", "paperread.library", "paperread.query", "paperread.store",
    "paperread.refresh", "paperread.fetch", "paperread.sources", "paperread.export", "paperread.bibtex",
    "paperread.opml", "paperread.config", "paperread.text", "paperread.model", "paperread.watch",
    "paperread.wordindex", "paperread.actions",
]  # fmt: skip
UI_HELPERS = ["paperread.tui.listing", "paperread.tui.saved_views", "paperread.tui.ui_state", "paperread.tui.choices"]
UI_PACKAGES = ("textual", "rich")


def loaded_ui_packages(module: str) -> list[str]:
    """The UI packages in ``sys.modules`` after importing ``module`` in a
    fresh interpreter."""
    probe = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        f"print(' '.join(sorted({{name.split('.')[0] for name in sys.modules}} & {set(UI_PACKAGES)!r})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, timeout=60, check=True)
    return result.stdout.split()


@pytest.mark.parametrize("module", CORE + UI_HELPERS)
def test_the_core_and_the_ui_helpers_load_no_textual_and_no_rich(module: str) -> None:
    assert loaded_ui_packages(module) == []


def test_the_probe_sees_textual_where_it_is_loaded() -> None:
    assert loaded_ui_packages("paperread.tui.app") == ["rich", "textual"]
