"""Ranking papers for one reader from what they did on this machine.

Signals: a starred or tagged paper is a positive; a paper read and neither
starred nor tagged is a weak negative; a dismissed ("not interested") paper
is a strong negative and never ranked. Unread papers are never negatives.

Stages, by the number of positives:

- ``starting`` (none): watch-list matches, then Hugging Face upvotes, then
  the newest first;
- ``similar`` (1 to 9): similarity to the positives, minus similarity to the
  negatives (Rocchio: the mean of the positives' tf-idf vectors minus the
  mean of the negatives');
- ``learned`` (10 or more): logistic regression on the positives and the
  negatives;
- ``like this``: similarity to one chosen paper (``like=``).

``tag=`` ranks by that tag alone: its papers are the positives, the other
papers read are the negatives. Methods and weights were chosen by
tests/benchmarks/bench_foryou.py.

Cost: everything is O(non-zeros) over the candidates plus a small dense
fit over the labelled papers (at most ``MAX_POSITIVES`` + ``MAX_NEGATIVES``,
the most recent). Call ``rank`` from a worker thread; it returns a
``Ranking`` that answers ``why`` for one paper at a time.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from paperread.model import Paper, PaperState

from .features import PARTS, WIDTH, author_key, paper_terms, term_column
from .matrix import idf_weights, score_rows, tfidf
from .model import PART_WEIGHTS, logistic_weights
from .store import Vectors

LEARN_FROM = 10  # positives from which a classifier is trained
MAX_POSITIVES = 300
MAX_NEGATIVES = 600
DISMISSED_WEIGHT = 3.0  # a dismissal counts as this many reads
ROCCHIO_NEGATIVE = 1.0
UNSURE = 20

STAGE_TEXT = {
    "starting": "no stars yet: watch list, upvotes and the newest first",
    "waiting": "watch list, upvotes and the newest first until your stars have their vectors",
    "similar": "similar to your {positives} (a classifier from 10 on)",
    "learned": "learned from your {positives} and {negatives}",
    "like this": "like {title}",
}


@dataclass(slots=True)
class Why:
    """Why a paper ranks where it does: the terms that weighed most for it
    in the model, and the positive paper it is most like."""

    terms: list[str] = field(default_factory=list)
    like_id: str | None = None
    like_title: str | None = None
    like_mark: str = "★"
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = list(self.notes)
        if self.terms:
            parts.append(", ".join(self.terms))
        if self.like_title:
            parts.append(f"like {self.like_mark} {self.like_title}")
        return "; ".join(parts)


@dataclass(slots=True)
class _Model:
    """What ``why`` needs: the weights and the positives."""

    idf: np.ndarray
    weights: np.ndarray | None
    positive_rows: np.ndarray
    positive_ids: list[str]
    vectors: Vectors


@dataclass(slots=True)
class Ranking:
    """A ranking of the candidate papers, best first."""

    stage: str  # "starting", "similar", "learned", "like this"
    description: str  # one line for the screen: which stage, from what
    order: list[str]  # paper ids, best first (dismissed papers never appear), then ``unranked``
    scores: dict[str, float]  # the ranked papers' scores (not the unranked ones')
    unsure: list[str]  # the papers the model is least sure of, least sure first
    positives: int = 0
    negatives: int = 0
    _papers: Mapping[str, Paper] = field(default_factory=dict, repr=False)
    _states: Mapping[str, PaperState] = field(default_factory=dict, repr=False)
    _model: _Model | None = field(default=None, repr=False)
    _watchlist: object = field(default=None, repr=False)
    _tag: str | None = None
    # candidates without a stored vector (``vectorise_missing=False``), newest
    # first: at the end of ``order``, without a score
    unranked: list[str] = field(default_factory=list)

    def position(self, paper_id: str) -> int | None:
        try:
            return self.order.index(paper_id)
        except ValueError:
            return None

    def why(self, paper_id: str, terms: int = 5, *, paper: Paper | None = None) -> Why:
        """The explanation of one paper's score (a few ms). ``paper``: its
        whole record, where the ranking was made from summaries (records
        without their abstracts), so that terms of the abstract are named."""
        paper = paper if paper is not None and paper.id == paper_id else self._papers.get(paper_id)
        why = Why()
        if paper is None:
            return why
        if self.stage == "starting":
            return _why_starting(paper, self._watchlist)
        model = self._model
        if model is None or paper_id not in model.vectors:
            return why
        row = np.array([model.vectors.row[paper_id]])
        own = tfidf(model.vectors.counts, model.idf, row)
        if model.weights is not None:
            contributions = own.values * model.weights[own.counts.indices]
            names = _names(paper)
            best = np.argsort(-contributions)
            for position in best:
                if contributions[position] <= 0 or len(why.terms) >= terms:
                    break
                name = names.get(int(own.counts.indices[position]))
                if name and name not in why.terms:
                    why.terms.append(name)
        if len(model.positive_rows):
            dense = np.zeros(WIDTH, dtype=np.float32)
            dense[own.counts.indices] = own.values
            similarities = score_rows(model.vectors.counts, model.idf, dense, model.positive_rows)
            for best_row in np.argsort(-similarities):
                like_id = model.positive_ids[int(best_row)]
                if like_id != paper_id:
                    like = self._papers.get(like_id)
                    why.like_id = like_id
                    why.like_title = like.title if like else like_id
                    state = self._states.get(like_id)
                    if self.stage == "like this":
                        why.like_mark = "this:"
                    elif self._tag is not None or (state is not None and not state.starred):
                        why.like_mark = f"#{self._tag}" if self._tag else "#" + ",#".join(state.tags)
                    break
        return why


def _names(paper: Paper) -> dict[int, str]:
    """column -> how the term reads, for the terms of one paper."""
    text, _, categories = paper_terms(paper)
    names: dict[int, str] = {}
    for term in text:
        names.setdefault(term_column(term, "text"), term)
    for name in paper.authors:
        names.setdefault(term_column(author_key(name), "authors"), name)
    for category in categories:
        names.setdefault(term_column(category, "categories"), category)
    return names


def _why_starting(paper: Paper, watchlist: object) -> Why:
    why = Why()
    if watchlist is not None:
        matched = watchlist.matched_terms(paper)  # type: ignore[attr-defined]
        if matched:
            why.notes.append("watch list: " + ", ".join(matched))
    if paper.upvotes:
        why.notes.append(f"{paper.upvotes} upvotes on Hugging Face")
    if not why.notes:
        why.notes.append("new")
    return why


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _date(paper: Paper) -> str:
    return paper.announced or paper.published or paper.first_seen or ""


def _recency(papers: Sequence[Paper]) -> np.ndarray:
    """0 for the oldest, 1 for the newest (ties share a value)."""
    dates = [_date(paper) for paper in papers]
    distinct = sorted(set(dates))
    place = {date: number for number, date in enumerate(distinct)}
    top = max(len(distinct) - 1, 1)
    return np.array([place[date] / top for date in dates], dtype=np.float64)


def _by_recency(rows: list[int], papers: Sequence[Paper], limit: int) -> list[int]:
    return sorted(rows, key=lambda row: _date(papers[row]), reverse=True)[:limit]


def rank(
    papers: Sequence[Paper],
    states: Mapping[str, PaperState],
    vectors: Vectors,
    *,
    watchlist: object = None,
    tag: str | None = None,
    like: str | None = None,
    include_read: bool = False,
    part_weights: Mapping[str, float] | None = None,
    among: Collection[str] | None = None,
    vectorise_missing: bool = True,
) -> Ranking:
    """Rank ``papers`` (unread ones only, unless ``include_read``) for the
    reader whose state is ``states`` (paper id -> PaperState; missing means
    untouched). ``vectors`` should hold every paper (see VectorStore.sync);
    papers without one are vectorised here, which is slow for many.

    ``watchlist`` (a paperread.watch.Watchlist) orders the starting stage;
    ``tag`` ranks by that tag's papers alone; ``like`` (a paper id) ranks by
    similarity to that paper. ``part_weights`` overrides the weight of the
    text, authors and categories (for benchmarks: 0 leaves a part out).

    ``among`` (paper ids) limits the candidates to those papers; every
    paper's state still teaches the model. ``vectorise_missing=False``
    takes the vectors as they are, by id (``papers`` may then be summaries,
    records without their abstracts): a paper without one is left out of
    the model, and a candidate without one is put after the others
    (``Ranking.unranked``); the description then says how many papers
    have vectors."""
    coverage = ""
    if vectorise_missing:
        missing = vectors.missing(papers)
        if missing:
            vectors = vectors.plus(Vectors.of(missing))
    else:
        have = sum(paper.id in vectors.row for paper in papers)
        if have < len(papers):
            coverage = f" (vectors for {have:,} of {len(papers):,} papers)"
    by_id = {paper.id: paper for paper in papers}
    default = PaperState()
    positives: list[int] = []
    weak: list[int] = []
    strong: list[int] = []
    candidates: list[int] = []
    for number, paper in enumerate(papers):
        state = states.get(paper.id, default)
        dismissed = bool(getattr(state, "dismissed", False))
        positive = (tag in state.tags) if tag is not None else (state.starred or bool(state.tags))
        if dismissed:
            strong.append(number)
        elif positive:
            positives.append(number)
        elif state.read or (tag is not None and (state.starred or state.tags)):
            weak.append(number)
        if not dismissed and (include_read or not (state.read or positive)):
            candidates.append(number)
    if among is not None:
        wanted = among if isinstance(among, (set, frozenset, dict)) else set(among)
        candidates = [number for number in candidates if papers[number].id in wanted]
    if like is not None and like not in vectors.row:
        like = None  # no vector to compare with (vectorise_missing=False)
    if like is not None and like in by_id:
        candidates = [number for number in candidates if papers[number].id != like]

    row_of = vectors.row
    waiting = False  # positives there, but none with a vector yet
    if not vectorise_missing:
        waiting = bool(positives)
        positives = [number for number in positives if papers[number].id in row_of]
        weak = [number for number in weak if papers[number].id in row_of]
        strong = [number for number in strong if papers[number].id in row_of]
    idf = idf_weights(vectors.counts, dict(part_weights or PART_WEIGHTS))
    positives = _by_recency(positives, papers, MAX_POSITIVES)
    negatives = _by_recency(strong, papers, MAX_NEGATIVES)
    negatives += _by_recency(weak, papers, MAX_NEGATIVES - len(negatives))
    n_strong = min(len(strong), MAX_NEGATIVES)
    pos_rows = np.array([row_of[papers[number].id] for number in positives], dtype=np.int64)
    neg_rows = np.array([row_of[papers[number].id] for number in negatives], dtype=np.int64)
    counted = {
        "positives": _plural(len(positives), f"#{tag} paper" if tag else "star"),
        "negatives": _plural(len(negatives), "read"),
    }

    bias = 0.0
    threshold: float | None = None
    weights: np.ndarray | None = None
    if like is not None and like in by_id:
        stage = "like this"
        one = tfidf(vectors.counts, idf, np.array([row_of[like]]))
        weights = np.zeros(WIDTH, dtype=np.float32)
        weights[one.counts.indices] = one.values
        pos_rows = np.array([row_of[like]], dtype=np.int64)
        positives_ids = [like]
        description = STAGE_TEXT[stage].format(title=by_id[like].title)
    elif not positives:
        stage = "starting"
        positives_ids = []
        description = STAGE_TEXT["waiting" if waiting else stage]
    else:
        positives_ids = [papers[number].id for number in positives]
        labelled = tfidf(vectors.counts, idf, np.concatenate([pos_rows, neg_rows]))
        n_pos = len(pos_rows)
        if len(positives) < LEARN_FROM or not len(neg_rows):
            stage = "similar"
            weights = np.zeros(WIDTH, dtype=np.float32)
            dense, columns = labelled.dense(np.arange(n_pos))
            weights[columns] += dense.mean(axis=0)
            if len(neg_rows):
                dense, columns = labelled.dense(np.arange(n_pos, labelled.counts.rows))
                weights[columns] -= ROCCHIO_NEGATIVE * dense.mean(axis=0)
            labelled_scores = labelled.dot(weights)
            if len(neg_rows):
                threshold = float((labelled_scores[:n_pos].mean() + labelled_scores[n_pos:].mean()) / 2)
        else:
            stage = "learned"
            extra = np.ones(len(neg_rows))
            extra[:n_strong] = DISMISSED_WEIGHT
            linear = logistic_weights(
                labelled, range(n_pos), range(n_pos, labelled.counts.rows), negative_weights=extra
            )
            weights, bias, threshold = linear.weights, linear.bias, 0.0
        description = STAGE_TEXT[stage].format(**counted)
    description += coverage

    unranked: list[int] = []
    if stage != "starting" and not vectorise_missing:
        unranked = _by_recency([number for number in candidates if papers[number].id not in row_of],
                               papers, len(candidates))  # fmt: skip
        candidates = [number for number in candidates if papers[number].id in row_of]
    if stage == "starting":
        cand_papers = [papers[number] for number in candidates]
        scores = _recency(cand_papers)
        upvotes = np.array([paper.upvotes or 0 for paper in cand_papers], dtype=np.float64)
        scores += np.log1p(upvotes) / math.log(1000.0)
        if watchlist is not None and watchlist:
            scores += 3.0 * np.array([watchlist.matches(paper) for paper in cand_papers])  # type: ignore[attr-defined]
    else:
        assert weights is not None
        cand_rows = np.array([row_of[papers[number].id] for number in candidates], dtype=np.int64)
        scores = score_rows(vectors.counts, idf, weights, cand_rows).astype(np.float64) + bias
    order = np.argsort(-scores, kind="stable")
    ids = [papers[candidates[i]].id for i in order]
    left_out = [papers[number].id for number in unranked]
    unsure: list[str] = []
    if threshold is not None and len(scores):
        closest = np.argsort(np.abs(scores - threshold), kind="stable")[:UNSURE]
        unsure = [papers[candidates[i]].id for i in closest]
    model = _Model(idf, weights, pos_rows, positives_ids, vectors)
    return Ranking(
        stage=stage,
        description=description,
        order=ids + left_out,
        scores={papers[candidates[i]].id: float(scores[i]) for i in range(len(candidates))},
        unsure=unsure,
        positives=len(positives),
        negatives=len(negatives),
        _papers=by_id,
        _states=states,
        _model=model,
        _watchlist=watchlist,
        _tag=tag,
        unranked=left_out,
    )


__all__ = ["LEARN_FROM", "PARTS", "Ranking", "Why", "rank"]
