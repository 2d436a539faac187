#!/usr/bin/env python3
"""Install paperread into a virtual environment, .venv, beside this file.

    python3 install.py           paperread and its dependencies
    python3 install.py --test    ... and what the tests need

Then run .venv/bin/paperread, or the tests with .venv/bin/python -m pytest.

Only the standard library is used, so this runs with a bare system Python,
such as Debian's or Ubuntu's, which refuses pip installs outside a virtual
environment ("externally managed") and may have neither pip nor ensurepip
(those come with the python3-venv package). pip comes into .venv from
ensurepip when it works, else from the pip wheel Debian keeps in
/usr/share/python-wheels, else from the package index (PIP_INDEX_URL, by
default PyPI), checked against the index's sha256.

Safe to run again: a working .venv is kept and gets the checkout as it is
now; a broken one (a Python that no longer starts, no pip) is made afresh.
"""

from __future__ import annotations

import argparse
import hashlib
import html.parser
import http.client
import os
import re
import ssl
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path

MINIMUM_PYTHON = (3, 11)  # pyproject.toml's requires-python
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
DEBIAN_WHEELS = Path("/usr/share/python-wheels")
DEFAULT_INDEX = "https://pypi.org/simple"
APT_HINT = ("On Debian or Ubuntu, install Python's venv support and run this again:\n"
            "    sudo apt install python3-venv")


class SetupError(Exception):
    """A step failed; the message says what to do."""


def say(message: str) -> None:
    print(f"install.py: {message}", flush=True)


def version_text(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], text=True, **kwargs)


def venv_python_version() -> tuple[int, int] | None:
    """The version of .venv's Python, or None when it does not start or is not .venv's own.

    Without pyvenv.cfg, .venv/bin/python is just the Python it links to, and
    pip would install into that one.
    """
    if not PYTHON.exists():
        return None
    probe = "import os, sys; print(*sys.version_info[:2], os.path.realpath(sys.prefix))"
    try:
        done = run([PYTHON, "-c", probe], capture_output=True, timeout=60)
        major, minor, prefix = done.stdout.rstrip("\n").split(" ", 2)
        version = int(major), int(minor)
    except (OSError, subprocess.SubprocessError, ValueError):  # did not start, or printed something else
        return None
    return version if done.returncode == 0 and prefix == os.path.realpath(VENV) else None


def venv_has_pip() -> bool:
    try:
        done = run([PYTHON, "-m", "pip", "--version"], capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def venv_problem() -> str | None:
    """What keeps .venv from being used as it is, or None when it works."""
    if not VENV.exists() and not VENV.is_symlink():
        return "missing"
    version = venv_python_version()
    if version is None:
        return "its Python does not start, or does not run as that virtual environment"
    if version < MINIMUM_PYTHON:
        return f"its Python {version_text(version)} is older than {version_text(MINIMUM_PYTHON)}"
    if not venv_has_pip():
        return "it has no working pip"
    return None


def create_venv(problem: str) -> None:
    """A new .venv (replacing whatever is there) from the Python running this, without pip yet."""
    exists = VENV.exists() or VENV.is_symlink()
    if exists and not VENV.is_dir():
        raise SetupError(f"{VENV} is in the way and is not a folder; move it and run this again.")
    why = "" if problem == "missing" else f" ({problem})"
    say(f"{'remaking' if exists else 'making'} the virtual environment {VENV}{why} "
        f"with Python {version_text(sys.version_info[:3])}")
    try:
        # from inside another virtual environment, venv builds on that one's base Python
        venv.EnvBuilder(clear=exists, symlinks=os.name != "nt", with_pip=False).create(VENV)
    except Exception as error:  # noqa: BLE001 - any failure gets the same advice
        raise SetupError(f"could not create {VENV}: {error}\n{APT_HINT}") from error
    if venv_python_version() is None:
        raise SetupError(f"{PYTHON} does not start.\n{APT_HINT}")


def pip_from_ensurepip() -> bool:
    try:
        done = run([PYTHON, "-m", "ensurepip", "--default-pip"], capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and venv_has_pip()


def pip_from_wheel(wheel: Path) -> bool:
    """Install pip from its wheel, running pip from inside that wheel."""
    try:
        done = run([PYTHON, wheel / "pip", "install", "--no-index", "--force-reinstall", "--quiet", wheel],
                   timeout=600)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and venv_has_pip()


def wheel_version(name: str) -> tuple[int, ...] | None:
    """The release of a pip-X.Y[.Z]-py3-none-any.whl name; None for other files and pre-releases."""
    match = re.fullmatch(r"pip-(\d+(?:\.\d+)*)-py3-none-any\.whl", name)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def debian_pip_wheel() -> Path | None:
    wheels = [(wheel_version(path.name), path) for path in DEBIAN_WHEELS.glob("pip-*.whl")]
    wheels = [(version, path) for version, path in wheels if version is not None]
    return max(wheels)[1] if wheels else None


class _Links(html.parser.HTMLParser):
    """The anchors of a PEP 503 simple index page: (file name, href, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, dict[str, str | None]]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            attributes = dict(attrs)
            self._open = (attributes.get("href") or "", attributes)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            href, attributes = self._open
            self.links.append((data.strip(), href, attributes))
            self._open = None


def supports_this_python(requires_python: str | None) -> bool:
    """Checks the ">=X.Y" parts of a Requires-Python (pip's wheels state only those)."""
    for clause in (requires_python or "").split(","):
        match = re.fullmatch(r"\s*>=\s*(\d+(?:\.\d+)*)\s*", clause)
        if match and sys.version_info[:3] < tuple(int(part) for part in match.group(1).split(".")):
            return False
    return True


def download_pip_wheel(folder: Path) -> Path:
    index = os.environ.get("PIP_INDEX_URL", DEFAULT_INDEX).rstrip("/") + "/pip/"
    cafile = os.environ.get("PIP_CERT")
    context = ssl.create_default_context(cafile=cafile if cafile and os.path.isfile(cafile) else None)

    def fetch(url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": "paperread-install.py"})
        with urllib.request.urlopen(request, timeout=120, context=context) as response:
            return response.read()

    say(f"downloading pip from {index}")
    try:
        page = _Links()
        page.feed(fetch(index).decode("utf-8", "replace"))
        candidates = []
        for name, href, attributes in page.links:
            version = wheel_version(name)
            if version is None or "data-yanked" in attributes:
                continue
            if supports_this_python(attributes.get("data-requires-python")):
                candidates.append((version, name, urllib.parse.urljoin(index, href)))
        if not candidates:
            raise SetupError(f"no pip wheel for this Python listed at {index}")
        _, name, url = max(candidates)
        expected = urllib.parse.parse_qs(urllib.parse.urlsplit(url).fragment).get("sha256", [None])[0]
        body = fetch(urllib.parse.urldefrag(url).url)
    except (OSError, ValueError, http.client.HTTPException) as error:  # URLError and ssl errors are OSErrors
        raise SetupError(f"downloading pip from {index} failed: {getattr(error, 'reason', error)}") from error
    if expected is None or hashlib.sha256(body).hexdigest() != expected:
        raise SetupError(f"{name} from {index} does not match the sha256 the index gives for it")
    wheel = folder / name
    wheel.write_bytes(body)
    return wheel


def bring_in_pip() -> None:
    if pip_from_ensurepip():
        say("pip installed from ensurepip")
        return
    wheel = debian_pip_wheel()
    if wheel is not None and pip_from_wheel(wheel):
        say(f"pip installed from {wheel}")
        return
    with tempfile.TemporaryDirectory(prefix="paperread-pip-") as folder:
        try:
            wheel = download_pip_wheel(Path(folder))
        except SetupError as error:
            raise SetupError(f"could not put pip into {VENV}: this Python has no ensurepip, and {error}\n"
                             f"{APT_HINT}\n(or, if the download failed on a certificate, sudo apt install "
                             "ca-certificates)") from error
        if not pip_from_wheel(wheel):
            raise SetupError(f"installing {wheel.name} into {VENV} failed (see above).\n{APT_HINT}")
    say(f"pip installed from {wheel.name}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Install paperread from this checkout into .venv (made if missing, remade if broken).")
    parser.add_argument("--test", action="store_true", help="also install the test dependencies")
    args = parser.parse_args()

    if sys.version_info[:2] < MINIMUM_PYTHON:
        say(f"paperread needs Python {version_text(MINIMUM_PYTHON)} or newer; this is "
            f"{version_text(sys.version_info[:3])} ({sys.executable}). Run this script with a newer one.")
        return 1
    try:
        problem = venv_problem()
        if problem is None:
            say(f"using the virtual environment {VENV}")
        else:
            create_venv(problem)
            bring_in_pip()
        target = ".[test]" if args.test else "."
        say(f"installing paperread{' and the test dependencies' if args.test else ''} into {VENV}")
        env = {key: value for key, value in os.environ.items() if key != "PIP_USER"}
        if run([PYTHON, "-m", "pip", "install", target], cwd=ROOT, env=env).returncode != 0:
            raise SetupError("pip could not install paperread (see above); fix that and run this again.")
    except SetupError as error:
        print(f"install.py: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    say("done: run .venv/bin/python -m pytest -q -rs" if args.test else "done: run .venv/bin/paperread")
    return 0


if __name__ == "__main__":
    sys.exit(main())
