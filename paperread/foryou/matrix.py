"""A compressed sparse row matrix in plain numpy (no scipy): the papers'
term counts, and the few operations ranking needs, each O(non-zeros)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .features import PARTS, WIDTH


@dataclass(slots=True)
class Counts:
    """Term counts, one row a paper: row ``i`` holds ``indices[p:q]`` and
    ``counts[p:q]`` for ``p, q = indptr[i], indptr[i + 1]``."""

    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # int32 columns
    counts: np.ndarray  # uint8, clipped at 255

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def from_rows(cls, rows: Sequence[dict[int, int]]) -> Counts:
        lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        total = int(indptr[-1])
        indices = np.empty(total, dtype=np.int32)
        counts = np.empty(total, dtype=np.uint8)
        for number, row in enumerate(rows):
            start = indptr[number]
            end = start + len(row)
            keys = sorted(row)
            indices[start:end] = keys
            counts[start:end] = [min(row[key], 255) for key in keys]
        return cls(indptr, indices, counts)

    @classmethod
    def concat(cls, parts: Sequence[Counts]) -> Counts:
        if not parts:
            return cls(np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.uint8))
        offsets = np.cumsum([0] + [int(part.indptr[-1]) for part in parts[:-1]])
        indptr = np.concatenate(
            [parts[0].indptr[:1]] + [part.indptr[1:] + off for part, off in zip(parts, offsets)]
        )
        return cls(
            indptr,
            np.concatenate([part.indices for part in parts]),
            np.concatenate([part.counts for part in parts]),
        )

    def take(self, rows: np.ndarray) -> Counts:
        """The matrix of the given rows, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        positions = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Counts(indptr, self.indices[positions], self.counts[positions])


@dataclass(slots=True)
class Weighted:
    """Counts turned into tf-idf rows of unit length: ``values`` lines up
    with ``counts.indices``."""

    counts: Counts
    values: np.ndarray  # float32, tf-idf / row norm
    idf: np.ndarray  # float32 per column (times the part's weight)

    def row_dense(self, row: int, columns: np.ndarray) -> np.ndarray:
        """Row ``row`` over ``columns`` (sorted), zeros elsewhere."""
        start, end = self.counts.indptr[row], self.counts.indptr[row + 1]
        out = np.zeros(len(columns), dtype=np.float32)
        where = np.searchsorted(columns, self.counts.indices[start:end])
        out[where] = self.values[start:end]
        return out

    def dense(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The given rows as a dense matrix over the columns they use, and
        those columns (sorted)."""
        sub = self.counts.take(rows)
        starts = self.counts.indptr[np.asarray(rows, dtype=np.int64)]
        lengths = np.diff(sub.indptr)
        positions = np.repeat(starts - sub.indptr[:-1], lengths) + np.arange(sub.indptr[-1])
        columns, inverse = np.unique(sub.indices, return_inverse=True)
        out = np.zeros((len(rows), len(columns)), dtype=np.float32)
        row_of = np.repeat(np.arange(len(rows)), lengths)
        out[row_of, inverse] = self.values[positions]
        return out, columns

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Every row times a dense column-weight vector (length WIDTH)."""
        products = weights[self.counts.indices] * self.values
        return _row_sums(products, self.counts.indptr)

    def dot_many(self, weights: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Every row times each of ``weights`` (k x len(columns), over the
        sorted ``columns``): a rows x k matrix. Only the non-zeros that fall
        in ``columns`` are touched."""
        lookup = np.full(WIDTH, -1, dtype=np.int32)
        lookup[columns] = np.arange(len(columns), dtype=np.int32)
        local = lookup[self.counts.indices]
        hit = np.flatnonzero(local >= 0)
        row_of = np.searchsorted(self.counts.indptr, hit, side="right") - 1
        out = np.zeros((self.counts.rows, weights.shape[0]), dtype=np.float32)
        contributions = weights[:, local[hit]] * self.values[hit]
        for k in range(weights.shape[0]):
            out[:, k] = np.bincount(row_of, contributions[k], minlength=self.counts.rows)
        return out


def _row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    out = np.zeros(len(indptr) - 1, dtype=np.float32)
    nonempty = indptr[1:] > indptr[:-1]
    if values.size:
        sums = np.add.reduceat(values, indptr[:-1][nonempty])
        out[nonempty] = sums
    return out


def weigh(counts: Counts, part_weights: dict[str, float], *, sublinear: bool = True) -> Weighted:
    """tf-idf with the idf taken over these rows, each part of the column
    space scaled by its weight (0 leaves it out), rows scaled to unit length."""
    idf = idf_weights(counts, part_weights)
    tf = counts.counts.astype(np.float32)
    if sublinear:
        np.log(tf, out=tf)
        tf += 1.0
    values = tf * idf[counts.indices]
    norms = np.sqrt(_row_sums(values * values, counts.indptr))
    norms[norms == 0] = 1.0
    values /= np.repeat(norms, np.diff(counts.indptr))
    return Weighted(counts, values, idf)


def idf_weights(counts: Counts, part_weights: dict[str, float]) -> np.ndarray:
    """Per column: idf over these rows times the weight of the column's part."""
    rows = max(counts.rows, 1)
    df = np.bincount(counts.indices, minlength=WIDTH).astype(np.float32)
    idf = (np.log((1.0 + rows) / (1.0 + df)) + 1.0).astype(np.float32)
    for part, (start, end) in PARTS.items():
        idf[start:end] *= part_weights.get(part, 1.0)
    return idf


def tfidf(counts: Counts, idf: np.ndarray, rows: np.ndarray) -> Weighted:
    """The given rows as unit-length sublinear tf-idf rows."""
    sub = counts.take(rows)
    values = np.log(sub.counts.astype(np.float32)) + 1.0
    values *= idf[sub.indices]
    norms = np.sqrt(_row_sums(values * values, sub.indptr))
    norms[norms == 0] = 1.0
    values /= np.repeat(norms, np.diff(sub.indptr))
    return Weighted(sub, values, idf)


def score_rows(
    counts: Counts, idf: np.ndarray, weights: np.ndarray, rows: np.ndarray, chunk: int = 16384
) -> np.ndarray:
    """Each given row's unit-length tf-idf vector times ``weights``, a chunk
    of rows at a time (the memory used stays that of one chunk)."""
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), chunk):
        part = tfidf(counts, idf, rows[start : start + chunk])
        out[start : start + chunk] = part.dot(weights)
    return out
