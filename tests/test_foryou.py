"""For you: the stages, the signals, the explanations, the stored vectors,
and a small quality check on real arXiv metadata (skipped, saying why, when
../shared/eval is absent)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from paperread.model import Paper, PaperState
from tests.conftest import REPO_ROOT

np = pytest.importorskip("numpy")

from paperread import foryou
from paperread.foryou.store import MAX_SEGMENTS

EVAL = REPO_ROOT.parent / "shared" / "eval" / "arxiv-cs-stat-1601-1703.jsonl.xz"

TOPICS = {
    "bandits": ("cs.LG", "bandit regret exploration arm reward policy confidence bound"),
    "vision": ("cs.CV", "image segmentation pixel convolutional object detection camera"),
    "crypto": ("cs.CR", "encryption attack key protocol adversary cipher secure"),
}


def make_papers(per_topic: int = 40, seed: int = 7) -> list[Paper]:
    rng = random.Random(seed)
    filler = ["method", "result", "data", "study", "approach", "model", "analysis"]
    papers = []
    for topic, (category, words) in TOPICS.items():
        vocabulary = words.split()
        for number in range(per_topic):
            text = " ".join(rng.choice(vocabulary + filler) for _ in range(40))
            papers.append(Paper(
                id=f"{topic}-{number:03d}", title=f"{topic.title()} {rng.choice(vocabulary)} {number}",
                abstract=text, authors=[f"Author{rng.randrange(30)}, A."], categories=[category],
                published=f"2026-04-{1 + number % 28:02d}T00:00:00Z",
            ))  # fmt: skip
    return papers


def star(states: dict[str, PaperState], ids: list[str]) -> None:
    for paper_id in ids:
        states[paper_id] = PaperState(read=True, starred=True)


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    return make_papers()


@pytest.fixture(scope="module")
def vectors(papers: list[Paper]) -> foryou.Vectors:
    return foryou.Vectors.of(papers)


def share_of_topic(ranking: foryou.Ranking, topic: str, top: int = 20) -> float:
    return sum(paper_id.startswith(topic) for paper_id in ranking.order[:top]) / top


def test_without_stars_the_ranking_starts_from_the_watch_list_and_says_so(papers, vectors) -> None:
    from paperread.watch import Watchlist

    ranking = foryou.rank(papers, {}, vectors, watchlist=Watchlist(keywords=["encryption"]))
    assert ranking.stage == "starting"
    assert "no stars" in ranking.description
    assert share_of_topic(ranking, "crypto") == 1.0
    assert "watch list: encryption" in str(ranking.why(ranking.order[0]))


def test_a_few_stars_rank_by_similarity(papers, vectors) -> None:
    states: dict[str, PaperState] = {}
    star(states, ["bandits-000", "bandits-001", "bandits-002"])
    ranking = foryou.rank(papers, states, vectors)
    assert ranking.stage == "similar"
    assert "3 stars" in ranking.description
    assert share_of_topic(ranking, "bandits") == 1.0
    assert "bandits-000" not in ranking.order  # starred papers are not candidates


def test_ten_stars_train_a_classifier(papers, vectors) -> None:
    states: dict[str, PaperState] = {}
    star(states, [f"vision-{n:03d}" for n in range(foryou.LEARN_FROM)])
    for n in range(20):
        states[f"crypto-{n:03d}"] = PaperState(read=True)
    ranking = foryou.rank(papers, states, vectors)
    assert ranking.stage == "learned"
    assert "10 stars" in ranking.description and "20 reads" in ranking.description
    assert share_of_topic(ranking, "vision") == 1.0
    assert len(ranking.unsure) == 20 and set(ranking.unsure) <= set(ranking.order)


def test_tags_are_positives_and_a_tag_ranks_by_its_papers_alone(papers, vectors) -> None:
    states = {f"crypto-{n:03d}": PaperState(tags=["security"]) for n in range(3)}
    star(states, ["bandits-000", "bandits-001", "bandits-002", "bandits-003"])
    by_tag = foryou.rank(papers, states, vectors, tag="security")
    assert by_tag.stage == "similar" and "#security" in by_tag.description
    assert share_of_topic(by_tag, "crypto") == 1.0
    assert str(by_tag.why(by_tag.order[0])).count("like #security") == 1


def test_more_like_this_paper(papers, vectors) -> None:
    ranking = foryou.rank(papers, {}, vectors, like="vision-005")
    assert ranking.stage == "like this"
    assert "vision-005" not in ranking.order
    assert share_of_topic(ranking, "vision") == 1.0
    assert ranking.why(ranking.order[0]).like_id == "vision-005"


def test_dismissed_papers_are_hidden_and_count_against_their_kind(papers, vectors) -> None:
    states: dict[str, PaperState] = {}
    star(states, ["bandits-000", "vision-000"])
    plain = foryou.rank(papers, states, vectors)
    for n in range(1, 6):
        states[f"vision-{n:03d}"] = dismissed()
    ranking = foryou.rank(papers, states, vectors)
    assert not {f"vision-{n:03d}" for n in range(1, 6)} & set(ranking.order)
    assert share_of_topic(ranking, "bandits") > share_of_topic(plain, "bandits")


class _Dismissed(PaperState):
    """A state with ``dismissed`` until PaperState has the field."""

    __slots__ = ("dismissed",)

    def __init__(self) -> None:
        super().__init__()
        self.dismissed = True


def dismissed() -> PaperState:
    if "dismissed" in PaperState.__dataclass_fields__:
        return PaperState(dismissed=True)  # type: ignore[call-arg]
    return _Dismissed()


def test_unread_papers_are_never_negatives(papers, vectors) -> None:
    states: dict[str, PaperState] = {}
    star(states, ["bandits-000", "bandits-001"])
    ranking = foryou.rank(papers, states, vectors)
    assert ranking.negatives == 0 and ranking.positives == 2
    # untouched papers stay candidates, whatever their topic
    assert len(ranking.order) == len(papers) - 2


def test_why_names_the_heaviest_terms_and_the_nearest_star(papers, vectors) -> None:
    states: dict[str, PaperState] = {}
    star(states, ["crypto-000", "crypto-001"])
    ranking = foryou.rank(papers, states, vectors)
    why = ranking.why(ranking.order[0])
    vocabulary = set(TOPICS["crypto"][1].split()) | {"cs.CR"}
    assert why.terms and set(why.terms) <= vocabulary | {"crypto"}
    assert why.like_id in {"crypto-000", "crypto-001"}
    assert f"like ★ {why.like_title}" in str(why)


def test_vectors_are_stored_and_reloaded(tmp_path: Path, papers) -> None:
    store = foryou.VectorStore(tmp_path)
    first = store.sync(papers[:50])
    assert len(first) == 50
    again = foryou.VectorStore(tmp_path).load()
    assert again.ids == first.ids
    assert np.array_equal(again.counts.indices, first.counts.indices)
    both = foryou.VectorStore(tmp_path).sync(papers)
    assert len(both) == len(papers)
    changed = Paper(id=papers[0].id, title="Other title", abstract="entirely different words")
    assert foryou.VectorStore(tmp_path).load().missing([changed]) == [changed]
    assert foryou.VectorStore(tmp_path).load().missing(papers) == []


def test_the_store_merges_segments_and_skips_a_damaged_one(tmp_path: Path, papers) -> None:
    store = foryou.VectorStore(tmp_path)
    vectors = None
    for start in range(0, (MAX_SEGMENTS + 2) * 5, 5):
        vectors = store.sync(papers[start : start + 5], vectors)
    segments = sorted(store.directory.glob("segment-*.npz"))
    assert len(segments) <= MAX_SEGMENTS
    assert len(store.load()) == (MAX_SEGMENTS + 2) * 5
    segments[-1].write_bytes(b"not a zip")
    damaged = foryou.VectorStore(tmp_path)
    assert len(damaged.load()) < (MAX_SEGMENTS + 2) * 5
    assert damaged.warnings and "damaged" in damaged.warnings[0]


def test_importing_the_package_the_command_line_and_the_reader_loads_no_numpy() -> None:
    modules = "paperread, paperread.foryou, paperread.cli, paperread.session, paperread.tui.app"
    probe = f"import sys, {modules}; print('numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, timeout=60, check=True)  # fmt: skip
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(not EVAL.exists(), reason=f"{EVAL} is absent (real arXiv metadata for ranking quality)")
def test_on_real_papers_the_ranking_beats_random_by_far() -> None:
    sys.path.insert(0, str(REPO_ROOT / "tests" / "benchmarks"))
    from bench_foryou import load_papers

    papers = load_papers(EVAL, limit=4000)
    vectors = foryou.Vectors.of(papers)
    rng = random.Random(3)
    history, new = papers[:3000], papers[3000:]
    subject = "Computer Science - Computation and Language"
    relevant = [paper for paper in history if subject in paper.categories]
    states = {paper.id: PaperState(read=True) for paper in rng.sample(history, 200)}
    star(states, [paper.id for paper in rng.sample(relevant, 20)])
    ranking = foryou.rank(history + new, states, vectors)
    order = [paper_id for paper_id in ranking.order if paper_id in {paper.id for paper in new}]
    wanted = {paper.id for paper in new if subject in paper.categories}
    top = order[: len(order) // 5]
    recall = len(wanted & set(top)) / len(wanted)
    assert ranking.stage == "learned"
    assert recall >= 0.6, recall  # random order: 0.2
