"""Feed parsers against the real samples in ../shared/feeds and a few files
of our own in tests/data/sources."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime
from email.utils import format_datetime
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperread import arxiv_ids
from paperread.model import ParsedFeed
from paperread.sources import arxiv_api, arxiv_rdf, arxiv_rss, common, detect, encoding, parse_feed
from paperread.sources.authors import split_creator, split_html_creator
from paperread.text import is_safe_url
from tests.conftest import EXTRA_FEEDS, SHARED_FEEDS, TEST_DATA

URL = "https://feeds.example.org/feed"
OWN_DATA = TEST_DATA / "sources"

EXPECTED_FORMATS = {
    "arxiv-api-atom-2026-04-12-all-testing-m100.xml": "arxiv-api",
    "arxiv-api-atom-2026-04-12-error-http400-bad-id.xml": "arxiv-api",
    "arxiv-api-atom-2026-04-12-idlist-two-ids.xml": "arxiv-api",
    "arxiv-api-atom-2026-04-12-zero-results.xml": "arxiv-api",
    "arxiv-api-atom-2026-04-30-cat-cs.LG-OR-cs.AI-m20.xml": "arxiv-api",
    "arxiv-api-atom-2026-05-11-idlist-old-style-astro-ph-0601001.xml": "arxiv-api",
    "arxiv-api-atom-legacy-2016-10-09-au-del_maestro.xml": "arxiv-api",
    "arxiv-api-atom-legacy-2016-10-09-idlist-1111.2011v2.xml": "arxiv-api",
    "arxiv-rdf-cs-2018-08-30.rdf": "arxiv-rdf",
    "arxiv-rss2-cs.CL-2026-04-27-trimmed-reserialized.xml": "arxiv-rss",
    "arxiv-rss2-cs.LG-2026-04-27-trimmed-reserialized.xml": "arxiv-rss",
    "arxiv-rss2-quant-ph-2025-04-28.xml": "arxiv-rss",
    "atom-blog-dustri-org-2024-03-10.xml": "generic",
    "biorxiv-rdf-bioengineering-2019-11-29-miniflux-snippet.xml": "generic",
    "biorxiv-rdf-genomics-2023-12-16-feedrs-snippet.xml": "generic",
    "hf-daily-papers-api-2026-06-12.json": "hf-daily",
    "hf-papers-rss-feedgen-huangboming-2026-04-30.xml": "generic",
    "hf-papers-rss-takara-tldr-2026-04-30.xml": "generic",
    "malformed-feedparser-invalid-utf8-with-bom.xml": "generic",
    "malformed-feedparser-truncated-incomplete-cdata.xml": "generic",
    "malformed-feedparser-undeclared-encoding-windows1255.xml": "generic",
    "malformed-feedparser-undeclared-entity-aacute.xml": "generic",
    "malformed-feedparser-undeclared-namespace.xml": "generic",
    "malformed-realworld-rss2-no-xml-decl-latin1-bytes.xml": "generic",
}
ARXIV_FILES = sorted(name for name, kind in EXPECTED_FORMATS.items() if kind.startswith("arxiv"))
ARXIV_MODULES = {"arxiv-rss": arxiv_rss, "arxiv-rdf": arxiv_rdf, "arxiv-api": arxiv_api}


def body_of(shared_feeds: Path, name: str) -> bytes:
    return (shared_feeds / name).read_bytes()


def parse_shared(shared_feeds: Path, name: str, content_type: str | None = None) -> ParsedFeed:
    return parse_feed(body_of(shared_feeds, name), URL, content_type)


def by_id(feed: ParsedFeed) -> dict:
    return {paper.id: paper for paper in feed.papers}


# --------------------------------------------------------------------------
# Every sample


def test_every_sample_is_accounted_for(shared_feeds: Path) -> None:
    on_disk = {path.name for path in shared_feeds.iterdir() if path.suffix != ".md"}
    assert on_disk == set(EXPECTED_FORMATS)


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMATS))
def test_format_is_detected_from_content(shared_feeds: Path, name: str) -> None:
    body = body_of(shared_feeds, name)
    assert detect.detect(body).format == EXPECTED_FORMATS[name]
    # The URL plays no part: the same body under another URL parses the same way.
    assert parse_feed(body, "https://elsewhere.example/x").format == EXPECTED_FORMATS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMATS))
def test_every_paper_has_key_fields(shared_feeds: Path, name: str) -> None:
    feed = parse_shared(shared_feeds, name)
    ids = [paper.id for paper in feed.papers]
    assert len(ids) == len(set(ids))
    for paper in feed.papers:
        assert paper.id and paper.feeds == [URL]
        assert all(is_safe_url(url) for url in paper.links.values())
        assert all(is_safe_url(url) for url in paper.code_links)
        for text in (paper.title, paper.abstract, *paper.authors):
            assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
        assert "Announce Type" not in paper.abstract
        if feed.format.startswith("arxiv"):
            assert paper.title and paper.abstract and paper.authors
            assert paper.links["abs"] == f"https://arxiv.org/abs/{paper.id}"
            assert paper.links["pdf"] == f"https://arxiv.org/pdf/{paper.id}v{paper.version}"
            assert paper.categories[0] == paper.primary_category
            assert all(arxiv_ids.is_category(category) for category in paper.categories)
            assert paper.announced and len(paper.announced) == 10


# --------------------------------------------------------------------------
# arXiv RSS 2.0


def test_rss2_quant_ph_counts(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-rss2-quant-ph-2025-04-28.xml")
    assert (feed.format, feed.error, feed.warnings) == ("arxiv-rss", None, [])
    assert feed.title == "quant-ph updates on arXiv.org"
    assert len(feed.papers) == 81
    assert Counter(p.announce_type for p in feed.papers) == {
        "new": 40, "cross": 10, "replace": 22, "replace-cross": 9
    }
    assert sum(1 for p in feed.papers if p.doi) == 10
    assert sum(1 for p in feed.papers if p.journal_ref) == 9
    assert {p.announced for p in feed.papers} == {"2025-04-28"}


def test_rss2_new_item(shared_feeds: Path) -> None:
    paper = by_id(parse_shared(shared_feeds, "arxiv-rss2-quant-ph-2025-04-28.xml"))["2504.17830"]
    assert paper.title == "Self-Adjoint Time Operator in a Weighted Energy Space"
    assert paper.version == 1
    assert paper.authors == ["Radmir Kokoulin"]
    assert paper.categories == ["quant-ph"]
    assert paper.announce_type == "new"
    # The "arXiv:2504.17830v1 Announce Type: new \nAbstract: " prefix is gone,
    # from the raw text as well; the raw text keeps its TeX.
    assert paper.raw_abstract.startswith(r"We introduce a self-adjoint time operator \(T_w")
    assert paper.abstract.startswith("We introduce a self-adjoint time operator")
    assert r"\hbar" not in paper.abstract
    assert paper.links == {
        "abs": "https://arxiv.org/abs/2504.17830",
        "pdf": "https://arxiv.org/pdf/2504.17830v1",
    }
    assert paper.published is None and paper.updated is None


def test_rss2_affiliations_are_not_split_into_authors(shared_feeds: Path) -> None:
    paper = by_id(parse_shared(shared_feeds, "arxiv-rss2-quant-ph-2025-04-28.xml"))["2504.18264"]
    assert paper.authors == [
        "M. R. Nirmal", "Ankit Khandelwal", "Manoj Nambiar", "Sharma S. R. K. C. Yamijala"
    ]
    madras = (
        "Department of Chemistry, Indian Institute of Technology Madras, Chennai, India, "
        "Centre for Quantum Information, Communication, and Computing, "
        "Indian Institute of Technology Madras, Chennai, India"
    )
    assert paper.affiliations == {name: madras for name in paper.authors}


def test_rss2_cross_list_with_doi(shared_feeds: Path) -> None:
    paper = by_id(parse_shared(shared_feeds, "arxiv-rss2-quant-ph-2025-04-28.xml"))["2504.18342"]
    assert paper.announce_type == "cross"
    assert paper.categories == ["nucl-ex", "nucl-th", "quant-ph"]
    assert paper.primary_category == "nucl-ex"
    assert paper.doi == "10.1016/j.ppnp.2025.104174"
    assert paper.links["doi"] == "https://doi.org/10.1016/j.ppnp.2025.104174"
    assert paper.journal_ref == "Progress in Particle and Nuclear Physics (2025)"


def test_rss2_replacements_keep_old_ids_and_versions(shared_feeds: Path) -> None:
    papers = by_id(parse_shared(shared_feeds, "arxiv-rss2-quant-ph-2025-04-28.xml"))
    defects = papers["2312.01259"]
    assert (defects.version, defects.announce_type) == (3, "replace-cross")
    assert defects.primary_category == "cond-mat.stat-mech"
    replaced = papers["2403.13790"]
    assert (replaced.version, replaced.announce_type) == (2, "replace")
    assert replaced.authors == [
        "Fan Yang", "Hadi Yarloo", "Hua-Chen Zhang", "Klaus Mølmer", "Anne E. B. Nielsen"
    ]
    assert replaced.journal_ref == "Phys. Rev. B 111, 144313 (2025)"


def test_rss2_mononymous_author_and_categories(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-rss2-cs.CL-2026-04-27-trimmed-reserialized.xml")
    papers = by_id(feed)
    assert len(papers) == 3
    assert papers["2604.22002"].authors == [
        "Anamta Khan", "Ratna Kandala", "Deepti", "Sheza Munir", "Joyojeet Pal"
    ]
    assert papers["2604.22027"].categories == ["cs.CL", "cs.AI", "cs.LG"]
    assert papers["2604.22002"].announced == "2026-04-27"


def test_rss2_entities_in_abstract(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-rss2-cs.LG-2026-04-27-trimmed-reserialized.xml")
    papers = by_id(feed)
    assert papers["2604.21952"].categories == ["cs.LG", "cs.AI", "cs.AR", "cs.NE", "cs.RO"]
    assert "visual resolution & stride" in papers["2604.21952"].abstract
    assert "$800" in papers["2604.21953"].raw_abstract
    assert "&amp;" not in papers["2604.21952"].raw_abstract


# --------------------------------------------------------------------------
# old arXiv RDF


def test_rdf_counts_and_announce_types(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-rdf-cs-2018-08-30.rdf")
    assert (feed.format, feed.error, feed.title) == ("arxiv-rdf", None, "cs updates on arXiv.org")
    assert len(feed.papers) == 185
    types = Counter(p.announce_type for p in feed.papers)
    # 111 new and 74 UPDATED in the titles; 19 have a primary outside cs.
    assert types["new"] + types["cross"] == 111
    assert types["replace"] + types["replace-cross"] == 74
    assert types["cross"] + types["replace-cross"] == 19
    assert sum(1 for p in feed.papers if not p.primary_category.startswith("cs.")) == 19
    assert {p.announced for p in feed.papers} == {"2018-08-30"}


def test_rdf_title_suffix_and_html(shared_feeds: Path) -> None:
    papers = by_id(parse_shared(shared_feeds, "arxiv-rdf-cs-2018-08-30.rdf"))
    quasar = papers["1808.09955"]
    assert quasar.title == (
        "QuasarNET: Human-level spectral classification and redshifting with Deep Neural Networks"
    )
    assert quasar.raw_title == quasar.title
    assert (quasar.version, quasar.primary_category) == (1, "astro-ph.IM")
    assert quasar.categories == ["astro-ph.IM"]
    assert quasar.announce_type == "cross"
    assert quasar.authors == ["Nicolas Busca", "Christophe Balland"]
    assert quasar.abstract.startswith("We introduce QuasarNET, a deep convolutional neural network")
    assert "<p>" not in quasar.raw_abstract and "<p>" not in quasar.abstract
    updated = papers["1301.1107"]
    assert (updated.version, updated.announce_type) == (6, "replace")
    assert updated.primary_category == "cs.NA"
    assert updated.title == "Spectral Condition-Number Estimation of Large Sparse Matrices"
    question = papers["1806.02908"]
    assert question.title.endswith("online comment classification?")
    assert question.announce_type == "replace"
    assert papers["1808.09902"].announce_type == "replace-cross"


# --------------------------------------------------------------------------
# arXiv API Atom


def test_api_new_serialisation(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-api-atom-2026-04-12-all-testing-m100.xml")
    assert (feed.format, feed.error) == ("arxiv-api", None)
    assert len(feed.papers) == 100
    assert sum(1 for p in feed.papers if p.version > 1) == 36
    assert sum(1 for p in feed.papers if "/" in p.id) == 3
    assert sum(1 for p in feed.papers if p.doi) == 32
    assert all(p.announce_type is None for p in feed.papers)
    papers = by_id(feed)
    first = papers["2202.12139"]
    assert first.title == (
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert first.authors == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    assert (first.categories, first.primary_category) == (["cs.SE", "cs.LG"], "cs.SE")
    assert first.comment == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert (first.published, first.announced) == ("2022-02-24T15:05:19Z", "2022-02-25")  # Thursday
    assert papers["0804.0970"].affiliations == {
        "Marie-Claude Gaudel": "LRI", "Pascale Le Gall": "IBISC"
    }
    anarchy = papers["hep-ph/0301050"]
    assert anarchy.version == 2
    assert anarchy.published == "2003-01-08T20:15:43Z"
    assert anarchy.updated == "2003-06-30T03:20:20Z"
    assert (anarchy.announced, anarchy.announced_from) == ("2003-07-01", "v2")  # Sunday 23:20 EDT
    assert anarchy.links["pdf"] == "https://arxiv.org/pdf/hep-ph/0301050v2"


def test_api_error_feed(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-api-atom-2026-04-12-error-http400-bad-id.xml")
    assert feed.error == "arXiv API error: incorrect id format for abc"
    assert feed.papers == []


def test_api_zero_results_is_an_empty_feed(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-api-atom-2026-04-12-zero-results.xml")
    assert (feed.papers, feed.error, feed.warnings) == ([], None, [])


def test_api_id_list(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-api-atom-2026-04-12-idlist-two-ids.xml")
    [paper] = feed.papers
    assert paper.id == "1707.08567"
    assert len(paper.authors) == 34
    assert "Dirk Wübben" in paper.authors
    assert paper.announced == "2017-07-28"  # Thursday 04:18 EDT


def test_api_old_style_id_with_affiliations(shared_feeds: Path) -> None:
    name = "arxiv-api-atom-2026-05-11-idlist-old-style-astro-ph-0601001.xml"
    feed = parse_shared(shared_feeds, name)
    [paper] = feed.papers
    assert (paper.id, paper.version) == ("astro-ph/0601001", 1)
    assert paper.affiliations == {
        "Andrew Gould": "Ohio State",
        "Susan Dorsher": "Ohio State",
        "B. Scott Gaudi": "CfA",
        "Andrzej Udalski": "Warsaw University Observatory",
    }
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"
    assert paper.raw_abstract.startswith("We derive the frequencies")
    assert "V_max<17.5" in paper.raw_abstract
    assert paper.categories == ["astro-ph"]
    assert paper.links["abs"] == "https://arxiv.org/abs/astro-ph/0601001"


def test_api_category_query(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-api-atom-2026-04-30-cat-cs.LG-OR-cs.AI-m20.xml")
    papers = by_id(feed)
    assert len(papers) == 20
    assert papers["2604.26951"].primary_category == "cs.CL"
    assert papers["2604.26932"].primary_category == "math.OC"
    assert len(papers["2604.26904"].authors) == 13
    assert "Attila Pintér" in papers["2604.26869"].authors
    assert "$" not in papers["2604.26926"].title  # "$\ln\ln T$" became text


def test_api_legacy_serialisation(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "arxiv-api-atom-legacy-2016-10-09-au-del_maestro.xml")
    papers = by_id(feed)
    assert len(papers) == 10
    stripes = papers["cond-mat/0603029"]
    assert "\n" in stripes.raw_title and "\n" not in stripes.title
    assert stripes.title.startswith(
        "From stripe to checkerboard order on the square lattice in the presence of"
    )
    assert stripes.links["doi"] == "https://doi.org/10.1103/PhysRevB.74.024520"
    assert papers["cond-mat/0412498"].primary_category == "cond-mat.str-el"

    name = "arxiv-api-atom-legacy-2016-10-09-idlist-1111.2011v2.xml"
    [bethe] = parse_shared(shared_feeds, name).papers
    assert (bethe.id, bethe.version) == ("1111.2011", 2)
    assert bethe.published == "2011-11-08T18:48:36Z"
    assert bethe.updated == "2012-04-02T12:38:54Z"
    assert (bethe.announced, bethe.announced_from) == ("2012-04-03", "v2")
    assert bethe.doi == "10.1103/PhysRevB.85.115117"
    assert bethe.comment == "8 pages, 3 figures. Published version"
    assert bethe.categories == ["cond-mat.str-el", "cond-mat.stat-mech"]


def test_rss_service_atom_variant() -> None:
    body = (OWN_DATA / "arxiv-atom-rss-service.xml").read_bytes()
    feed = parse_feed(body, URL)
    assert feed.format == "arxiv-api"
    nisq, rydberg = feed.papers
    assert (nisq.id, nisq.version, nisq.announce_type) == ("2504.18264", 1, "new")
    assert nisq.authors == ["M. R. Nirmal", "Ankit Khandelwal", "Manoj Nambiar"]
    assert nisq.affiliations["M. R. Nirmal"].endswith("Madras, Chennai, India")
    assert nisq.abstract.startswith("In recent years, the Variational Quantum Eigensolver")
    assert (rydberg.announce_type, rydberg.doi) == ("replace", "10.1103/PhysRevB.111.144313")
    assert rydberg.journal_ref == "Phys. Rev. B 111, 144313 (2025)"
    assert rydberg.announced == "2025-04-28"
    assert arxiv_api.parse_with_feedparser(body, URL) == feed


# --------------------------------------------------------------------------
# Both arXiv paths agree; malformed XML falls back


@pytest.mark.parametrize("name", ARXIV_FILES)
def test_fast_and_feedparser_paths_agree(shared_feeds: Path, name: str) -> None:
    body = body_of(shared_feeds, name)
    module = ARXIV_MODULES[EXPECTED_FORMATS[name]]
    fast = module.parse(body, URL)
    slow = module.parse_with_feedparser(body, URL)
    assert [p.to_dict() for p in fast.papers] == [p.to_dict() for p in slow.papers]
    assert fast == slow
    assert parse_feed(body, URL) == fast


def test_malformed_arxiv_rss_is_recovered(shared_feeds: Path) -> None:
    body = body_of(shared_feeds, "arxiv-rss2-quant-ph-2025-04-28.xml")
    clean = parse_feed(body, URL)
    # An HTML entity XML does not know, as hand-edited feeds carry.
    broken = body.replace(b"Self-Adjoint Time Operator", b"Self-Adjoint&nbsp;Time Operator", 1)
    with pytest.raises(ET.ParseError):
        arxiv_rss.parse(broken, URL)
    feed = parse_feed(broken, URL)
    assert feed.error is None
    assert feed.warnings[0].startswith("malformed XML (undefined entity")
    assert feed.warnings[0].endswith("recovered 81 items")
    assert [p.id for p in feed.papers] == [p.id for p in clean.papers]
    assert feed.papers[0].raw_title == "Self-Adjoint\u00a0Time Operator in a Weighted Energy Space"
    assert feed.papers[1:] == clean.papers[1:]


def test_truncated_arxiv_rss_keeps_the_complete_items(shared_feeds: Path) -> None:
    body = body_of(shared_feeds, "arxiv-rss2-quant-ph-2025-04-28.xml")
    clean = parse_feed(body, URL)
    cut = body.index(b"<item>", len(body) // 2) + 200
    feed = parse_feed(body[:cut], URL)
    assert feed.error is None and feed.format == "arxiv-rss"
    assert feed.warnings and "malformed XML" in feed.warnings[0]
    complete = body[:cut].count(b"</item>")
    assert [p.id for p in feed.papers[:complete]] == [p.id for p in clean.papers[:complete]]
    assert feed.papers[:complete] == clean.papers[:complete]


def test_encoding_expat_cannot_read_goes_to_feedparser() -> None:
    body = (OWN_DATA / "arxiv-rss-empty-weekend.xml").read_bytes()
    body = body.replace(b"encoding='UTF-8'", b"encoding='shift_jis'").replace(
        b"cs.LG updates on arXiv.org</title>", "cs.LG \u65b0\u7740</title>".encode("shift_jis")
    )
    feed = parse_feed(body, URL)
    assert (feed.format, feed.error, feed.title) == ("arxiv-rss", None, "cs.LG \u65b0\u7740")
    assert feed.warnings == [
        "unreadable XML (multi-byte encodings are not supported), recovered 0 items"
    ]


def test_empty_weekend_feed_is_valid() -> None:
    feed = parse_feed((OWN_DATA / "arxiv-rss-empty-weekend.xml").read_bytes(), URL)
    assert feed == ParsedFeed("arxiv-rss", papers=[], title="cs.LG updates on arXiv.org")


def test_arxiv_rss_item_naming_nothing_is_skipped() -> None:
    body = (OWN_DATA / "arxiv-rss-empty-weekend.xml").read_bytes().replace(
        b"</skipDays>",
        b"</skipDays><item><title>Orphan</title><description>text</description></item>",
    )
    for feed in (parse_feed(body, URL), arxiv_rss.parse_with_feedparser(body, URL)):
        assert (feed.papers, feed.error) == ([], None)
        assert feed.warnings == ["skipped 1 items without an id or link"]


def test_arxiv_rss_error_feed() -> None:
    body = (OWN_DATA / "arxiv-rss-feed-error.xml").read_bytes()
    feed = parse_feed(body, URL)
    assert feed.error == "arXiv feed error: Invalid archive specification: cs.XX"
    assert arxiv_rss.parse_with_feedparser(body, URL).error == feed.error


# --------------------------------------------------------------------------
# More real captures (../shared/feeds-extra)

LEGACY_API = "arxiv-api-legacy-2019-08-10-all-science-m10.xml"
EXTRA_ARXIV_FILES = sorted(
    path.name for path in EXTRA_FEEDS.glob("arxiv-*") if detect.detect(path.read_bytes()).format != "generic"
)


def parse_extra(extra_feeds: Path, name: str) -> ParsedFeed:
    return parse_feed((extra_feeds / name).read_bytes(), URL)


@pytest.mark.parametrize("name", EXTRA_ARXIV_FILES)
def test_fast_and_feedparser_paths_agree_on_the_extra_captures(extra_feeds: Path, name: str) -> None:
    body = (extra_feeds / name).read_bytes()
    feed = parse_feed(body, URL)
    assert feed.error is None
    assert ARXIV_MODULES[feed.format].parse_with_feedparser(body, URL) == feed


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        ("2025-03-10T17:59:59Z", "2025-03-11"),  # Monday 13:59 EDT: Monday evening
        ("2025-03-10T18:00:00Z", "2025-03-12"),  # Monday 14:00 EDT: Tuesday evening
        ("2025-03-07T18:59:59Z", "2025-03-10"),  # Friday 13:59 EST: Sunday evening
        ("2025-03-07T19:00:00Z", "2025-03-11"),  # Friday 14:00 EST: Monday evening
        ("2025-03-06T20:00:00Z", "2025-03-10"),  # Thursday after the cutoff: Sunday evening
        ("2025-03-08T12:00:00Z", "2025-03-11"),  # Saturday
        ("2025-03-10T03:00:00Z", "2025-03-11"),  # Sunday 23:00 EDT, Monday in UTC
        ("2025-03-10T12:00:00", "2025-03-11"),  # naive: UTC
        ("9999-12-31T23:59:59-14:00", None),
        ("0001-01-01T00:00:00Z", None),
    ],
)
def test_listing_day_follows_arxivs_schedule(moment: str, day: str | None) -> None:
    assert common.listing_day(datetime.fromisoformat(moment)) == day


def test_api_papers_are_announced_on_weekdays_of_arxivs_schedule(
    shared_feeds: Path, extra_feeds: Path
) -> None:
    papers = {}
    for path in [*shared_feeds.glob("arxiv-api-*"), *extra_feeds.glob("arxiv-api-*")]:
        papers.update(by_id(parse_feed(path.read_bytes(), URL)))
    assert len(papers) > 140
    days = [date.fromisoformat(paper.announced) for paper in papers.values()]
    assert [day for day in days if day.weekday() >= 5] == []
    assert {paper.announced_from for paper in papers.values()} >= {"v1", "v2", "v9"}
    expected = {
        "2405.13786": ("2024-05-23", "v1"),  # Wednesday 12:11 EDT
        "1501.05039": ("2015-01-22", "v1"),  # Wednesday in UTC, Tuesday 21:41 EST
        "1912.09881": ("2019-12-23", "v1"),  # Friday 10:28 EST
        "2409.05654": ("2025-05-12", "v9"),  # Thursday 16:52 EDT
        "1601.06222": ("2016-01-26", "v1"),  # Friday 22:26 EST
        "1312.7288": ("2013-12-24", "v1"),  # Sunday
        "2106.13414": ("2021-11-10", "v2"),  # Monday 20:28 EST
    }
    assert {key: (papers[key].announced, papers[key].announced_from) for key in expected} == expected


RSS_ATOM = "arxiv-rssatom-cs.LG-2026-09-25-paperforge-trimmed.xml"
RSS_TWO = "arxiv-rss2-cs.LG+cs.AI+cs.CL+stat.ML-2026-09-24-laya-trimmed.xml"
DC = "{http://purl.org/dc/elements/1.1/}"


def as_rss_item(entry: ET.Element) -> ET.Element:
    """An entry of rss.arxiv.org's Atom flavour written as its RSS flavour
    writes the same paper (arXiv/arxiv-feed serializes both from one record)."""
    item = ET.Element("item")
    for tag, text in (
        ("title", entry.findtext(f"{arxiv_api.ATOM_NS}title")),
        ("link", entry.find(f"{arxiv_api.ATOM_NS}link").get("href")),
        ("description", entry.findtext(f"{arxiv_api.ATOM_NS}summary")),
        ("guid", entry.findtext(f"{arxiv_api.ATOM_NS}id")),
    ):
        ET.SubElement(item, tag).text = text
    for category in entry.iter(f"{arxiv_api.ATOM_NS}category"):
        ET.SubElement(item, "category").text = category.get("term")
    published = datetime.fromisoformat(entry.findtext(f"{arxiv_api.ATOM_NS}published"))
    ET.SubElement(item, "pubDate").text = format_datetime(published)
    for child in entry:
        if child.tag.startswith((arxiv_api.ARXIV_NS, DC)):
            item.append(child)
    return item


def test_rss_service_atom_and_rss_flavours_give_one_set_of_facts(extra_feeds: Path) -> None:
    atom_body = (extra_feeds / RSS_ATOM).read_bytes()
    # the RSS flavour of the same feed: a real RSS channel with the Atom entries as items
    rss = ET.fromstring((extra_feeds / RSS_TWO).read_bytes())
    channel = rss.find("channel")
    for item in channel.findall("item"):
        channel.remove(item)
    channel.extend(as_rss_item(entry) for entry in ET.fromstring(atom_body).iter(f"{arxiv_api.ATOM_NS}entry"))
    rss_feed = parse_feed(ET.tostring(rss, xml_declaration=True, encoding="UTF-8"), URL)
    atom_feed = parse_feed(atom_body, URL)
    assert (atom_feed.format, rss_feed.format) == ("arxiv-api", "arxiv-rss")
    assert [paper.to_dict() for paper in atom_feed.papers] == [paper.to_dict() for paper in rss_feed.papers]
    hypergraph = by_id(atom_feed)["2402.10149"]
    assert (hypergraph.version, hypergraph.announce_type, hypergraph.announced) == (3, "cross", "2026-09-25")
    assert (hypergraph.published, hypergraph.updated, hypergraph.announced_from) == (None, None, None)
    assert hypergraph.categories == ["hep-ph", "cs.LG", "hep-ex"]
    assert hypergraph.authors[:2] == ["Callum Birch-Sykes", "Brian Le"]
    assert [paper.announce_type for paper in atom_feed.papers] == ["new", "cross", "replace"]


def test_api_msc_and_acm_classes_are_not_categories(extra_feeds: Path) -> None:
    papers = by_id(parse_extra(extra_feeds, LEGACY_API))
    logic = papers.pop("1802.03292")
    assert (logic.categories, logic.primary_category) == (["cs.LO"], "cs.LO")
    assert logic.msc_classes == ["03B70", "68Q99"]
    assert logic.acm_classes == ["F.4.1", "F.4.m", "K.2"]
    assert papers["1503.01162"].categories == ["physics.ed-ph", "physics.hist-ph", "physics.soc-ph"]
    assert [paper.id for paper in papers.values() if paper.msc_classes or paper.acm_classes] == []


# --------------------------------------------------------------------------
# Hugging Face


def test_hf_daily_json(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "hf-daily-papers-api-2026-06-12.json")
    assert (feed.format, feed.error) == ("hf-daily", None)
    assert len(feed.papers) == 30
    assert sum(len(p.authors) for p in feed.papers) == 202  # the hidden one included
    papers = by_id(feed)
    first = papers["2606.00467"]
    assert first.authors == ["Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez"]
    assert (first.upvotes, first.num_comments, first.github_repo) == (0, 2, None)
    assert first.published == "2026-05-30T00:00:00Z"
    assert first.announced == "2026-06-12"
    assert first.version is None
    assert first.links == {
        "abs": "https://arxiv.org/abs/2606.00467",
        "pdf": "https://arxiv.org/pdf/2606.00467",
    }
    msa = papers["2606.13392"]
    assert (msa.upvotes, msa.num_comments) == (103, 4)
    assert msa.github_repo == "https://github.com/MiniMax-AI/MSA"
    assert msa.code_links[0] == msa.github_repo
    assert len(papers["2606.12575"].authors) == 10


def test_hf_project_pages_are_kept_as_links(shared_feeds: Path, extra_feeds: Path) -> None:
    name = "hf-daily-papers-api-2026-07-31-pretty-5items.json"
    opsd = by_id(parse_extra(extra_feeds, name))["2607.28582"]
    assert opsd.links["project"] == "https://umd-huang-lab.github.io/beta-opsd/"
    assert opsd.github_repo is None
    body = body_of(shared_feeds, "hf-daily-papers-api-2026-06-12.json")
    papers = by_id(parse_feed(body, URL))
    projects = {key: paper.links["project"] for key, paper in papers.items() if "project" in paper.links}
    assert len(projects) == 13
    assert projects["2606.08063"] == "https://huggingface.co/spaces/Jiaqi-hkust/Robust-U1"
    assert papers["2606.08063"].github_repo == "https://github.com/jqtangust/Robust-U1"
    # only http(s) links are kept
    hostile = body.replace(b'"https://aiden0526.github.io/EvoArena/"', b'"javascript:alert(1)"').replace(
        b'"https://enlighten0707.github.io/gps/"', b'"-https://enlighten0707.github.io/gps/"'
    )
    papers = by_id(parse_feed(hostile, URL))
    assert "project" not in papers["2606.13681"].links and "project" not in papers["2606.08103"].links
    assert papers["2606.13681"].links["abs"] == "https://arxiv.org/abs/2606.13681"


def test_hf_feedgen_rss(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "hf-papers-rss-feedgen-huangboming-2026-04-30.xml")
    assert (feed.format, len(feed.papers)) == ("generic", 22)
    harness = by_id(feed)["2604.21003"]
    assert harness.title == "The Last Harness You'll Ever Build"
    assert harness.authors == ["Haebin Seong", "Li Yin", "Haoran Zhang"]
    assert harness.upvotes == 1
    assert harness.abstract.startswith("AI agents are increasingly deployed")
    assert "Authors:" not in harness.abstract and "Upvotes:" not in harness.abstract
    assert harness.links["abs"] == "https://arxiv.org/abs/2604.21003"
    assert "source" not in harness.links
    assert harness.announced == "2026-04-22"
    assert all("<" not in p.raw_abstract for p in feed.papers)


def test_takara_ids_come_from_third_party_urls(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "hf-papers-rss-takara-tldr-2026-04-30.xml")
    assert len(feed.papers) == 50
    assert all(p.links["abs"] == f"https://arxiv.org/abs/{p.id}" for p in feed.papers)
    energs = by_id(feed)["2604.26238"]
    assert energs.title == "EnerGS: Energy-Based Gaussian Splatting with Partial Geometric Priors"
    assert energs.abstract.startswith("3D Gaussian Splatting (3DGS) has been widely adopted")
    assert (energs.published, energs.announced) == ("2026-04-29T02:39:18Z", "2026-04-29")
    assert energs.authors == []


def test_hf_elements_without_arxiv_ids() -> None:
    body = (
        b'[{"paper": {"id": "2401.00001", "title": "A"}, "numComments": 1},'
        b' {"paper": {"title": "no id"}},'
        b' {"paper": {"id": "not-an-arxiv-id", "title": "B", "githubRepo": "javascript:alert(1)"}}]'
    )
    feed = parse_feed(body, URL)
    first, second = feed.papers
    assert (first.id, first.title, first.num_comments) == ("2401.00001", "A", 1)
    assert (second.id, second.links, second.github_repo) == ("guid:not-an-arxiv-id", {}, None)
    assert feed.warnings == ["skipped 1 items without an id or link"]


def test_deeply_nested_json_is_an_error() -> None:
    feed = parse_feed(b"[" * 100_000, URL)
    assert feed.error.startswith("invalid JSON: maximum recursion depth exceeded")


# --------------------------------------------------------------------------
# Generic feeds


def test_biorxiv_doi_keys_and_surname_initials(shared_feeds: Path) -> None:
    name = "biorxiv-rdf-genomics-2023-12-16-feedrs-snippet.xml"
    [genome] = parse_shared(shared_feeds, name).papers
    assert genome.id == "doi:10.1101/2023.12.16.571984"
    assert genome.doi == "10.1101/2023.12.16.571984"
    assert genome.version == 1
    assert genome.title.startswith("Complete genome of the Medicago anthracnose fungus")
    assert genome.authors == [
        "N. LAPALU", "A. SIMON", "A. Lu", "P.-L. Plaumann", "J. Amselem",
        "S. Pigne", "A. Auger", "C. Koch", "J.-F. Dallery", "R. J. O'Connell",
    ]
    assert genome.links == {
        "source": "http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1",
        "doi": "https://doi.org/10.1101/2023.12.16.571984",
    }
    assert (genome.announced, genome.published) == ("2023-12-16", "2023-12-16T00:00:00Z")

    name = "biorxiv-rdf-bioengineering-2019-11-29-miniflux-snippet.xml"
    [liver] = parse_shared(shared_feeds, name).papers
    assert liver.id == "doi:10.1101/857789"
    assert liver.authors == ["D. Kukla", "A. Crampton", "D. Wood", "S. Khetani"]
    assert liver.links["source"] == "http://biorxiv.org/cgi/content/short/857789v1?rss=1"
    assert liver.title == (
        "Microscale Collagen and Fibroblast Interactions Enhance Primary Human "
        "Hepatocyte Functions in 3-Dimensional Models"
    )


def test_blog_atom(shared_feeds: Path) -> None:
    feed = parse_shared(shared_feeds, "atom-blog-dustri-org-2024-03-10.xml")
    assert (feed.title, len(feed.papers)) == ("Artificial truth", 25)
    vale = feed.papers[0]
    assert vale.id == "guid:tag:dustri.org,2024-03-10:/b/using-vale-with-vim.html"
    assert vale.title == "Using vale with vim"
    assert vale.authors == ["jvoisin"]
    assert vale.categories == ["sysadmin"]
    assert vale.published == "2024-03-10T16:15:00Z"  # 17:15 at +01:00
    assert vale.announced == "2024-03-10"
    assert vale.links == {"source": "https://dustri.org/b/using-vale-with-vim.html"}
    assert vale.abstract.startswith(
        "LWN recently published an excellent (subscriber only) article on vale"
    )
    assert all("<a " not in p.raw_abstract for p in feed.papers)


def test_latin1_without_declaration(shared_feeds: Path) -> None:
    name = "malformed-realworld-rss2-no-xml-decl-latin1-bytes.xml"
    for content_type in (None, "application/rss+xml; charset=iso-8859-1"):
        feed = parse_shared(shared_feeds, name, content_type)
        assert feed.error is None
        assert len(feed.papers) == 9  # the tenth item is empty
        assert "skipped 1 empty items" in feed.warnings
        titles = [p.title for p in feed.papers]
        assert "La criminalité liée surtout à... l'ennui ?" in titles


@pytest.mark.parametrize(
    ("name", "title", "count"),
    [
        (
            "malformed-feedparser-invalid-utf8-with-bom.xml",
            "Valid UTF8: ѨInvalid UTF8: España",  # each run in its own encoding
            0,
        ),
        ("malformed-feedparser-truncated-incomplete-cdata.xml", "can feedparser read this xml", 0),
        ("malformed-feedparser-undeclared-entity-aacute.xml", "testing á entity", 0),
        ("malformed-feedparser-undeclared-namespace.xml", None, 0),
    ],
)
def test_malformed_samples_recover_with_a_warning(
    shared_feeds: Path, name: str, title: str | None, count: int
) -> None:
    feed = parse_shared(shared_feeds, name)
    assert feed.error is None
    assert (feed.title, len(feed.papers)) == (title, count)
    assert feed.warnings[0].startswith("malformed XML (")
    assert feed.warnings[0].endswith(f"recovered {count} items")


# a title that ends in a no-break space: feedparser's own repair of UTF-8 read
# as ISO-8859-1 fails on it
_MIXED_ITEM = "<item><title>Ѩ “naïve”\u00a0</title><link>https://blog.example.org/1</link></item>"


def _mixed_feed(declaration: str = "") -> bytes:
    """An RSS feed in UTF-8 but for one title in Windows-1252 bytes."""
    one_byte = "<item><title>España “quoted”</title><link>https://blog.example.org/2</link></item>"
    return (
        f"{declaration}<rss version='2.0'><channel><title>Ѩ mixed</title>{_MIXED_ITEM}".encode()
        + one_byte.encode("cp1252")
        + b"</channel></rss>"
    )


@pytest.mark.parametrize("declaration", ["", "<?xml version='1.0'?>\n", "<?xml version='1.0' encoding='utf-8'?>\n"])
@pytest.mark.parametrize("content_type", [None, "application/rss+xml", "text/xml; charset=UTF-8"])
def test_utf8_with_some_one_byte_text_reads_each_run_in_its_encoding(
    declaration: str, content_type: str | None
) -> None:
    feed = parse_feed(_mixed_feed(declaration), URL, content_type)
    assert feed.error is None and feed.title == "Ѩ mixed"
    assert [p.title for p in feed.papers] == ["Ѩ “naïve”", "España “quoted”"]


@pytest.mark.parametrize(
    ("declaration", "content_type"),
    [("<?xml version='1.0' encoding='iso-8859-1'?>", None), ("", "application/rss+xml; charset=ISO-8859-1")],
)
def test_a_body_declared_in_a_one_byte_encoding_is_read_in_it(declaration: str, content_type: str | None) -> None:
    body = _mixed_feed(declaration)
    assert encoding.utf8_body(body, content_type) is body  # the declaration is believed
    assert parse_feed(body, URL, content_type).papers[1].title == "España “quoted”"


def test_arxiv_rss_with_a_one_byte_title_reads_each_run_in_its_encoding() -> None:
    body = (TEST_DATA / "feeds" / "arxiv-small.xml").read_bytes()
    body = body.replace(b"Sparse Graph", "Ѩ Sparse Graph".encode()).replace(b"Calibrated", "Calibrée".encode("cp1252"))
    feed = parse_feed(body, URL)
    assert feed.format == "arxiv-rss" and feed.warnings[0].startswith("malformed XML")
    titles = [p.title for p in feed.papers]
    assert titles[:2] == [
        "Ѩ Sparse Graph Transformers in 𝒪(n log n) Time",
        "Calibrée Uncertainty for Protein Language Models",
    ]


def test_valid_utf8_is_left_as_it_is() -> None:
    body = f"<rss version='2.0'><channel>{_MIXED_ITEM}</channel></rss>".encode()
    assert encoding.utf8_body(body) is body


def test_bytes_that_are_not_utf8_read_as_windows_1252_or_else_latin1() -> None:
    body = b"<rss version='2.0'><channel><title>\xd1\xa8 \x81\x93</title></channel></rss>"
    assert "<title>Ѩ \x81“</title>" in encoding.utf8_body(body).decode("utf-8")


def test_undeclared_windows1255_keeps_its_only_item(shared_feeds: Path) -> None:
    name = "malformed-feedparser-undeclared-encoding-windows1255.xml"
    [item] = parse_shared(shared_feeds, name).papers
    # No title, link or guid: the key is derived from the content and stable.
    assert item.id.startswith("guid:sha1:")
    assert item.abstract and item.title == ""
    assert parse_shared(shared_feeds, name).papers[0].id == item.id


# --------------------------------------------------------------------------
# Refused and broken bodies


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "empty response body"),
        (b" \r\n\t ", "empty response body"),
        (b"Service Unavailable", "response is neither XML nor JSON (starts 'Service Unavailable')"),
        (b"<html><body>Oops</body></html>", "response is an HTML page, not a feed"),
        (b'{"error": "Invalid date"}', "Hugging Face API error: Invalid date"),
        (b'{"a": 1}', "JSON object is not a Hugging Face daily papers list"),
        (b"[1, 2, 3]", "JSON list holds no Hugging Face papers"),
        (b"[1, 2", "invalid JSON: Expecting ',' delimiter: line 1 column 6 (char 5)"),
        (
            b"\xef\xbb\xbf[\xff]",
            "invalid JSON: 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte",
        ),
        (b"<note><to>you</to></note>", "not an RSS or Atom feed"),
        (b"<?xml version='1.0'?><!-- never closed", "XML document without a root element"),
    ],
)
def test_bodies_that_are_not_feeds(body: bytes, error: str) -> None:
    feed = parse_feed(body, URL)
    assert feed.error == error
    assert feed.papers == []


def test_html_maintenance_page() -> None:
    feed = parse_feed((OWN_DATA / "maintenance.html").read_bytes(), URL, "text/html")
    assert feed.error == (
        'response is an HTML page, not a feed ("arXiv is down for scheduled maintenance")'
    )


@pytest.fixture
def no_xml_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any XML parser is handed the body."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an XML parser saw a refused body")

    monkeypatch.setattr(ET, "fromstring", refuse)
    monkeypatch.setattr(feedparser, "parse", refuse)


REFUSED = "refused: the document has a <!DOCTYPE> or <!ENTITY> declaration"


@pytest.mark.timing
def test_billion_laughs_is_refused_before_parsing(no_xml_parser: None) -> None:
    started = time.perf_counter()
    feed = parse_feed((OWN_DATA / "billion-laughs.xml").read_bytes(), URL)
    assert feed.error == REFUSED
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "body",
    [
        b'<!doctype rss SYSTEM "http://example.org/x.dtd"><rss version="2.0"/>',
        # after a long comment, beyond the first 8 KB
        b"<?xml version='1.0'?><!--" + b"x" * 20000 + b"--><!DOCTYPE rss [<!ENTITY a 'b'>]><rss/>",
        # an entity declaration after the root element, within the first KBs
        b'<rss version="2.0"><!ENTITY a "b"><channel><title>&a;</title></channel></rss>',
        # UTF-16 with a byte-order mark
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE rss [<!ENTITY a "b">]><rss/>'.encode(
            "utf-16"
        ),
    ],
)
def test_doctype_and_entity_declarations_are_refused(no_xml_parser: None, body: bytes) -> None:
    assert parse_feed(body, URL).error == REFUSED


def test_unsafe_links_are_dropped() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>One</title><link>javascript:alert(1)</link>"
        b'<guid isPermaLink="false">g-1</guid></item>'
        b"<item><title>Two</title><link>https://example.org/two</link></item>"
        b"</channel></rss>"
    )
    one, two = parse_feed(body, URL).papers
    assert (one.id, one.links) == ("guid:g-1", {})
    assert two.id == "guid:https://example.org/two"
    assert two.links == {"source": "https://example.org/two"}


def test_escape_sequences_are_stripped_at_ingest() -> None:
    body = (
        '[{"paper": {"id": "2401.00001", "title": "Bad\\u001b]52;c;ZXZpbA==\\u0007 \\u202etitle",'
        ' "summary": "x\\u009b31m y", "authors": [{"name": "Eve\\u001b[31m"}]}}]'
    ).encode()
    [paper] = parse_feed(body, URL).papers
    for text in (paper.title, paper.raw_title, paper.abstract, paper.raw_abstract, *paper.authors):
        assert not set(text) & {"\x1b", "\x07", "\x9b", "\u202e"}
    assert paper.title.startswith("Bad") and paper.title.endswith(" title")
    assert paper.abstract.startswith("x") and paper.abstract.endswith(" y")
    assert paper.authors[0].startswith("Eve")


# --------------------------------------------------------------------------
# Authors


@pytest.mark.parametrize(
    ("text", "names", "affiliations"),
    [
        ("Ada Lovelace and Charles Babbage", ["Ada Lovelace", "Charles Babbage"], {}),
        ("A. One, B. Two, and C. Three", ["A. One", "B. Two", "C. Three"], {}),
        (
            "Jane Doe (MIT, Cambridge (MA)), John Roe (ETH Zurich)",
            ["Jane Doe", "John Roe"],
            {"Jane Doe": "MIT, Cambridge (MA)", "John Roe": "ETH Zurich"},
        ),
        ("Jane Doe (Lab A) (Lab B)", ["Jane Doe"], {"Jane Doe": "Lab A; Lab B"}),
        # a truncated feed: the parenthesis never closes
        ("Jane Doe (MIT, Cambr", ["Jane Doe"], {"Jane Doe": "MIT, Cambr"}),
        ("Kukla, D., Crampton, A.", ["D. Kukla", "A. Crampton"], {}),
        ("Sanderson Smith, Ann Anderson", ["Sanderson Smith", "Ann Anderson"], {}),
    ],
)
def test_split_creator(text: str, names: list[str], affiliations: dict[str, str]) -> None:
    assert split_creator(text) == (names, affiliations)


def test_split_html_creator() -> None:
    fragment = (
        '<a href="http://arxiv.org/find/cs/1/au:+Jain_B/0/1/0/all/0/1">Brijnesh J. Jain</a>, '
        '<a href="http://arxiv.org/find/cs/1/au:+M_A/0/1/0/all/0/1">Ana M&#xfc;ller</a>'
    )
    assert split_html_creator(fragment) == (["Brijnesh J. Jain", "Ana Müller"], {})


# --------------------------------------------------------------------------
# Never raises


def _samples() -> list[bytes]:
    """Small real bodies to mangle (our own files where the samples are absent)."""
    own = [path.read_bytes() for path in sorted(OWN_DATA.iterdir())]
    if not SHARED_FEEDS.is_dir():
        return own
    small = [
        path.read_bytes()
        for path in sorted(SHARED_FEEDS.iterdir())
        if path.suffix != ".md" and path.stat().st_size < 10_000
    ]
    return [*small, *own]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(_samples()),
    cut=st.integers(min_value=0, max_value=10_000),
    junk=st.binary(max_size=40),
    at=st.integers(min_value=0, max_value=10_000),
)
def test_parse_feed_never_raises(sample: bytes, cut: int, junk: bytes, at: int) -> None:
    position = at % (len(sample) + 1)
    body = (sample[:position] + junk + sample[position:])[: max(cut, 1) * 4]
    feed = parse_feed(body, URL)
    assert isinstance(feed, ParsedFeed)
    assert feed.error is None or "\n" not in feed.error
    assert all(paper.id and paper.feeds == [URL] for paper in feed.papers)
