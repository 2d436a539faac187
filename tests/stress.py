"""The timing-sensitive tests under load: ``pytest -m timing``, several times,
with busy processes taking the cores beside it.

    .venv/bin/python tests/stress.py [--runs N] [--busy K] [pytest arguments]

K processes (2 by default: every core of a two-core machine) spin while the
marked tests run N times (3 by default); they are stopped whatever happens.
Exits non-zero if any run failed. Extra arguments go to pytest, e.g.
``-k hostile`` or ``-x``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SPIN = "while True: pass"


@contextmanager
def busy_processes(count: int) -> Iterator[None]:
    """``count`` processes that each keep a core busy until the block ends."""
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait()


def pytest_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-m", "timing", "-q", "-p", "no:cacheprovider", *args]


def timing_tests(pytest_args: list[str]) -> list[str]:
    """The marked tests' ids, collected once before the load starts: each run
    then reads only their files instead of collecting the whole suite again."""
    listed = subprocess.run(
        pytest_command("--collect-only", *pytest_args), cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    return [line for line in listed.stdout.splitlines() if "::" in line]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="how many times to run the tests (3)")
    parser.add_argument("--busy", type=int, default=2, help="busy processes beside them (2)")
    options, pytest_args = parser.parse_known_args(argv)
    tests = timing_tests(pytest_args)
    if not tests:
        print("stress: no test marked timing was selected", file=sys.stderr)
        return 2
    results = []
    with busy_processes(options.busy):
        for run in range(1, options.runs + 1):
            started = time.monotonic()
            code = subprocess.run(pytest_command(*pytest_args, *tests), cwd=REPO_ROOT, check=False).returncode
            results.append(code)
            print(f"stress run {run}/{options.runs} with {options.busy} busy processes: "
                  f"{'passed' if code == 0 else f'FAILED (exit code {code})'} in {time.monotonic() - started:.0f} s",
                  flush=True)
    failed = sum(code != 0 for code in results)
    print(f"stress: {options.runs - failed} of {options.runs} runs passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
