from pathlib import Path

import pytest

from paperread.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_default_feeds(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert [feed.spec for feed in config.feeds] == ["arxiv:cs.LG", "arxiv:cs.CL", "arxiv:cs.AI", "hf:daily"]
    assert config.refresh_interval_minutes == 60


def test_full_config_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
refresh_interval = 15
theme = "nord"
mark_read_on_highlight = true

[[feeds]]
url = "arxiv:cs.LG"
name = "ML"

[[feeds]]
url = "local.xml"

[keys]
"app.star" = "f"

[views]
"Diffusion" = "title:diffusion"

[watch]
keywords = ["transformer"]
authors = ["Hinton"]
""",
    )
    config = load_config(path)
    assert [(feed.name, feed.url) for feed in config.feeds] == [
        ("ML", "https://rss.arxiv.org/rss/cs.LG"),
        ("local.xml", str(tmp_path / "local.xml")),
    ]
    assert config.refresh_interval_minutes == 15
    assert config.theme == "nord" and config.mark_read_on_highlight is True
    assert config.keys == {"app.star": "f"}
    assert config.views == {"Diffusion": "title:diffusion"}
    assert (config.watch_keywords, config.watch_authors) == (["transformer"], ["Hinton"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("refresh_interval = 5\ncolour = 'red'\n", "line 2: unknown setting 'colour'"),
        ("[[feeds]]\nurl = 'hf:daily'\nlabel = 'x'\n", "line 3: unknown \\[\\[feeds\\]\\] setting 'label'"),
        ("[[feeds]]\nname = 'x'\n", "has no url"),
        ("[[feeds]]\nurl = 'gopher://x'\n", "line 2: unsupported feed URL scheme"),
        ("refresh_interval = 'soon'\n", "line 1: 'refresh_interval' must be a whole number"),
        ("mark_read_on_highlight = 1\n", "line 1: 'mark_read_on_highlight' must be a true/false"),
        ("refresh_interval = -1\n", "must be 0 or more"),
        ("[views]\nx = 3\n", "line 2: \\[views\\] 'x' must be a string"),
        ("[watch]\nauthor = ['x']\n", "line 2: unknown \\[watch\\] setting 'author'"),
        ("theme = 'nord'\n[[feeds]\n", "line 2"),
    ],
)
def test_bad_config_names_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_undecodable_config_is_an_error_not_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"theme = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(path)
