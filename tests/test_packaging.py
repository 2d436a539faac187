"""The installed package (not the source tree) carries its stylesheet and
console script: install the repo into a fresh virtual environment and run it
from another directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

# the nested interpreters must find paperread where it was installed, never in the checkout
CLEAN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def site_dirs(python: str | Path) -> list[str]:
    """The folders that ``python``'s site module adds to its path: its
    site-packages and what their .pth files add (a virtual environment's
    packages, not its base Python's)."""
    code = "import json, sys; print(json.dumps(sys.path))"
    with_site, without_site = (
        json.loads(subprocess.run([str(python), *flags, "-c", code], capture_output=True, text=True,
                                  check=True, env=CLEAN_ENV).stdout)
        for flags in ([], ["-S"])
    )
    return [path for path in with_site
            if path not in without_site and path and Path(path).resolve() != REPO_ROOT]


def venv_seeing_packages_of(python: str | Path, venv: Path) -> Path:
    """A new virtual environment at ``venv`` that also imports what ``python``
    has installed (pip, the dependencies): a .pth file in its site-packages
    lists ``python``'s site folders. Unlike ``--system-site-packages``, which
    shows the base Python's packages, this works when ``python`` itself runs
    in a virtual environment. Returns the new environment's python."""
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True, env=CLEAN_ENV)
    venv_python = venv / "bin" / "python"
    purelib = subprocess.run([str(venv_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, env=CLEAN_ENV).stdout.strip()
    (Path(purelib) / "outer_site_packages.pth").write_text("\n".join(site_dirs(python)) + "\n")
    return venv_python


def test_wheel_install_finds_its_css_from_any_directory(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # the dependencies come from the running interpreter's packages; the
    # package itself is built from the repo and installed without them
    python = venv_seeing_packages_of(sys.executable, venv)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300, env=CLEAN_ENV,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = subprocess.run(
        [str(python), "-c",
         "import paperread, pathlib; from paperread.tui.css import stylesheet_path;"
         "print(paperread.__file__); print(stylesheet_path())"],
        capture_output=True, text=True, cwd=elsewhere, check=True, env=CLEAN_ENV,
    ).stdout.splitlines()
    package_file, stylesheet = Path(found[0]), Path(found[1])
    assert venv in package_file.parents, "imported the installed package, not the source tree"
    assert venv in stylesheet.parents and stylesheet.is_file()
    repo_sheets = {path.name: path.read_bytes() for path in (REPO_ROOT / "styles").glob("*.tcss")}
    installed_sheets = {path.name: path.read_bytes() for path in stylesheet.parent.glob("*.tcss")}
    assert stylesheet.name in repo_sheets
    assert installed_sheets == repo_sheets, "the installed stylesheets differ from the repo's styles/"
    script = subprocess.run([str(venv / "bin" / "paperread"), "--version"], capture_output=True, text=True,
                            cwd=elsewhere, env=CLEAN_ENV)
    assert script.returncode == 0 and script.stdout.startswith("paperread "), script.stderr
    source_packages = {
        path.parent.relative_to(REPO_ROOT).as_posix() for path in (REPO_ROOT / "paperread").rglob("__init__.py")
    }
    installed_packages = {
        path.parent.relative_to(package_file.parent.parent).as_posix()
        for path in package_file.parent.rglob("__init__.py")
    }
    assert source_packages <= installed_packages, "every package of the source tree is installed"
    reader = subprocess.run([str(python), "-c", "import paperread.tui.app"], capture_output=True, text=True,
                            cwd=elsewhere, env=CLEAN_ENV)
    assert reader.returncode == 0, reader.stderr


def test_the_packaging_case_passes_when_the_suite_runs_in_a_virtual_environment(tmp_path: Path) -> None:
    """The README runs the suite from .venv, whose packages its base Python
    lacks; the case above once failed there, its nested venv seeing only the
    base Python's packages. Run it from a virtual environment whatever runs
    this suite."""
    outer = venv_seeing_packages_of(sys.executable, tmp_path / "outer")
    case = "tests/test_packaging.py::test_wheel_install_finds_its_css_from_any_directory"
    result = subprocess.run(
        [str(outer), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "inner"), case],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=600, env=CLEAN_ENV,
    )
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout + result.stderr
