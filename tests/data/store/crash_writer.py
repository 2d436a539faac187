"""Writer for tests/test_store_crash.py: applies ``changes(round, step)`` to a
StateStore for step 1, 2, ... and prints ``ack <step>`` after each flush
returns, until it is killed. The parent imports ``changes`` from this file to
know what every acknowledged step wrote.

The papers spread over three read blocks of arXiv ids and several hashed
blocks of other ids, so that most flushes write several files."""

from __future__ import annotations

import sys
from pathlib import Path

from paperread.model import PaperState

PAPER_IDS = [f"2401.{(i % 3) * 1000 + i:05d}" for i in range(24)] + [f"guid:p{i}" for i in range(16)]
PAPERS = len(PAPER_IDS)


def changes(round_no: int, step: int) -> dict[str, PaperState]:
    """Step ``step`` of round ``round_no``: a single toggle (of the star, the
    read flag, the tags and the dismissal), a bulk action of ten papers, or a
    reset to default (which deletes the stored records)."""
    stamp = f"r{round_no}s{step}"
    first = (round_no * 7 + step) % PAPERS
    if step % 5 == 0:
        return {
            PAPER_IDS[(first + j) % PAPERS]: PaperState(read=True, tags=[stamp]) for j in range(10)
        }
    if step % 7 == 0:
        return {PAPER_IDS[first]: PaperState()}
    return {
        PAPER_IDS[first]: PaperState(
            starred=step % 2 == 0, read=step % 3 == 0, tags=[stamp], dismissed=step % 4 == 1
        )
    }


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
