"""``paperread export``: every format parsed back and checked field by field
against ``list --json``, on libraries built from feeds served over loopback."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from markdown_it import MarkdownIt
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from paperread.export import CSV_COLUMNS, FORMATS, export_papers
from paperread.model import Paper, PaperState
from tests.conftest import REPO_ROOT, SHARED_FEEDS, TEST_DATA
from tests.feedserver import FeedServer

EXPORT_DATA = TEST_DATA / "export"
SMALL_FEEDS = {
    "/rss/cs.LG": (TEST_DATA / "feeds" / "arxiv-small.xml", "application/rss+xml"),
    "/api/daily_papers": (TEST_DATA / "feeds" / "hf-small.json", "application/json"),
    "/rss/cs.DS": (EXPORT_DATA / "hostile-arxiv.xml", "application/rss+xml"),
    "/hf/hostile": (EXPORT_DATA / "hostile-hf.json", "application/json"),
}
# real captures: arXiv RSS with LaTeX and DOIs, the arXiv API with old-style
# ids, Hugging Face, bioRxiv (DOI-keyed) and a blog (guid-keyed)
SHARED = {
    "/rss/quant-ph": ("arxiv-rss2-quant-ph-2025-04-28.xml", "application/rss+xml"),
    "/api/testing": ("arxiv-api-atom-2026-04-12-all-testing-m100.xml", "application/atom+xml"),
    "/api/maestro": ("arxiv-api-atom-legacy-2016-10-09-au-del_maestro.xml", "application/atom+xml"),
    "/api/astro": ("arxiv-api-atom-2026-05-11-idlist-old-style-astro-ph-0601001.xml",
                   "application/atom+xml"),
    "/hf/daily": ("hf-daily-papers-api-2026-06-12.json", "application/json"),
    "/biorxiv": ("biorxiv-rdf-genomics-2023-12-16-feedrs-snippet.xml", "application/rdf+xml"),
    "/blog": ("atom-blog-dustri-org-2024-03-10.xml", "application/atom+xml"),
}
NEW_STYLE_ID = re.compile(r"^\d{4}\.\d{4,5}$")
OLD_STYLE_ID = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}$")


# --- running the CLI ----------------------------------------------------------


def run(library: tuple[Path, Path], *args: str) -> subprocess.CompletedProcess[str]:
    data_dir, config = library
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "paperread", "--data-dir", str(data_dir), "--config", str(config),
         *args],
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO_ROOT,
    )


def ok(library: tuple[Path, Path], *args: str) -> str:
    result = run(library, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def listed(library: tuple[Path, Path], query: str = "") -> list[dict]:
    lines = ok(library, "list", "--json", f"--query={query}").splitlines()
    return [json.loads(line) for line in lines]


def build_library(tmp: Path, feeds: dict[str, tuple[Path, str]]) -> Iterator[tuple[Path, Path]]:
    """Serve ``feeds`` on loopback, refresh a new library from them, star and
    tag a few papers."""
    with FeedServer() as server:
        config = tmp / "config.toml"
        tables = []
        for path, (file, content_type) in feeds.items():
            server.add(path, file.read_bytes(), content_type=content_type)
            tables.append(f'[[feeds]]\nurl = "{server.url(path)}"\nname = "{file.stem}"\n')
        config.write_text("\n".join(tables))
        library = (tmp / "data", config)
        ok(library, "refresh")
        ids = [record["id"] for record in listed(library)]
        ok(library, "mark", *ids[::3], "--star")
        ok(library, "mark", *ids[::4], "--tag", "to-read", "--tag", "écrit & lu")
        ok(library, "mark", *ids[::5], "--read")
        yield library


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    yield from build_library(tmp_path_factory.mktemp("small"), SMALL_FEEDS)


@pytest.fixture(scope="module")
def shared_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    if not SHARED_FEEDS.is_dir():
        pytest.skip(f"real feed samples not found at {SHARED_FEEDS}")
    feeds = {path: (SHARED_FEEDS / name, kind) for path, (name, kind) in SHARED.items()}
    yield from build_library(tmp_path_factory.mktemp("shared"), feeds)


@pytest.fixture(params=["small", "shared"])
def library(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    return request.getfixturevalue(f"{request.param}_library")


# --- what a BibTeX entry must hold, worked out from a list --json record -------


def latex_decoder() -> LatexNodes2Text:
    """pylatexenc, taught the text-mode macros the export writes for lone
    braces and the caret."""
    context = get_default_latex_context_db()
    context.add_context_category("paperread-export", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"),
        MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"),
    ])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


def parse_bibtex(text: str) -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """(raw fields, decoded fields) per entry, the key under "ID" in the raw
    ones; decoded authors are a list of names."""
    raw_library = bibtexparser.parse_string(text)
    assert not raw_library.failed_blocks, [b.error for b in raw_library.failed_blocks]
    decoder = latex_decoder()
    decoded_library = bibtexparser.parse_string(text, append_middleware=[
        SeparateCoAuthors(), LatexDecodingMiddleware(decoder=decoder),
    ])
    raw = [{"ID": e.key, "ENTRYTYPE": e.entry_type, **{f.key: f.value for f in e.fields}}
           for e in raw_library.entries]
    # the middleware leaves the names of a split author list as they are
    decoded = [
        {f.key: [decoder.latex_to_text(name) for name in f.value] if isinstance(f.value, list)
         else f.value for f in e.fields}
        for e in decoded_library.entries
    ]
    return raw, decoded


def is_arxiv(paper_id: str) -> bool:
    return bool(NEW_STYLE_ID.match(paper_id) or OLD_STYLE_ID.match(paper_id))


def expected_doi(record: dict) -> str | None:
    if record["doi"]:
        return record["doi"]
    return record["id"][4:] if record["id"].startswith("doi:") else None


def expected_url(record: dict) -> str | None:
    links = record["links"]
    if links.get("abs"):
        return links["abs"]
    if is_arxiv(record["id"]):
        return f"https://arxiv.org/abs/{record['id']}"
    doi = expected_doi(record)
    return links.get("source") or links.get("doi") or (f"https://doi.org/{doi}" if doi else None)


def percent_encoded(url: str) -> str:
    return re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group(0)):02X}", url)


def expected_fields(record: dict) -> dict[str, object]:
    """Every field the entry must have, decoded, and no others."""
    fields: dict[str, object] = {"title": " ".join(record["title"].split())}
    if record["authors"]:
        fields["author"] = [" ".join(name.split()) for name in record["authors"]]
    for date in (record["published"], record["announced"], record["updated"], record["first_seen"]):
        if date and re.match(r"\d{4}", date):
            fields["year"] = date[:4]
            break
    if is_arxiv(record["id"]):
        fields["eprint"] = record["id"]
        fields["archivePrefix"] = "arXiv"
        primary = record["primary_category"] or (record["categories"] or [None])[0]
        if primary:
            fields["primaryClass"] = primary
    url = expected_url(record)
    if url:
        fields["url"] = percent_encoded(url)
    doi = expected_doi(record)
    if doi:
        fields["doi"] = percent_encoded(doi)
    return fields


def braces_balance_as_bibtex_counts_them(value: str) -> bool:
    """BibTeX and biber count every brace, backslash or not: the depth must
    never drop below zero and must end at zero."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --- BibTeX --------------------------------------------------------------------


def test_bibtex_export_has_every_field_of_every_paper(library: tuple[Path, Path]) -> None:
    records = listed(library)
    assert len(records) >= 7
    text = ok(library, "export", "--format", "bibtex", "--query", "")
    raw, decoded = parse_bibtex(text)
    assert len(raw) == len(records)
    keys = [entry["ID"] for entry in raw]
    assert len(set(keys)) == len(keys), "keys are unique"
    for record, entry, fields in zip(records, raw, decoded):
        assert entry["ENTRYTYPE"] == "misc"
        assert re.fullmatch(r"[a-z0-9]+", entry["ID"]), entry["ID"]
        expected = expected_fields(record)
        assert set(fields) == set(expected), record["id"]
        for name, value in expected.items():
            if name == "author":
                assert fields["author"] == value, record["id"]
            elif name in ("url", "doi"):
                assert entry[name] == value, record["id"]  # verbatim fields, not TeX
            else:
                assert fields[name] == value, (record["id"], name)
        for name, value in entry.items():
            assert braces_balance_as_bibtex_counts_them(value), (record["id"], name, value)


def test_hostile_titles_and_names_survive(small_library: tuple[Path, Path]) -> None:
    records = {record["id"]: record for record in listed(small_library)}
    # the feeds really do carry the characters under test
    hostile = records["2604.30001"]["title"] + records["2604.30002"]["title"] + \
        records["2604.30004"]["title"]
    for char in "{}%&$_#~^":
        assert char in hostile, char
    assert "Research and Development Team" in records["2604.30004"]["authors"]

    raw, decoded = parse_bibtex(ok(small_library, "export", "--query", "id:2604.3000"))
    by_id = {entry["eprint"]: (entry, fields) for entry, fields in zip(raw, decoded)}
    assert set(by_id) == {"2604.30001", "2604.30002", "2604.30003", "2604.30004", "2604.30005"}
    for paper_id, (entry, fields) in by_id.items():
        assert fields["title"] == " ".join(records[paper_id]["title"].split())
    entry, fields = by_id["2604.30004"]
    assert fields["author"] == ["Research and Development Team", "Smith, Jr., John, X",
                                "Łukasz Kaiser"]
    assert by_id["2604.30001"][0]["ID"] == "smith2026graphs"
    assert by_id["2604.30002"][0]["ID"] == "smith2026graphsa", "same author, year and word"
    assert by_id["2604.30003"][0]["ID"] == "smith2026hyperlink"
    assert by_id["2604.30002"][0]["doi"] == "10.1000/a_b%7Bc%7D"


HOSTILE_TITLES = [
    "a { b", "a } b", "}{ reversed", "{paired}", "50% \\ back\\", "$x$ & y_z #1 ~ ^",
    "A -- B --- C ``q'' <<g>> ,,l !` ?`", "\\{", "{{{", "}}}", "x\\}", "Théorie & Ωmega",
]


def hostile_paper(number: int, title: str, **fields: object) -> Paper:
    paper = Paper(id=f"2604.{40000 + number}", title=title, published="2026-04-01T00:00:00Z",
                  authors=["Ann Smith", "Research and Development", "Lin, Jr., A, B"],
                  categories=["cs.DS"])
    for name, value in fields.items():
        setattr(paper, name, value)
    return paper


def test_export_papers_round_trips_hostile_titles_exactly() -> None:
    papers = [hostile_paper(number, title) for number, title in enumerate(HOSTILE_TITLES)]
    text = export_papers(papers, {}, "bibtex", {})
    raw, decoded = parse_bibtex(text)
    assert [fields["title"] for fields in decoded] == HOSTILE_TITLES
    for fields in decoded:
        assert fields["author"] == ["Ann Smith", "Research and Development", "Lin, Jr., A, B"]
    for entry in raw:
        for value in entry.values():
            assert braces_balance_as_bibtex_counts_them(value), value
    assert len({entry["ID"] for entry in raw}) == len(papers)


# printable ASCII (every TeX special character) plus some letters and symbols
_TEXT = st.text(
    st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"), max_codepoint=0x2FFF),
    min_size=1, max_size=40,
).filter(str.strip)


@settings(max_examples=300, deadline=None)
@given(titles=st.lists(_TEXT, min_size=1, max_size=4), author=_TEXT)
def test_any_text_round_trips_and_balances_as_bibtex_counts(titles: list[str], author: str) -> None:
    papers = [hostile_paper(number, title, authors=[author, "Ann Smith"])
              for number, title in enumerate(titles)]
    raw, decoded = parse_bibtex(export_papers(papers, {}, "bibtex", {}))
    assert [fields["title"] for fields in decoded] == [" ".join(t.split()) for t in titles]
    names = [" ".join(author.split()), "Ann Smith"]
    assert [fields["author"] for fields in decoded] == [names] * len(titles)
    for entry in raw:
        for value in entry.values():
            assert braces_balance_as_bibtex_counts_them(value), value
    assert len({entry["ID"] for entry in raw}) == len(papers)


def test_colliding_keys_get_letters_in_id_order_whatever_the_export_order() -> None:
    same = [hostile_paper(number, "Deep Nets") for number in (3, 1, 2)]
    natural = hostile_paper(9, "Deepa Nets")  # its own key is the first suffixed one
    for order in ([*same, natural], [natural, *reversed(same)]):
        raw, _ = parse_bibtex(export_papers(order, {}, "bibtex", {}))
        keys = {entry["eprint"]: entry["ID"] for entry in raw}
        assert keys == {
            "2604.40001": "smith2026deep",
            "2604.40002": "smith2026deepb",
            "2604.40003": "smith2026deepc",
            "2604.40009": "smith2026deepa",
        }


def test_papers_without_an_arxiv_id_get_their_doi_and_url() -> None:
    by_doi = Paper(id="doi:10.1101/2023.12.16.571984", title="A genome", authors=["N. Lapalu"],
                   published="2023-12-16T00:00:00Z")
    by_guid = Paper(id="guid:tag:blog.example,2024:post-1", title="A post",
                    links={"source": "https://blog.example/post-1"})
    raw, _ = parse_bibtex(export_papers([by_doi, by_guid], {}, "bibtex", {}))
    doi_entry, guid_entry = raw
    assert doi_entry["doi"] == "10.1101/2023.12.16.571984"
    assert doi_entry["url"] == "https://doi.org/10.1101/2023.12.16.571984"
    assert guid_entry["url"] == "https://blog.example/post-1"
    for entry in raw:
        assert "eprint" not in entry and "archivePrefix" not in entry
        assert "primaryClass" not in entry
    assert "year" not in guid_entry and "author" not in guid_entry


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export format 'rtf'"):
        export_papers([], {}, "rtf", {})


def run_bibtex(bib: str, tmp_path: Path) -> list[dict[str, list[str]]]:
    """What BibTeX itself reads from ``bib``: per entry, field -> values."""
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "refs.aux").write_text("\\citation{*}\n\\bibdata{refs}\n\\bibstyle{check}\n")
    shutil.copy(EXPORT_DATA / "check.bst", tmp_path / "check.bst")
    env = {**os.environ, "BIBINPUTS": str(tmp_path), "BSTINPUTS": str(tmp_path),
           "TEXMFCNF": str(tmp_path)}
    result = subprocess.run(["bibtex", "refs"], cwd=tmp_path, capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout.lower(), result.stdout
    lines: list[str] = []
    for line in (tmp_path / "refs.bbl").read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and lines:  # BibTeX wraps long output lines
            lines[-1] += line
        else:
            lines.append(line)
    entries: list[dict[str, list[str]]] = []
    for line in lines:
        if line.startswith("@"):
            entries.append({"ID": [line[1:]]})
        else:
            name, _, value = line.partition(" ")
            entries[-1].setdefault(name, []).append(" ".join(value.split()))
    return entries


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex is not installed")
def test_bibtex_itself_reads_every_field(library: tuple[Path, Path], tmp_path: Path) -> None:
    records = listed(library)
    bib = ok(library, "export", "--query", "")
    raw, _ = parse_bibtex(bib)
    read = run_bibtex(bib, tmp_path)
    assert len(read) == len(raw) == len(records)
    for record, entry, seen in zip(records, raw, read):
        assert seen["ID"] == [entry["ID"]]
        for name, value in entry.items():
            if name not in ("ID", "ENTRYTYPE", "author"):
                assert seen[name] == [" ".join(value.split())], (record["id"], name)
        assert len(seen.get("author", [])) == len(record["authors"]), record["id"]


def perl_has_btparse() -> bool:
    if shutil.which("perl") is None:
        return False
    probe = subprocess.run(["perl", "-MText::BibTeX", "-e", "1"], capture_output=True, timeout=30)
    return probe.returncode == 0


BTPARSE_SCRIPT = r"""
use Text::BibTeX;
my $file = Text::BibTeX::File->new($ARGV[0]) or die "cannot open";
while (my $entry = Text::BibTeX::Entry->new($file)) {
    next unless $entry->parse_ok;
    my @names = $entry->exists('author') ? $entry->split('author') : ();
    print join("	", $entry->key, scalar(@names)), "
";
}
"""


@pytest.mark.skipif(not perl_has_btparse(), reason="perl Text::BibTeX (btparse) is not installed")
def test_btparse_as_used_by_biber_reads_every_entry(
    library: tuple[Path, Path], tmp_path: Path
) -> None:
    records = listed(library)
    bib_file = tmp_path / "refs.bib"
    ok(library, "export", "--query", "", "-o", str(bib_file))
    raw, _ = parse_bibtex(bib_file.read_text(encoding="utf-8"))
    result = subprocess.run(["perl", "-e", BTPARSE_SCRIPT, str(bib_file)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[0] for row in rows] == [entry["ID"] for entry in raw]
    assert [int(row[1]) for row in rows] == [len(record["authors"]) for record in records]


# --- JSON, CSV, Markdown ---------------------------------------------------------


def test_json_export_is_the_list_json_objects(library: tuple[Path, Path]) -> None:
    exported = json.loads(ok(library, "export", "--format", "json", "--query", ""))
    assert isinstance(exported, list)
    assert exported == listed(library)


def test_csv_export_round_trips(library: tuple[Path, Path]) -> None:
    records = listed(library)
    text = ok(library, "export", "--format", "csv", "--query", "")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(records) + 1

    def cell(value: str) -> str:  # a leading formula character is defused
        return "'" + value if value[:1] in ("=", "+", "-", "@") else value

    for record, row in zip(records, rows[1:]):
        values = dict(zip(CSV_COLUMNS, row))
        assert values == {
            "id": record["id"],
            "title": cell(record["title"]),
            "authors": cell("; ".join(record["authors"])),
            "published": record["published"] or "",
            "categories": cell("; ".join(record["categories"])),
            "url": expected_url(record) or "",
            "doi": expected_doi(record) or "",
            "tags": cell("; ".join(record["tags"])),
            "starred": "true" if record["starred"] else "false",
            "read": "true" if record["read"] else "false",
        }
    titles = {row[0]: row[1] for row in rows[1:]}
    if "2604.30003" in titles:
        assert titles["2604.30003"].startswith("'=HYPERLINK(")
        assert titles["2604.30004"].startswith("'-1 is not")


def inline_text(tokens: list) -> str:
    return "".join(token.content for token in tokens if token.type in ("text", "text_special"))


def test_markdown_export_renders_to_the_titles_links_and_ids(library: tuple[Path, Path]) -> None:
    records = listed(library)
    text = ok(library, "export", "--format", "markdown", "--query", "")
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    assert [t.type for t in tokens if t.level == 0] == \
        ["bullet_list_open", "bullet_list_close"], "one list, nothing else"
    items = [t for t in tokens if t.type == "list_item_open" and t.level == 1]
    inlines = [t for t in tokens if t.type == "inline"]
    assert len(items) == len(inlines) == len(records)
    for record, inline in zip(records, inlines):
        children = inline.children
        kinds = {child.type for child in children}
        assert kinds <= {"link_open", "link_close", "text", "text_special", "softbreak",
                         "code_inline"}, (record["id"], kinds)
        brk = next(i for i, child in enumerate(children) if child.type == "softbreak")
        title_part, details = children[:brk], children[brk + 1 :]
        assert inline_text(title_part) == " ".join(record["title"].split())
        if children[0].type == "link_open":
            assert children[0].attrGet("href") == expected_url(record)
        codes = [child.content for child in details if child.type == "code_inline"]
        assert codes == [record["id"]]
        detail_text = inline_text(details)
        if record["authors"]:
            assert detail_text.startswith(", ".join(" ".join(a.split()) for a in record["authors"]))
        for tag in record["tags"]:
            assert tag in detail_text


# --- selection and output --------------------------------------------------------


@pytest.mark.parametrize("query", [
    "", "is:starred", "tag:to-read", "is:unread has:doi", "cat:quant-ph OR cat:cs.DS",
    "author:smith -is:read", "type:new",
])
def test_query_selects_what_list_shows(library: tuple[Path, Path], query: str) -> None:
    exported = json.loads(ok(library, "export", "--format", "json", f"--query={query}"))
    assert [record["id"] for record in exported] == [r["id"] for r in listed(library, query)]


def test_default_export_is_the_starred_papers(small_library: tuple[Path, Path]) -> None:
    starred = [record["id"] for record in listed(small_library, "is:starred")]
    assert starred
    raw, _ = parse_bibtex(ok(small_library, "export"))
    assert [entry["eprint"] for entry in raw] == starred
    exported = json.loads(ok(small_library, "export", "-f", "json"))
    assert [record["id"] for record in exported] == starred


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file_is_written_whole_and_replaced(
    small_library: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"papers.{fmt}"
    target.write_text("old contents that are longer than nothing\n" * 100)
    result = run(small_library, "export", "-f", fmt, "-q", "", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == ok(small_library, "export", "-f", fmt, "-q", "")
    assert [path.name for path in tmp_path.iterdir()] == [target.name], "no temporary file left"


def test_output_into_a_missing_folder_is_a_clear_error(
    small_library: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "papers.bib"
    result = run(small_library, "export", "-o", str(target))
    assert result.returncode != 0
    assert result.stderr.startswith("paperread: error:") and "Traceback" not in result.stderr
    assert not target.parent.exists()


def test_bad_query_is_a_clear_error(small_library: tuple[Path, Path]) -> None:
    result = run(small_library, "export", "--query", "(unclosed")
    assert result.returncode == 2
    assert result.stderr.startswith("paperread: error:") and "Traceback" not in result.stderr


def test_states_decide_the_tags_and_flags() -> None:
    paper = hostile_paper(1, "Deep Nets")
    state = PaperState(read=True, starred=True, tags=["b", "a"], dismissed=True)
    record = json.loads(export_papers([paper], {paper.id: state}, "json", {}))[0]
    assert (record["read"], record["starred"], record["tags"], record["dismissed"]) == (True, True, ["b", "a"], True)
    assert json.loads(export_papers([paper], {}, "json", {}))[0]["dismissed"] is False
    row = list(csv.DictReader(io.StringIO(export_papers([paper], {}, "csv", {}))))[0]
    assert (row["read"], row["starred"], row["tags"]) == ("false", "false", "")
