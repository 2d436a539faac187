"""Writer for tests/test_store_crash.py: applies ``changes(round, step)`` to a
StateStore for step 1, 2, ... and prints ``ack <step>`` after each flush
returns, until it is killed. The parent imports ``changes`` from this file to
know what every acknowledged step wrote."""

from __future__ import annotations

import sys
from pathlib import Path

from paperread.model import PaperState

PAPERS = 40


def changes(round_no: int, step: int) -> dict[str, PaperState]:
    """Step ``step`` of round ``round_no``: a single toggle, a bulk action of
    ten papers, or a reset to default (which deletes the stored document)."""
    stamp = f"r{round_no}s{step}"
    first = (round_no * 7 + step) % PAPERS
    if step % 5 == 0:
        return {f"p{(first + j) % PAPERS}": PaperState(read=True, tags=[stamp]) for j in range(10)}
    if step % 7 == 0:
        return {f"p{first}": PaperState()}
    return {f"p{first}": PaperState(starred=step % 2 == 0, read=step % 3 == 0, tags=[stamp])}


def main() -> None:
    from paperread.store import StateStore

    path, round_no = Path(sys.argv[1]), int(sys.argv[2])
    store = StateStore(path)
    print("ready", *store.open_messages, flush=True)
    step = 0
    while True:
        step += 1
        store.set_many(changes(round_no, step))
        store.flush()
        print(f"ack {step}", flush=True)


if __name__ == "__main__":
    main()
