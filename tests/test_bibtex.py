"""BibTeX entries, checked by parsing them back with bibtexparser."""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from hypothesis import given
from hypothesis import strategies as st

from paperread.bibtex import bibtex_entry, citation_key, escape
from paperread.model import Paper


def parse_one(entry: str) -> dict[str, str]:
    library = bibtexparser.parse_string(entry)
    assert not library.failed_blocks, library.failed_blocks
    assert len(library.entries) == 1
    parsed = library.entries[0]
    return {"ENTRYTYPE": parsed.entry_type, "ID": parsed.key, **{f.key: f.value for f in parsed.fields}}


def decoded(entry: str) -> dict[str, object]:
    library = bibtexparser.parse_string(
        entry, append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks
    parsed = library.entries[0]
    return {f.key: f.value for f in parsed.fields}


def arxiv_paper(**changes: object) -> Paper:
    paper = Paper(
        id="2504.17830",
        title="Attention Is All You Need, Again",
        authors=["Ada Lovelace", "Alan M. Turing"],
        version=2,
        categories=["cs.LG", "cs.CL"],
        primary_category="cs.LG",
        published="2025-04-24T17:59:00Z",
        announced="2025-04-25",
        links={"abs": "https://arxiv.org/abs/2504.17830"},
        doi="10.1000/xyz_123",
    )
    for name, value in changes.items():
        setattr(paper, name, value)
    return paper


def test_arxiv_paper_has_every_field() -> None:
    fields = parse_one(bibtex_entry(arxiv_paper()))
    assert fields["ENTRYTYPE"] == "misc"
    assert fields["ID"] == "lovelace2025attention"
    assert fields["title"] == "Attention Is All You Need, Again"
    assert fields["author"] == "Ada Lovelace and Alan M. Turing"
    assert fields["year"] == "2025"
    assert fields["eprint"] == "2504.17830"
    assert fields["archivePrefix"] == "arXiv"
    assert fields["primaryClass"] == "cs.LG"
    assert fields["url"] == "https://arxiv.org/abs/2504.17830"
    assert fields["doi"] == "10.1000/xyz_123"


def test_special_characters_are_escaped_and_decode_back() -> None:
    title = "50% of {graphs} & $k$-cores: a_b #1 ~ x \\ done"
    entry = bibtex_entry(arxiv_paper(title=title))
    raw = parse_one(entry)["title"]
    assert r"50\% of \{graphs\} \& \$k\$-cores: a\_b \#1" in raw
    assert decoded(entry)["title"] == title


def test_author_containing_and_stays_one_author() -> None:
    entry = bibtex_entry(arxiv_paper(authors=["Brown and Sons Lab", "Émile Borel"]))
    authors = decoded(entry)["author"]
    assert authors == ["{Brown and Sons Lab}", "Émile Borel"]


def test_key_is_ascii_and_skips_stop_words() -> None:
    paper = arxiv_paper(authors=["Émile Borel"], title="On the Théorie of Games")
    assert citation_key(paper) == "borel2025theorie"


def test_non_arxiv_paper_has_no_eprint() -> None:
    paper = Paper(
        id="doi:10.1101/2023.12.01.569",
        title="A bioRxiv preprint",
        authors=["Rosalind Franklin"],
        published="2023-12-02T00:00:00Z",
        links={"source": "https://www.biorxiv.org/content/10.1101/2023.12.01.569v1"},
        doi="10.1101/2023.12.01.569",
    )
    fields = parse_one(bibtex_entry(paper))
    assert "eprint" not in fields and "archivePrefix" not in fields
    assert fields["url"] == "https://www.biorxiv.org/content/10.1101/2023.12.01.569v1"
    assert fields["year"] == "2023"


def test_arxiv_paper_without_links_gets_the_canonical_url() -> None:
    fields = parse_one(bibtex_entry(arxiv_paper(links={}, doi=None, primary_category=None)))
    assert fields["url"] == "https://arxiv.org/abs/2504.17830"
    assert fields["primaryClass"] == "cs.LG"  # the first category stands in
    assert "doi" not in fields


def test_paper_without_authors_or_date() -> None:
    paper = Paper(id="guid:abc-1", title="The")
    fields = parse_one(bibtex_entry(paper))
    assert "author" not in fields and "year" not in fields
    assert fields["ID"] == "guidabc1"


@pytest.mark.parametrize("char", list("\\{}&%$#_~^"))
def test_escape_leaves_no_bare_special_character(char: str) -> None:
    escaped = escape(f"a{char}b")
    assert escaped != f"a{char}b"


@given(
    title=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60),
    author=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
)
def test_any_text_gives_one_parseable_entry(title: str, author: str) -> None:
    fields = parse_one(bibtex_entry(arxiv_paper(title=title, authors=[author])))
    assert fields["eprint"] == "2504.17830"
    assert fields["url"] == "https://arxiv.org/abs/2504.17830"
