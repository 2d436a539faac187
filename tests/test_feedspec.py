from pathlib import Path

import pytest

from paperread.feedspec import FeedSpecError, resolve


@pytest.mark.parametrize(
    ("spec", "url", "name"),
    [
        ("arxiv:cs.LG", "https://rss.arxiv.org/rss/cs.LG", "arXiv cs.LG"),
        ("arxiv:cs.LG+cs.CL", "https://rss.arxiv.org/rss/cs.LG+cs.CL", "arXiv cs.LG+cs.CL"),
        ("arxiv:quant-ph", "https://rss.arxiv.org/rss/quant-ph", "arXiv quant-ph"),
        ("hf:daily", "https://huggingface.co/api/daily_papers", "Hugging Face Daily Papers"),
        ("https://example.org/feed.xml", "https://example.org/feed.xml", "example.org/feed.xml"),
    ],
)
def test_shortcuts_and_urls(spec: str, url: str, name: str) -> None:
    feed = resolve(spec)
    assert (feed.url, feed.name, feed.is_local) == (url, name, False)


def test_arxiv_query_is_newest_first_and_quoted() -> None:
    feed = resolve("arxiv-query:ti:diffusion AND cat:cs.LG")
    assert feed.url.startswith("https://export.arxiv.org/api/query?search_query=ti:diffusion%20AND%20cat:cs.LG")
    assert "sortBy=submittedDate" in feed.url and "sortOrder=descending" in feed.url


def test_local_paths_are_absolute(tmp_path: Path) -> None:
    feed = resolve("feeds/a.xml", base_dir=tmp_path)
    assert feed.is_local and feed.url == str(tmp_path / "feeds" / "a.xml")
    assert resolve(f"file://{tmp_path}/b.xml").url == str(tmp_path / "b.xml")


def test_given_name_wins() -> None:
    assert resolve("arxiv:cs.LG", name="Machine learning").name == "Machine learning"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        ("arxiv:", "bad arXiv category"),
        ("arxiv:cs LG", "bad arXiv category"),
        ("arxiv-query:  ", "needs a query"),
        ("hf:weekly", "only hf:daily"),
        ("ftp://example.org/feed", "use http or https"),
        ("javascript:alert(1)", "unknown feed spec"),
        ("https:///nohost", "without a host"),
    ],
)
def test_bad_specs_say_why(spec: str, message: str) -> None:
    with pytest.raises(FeedSpecError, match=message):
        resolve(spec)
