"""For you on the command line: ``list --sort for-you`` and ``export --sort
for-you`` as real subprocesses on a real library, the backfill they run
first, and ``refresh`` keeping the vectors in step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paperread.model import PaperState
from tests.conftest import REPO_ROOT
from tests.test_cli import ENV, FEEDS, run
from tests.test_foryou import make_papers
from tests.tui_library import build_session

pytest.importorskip("numpy")

from paperread import foryou

PAPERS = make_papers(per_topic=8)  # bandits-000.., vision-000.., crypto-000..
STARRED = ("crypto-000", "crypto-001", "crypto-002")


@pytest.fixture
def library(data_dir: Path, tmp_path: Path) -> Path:
    """``data_dir`` with the topic papers, three crypto papers starred and
    one dismissed; its config."""
    states = {paper_id: PaperState(read=True, starred=True) for paper_id in STARRED}
    states["vision-007"] = PaperState(dismissed=True)
    build_session(data_dir, tmp_path, papers=PAPERS, states=states).close()
    return tmp_path / "config.toml"


def ranked(data_dir: Path, config: Path, *args: str) -> tuple[list[dict], str]:
    result = run(data_dir, config, *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_list_for_you_ranks_the_starred_kind_first_with_a_score_and_why(library: Path, data_dir: Path) -> None:
    records, stderr = ranked(data_dir, library, "list", "--sort", "for-you", "--json")
    assert "for you: similar to your 3 stars" in stderr
    assert len(records) == len(PAPERS)
    ids = [record["id"] for record in records]
    assert all(paper_id.startswith("crypto") for paper_id in ids[:8])
    assert ids[-1] == "vision-007"  # dismissed: listed, never ranked
    assert records[-1]["score"] is None and records[-1]["why"] == ""
    scores = [record["score"] for record in records[:-1]]
    assert all(isinstance(score, float) for score in scores) and scores == sorted(scores, reverse=True)
    assert "like ★" in records[3]["why"]
    # the backfill stored the vectors: a reading command keeps them
    assert set(foryou.VectorStore(data_dir / "foryou").load().ids) == {paper.id for paper in PAPERS}


def test_the_query_and_the_limit_choose_what_is_ranked(library: Path, data_dir: Path) -> None:
    records, _ = ranked(data_dir, library, "list", "--sort", "for-you", "--json", "-q", "cat:cs.CV OR crypto-003")
    assert records[0]["id"] == "crypto-003"
    assert {record["id"] for record in records} == {f"vision-{n:03d}" for n in range(8)} | {"crypto-003"}
    limited, _ = ranked(data_dir, library, "list", "--sort", "for-you", "--json", "-n", "2")
    assert [record["id"] for record in limited] == [record["id"] for record in ranked(
        data_dir, library, "list", "--sort", "for-you", "--json")[0][:2]]  # fmt: skip


def test_the_plain_listing_keeps_its_columns(library: Path, data_dir: Path) -> None:
    result = run(data_dir, library, "list", "--sort", "for-you", "-q", "cat:cs.CR")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("*  crypto-00") and len(lines) == 8
    newest = run(data_dir, library, "list", "-q", "cat:cs.CR").stdout.splitlines()
    assert sorted(lines) == sorted(newest) and lines != newest  # the same rows, in another order


def test_export_for_you_orders_the_export(library: Path, data_dir: Path) -> None:
    result = run(data_dir, library, "export", "--sort", "for-you", "-f", "json", "-q", "cat:cs.LG OR cat:cs.CR")
    assert result.returncode == 0, result.stderr
    ids = [record["id"] for record in json.loads(result.stdout)]
    assert all(paper_id.startswith("crypto") for paper_id in ids[:8]) and len(ids) == 16
    newest = run(data_dir, library, "export", "-f", "json", "-q", "cat:cs.LG OR cat:cs.CR")
    assert sorted(record["id"] for record in json.loads(newest.stdout)) == sorted(ids)


def test_readonly_ranks_without_storing(library: Path, data_dir: Path) -> None:
    records, stderr = ranked(data_dir, library, "--readonly", "list", "--sort", "for-you", "--json")
    assert records[0]["id"].startswith("crypto") and "3 stars" in stderr
    assert not (data_dir / "foryou").exists()


def test_refresh_stores_the_vectors_of_the_new_papers(data_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "none.toml"
    first = run(data_dir, config, "--feed", str(FEEDS / "arxiv-small.xml"), "refresh")
    assert first.returncode == 0, first.stderr
    assert not (data_dir / "foryou").exists()  # a new library: the first ranking makes them
    assert run(data_dir, config, "list", "--sort", "for-you").returncode == 0
    assert len(foryou.VectorStore(data_dir / "foryou").load()) == 3
    second = run(data_dir, config, "--feed", str(FEEDS / "hf-small.json"), "refresh")
    assert second.returncode == 0 and second.stderr == "", second.stderr
    stored = set(foryou.VectorStore(data_dir / "foryou").load().ids)
    listed = {record["id"] for record in ranked(data_dir, config, "list", "--json")[0]}
    assert stored == listed and len(listed) > 3


def test_listing_loads_no_numpy_unless_it_ranks(library: Path, data_dir: Path) -> None:
    def numpy_loaded(*args: str) -> bool:
        probe = ("import sys; from paperread.cli import main; "
                 f"main({['--data-dir', str(data_dir), '--config', str(library), *args]!r}); "
                 "print('numpy' in sys.modules, file=sys.stderr)")  # fmt: skip
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT,
                                env=ENV, timeout=60, check=True)  # fmt: skip
        return result.stderr.strip().splitlines()[-1] == "True"

    assert not numpy_loaded("list")
    assert not numpy_loaded("export", "--sort", "title")
    assert numpy_loaded("list", "--sort", "for-you")
