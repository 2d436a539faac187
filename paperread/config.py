"""The config file (TOML): feeds, refresh interval, theme, the link opener,
key bindings, saved searches and watch lists.

A missing file means the defaults. A broken file is an error that names the
line: defaults are never used silently in its place. Every value is checked
for its type, and the key bindings and the theme against the names the
reader knows, before anything else is done with the config. ``append_feeds`` adds
``[[feeds]]`` tables (OPML import) as text, leaving the rest of the file as
the user wrote it.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperread import feedspec
from paperread.feedspec import FeedSpec, FeedSpecError
from paperread.opener import check_opener
from paperread.store.atomic import write_atomically

DEFAULT_REFRESH_MINUTES = 60
MAX_REFRESH_MINUTES = 365 * 24 * 60


class ConfigError(ValueError):
    """The config file cannot be used as written."""


@dataclass(slots=True)
class Config:
    feeds: list[FeedSpec]
    refresh_interval_minutes: int = DEFAULT_REFRESH_MINUTES
    theme: str | None = None
    mark_read_on_highlight: bool = False
    opener: str | None = None  # the command that opens links ("firefox %u"); None: the platform's
    keys: dict[str, str] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)
    watch_keywords: list[str] = field(default_factory=list)
    watch_authors: list[str] = field(default_factory=list)
    path: Path | None = None  # the config file, whether or not it exists


_TOP_LEVEL: dict[str, type] = {
    "feeds": list,
    "refresh_interval": int,
    "theme": str,
    "mark_read_on_highlight": bool,
    "opener": str,
    "keys": dict,
    "views": dict,
    "watch": dict,
}
_FEED_KEYS = {"url": str, "name": str}
_WATCH_KEYS = ("keywords", "authors")


def default_config() -> Config:
    return Config(feeds=[feedspec.resolve(spec) for spec in feedspec.DEFAULT_FEEDS])


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        config = default_config()
        config.path = path
        return config
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config file: {error}") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, text, error) from error
    config = _ConfigReader(path, text).read(data)
    config.path = path
    return config


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(
        f"\\u{ord(char):04X}" if char < " " or char == "\x7f" else char for char in escaped
    )
    return f'"{escaped}"'


def _feed_table(url: str, name: str | None) -> str:
    lines = ["[[feeds]]", f"url = {_toml_string(url)}"]
    if name:
        lines.append(f"name = {_toml_string(name)}")
    return "\n".join(lines) + "\n"


def append_feeds(path: Path, feeds: Sequence[tuple[str, str | None]]) -> list[str]:
    """Add one ``[[feeds]]`` table per ``(url, name)`` at the end of the
    config file ``path``, as text, so that everything already in the file
    (comments, order, layout) stays as it was. A missing file is created.

    A file that configures no feeds follows the default feeds; those are
    written out first, or adding feeds would silently replace them. Returns
    the default specs written out (empty when the file had feeds).

    The new text is checked as a config before it atomically replaces the
    file (through a symbolic link, not over it); ConfigError or StorageError
    leave the file as it was.
    """
    target = path.resolve()
    try:
        text = target.read_text(encoding="utf-8")
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        text, mode = "", None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config file: {error}") from error
    try:
        configured = "feeds" in tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    defaults = [] if configured else list(feedspec.DEFAULT_FEEDS)
    blocks = []
    if defaults:
        blocks.append(
            "# the default feeds, written out when the first feeds were added\n"
            + "\n".join(_feed_table(spec, None) for spec in defaults)
        )
    blocks += [_feed_table(url, name) for url, name in feeds]
    if text and not text.endswith("\n"):
        text += "\n"
    new_text = text + ("\n" if text.strip() else "") + "\n".join(blocks)
    try:
        _ConfigReader(path, new_text).read(tomllib.loads(new_text))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: cannot add [[feeds]] tables to this file: {error}") from error
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, new_text.encode("utf-8"), backup=False)
    if mode is not None:
        os.chmod(target, mode)  # the new file would otherwise get the umask's mode
    return defaults


def _parses(text: str) -> bool:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _syntax_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> ConfigError:
    """The TOML error, naming a line. tomllib reports a string, array or
    table left open as an error "at end of document"; the line named then is
    where the part that never ends begins (after the longest prefix that parses)."""
    if "at end of document" not in str(error):
        return ConfigError(f"{path}: {error}")
    lines = text.splitlines(keepends=True)
    complete = next(n for n in range(len(lines), -1, -1) if _parses("".join(lines[:n])))
    return ConfigError(f"{path}, line {complete + 1}: {error}")


# Where a value is in the parsed TOML: table names and keys, with the
# index of an array item (``("feeds", 1, "url")``: the second feed's url).
_Path = tuple[str | int, ...]

_HEADER_RE = re.compile(r"^\s*(\[\[?)([^\[\]]+)\]\]?\s*(?:#.*)?$")
_KEY_PART_RE = re.compile(r"""\s*("[^"]*"|'[^']*'|[^.]+)\s*(?:\.|$)""")


def _dotted(name: str) -> tuple[str, ...]:
    """The parts of a dotted TOML name, unquoted: ``a."b.c"`` -> ``("a", "b.c")``."""
    return tuple(part.strip().strip("\"'") for part in _KEY_PART_RE.findall(name.strip()))


def _key_line_re(names: Sequence[str]) -> re.Pattern[str]:
    """A line that sets the dotted key ``names`` (each part bare or quoted),
    or a key below it."""
    parts = [rf"""(?:{re.escape(n)}|"{re.escape(n)}"|'{re.escape(n)}')""" for n in names]
    return re.compile(r"^\s*" + r"\s*\.\s*".join(parts) + r"\s*[=.]")


@dataclass(slots=True)
class _Section:
    """A table of the file: its header's path and line (the top of the file
    has neither) and its lines as (number, text)."""

    path: _Path
    header_line: int | None
    lines: list[tuple[int, str]] = field(default_factory=list)


class _Locator:
    """Finds the line a setting is written on. tomllib gives values without
    positions, so the text is scanned: the table headers (counting the items
    of ``[[arrays]]``), then the key in its table or as a dotted key in a
    table above it. Good enough for naming a line in a message; a value
    written inline (``watch = {keywords = "x"}``) is found by the line of
    the nearest key around it."""

    def __init__(self, text: str) -> None:
        self.sections = [_Section((), None)]
        arrays: dict[tuple[str, ...], int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER_RE.match(line)
            if header is None:
                self.sections[-1].lines.append((number, line))
                continue
            names = _dotted(header.group(2))
            path: _Path = names
            if header.group(1) == "[[":
                path = (*names, arrays.get(names, 0))
                arrays[names] = arrays.get(names, 0) + 1
            self.sections.append(_Section(path, number))

    def line_of(self, path: _Path) -> int | None:
        """The line of the setting at ``path``, else of the nearest one around it."""
        for end in range(len(path), 0, -1):
            line = self._written_at(path[:end])
            if line is not None:
                return line
        return None

    def _written_at(self, path: _Path) -> int | None:
        for section in self.sections:
            if section.path == path:
                return section.header_line
            depth = len(section.path)
            names = [part for part in path[depth:] if isinstance(part, str)]
            if path[:depth] != section.path or not names or len(names) != len(path) - depth:
                continue  # not below this table, or an array item: no key names it
            pattern = _key_line_re(names)
            for number, line in section.lines:
                if pattern.match(line):
                    return number
        return None


def _setting_name(path: _Path) -> str:
    """How a message names the setting at ``path``: 'theme', [watch] 'keywords'."""
    if len(path) == 1:
        return f"'{path[0]}'"
    table = f"[[{path[0]}]]" if isinstance(path[1], int) else f"[{path[0]}]"
    return f"{table} '{path[-1]}'"


class _ConfigReader:
    """Checks the parsed TOML against what paperread understands, naming the
    line of anything it cannot use."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.locator = _Locator(text)

    def fail(self, where: _Path, message: str) -> ConfigError:
        line = self.locator.line_of(where)
        place = f"{self.path}, line {line}" if line else str(self.path)
        return ConfigError(f"{place}: {message}")

    def check_type(self, where: _Path, value: Any, expected: type) -> None:
        # bool is an int in Python; a number where a flag is expected (or the
        # reverse) is a mistake worth naming.
        wrong_bool = isinstance(value, bool) != (expected is bool)
        if not isinstance(value, expected) or wrong_bool:
            raise self.fail(
                where, f"{_setting_name(where)} must be a {_toml_type(expected.__name__)}, not {value!r}"
            )

    def check_strings(self, where: _Path, value: Any) -> list[str]:
        """``value`` as a list of strings, else an error (a lone string is
        not taken as a list of its letters)."""
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
        hint = f" (a list: [{_toml_string(value)}])" if isinstance(value, str) else ""
        raise self.fail(where, f"{_setting_name(where)} must be a list of strings, not {value!r}{hint}")

    def read(self, data: dict[str, Any]) -> Config:
        for key, value in data.items():
            if key not in _TOP_LEVEL:
                known = ", ".join(sorted(_TOP_LEVEL))
                raise self.fail((key,), f"unknown setting '{key}' (known: {known})")
            self.check_type((key,), value, _TOP_LEVEL[key])
        config = default_config()
        if "feeds" in data:
            config.feeds = self.read_feeds(data["feeds"])
        if "refresh_interval" in data:
            config.refresh_interval_minutes = self.read_refresh_interval(data["refresh_interval"])
        config.theme = data.get("theme")
        config.mark_read_on_highlight = data.get("mark_read_on_highlight", False)
        if "opener" in data:
            if problem := check_opener(data["opener"]):
                raise self.fail(("opener",), f"'opener': {problem} (for example: opener = \"firefox %u\")")
            config.opener = data["opener"]
        config.keys = self.read_string_table("keys", data.get("keys", {}))
        config.views = self.read_string_table("views", data.get("views", {}))
        config.watch_keywords, config.watch_authors = self.read_watch(data.get("watch", {}))
        self.check_reader_names(config)
        return config

    def read_refresh_interval(self, minutes: int) -> int:
        if not 0 <= minutes <= MAX_REFRESH_MINUTES:
            raise self.fail(
                ("refresh_interval",),
                f"'refresh_interval' (minutes) must be 0 or more (0: refresh only on r)"
                f" and at most {MAX_REFRESH_MINUTES} (a year), not {minutes}",
            )
        return minutes

    def read_feeds(self, entries: list[Any]) -> list[FeedSpec]:
        base_dir = self.path.parent
        feeds = []
        for index, entry in enumerate(entries):
            where: _Path = ("feeds", index)
            if not isinstance(entry, dict):
                raise self.fail(where, "each feed is a [[feeds]] table with url = \"...\"")
            for key, value in entry.items():
                if key not in _FEED_KEYS:
                    raise self.fail((*where, key), f"unknown [[feeds]] setting '{key}' (known: name, url)")
                self.check_type((*where, key), value, _FEED_KEYS[key])
            if "url" not in entry:
                raise self.fail(where, "a [[feeds]] entry has no url")
            try:
                feeds.append(feedspec.resolve(entry["url"], entry.get("name"), base_dir))
            except FeedSpecError as error:
                raise self.fail((*where, "url"), str(error)) from error
        return feeds

    def read_string_table(self, section: str, table: dict[str, Any]) -> dict[str, str]:
        for key, value in table.items():
            self.check_type((section, key), value, str)
        return dict(table)

    def read_watch(self, table: dict[str, Any]) -> tuple[list[str], list[str]]:
        """The watched keywords and authors."""
        for key in table:
            if key not in _WATCH_KEYS:
                raise self.fail(("watch", key), f"unknown [watch] setting '{key}' (known: authors, keywords)")
        return (
            self.check_strings(("watch", "keywords"), table.get("keywords", [])),
            self.check_strings(("watch", "authors"), table.get("authors", [])),
        )

    def check_reader_names(self, config: Config) -> None:
        """The key bindings and the theme are names the reader (Textual)
        defines. They are checked here, as the file is read, so that a bad
        one stops every command before anything is created, with its line;
        Textual is imported only for a config that sets either."""
        if not config.keys and config.theme is None:
            return
        from paperread.tui.bindings import binding_problem
        from paperread.tui.themes import theme_problem

        for binding_id, keys in config.keys.items():
            if problem := binding_problem(binding_id, keys):
                raise self.fail(("keys", binding_id), f"[keys] {problem}")
        if config.theme is not None and (problem := theme_problem(config.theme)):
            raise self.fail(("theme",), problem)


def _toml_type(python_name: str) -> str:
    return {
        "list": "list",
        "int": "whole number",
        "str": "string",
        "bool": "true/false",
        "dict": "table",
    }.get(python_name, python_name)
