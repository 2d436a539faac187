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
opener = "firefox --new-tab %u"

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
    assert config.opener == "firefox --new-tab %u"
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
        ("opener = 3\n", "line 1: 'opener' must be a string"),
        ("theme = 'nord'\nopener = ''\n", "line 2: 'opener': the opener command is empty"),
        ("theme = 'nord'\nopener = \"firefox 'x\"\n", "line 2: 'opener': cannot split"),
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


FEEDS_THEN_WATCH = """refresh_interval = 5

[[feeds]]
url = "arxiv:cs.LG"

[[feeds]]
name = "second"
url = 3
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[watch]\nkeywords = "diffusion"\n', 2, "[watch] 'keywords' must be a list of strings, not 'diffusion'"),
        ('[watch]\nkeywords = ["a"]\nauthors = "Hinton"\n', 3, "[watch] 'authors' must be a list of strings"),
        ('[watch]\nkeywords = ["a", 2]\n', 2, "[watch] 'keywords' must be a list of strings"),
        ('theme = "nord"\nwatch.keywords = "diffusion"\n', 2, "[watch] 'keywords' must be a list"),
        ('theme = "nord"\nwatch = {keywords = "diffusion"}\n', 2, "[watch] 'keywords' must be a list"),
        ('theme = "nord"\n[watch]\n', None, None),
        ("refresh_interval = 1.5\n", 1, "'refresh_interval' must be a whole number, not 1.5"),
        ("refresh_interval = true\n", 1, "'refresh_interval' must be a whole number, not True"),
        ("refresh_interval = 100000000000000000\n", 1, "at most 525600 (a year)"),
        ("theme = 3\n", 1, "'theme' must be a string, not 3"),
        ('mark_read_on_highlight = "yes"\n', 1, "'mark_read_on_highlight' must be a true/false"),
        (FEEDS_THEN_WATCH, 8, "[[feeds]] 'url' must be a string, not 3"),
        ('[[feeds]]\nurl = "hf:daily"\n\n[[feeds]]\nname = 2\nurl = "arxiv:cs.LG"\n', 5, "[[feeds]] 'name' must be a string"),
        ('theme = "nord"\nfeeds = ["arxiv:cs.LG"]\n', 2, "each feed is a [[feeds]] table"),
        ('feeds = "arxiv:cs.LG"\n', 1, "'feeds' must be a list"),
        ('theme = "nord"\n[feeds]\nurl = "arxiv:cs.LG"\n', 2, "'feeds' must be a list"),
        ('theme = "nord"\nkeys = "f"\n', 2, "'keys' must be a table"),
        ('[views]\n"Diffusion" = "title:diffusion"\n\n[keys]\n"app.star" = 3\n', 5, "[keys] 'app.star' must be a string"),
        ('[views]\nok = "x"\n[views.nested]\nq = "x"\n', 3, "[views] 'nested' must be a string"),
        ('theme = "nord"\nwatch = ["x"]\n', 2, "'watch' must be a table"),
    ],
)
def test_every_value_is_checked_for_its_type_at_its_line(
    tmp_path: Path, text: str, line: int | None, message: str | None
) -> None:
    path = write(tmp_path, text)
    if message is None:
        load_config(path)
        return
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}, line {line}: "), caught.value
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('theme = "nord"\n[keys]\n"app.star" = "f"\n"app.stra" = "g"\n', 4,
         "[keys] unknown key binding id 'app.stra' (did you mean 'app.star'"),
        ('[keys]\n"app.star" = "Ctrl+f"\n', 2, "unknown modifier 'Ctrl'"),
        ('[keys]\n"list.down" = "n,Space"\n', 2, "unknown key name 'Space' (did you mean 'space'"),
        ('[keys]\n"list.down" = "n,,j"\n', 2, "empty key"),
        ('[keys]\n"app.star" = "shift+ctrl+s"\n', 2, "Textual names it 'ctrl+shift+s'"),
        ('refresh_interval = 5\n\ntheme = "no-such-theme"\n', 3, "unknown theme 'no-such-theme' (one of: "),
    ],
)
def test_bad_key_binding_or_theme_names_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}, line {line}: "), caught.value
    assert message in str(caught.value)


def test_good_key_bindings_and_theme_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, '[keys]\n"app.star" = "f, ctrl+s"\n"list.down" = "question_mark,slash,ctrl+shift+down"\n'
                 'theme = "gruvbox"\n')
    # "theme" after [keys] belongs to that table: a binding id, named as such
    with pytest.raises(ConfigError, match=r"line 4: \[keys\] unknown key binding id 'theme'"):
        load_config(path)
    path = write(tmp_path, 'theme = "gruvbox"\n[keys]\n"app.star" = "f, ctrl+s"\n"list.down" = "question_mark,slash"\n')
    config = load_config(path)
    assert config.theme == "gruvbox"
    assert config.keys == {"app.star": "f, ctrl+s", "list.down": "question_mark,slash"}


def test_a_missing_file_is_still_the_config_file_in_use(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml").path == tmp_path / "absent.toml"
