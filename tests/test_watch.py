"""Watch lists: keyword and author matching, the words to highlight, and
``is:watched`` through the CLI on a library built from loopback feeds."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperread.query import parse_query
from paperread.session import open_session
from paperread.watch import Watchlist
from tests.conftest import REPO_ROOT, TEST_DATA
from tests.factories import make_paper
from tests.feedserver import FeedServer

FEEDS = TEST_DATA / "feeds"


def paper(title: str = "A title", abstract: str = "", authors: list[str] | None = None):
    return make_paper(title=title, abstract=abstract, authors=authors or [])


# --- keywords ------------------------------------------------------------------


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    ("Sparse Graph Transformers", "", ["Transformers"]),
    ("", "we train a TRANSFORMER.", ["TRANSFORMER"]),
    ("Transformational grammars", "", []),  # not the word
    ("Vision transformer-based models", "", ["transformer"]),
    ("", "Large  Language\nModels are large-language-models.",
     ["Large  Language\nModels", "large-language-models"]),
    ("Diffusion and diffusive", "score-based diffuse", ["Diffusion", "diffusive", "diffuse"]),
    ("Code in C++ and C#", "", ["C++"]),
    ("", "GANs, GAN and GANG", ["GANs", "GAN"]),
])
def test_keywords_match_whole_words_with_slack(
    title: str, abstract: str, expected: list[str]
) -> None:
    watch = Watchlist(keywords=["transformer", "large language model", "diffus*", "C++", "GAN"])
    item = paper(title, abstract)
    assert watch.matches(item) == bool(expected)
    assert watch.matched_terms(item) == expected


def test_a_keyword_does_not_span_title_and_abstract() -> None:
    watch = Watchlist(keywords=["graph neural"])
    assert not watch.matches(paper("On the graph", "Neural networks"))
    assert watch.matches(paper("On the graph neural", ""))


def test_keywords_do_not_look_at_authors() -> None:
    watch = Watchlist(keywords=["turing"])
    assert not watch.matches(paper("Machines", "Thinking.", ["Alan Turing"]))


# --- authors -------------------------------------------------------------------


@pytest.mark.parametrize(("watched", "author", "matches"), [
    ("Hinton", "Geoffrey Hinton", True),
    ("Hinton", "G. E. Hinton", True),
    ("Hinton", "Hinton, G.", True),
    ("hinton", "GEOFFREY HINTON", True),
    ("Hinton", "Hintonx Smith", False),
    ("Hinton", "Ahinton", False),
    ("Hinton", "Hinton Smith", False),
    ("Geoffrey Hinton", "Geoffrey Hinton", True),
    ("Geoffrey Hinton", "G. Hinton", True),
    ("Geoffrey Hinton", "G.E. Hinton", True),
    ("Geoffrey Hinton", "Geoffrey E. Hinton", True),
    ("Geoffrey Hinton", "Hinton, Geoffrey", True),
    ("Geoffrey Hinton", "Hinton, G.", True),
    ("Geoffrey Hinton", "Gerald Hinton", False),
    ("Geoffrey Hinton", "Paul Hinton", False),
    ("G. Hinton", "Geoffrey Hinton", True),
    ("Hinton, Geoffrey", "G. Hinton", True),
    ("Bernhard Schölkopf", "Bernhard Scholkopf", True),
    ("Scholkopf", "B. Schölkopf", True),
    ("Laurens van der Maaten", "L. van der Maaten", True),
    ("van der Maaten", "Laurens van der Maaten", True),
    ("Yann LeCun", "Yan LeCun", False),
])
def test_authors_match_by_surname_and_initials(watched: str, author: str, matches: bool) -> None:
    watch = Watchlist(authors=[watched])
    item = paper(authors=["Ada Lovelace", author, "Alan Turing"])
    assert watch.matches(item) == matches
    assert watch.matched_terms(item) == ([author] if matches else [])


def test_terms_list_keywords_then_authors_once_each() -> None:
    watch = Watchlist(keywords=["graph", "Graph"], authors=["Turing", "Alan Turing"])
    item = paper("Graph nets", "A graph and GRAPHS.", ["Alan Turing", "Ada Lovelace"])
    assert watch.matched_terms(item) == ["Graph", "GRAPHS", "Alan Turing"]


def test_an_empty_watchlist_matches_nothing() -> None:
    watch = Watchlist(keywords=["", "  "], authors=[" "])
    assert not watch
    assert not watch.matches(paper("anything", "at all", ["Anyone"]))
    assert watch.matched_terms(paper("anything")) == []
    assert Watchlist(keywords=["x"]) and Watchlist(authors=["x"])


def test_regex_characters_in_the_config_are_plain_text() -> None:
    watch = Watchlist(keywords=["a.b", "(x", "[y]*"], authors=["O'Brien (MIT)", "K.*"])
    assert not watch.matches(paper("aXb and x and y", "", ["Kim Lee"]))
    assert watch.matched_terms(paper("a.b and (x and [y]s", "", ["Pat O'Brien"])) == [
        "a.b", "(x", "[y]s", "Pat O'Brien"]


# --- is:watched through the CLI ------------------------------------------------


def run(data_dir: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config),
         *args],
        capture_output=True, text=True, timeout=60, env=env, cwd=REPO_ROOT,
    )


def ids(data_dir: Path, config: Path, query: str) -> set[str]:
    result = run(data_dir, config, "list", "--json", f"--query={query}")
    assert result.returncode == 0, result.stderr
    return {json.loads(line)["id"] for line in result.stdout.splitlines()}


@pytest.fixture
def library(feed_server: FeedServer, tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    feed_server.add("/rss/cs.LG", (FEEDS / "arxiv-small.xml").read_bytes())
    feed_server.add("/api/daily_papers", (FEEDS / "hf-small.json").read_bytes(),
                    content_type="application/json")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[[feeds]]\nurl = "{feed_server.url("/rss/cs.LG")}"\n\n'
        f'[[feeds]]\nurl = "{feed_server.url("/api/daily_papers")}"\n\n'
        '[watch]\nkeywords = ["transformer"]\nauthors = ["K. Johnson"]\n'
    )
    assert run(data_dir, config, "refresh").returncode == 0
    return data_dir, config


def test_is_watched_lists_the_matching_papers(library: tuple[Path, Path]) -> None:
    data_dir, config = library
    everything = ids(data_dir, config, "")
    assert len(everything) == 4
    # "Sparse Graph Transformers ..." and Katherine Johnson's paper
    assert ids(data_dir, config, "is:watched") == {"2604.20001", "2604.20099"}
    assert ids(data_dir, config, "IS:WATCHED") == {"2604.20001", "2604.20099"}
    assert ids(data_dir, config, "-is:watched") == everything - {"2604.20001", "2604.20099"}
    assert ids(data_dir, config, "is:watched cat:cs.LG") == {"2604.20001"}
    assert ids(data_dir, config, "is:watched OR protein") == {"2604.20001", "2604.20002",
                                                               "2604.20099"}


def test_without_a_watch_table_nothing_is_watched(library: tuple[Path, Path]) -> None:
    data_dir, config = library
    config.write_text(config.read_text().split("[watch]")[0])
    assert ids(data_dir, config, "is:watched") == set()
    assert len(ids(data_dir, config, "-is:watched")) == 4


def test_session_matches_a_refreshed_paper_afresh(library: tuple[Path, Path]) -> None:
    data_dir, config = library
    session = open_session(data_dir, config, readonly=True)
    try:
        survey = session.library.papers["2604.20003"]
        assert not session.is_watched(survey)
        renamed = dataclasses.replace(survey, title="A Survey of Transformers")
        session.library.add_papers([renamed])
        assert session.is_watched(session.library.papers["2604.20003"])
        watched = session.predicate(parse_query("is:watched"))
        assert {p.id for p in session.library.select(predicate=watched)} == {
            "2604.20001", "2604.20003", "2604.20099"}
    finally:
        session.close()
