"""The installed package (not the source tree) carries its stylesheet and
console script: install the repo into a fresh virtual environment and run it
from another directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_wheel_install_finds_its_css_from_any_directory(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # system site packages give the dependencies; the package itself is built
    # from the repo and installed without them
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = subprocess.run(
        [str(python), "-c",
         "import paperread, pathlib; from paperread.tui.css import stylesheet_path;"
         "print(paperread.__file__); print(stylesheet_path())"],
        capture_output=True, text=True, cwd=elsewhere, check=True,
    ).stdout.splitlines()
    package_file, stylesheet = Path(found[0]), Path(found[1])
    assert venv in package_file.parents, "imported the installed package, not the source tree"
    assert venv in stylesheet.parents and stylesheet.is_file()
    assert "PaperList" in stylesheet.read_text() or stylesheet.stat().st_size > 0
    script = subprocess.run([str(venv / "bin" / "paperread"), "--version"], capture_output=True, text=True,
                            cwd=elsewhere)
    assert script.returncode == 0 and script.stdout.startswith("paperread ")
