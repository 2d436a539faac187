"""The full records (with abstracts) read for the abstract pane, when the
library was loaded as summaries: the most recent ones, kept by paper id.

A record is kept with the listed paper it was read for, and found only for
that same object: after a refresh the list holds new records, and an old
full record must not stand in for a paper that changed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from paperread.model import Paper

FULL_RECORDS_KEPT = 256
READ_AHEAD, READ_BEHIND = 8, 2  # neighbours read with the highlighted paper


class FullRecords:
    def __init__(self, kept: int = FULL_RECORDS_KEPT) -> None:
        self._kept = kept
        self._records: OrderedDict[str, tuple[Paper, Paper]] = OrderedDict()  # newest last

    def get(self, paper: Paper) -> Paper | None:
        """The full record read for the listed ``paper``, if any."""
        known = self._records.get(paper.id)
        if known is None or known[0] is not paper:
            return None
        self._records.move_to_end(paper.id)
        return known[1]

    def put(self, records: Iterable[tuple[Paper, Paper]]) -> None:
        """Keep (listed paper, full record) pairs, forgetting the oldest."""
        for paper, full in records:
            self._records[paper.id] = (paper, full)
            self._records.move_to_end(paper.id)
        while len(self._records) > self._kept:
            self._records.popitem(last=False)

    def missing_near(self, papers: list[Paper], cursor: int) -> list[Paper]:
        """The papers around ``cursor`` not read yet, to read with it."""
        nearby = papers[max(0, cursor - READ_BEHIND) : cursor + READ_AHEAD + 1]
        return [paper for paper in nearby if self.get(paper) is None]
