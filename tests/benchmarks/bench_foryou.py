"""For you: how well rankings learned from a few stars find a simulated
reader's papers, on real arXiv metadata.

Run: ``python3 tests/benchmarks/bench_foryou.py [--quick]`` (from the
repository root); ``--cost 100000`` instead times vectorising, storing,
loading and ranking 100,000 synthetic papers and reports the memory added. Reads ``../shared/eval/arxiv-cs-stat-1601-1703.jsonl.xz``
(33,586 CS and Statistics papers, 2016 to March 2017; see its README) and
skips, saying why, when it is absent.

History = the 2016 papers (16xx ids), new = the 2017 ones (17xx). Two kinds
of reader: one whose interest is a subject (relevant = the papers carrying
it), and one whose interest is an author and their co-authors in the
history (relevant = a paper by any of them; author names are left out of
the features for these readers, or the task would be a look-up). Each reader
stars 5 or 20 of their history papers at random and has read ten times as
many other history papers without starring them (picked at random from the
whole history, so some are relevant papers they passed over). The new papers
are ranked, and the table gives, averaged over readers: recall in the top
20 %, nDCG@100 and precision@20.
"""

from __future__ import annotations

import argparse
import itertools
import json
import lzma
import math
import multiprocessing
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np

from paperread.foryou import Vectors, rank
from paperread.foryou import model as fy
from paperread.foryou.features import AUTHOR_START, vectorize
from paperread.foryou.matrix import Counts, Weighted, weigh
from paperread.model import Paper, PaperState
from paperread.text import clean_abstract, clean_title
from paperread.watch import Watchlist

DATA = Path(__file__).resolve().parents[3] / "shared" / "eval" / "arxiv-cs-stat-1601-1703.jsonl.xz"
SUBJECT_READERS = [
    "Computer Science - Computer Vision and Pattern Recognition",
    "Computer Science - Computation and Language",
    "Computer Science - Information Theory",
    "Statistics - Methodology",
    "Computer Science - Cryptography and Security",
    "Computer Science - Robotics",
    "Computer Science - Data Structures and Algorithms",
    "Computer Science - Social and Information Networks",
    "Computer Science - Logic in Computer Science",
    "Computer Science - Human-Computer Interaction",
]


def load_papers(path: Path = DATA, limit: int | None = None) -> list[Paper]:
    papers = []
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            papers.append(
                Paper(
                    id=row["id"],
                    title=clean_title(row["title"]),
                    abstract=clean_abstract(row["abstract"]),
                    authors=row["authors"],
                    categories=row["subjects"],
                    published=row["date"] + "T00:00:00Z",
                )
            )
            if limit and len(papers) >= limit:
                break
    return papers


class Reader:
    def __init__(self, kind: str, name: str, relevant: set[int]) -> None:
        self.kind, self.name, self.relevant = kind, name, relevant


def subject_readers(papers: list[Paper], subjects: list[str]) -> list[Reader]:
    return [
        Reader("subject", subject.split(" - ")[-1],
               {i for i, paper in enumerate(papers) if subject in paper.categories})
        for subject in subjects
    ]  # fmt: skip


def author_readers(papers: list[Paper], history: list[int], new: list[int], count: int) -> list[Reader]:
    """Prolific authors of the history whose circle (them and their history
    co-authors) wrote at least 30 history papers and 15 new ones."""
    # names exactly as arXiv gives them: "surname + initial" would merge the
    # many authors called "Zhang, R." into one circle with no common subject
    keys = [paper.authors for paper in papers]
    written: dict[str, list[int]] = defaultdict(list)
    for i in history:
        for key in keys[i]:
            written[key].append(i)
    readers = []
    for author, _ in Counter({key: len(rows) for key, rows in written.items()}).most_common(200):
        circle = {author} | {key for i in written[author] for key in keys[i]}
        relevant = {i for i in history + new if circle.intersection(keys[i])}
        new_relevant = sum(1 for i in new if i in relevant)
        if len(relevant) - new_relevant >= 30 and 15 <= new_relevant <= 0.1 * len(new):
            readers.append(Reader("author", author, relevant))
        if len(readers) == count:
            break
    return readers


# ---- the methods ---------------------------------------------------------

class Task:
    """One reader's stars and reads, and the new papers to rank."""

    def __init__(self, weighted: Weighted, papers: list[Paper], stars: list[int], reads: list[int],
                 new: np.ndarray, variants: dict[str, Weighted]) -> None:  # fmt: skip
        self.weighted, self.papers, self.stars, self.reads, self.new = weighted, papers, stars, reads, new
        self.variants = variants
        self.vectors: Vectors | None = None
        self.rng = random.Random(0)

    def using(self, variant: str) -> Task:
        task = Task(self.variants[variant], self.papers, self.stars, self.reads, self.new, self.variants)
        task.vectors = self.vectors
        return task


def features(variant: str, method: Method) -> Method:
    """``method`` over other features (see ``feature_variants``)."""
    return lambda task: method(task.using(variant))


Method = Callable[[Task], np.ndarray]  # scores for task.new, higher first


def random_order(task: Task) -> np.ndarray:
    return np.array([task.rng.random() for _ in task.new])


def newest_first(task: Task) -> np.ndarray:
    dates = [task.papers[i].published or "" for i in task.new]
    order = sorted(range(len(dates)), key=dates.__getitem__)
    scores = np.empty(len(dates))
    scores[order] = np.arange(len(dates))
    return scores


def watch_list(task: Task) -> np.ndarray:
    """Ten keywords: the star's words with the highest summed tf-idf (words
    only: what a reader would type), matched as the watch list does; score =
    keywords matched, ties newest first."""
    keywords = fy.top_words(task.papers, task.stars, task.weighted, 10)
    watch = Watchlist(keywords=keywords)
    recency = newest_first(task) / (len(task.new) + 1)
    return np.array([len(watch.matched_terms(task.papers[i])) for i in task.new]) + recency


_SUBS: dict[int, Weighted] = {}


def _sub(task: Task) -> Weighted:
    key = id(task.weighted)
    if key not in _SUBS:
        if len(_SUBS) > 8:
            _SUBS.clear()
        counts = task.weighted.counts
        rows = task.new
        sub_counts = counts.take(rows)
        starts = counts.indptr[rows]
        lengths = np.diff(sub_counts.indptr)
        positions = np.repeat(starts - sub_counts.indptr[:-1], lengths) + np.arange(sub_counts.indptr[-1])
        _SUBS[key] = Weighted(sub_counts, task.weighted.values[positions], task.weighted.idf)
    return _SUBS[key]


def centroid(task: Task) -> np.ndarray:
    return _sub(task).dot(fy.centroid_weights(task.weighted, task.stars))


def rocchio(beta: float) -> Method:
    def method(task: Task) -> np.ndarray:
        weights = fy.centroid_weights(task.weighted, task.stars)
        weights -= beta * fy.centroid_weights(task.weighted, task.reads)
        return _sub(task).dot(weights)
    return method


def knn(k: int) -> Method:
    def method(task: Task) -> np.ndarray:
        return fy.knn_scores(_sub(task), task.weighted, task.stars, k)
    return method


def logistic(lam: float) -> Method:
    def method(task: Task) -> np.ndarray:
        return _sub(task).dot(fy.logistic_weights(task.weighted, task.stars, task.reads, lam).weights)
    return method


def shipped(task: Task) -> np.ndarray:
    """paperread.foryou.rank as the reader calls it: similar (Rocchio, reads
    -1) under 10 stars, logistic regression from 10; words, categories x2."""
    states = {task.papers[i].id: PaperState(read=True) for i in task.reads}
    states.update({task.papers[i].id: PaperState(read=True, starred=True) for i in task.stars})
    rows = sorted(set(task.stars) | set(task.reads)) + list(task.new)
    vectors = task.vectors
    weights = None if task.weighted.idf[AUTHOR_START] else {**fy.PART_WEIGHTS, "authors": 0.0}
    ranking = rank([task.papers[i] for i in rows], states, vectors, part_weights=weights)
    scores = np.array([ranking.scores[task.papers[i].id] for i in task.new])
    return scores


def blend(*parts: tuple[float, Method]) -> Method:
    def method(task: Task) -> np.ndarray:
        total = np.zeros(len(task.new))
        for weight, part in parts:
            scores = part(task).astype(np.float64)
            total += weight * (scores - scores.mean()) / (scores.std() + 1e-9)
        return total
    return method


# ---- measuring -----------------------------------------------------------

def metrics(scores: np.ndarray, relevant: np.ndarray) -> tuple[float, float, float]:
    order = np.argsort(-scores, kind="stable")
    hits = relevant[order]
    top = math.ceil(0.2 * len(scores))
    recall = hits[:top].sum() / max(relevant.sum(), 1)
    gains = hits[:100] / np.log2(np.arange(2, 102))
    ideal = (1 / np.log2(np.arange(2, 102)))[: min(int(relevant.sum()), 100)].sum()
    return float(recall), float(gains.sum() / ideal if ideal else 0.0), float(hits[:20].mean())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer readers and methods")
    parser.add_argument("--methods", help="comma-separated names to run (default: all)")
    parser.add_argument("--cost", type=int, metavar="N", help="only time and memory at N synthetic papers")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (see ../shared/eval/README.md)")
        return 0
    started = time.perf_counter()
    papers = load_papers()
    loaded = time.perf_counter()
    all_vectors = Vectors.of(papers)
    counts = all_vectors.counts
    vectorized = time.perf_counter()
    print(f"{len(papers)} papers: read {loaded - started:.1f} s, vectorized {vectorized - loaded:.1f} s "
          f"({counts.indices.size / len(papers):.0f} non-zeros a paper)")  # fmt: skip
    history = [i for i, paper in enumerate(papers) if paper.id.startswith("16")]
    new = np.array([i for i, paper in enumerate(papers) if paper.id.startswith("17")])
    with_authors = weigh(counts, fy.PART_WEIGHTS)
    without_authors = weigh(counts, {**fy.PART_WEIGHTS, "authors": 0.0})
    pairs = Counts.from_rows(vectorize(papers, bigrams=True))
    print(f"{pairs.indices.size / len(papers):.0f} non-zeros a paper with word pairs")
    variants = {
        "word pairs": (weigh(pairs, fy.PART_WEIGHTS), weigh(pairs, {**fy.PART_WEIGHTS, "authors": 0.0})),
        "plain tf": (weigh(counts, fy.PART_WEIGHTS, sublinear=False),
                     weigh(counts, {**fy.PART_WEIGHTS, "authors": 0.0}, sublinear=False)),
        "categories x2": (weigh(counts, {**fy.PART_WEIGHTS, "categories": 2.0}),
                          weigh(counts, {**fy.PART_WEIGHTS, "categories": 2.0, "authors": 0.0})),
        "categories x0.5": (weigh(counts, {**fy.PART_WEIGHTS, "categories": 0.5}),
                            weigh(counts, {**fy.PART_WEIGHTS, "categories": 0.5, "authors": 0.0})),
        "categories x3": (weigh(counts, {**fy.PART_WEIGHTS, "categories": 3.0}),
                          weigh(counts, {**fy.PART_WEIGHTS, "categories": 3.0, "authors": 0.0})),
        "categories x1": (weigh(counts, {**fy.PART_WEIGHTS, "categories": 1.0}),
                          weigh(counts, {**fy.PART_WEIGHTS, "categories": 1.0, "authors": 0.0})),
        "word pairs, categories x1": (weigh(pairs, {**fy.PART_WEIGHTS, "categories": 1.0}),
                                      weigh(pairs, {**fy.PART_WEIGHTS, "categories": 1.0, "authors": 0.0})),
        "authors x0.5": (weigh(counts, {**fy.PART_WEIGHTS, "authors": 0.5}), without_authors),
    }  # fmt: skip
    readers = subject_readers(papers, SUBJECT_READERS[: 4 if args.quick else None])
    readers += author_readers(papers, history, list(new), 4 if args.quick else 10)
    methods: dict[str, Method] = {
        "random": random_order,
        "newest first": newest_first,
        "watch list (10 words)": watch_list,
        "centroid of stars, cats x1": features("categories x1", centroid),
        "rocchio reads -0.5, cats x1": features("categories x1", rocchio(0.5)),
        "knn to stars k=1, cats x1": features("categories x1", knn(1)),
        "knn to stars k=3, cats x1": features("categories x1", knn(3)),
        "logistic l=0.1, cats x1": features("categories x1", logistic(0.1)),
        "logistic l=1, cats x1": features("categories x1", logistic(1.0)),
        "logistic l=100, cats x1": features("categories x1", logistic(100.0)),
        "logistic, plain tf": features("plain tf", logistic(1.0)),
        "logistic, pairs, cats x1": features("word pairs, categories x1", logistic(1.0)),
        "logistic, cats x0.5": features("categories x0.5", logistic(1.0)),
        "logistic, cats x3": features("categories x3", logistic(1.0)),
        "logistic, pairs, cats x2": features("word pairs", logistic(1.0)),
        "logistic, authors x0.5": features("authors x0.5", logistic(1.0)),
        "blend logistic+centroid": blend((1, logistic(1.0)), (1, centroid)),
        "blend logistic+knn3": blend((1, logistic(1.0)), (1, knn(3))),
        "knn to stars k=3": knn(3),
        "centroid of stars": centroid,
        "rocchio reads -0.5": rocchio(0.5),
        "rocchio reads -1": rocchio(1.0),
        "logistic l=1": logistic(1.0),
        "CHOSEN foryou.rank()": shipped,
    }
    if args.methods:
        methods = {name: method for name, method in methods.items()
                   if any(part.strip() in name for part in args.methods.split(","))}  # fmt: skip
    results: dict[tuple[str, str, int], list[tuple[float, float, float]]] = defaultdict(list)
    timings: dict[str, float] = defaultdict(float)
    rng = random.Random(2017)
    for reader in readers:
        weighted = without_authors if reader.kind == "author" else with_authors
        relevant = np.array([i in reader.relevant for i in new])
        pool = [i for i in history if i in reader.relevant]
        for stars_wanted in (5, 20):
            for _ in range(2 if not args.quick else 1):
                stars = rng.sample(pool, stars_wanted)
                others = [i for i in history if i not in set(stars)]
                reads = rng.sample(others, 10 * stars_wanted)
                chosen = {name: pair[reader.kind == "author"] for name, pair in variants.items()}
                task = Task(weighted, papers, stars, reads, new, chosen)
                task.vectors = all_vectors
                for name, method in methods.items():
                    tick = time.perf_counter()
                    scores = method(task)
                    timings[name] += time.perf_counter() - tick
                    results[(name, reader.kind, stars_wanted)].append(metrics(scores, relevant))
    kinds = [("subject", len([r for r in readers if r.kind == "subject"])),
             ("author", len([r for r in readers if r.kind == "author"]))]  # fmt: skip
    for reader in readers:
        print(f"  {reader.kind} reader {reader.name}: {len(reader.relevant)} relevant papers, "
              f"{sum(1 for i in new if i in reader.relevant)} of them new")
    print(f"{len(new)} new papers ranked; readers: " + ", ".join(f"{n} {kind}" for kind, n in kinds))
    print("recall in the top 20 % / nDCG@100 / precision@20, mean over readers and draws\n")
    header = f"{'method':30}" + "".join(f"{kind + ' ' + str(s) + '★':>22}" for kind, _ in kinds for s in (5, 20))
    print(header + f"{'ms/rank':>9}")
    calls = sum(len(results[(next(iter(methods)), kind, s)]) for kind, _ in kinds for s in (5, 20))
    for name in methods:
        cells = ""
        for kind, _ in kinds:
            for stars_wanted in (5, 20):
                values = np.array(results[(name, kind, stars_wanted)]).mean(axis=0)
                cells += f"{values[0]:>10.2f}/{values[1]:.2f}/{values[2]:.2f}"
        print(f"{name:30}{cells}{1000 * timings[name] / calls:>9.1f}")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0




def cost(total: int) -> None:
    """Time and memory at ``total`` synthetic papers: vectorising, storing,
    loading, and ranking (learned stage: 20 stars, 200 reads)."""
    import tempfile

    from paperread.foryou import VectorStore

    def rss() -> tuple[float, float]:
        fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    rng = random.Random(5)
    words = [f"w{n}" for n in range(30_000)]
    zipf = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    cats = [f"cs.{chr(65 + n)}{chr(65 + n)}" for n in range(40)]
    papers = [
        Paper(id=f"{2600 + n // 10000}.{n % 10000:05d}", title=" ".join(rng.choices(words, cum_weights=zipf, k=10)),
              abstract=" ".join(rng.choices(words, cum_weights=zipf, k=rng.randint(120, 220))),
              authors=[f"Name{rng.randrange(50000)}, A." for _ in range(4)], categories=rng.sample(cats, 2),
              published=f"2026-{1 + n % 12:02d}-01T00:00:00Z")
        for n in range(total)
    ]  # fmt: skip
    import gc

    gc.collect()
    before, _ = rss()
    with tempfile.TemporaryDirectory() as folder:
        # vectorised in a child process, as a refresh would be: the memory
        # measured here is what a reader starting on the stored vectors adds
        tick = time.perf_counter()
        child = multiprocessing.get_context("fork").Process(
            target=lambda: VectorStore(Path(folder)).sync(papers)
        )
        child.start()
        child.join()
        made = time.perf_counter() - tick
        tick = time.perf_counter()
        vectors = VectorStore(Path(folder)).load()
        loaded = time.perf_counter() - tick
        size = sum(path.stat().st_size for path in Path(folder).rglob("*.npz"))
    gc.collect()
    after_load, _ = rss()
    states = {papers[i].id: PaperState(read=True) for i in rng.sample(range(total), 200)}
    states.update({papers[i].id: PaperState(read=True, starred=True) for i in rng.sample(range(total), 20)})
    timings = []
    for _ in range(3):
        tick = time.perf_counter()
        ranking = rank(papers, states, vectors)
        timings.append(time.perf_counter() - tick)
    tick = time.perf_counter()
    ranking.why(ranking.order[0])
    why_ms = 1000 * (time.perf_counter() - tick)
    del ranking
    gc.collect()
    after_rank, peak = rss()
    print(f"{total} synthetic papers ({vectors.counts.indices.size / total:.0f} non-zeros a paper)")
    print(f"vectorise + store: {made:.1f} s ({1000 * made / total:.2f} ms a paper); on disk {size / 2**20:.1f} MB")
    print(f"load at start: {loaded:.2f} s")
    print(f"rank (train + score, learned stage): {', '.join(f'{t:.2f}' for t in timings)} s; why(): {why_ms:.1f} ms")
    print(f"resident memory: +{after_load - before:.0f} MB with the vectors loaded, "
          f"+{after_rank - before:.0f} MB after ranking; process peak {peak:.0f} MB")  # fmt: skip


if __name__ == "__main__" and "--cost" in sys.argv:
    cost(int(sys.argv[sys.argv.index("--cost") + 1]))
    raise SystemExit(0)


if __name__ == "__main__":
    raise SystemExit(main())
