"""For you through the session: the ranking of the library's papers, the
backfill of their vectors, a reader's session of summaries, and the refresh
that keeps the vectors in step (real stores in temporary folders, feeds on
loopback)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from paperread.model import PaperState
from paperread.session import Session, open_session
from tests.feedserver import FeedServer
from tests.test_foryou import make_papers
from tests.test_refresh import SMALL_RSS
from tests.tui_library import build_session, write_config

pytest.importorskip("numpy")

from paperread import foryou

PAPERS = make_papers(per_topic=12)  # bandits-000.., vision-000.., crypto-000..


def starred(*ids: str) -> dict[str, PaperState]:
    return {paper_id: PaperState(read=True, starred=True) for paper_id in ids}


def stored_ids(data_dir: Path) -> set[str]:
    return set(foryou.VectorStore(data_dir / "foryou").load().ids)


@pytest.fixture
def session(data_dir: Path, tmp_path: Path):
    states = starred("bandits-000", "bandits-001", "bandits-002")
    session = build_session(data_dir, tmp_path, papers=PAPERS, states=states)
    yield session
    session.close()


def test_before_the_backfill_the_ranking_says_how_many_papers_have_vectors(session: Session) -> None:
    ranking = session.for_you()
    assert ranking.stage == "starting"
    assert f"vectors for 0 of {len(PAPERS)} papers" in ranking.description
    assert set(ranking.order) == {paper.id for paper in PAPERS} - {"bandits-000", "bandits-001", "bandits-002"}


def test_the_backfill_yields_its_progress_stores_the_vectors_and_then_ranks(session: Session,
                                                                           data_dir: Path) -> None:
    pauses = []
    assert list(session.for_you_backfill(lambda: pauses.append(1), chunk=10)) == [10, 20, 30, 36]
    assert len(pauses) == 3
    assert stored_ids(data_dir) == {paper.id for paper in PAPERS}
    assert list(session.for_you_backfill()) == []  # nothing missing: nothing done
    ranking = session.for_you()
    assert ranking.stage == "similar" and "3 stars" in ranking.description
    assert "vectors for" not in ranking.description
    assert all(paper_id.startswith("bandits") for paper_id in ranking.order[:9])
    assert "like ★" in str(ranking.why(ranking.order[0]))


def test_ten_stars_and_reads_train_a_classifier(data_dir: Path, tmp_path: Path) -> None:
    states = starred(*(f"vision-{n:03d}" for n in range(10)))
    states.update({f"crypto-{n:03d}": PaperState(read=True) for n in range(6)})
    session = build_session(data_dir, tmp_path, papers=PAPERS, states=states)
    try:
        list(session.for_you_backfill())
        ranking = session.for_you()
        assert ranking.stage == "learned" and "10 stars and 6 reads" in ranking.description
        assert set(ranking.order[:2]) == {"vision-010", "vision-011"}
        assert session.for_you(tag=None, like="crypto-000").stage == "like this"
    finally:
        session.close()


def test_among_ranks_only_those_papers_but_learns_from_all(session: Session) -> None:
    list(session.for_you_backfill())
    among = {"crypto-005", "bandits-007", "vision-003", "bandits-001"}
    ranking = session.for_you(among=among)
    assert ranking.stage == "similar" and "3 stars" in ranking.description
    assert ranking.order[0] == "bandits-007" and set(ranking.order) == among - {"bandits-001"}
    with_read = session.for_you(among=among, include_read=True)
    assert set(with_read.order) == among and with_read.order[0].startswith("bandits")


def test_dismissed_papers_are_never_ranked(session: Session) -> None:
    list(session.for_you_backfill())
    session.actions.set_dismissed(["bandits-005"], True)
    assert "bandits-005" not in session.for_you(include_read=True).order


def test_a_readers_session_of_summaries_ranks_with_the_stored_vectors(session: Session, data_dir: Path,
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    list(session.for_you_backfill())
    expected = session.for_you().order
    session.close()
    reader = open_session(data_dir, tmp_path / "config.toml", fast=True)
    try:
        assert reader.summaries and not any(paper.abstract for paper in reader.library.papers.values())

        def no_vectorising(papers: object) -> object:
            raise AssertionError("a summary's vector was made again")

        monkeypatch.setattr(foryou.Vectors, "of", no_vectorising)
        assert list(reader.for_you_backfill()) == []
        assert reader.for_you_missing() == 0
        assert reader.for_you().order == expected
    finally:
        reader.close()


def test_the_backfill_of_summaries_vectorises_the_whole_records(session: Session, data_dir: Path,
                                                                 tmp_path: Path) -> None:
    session.close()
    reader = open_session(data_dir, tmp_path / "config.toml", fast=True)
    try:
        assert list(reader.for_you_backfill(chunk=100)) == [len(PAPERS)]
        whole = foryou.Vectors.of(PAPERS)
        stored = foryou.VectorStore(data_dir / "foryou").load()
        assert [int(stored.prints[stored.row[paper.id]]) for paper in PAPERS] == whole.prints.tolist()
    finally:
        reader.close()


def test_a_readonly_session_keeps_its_vectors_in_memory(session: Session, data_dir: Path, tmp_path: Path) -> None:
    session.close()
    readonly = open_session(data_dir, tmp_path / "config.toml", readonly=True)
    try:
        assert list(readonly.for_you_backfill()) == [len(PAPERS)]
        assert readonly.for_you_missing() == 0
        assert not (data_dir / "foryou").exists()
    finally:
        readonly.close()


def refreshing_session(data_dir: Path, tmp_path: Path, server: FeedServer) -> Session:
    server.add("/lg", SMALL_RSS)
    write_config(tmp_path / "config.toml", [(server.url("/lg"), "LG")], "refresh_interval = 0")
    return open_session(data_dir, tmp_path / "config.toml")


async def test_a_refresh_stores_the_vectors_of_its_new_papers(session: Session, data_dir: Path, tmp_path: Path,
                                                              feed_server: FeedServer) -> None:
    list(session.for_you_backfill())
    session.close()
    refreshing = refreshing_session(data_dir, tmp_path, feed_server)
    try:
        report = await refreshing.refresh(refreshing.feeds)
        assert report.warnings == [] and set(report.changed) == {"2604.20001", "2604.20002", "2604.20003"}
        assert stored_ids(data_dir) == {paper.id for paper in PAPERS} | set(report.changed)
    finally:
        refreshing.close()


async def test_a_refresh_with_the_vectors_read_keeps_them_in_step(session: Session, data_dir: Path,
                                                                  tmp_path: Path, feed_server: FeedServer) -> None:
    session.close()
    refreshing = refreshing_session(data_dir, tmp_path, feed_server)
    try:
        list(refreshing.for_you_backfill())
        report = await refreshing.refresh(refreshing.feeds)
        assert report.warnings == []
        assert refreshing.for_you_missing() == 0
        assert stored_ids(data_dir) >= set(report.changed)
    finally:
        refreshing.close()


async def test_a_refresh_into_a_library_without_vectors_leaves_them_to_the_backfill(
    data_dir: Path, tmp_path: Path, feed_server: FeedServer
) -> None:
    refreshing = refreshing_session(data_dir, tmp_path, feed_server)
    try:
        report = await refreshing.refresh(refreshing.feeds)
        assert len(report.changed) == 3 and report.warnings == []
        assert not (data_dir / "foryou").exists()
    finally:
        refreshing.close()


async def test_a_broken_foryou_folder_does_not_break_a_refresh(data_dir: Path, tmp_path: Path,
                                                               feed_server: FeedServer) -> None:
    refreshing = refreshing_session(data_dir, tmp_path, feed_server)
    try:
        (data_dir / "foryou").write_text("not a folder")
        assert refreshing.for_you().order == []  # the vectors read: none
        report = await refreshing.refresh(refreshing.feeds)
        assert [outcome.status for outcome in report.outcomes] == ["ok"]
        assert set(refreshing.store.cache.load_all()) == set(report.changed) and len(report.changed) == 3
        assert len(report.warnings) == 1 and "For you" in report.warnings[0]
        assert refreshing.for_you_missing() == 0  # kept in memory
    finally:
        refreshing.close()


def test_a_damaged_segment_is_said_and_its_papers_vectorised_again(session: Session, data_dir: Path,
                                                                   tmp_path: Path) -> None:
    list(session.for_you_backfill())
    session.close()
    segment = next((data_dir / "foryou").rglob("segment-*.npz"))
    segment.write_bytes(b"damaged")
    again = open_session(data_dir, tmp_path / "config.toml")
    try:
        assert again.for_you_missing() == len(PAPERS)
        assert again.vector_warnings and "damaged" in again.vector_warnings[0]
        assert list(again.for_you_backfill()) == [len(PAPERS)]
    finally:
        again.close()
    assert stored_ids(data_dir) == {paper.id for paper in PAPERS}


def test_a_changed_text_is_vectorised_again_from_full_records(session: Session, data_dir: Path) -> None:
    list(session.for_you_backfill())
    paper = session.library.papers["vision-000"]
    session.library.papers["vision-000"] = dataclasses.replace(paper, abstract="entirely other words")
    assert list(session.for_you_backfill()) == [1]


async def test_a_refresh_may_leave_the_vectors_to_its_caller(session: Session, data_dir: Path, tmp_path: Path,
                                                             feed_server: FeedServer) -> None:
    list(session.for_you_backfill())
    session.close()
    refreshing = refreshing_session(data_dir, tmp_path, feed_server)
    try:
        report = await refreshing.refresh(refreshing.feeds, sync_vectors=False)
        assert not set(report.changed) & stored_ids(data_dir)
        assert refreshing.sync_vectors(list(report.changed.values())) is None
        assert set(report.changed) <= stored_ids(data_dir)
    finally:
        refreshing.close()
