"""The DOI and code links of a paper (paperread/links.py)."""

from __future__ import annotations

from paperread.links import code_links, doi_link
from tests.tui_library import paper


def test_doi_link_the_feeds_else_the_resolvers() -> None:
    assert doi_link(paper("2604.1", "T", "2026-04-28", doi="10.1000/x.1")) == "https://doi.org/10.1000/x.1"
    own = paper("2604.2", "T", "2026-04-28", doi="10.1000/x.2", links={"doi": "https://journal.example/x.2"})
    assert doi_link(own) == "https://journal.example/x.2"
    assert doi_link(paper("doi:10.1000/x.3", "T", "2026-04-28", links={})) == "https://doi.org/10.1000/x.3"
    assert doi_link(paper("2604.4", "T", "2026-04-28")) is None


def test_code_links_code_first_then_the_project_page_each_once() -> None:
    item = paper(
        "2604.1", "T", "2026-04-28",
        code_links=["https://github.com/ada/sparse", "https://huggingface.co/ada/model"],
        github_repo="https://github.com/ada/sparse",
        links={"project": "https://ada.example/sparse"},
    )  # fmt: skip
    assert code_links(item) == [
        ("code", "https://github.com/ada/sparse"),
        ("code", "https://huggingface.co/ada/model"),
        ("project page", "https://ada.example/sparse"),
    ]
    repo_only = paper("2604.2", "T", "2026-04-28", github_repo="https://github.com/b/c")
    assert code_links(repo_only) == [("code", "https://github.com/b/c")]
    assert code_links(paper("2604.3", "T", "2026-04-28")) == []
