"""The papers' term-count vectors on disk, so that a start never re-reads
the abstracts of the whole library to rank it.

The store is a folder of segments, ``segment-<n>.npz``, each written
atomically (temporary file, fsync, rename: a crash leaves the old set of
segments or the new one). ``sync`` vectorises only the papers the store
does not have yet (or whose text changed: a fingerprint of title, abstract,
authors and categories is kept per paper) and writes them as one new
segment; when there are more than ``MAX_SEGMENTS``, they are merged into one
(written before the old ones are removed; a later segment wins for a paper
found in two, so a crash between the two steps changes nothing). Vectors are
derived data: a damaged segment is ignored (and its papers vectorised again),
and a change of ``FEATURE_VERSION`` starts a fresh folder.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from paperread.model import Paper
from paperread.store.atomic import (
    ensure_directory,
    remove_stale_temps,
    write_atomically,
)

from .features import FEATURE_VERSION, vectorize
from .matrix import Counts

MAX_SEGMENTS = 8
_BATCH = 2048
_PREFIX = "segment-"


def fingerprint(paper: Paper) -> int:
    """A checksum of what the vector is made of."""
    text = "\0".join([paper.title, paper.abstract, "\1".join(paper.authors), "\1".join(paper.categories),
                      "\1".join(paper.msc_classes), "\1".join(paper.acm_classes)])  # fmt: skip
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


class Vectors:
    """Vectors of papers by id: ``counts`` row ``row[id]``."""

    def __init__(self, ids: Sequence[str], counts: Counts, prints: np.ndarray) -> None:
        self.ids = list(ids)
        self.counts = counts
        self.prints = prints  # uint32 fingerprint per row
        self.row = {paper_id: number for number, paper_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.row

    @classmethod
    def empty(cls) -> Vectors:
        return cls([], Counts.concat([]), np.zeros(0, dtype=np.uint32))

    @classmethod
    def of(cls, papers: Sequence[Paper]) -> Vectors:
        """The vectors of ``papers``, computed now (nothing stored)."""
        prints = np.fromiter((fingerprint(paper) for paper in papers), dtype=np.uint32, count=len(papers))
        # a batch at a time: the per-paper dicts cost far more than the arrays
        batches = [Counts.from_rows(vectorize(papers[start : start + _BATCH]))
                   for start in range(0, len(papers), _BATCH)]  # fmt: skip
        return cls([paper.id for paper in papers], Counts.concat(batches), prints)

    def missing(self, papers: Iterable[Paper], *, check_text: bool = True) -> list[Paper]:
        """The papers without a vector, or whose vector is of other text.
        ``check_text=False`` asks only which have no vector at all: for
        summaries (records without their abstracts), whose text is not what
        their vectors were made of."""
        row = self.row
        if not check_text:
            return [paper for paper in papers if paper.id not in row]
        out = []
        for paper in papers:
            number = row.get(paper.id)
            if number is None or int(self.prints[number]) != fingerprint(paper):
                out.append(paper)
        return out

    def plus(self, other: Vectors) -> Vectors:
        """These vectors with ``other``'s added; ``other`` wins for an id in both."""
        if not len(other):
            return self
        if not len(self):
            return other
        if not any(paper_id in self.row for paper_id in other.ids):  # only new papers: a plain append
            return Vectors(self.ids + other.ids, Counts.concat([self.counts, other.counts]),
                           np.concatenate([self.prints, other.prints]))  # fmt: skip
        keep = np.array([number for number, paper_id in enumerate(self.ids) if paper_id not in other.row],
                        dtype=np.int64)  # fmt: skip
        kept = self.counts.take(keep) if len(keep) < len(self.ids) else self.counts
        return Vectors(
            [self.ids[number] for number in keep] + other.ids,
            Counts.concat([kept, other.counts]),
            np.concatenate([self.prints[keep], other.prints]),
        )


def _encode(vectors: Vectors) -> bytes:
    buffer = io.BytesIO()
    np.savez(
        buffer,
        ids=np.array(vectors.ids, dtype=str),
        indptr=vectors.counts.indptr,
        indices=vectors.counts.indices,
        counts=vectors.counts.counts,
        prints=vectors.prints,
    )
    return buffer.getvalue()


def _decode(path: Path) -> Vectors:
    with np.load(path, allow_pickle=False) as data:
        ids = data["ids"].tolist()
        counts = Counts(
            data["indptr"].astype(np.int64), data["indices"].astype(np.int32), data["counts"].astype(np.uint8)
        )
        prints = data["prints"].astype(np.uint32)
    if counts.rows != len(ids) or len(prints) != len(ids) or counts.indptr[-1] != len(counts.indices):
        raise ValueError("inconsistent arrays")
    return Vectors(ids, counts, prints)


class VectorStore:
    """The vector segments in ``directory`` (``<data dir>/foryou``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / f"vectors-v{FEATURE_VERSION}"
        self.warnings: list[str] = []

    def _segments(self) -> list[tuple[int, Path]]:
        found = []
        if self.directory.is_dir():
            for path in self.directory.glob(f"{_PREFIX}*.npz"):
                number = path.stem[len(_PREFIX):]
                if number.isdigit():
                    found.append((int(number), path))
        return sorted(found)

    def has_vectors(self) -> bool:
        """Whether any segment is stored (cheap: a directory listing)."""
        return bool(self._segments())

    def load(self) -> Vectors:
        """All stored vectors; a damaged segment is skipped with a warning."""
        vectors = Vectors.empty()
        for _, path in self._segments():
            try:
                vectors = vectors.plus(_decode(path))
            except (OSError, ValueError, KeyError, zlib.error) as error:
                self.warnings.append(f"ignored damaged vectors {path.name}: {error}")
        return vectors

    def _write(self, number: int, vectors: Vectors) -> None:
        ensure_directory(self.directory)
        remove_stale_temps(self.directory / f"{_PREFIX}{number:06d}.npz")
        write_atomically(self.directory / f"{_PREFIX}{number:06d}.npz", _encode(vectors), backup=False)

    def sync(self, papers: Sequence[Paper], vectors: Vectors | None = None, *, check_text: bool = True) -> Vectors:
        """The vectors of the stored papers and of ``papers``, vectorising
        (and storing) only those that are new or changed (only those new
        with ``check_text=False``, see ``Vectors.missing``). Slow for many
        new papers (about 0.3 ms a paper): run it off the event loop."""
        if vectors is None:
            vectors = self.load()
        fresh = vectors.missing(papers, check_text=check_text)
        if not fresh:
            return vectors
        return self.add(Vectors.of(fresh), vectors)

    def append(self, added: Vectors) -> None:
        """Store ``added`` without the stored vectors at hand: they are read
        only when the segments are due to be merged."""
        if not len(added):
            return
        segments = self._segments()
        if len(segments) + 1 > MAX_SEGMENTS:
            self.add(added, self.load())
        else:
            self._write(segments[-1][0] + 1 if segments else 1, added)

    def add(self, added: Vectors, vectors: Vectors) -> Vectors:
        """``vectors`` (what is stored) with ``added`` (vectors made by the
        caller, e.g. ``Vectors.of``), storing ``added`` as a new segment;
        StorageError if it cannot be written (nothing is changed then)."""
        if not len(added):
            return vectors
        vectors = vectors.plus(added)
        segments = self._segments()
        number = segments[-1][0] + 1 if segments else 1
        if len(segments) + 1 > MAX_SEGMENTS:
            self._write(number, vectors)
            for _, path in segments:
                path.unlink(missing_ok=True)
        else:
            self._write(number, added)
        return vectors
