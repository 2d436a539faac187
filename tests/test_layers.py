"""The layers hold: the core (everything below ``paperread/tui/``) and the
reader's Textual-free helpers load neither Textual nor Rich, so the command
line, the tests and the benchmarks share one core without the UI; and no
module imports one that imports it back."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

CORE = [
    "paperread.cli", "paperread.session", "paperread.library", "paperread.query", "paperread.store",
    "paperread.refresh", "paperread.fetch", "paperread.sources", "paperread.export", "paperread.bibtex",
    "paperread.opml", "paperread.config", "paperread.text", "paperread.model", "paperread.watch",
    "paperread.wordindex", "paperread.actions", "paperread.search", "paperread.opener", "paperread.clipboard",
    "paperread.foryou",
]  # fmt: skip
UI_HELPERS = [
    "paperread.tui.data", "paperread.tui.data.listing", "paperread.tui.data.saved_searches",
    "paperread.tui.data.prefs", "paperread.tui.data.labels", "paperread.tui.data.full_records",
    "paperread.tui.data.status_line", "paperread.tui.pacing",
]
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


def _module_names() -> dict[str, Path]:
    package = REPO_ROOT / "paperread"
    names = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _imported(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The paperread modules ``module`` imports as it loads (its top level,
    ``if TYPE_CHECKING`` blocks included; imports inside functions are
    deferred on purpose and left out)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    statements = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while statements:
        node = statements.pop()
        if isinstance(node, ast.If):
            statements += node.body + node.orelse
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return {name for name in found if name in known and name != module}


def test_no_import_cycles_in_the_package() -> None:
    known = _module_names()
    graph = {module: _imported(module, path, known) for module, path in known.items()}
    cycles = []
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycles.append(trail[trail.index(module):] + [module])
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert "paperread.tui.commands" in graph["paperread.tui.app"], "the scan sees the imports"
    assert cycles == []
