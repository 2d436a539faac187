"""The config file (TOML): feeds, refresh interval, theme, key bindings,
saved views and watch lists.

A missing file means the defaults. A broken file is an error that names the
line: defaults are never used silently in its place. ``append_feeds`` adds
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
from paperread.store.atomic import write_atomically

DEFAULT_REFRESH_MINUTES = 60


class ConfigError(ValueError):
    """The config file cannot be used as written."""


@dataclass(slots=True)
class Config:
    feeds: list[FeedSpec]
    refresh_interval_minutes: int = DEFAULT_REFRESH_MINUTES
    theme: str | None = None
    mark_read_on_highlight: bool = False
    keys: dict[str, str] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)
    watch_keywords: list[str] = field(default_factory=list)
    watch_authors: list[str] = field(default_factory=list)
    path: Path | None = None


_TOP_LEVEL: dict[str, type | tuple[type, ...]] = {
    "feeds": list,
    "refresh_interval": int,
    "theme": str,
    "mark_read_on_highlight": bool,
    "keys": dict,
    "views": dict,
    "watch": dict,
}
_FEED_KEYS = {"url": str, "name": str}
_WATCH_KEYS = {"keywords": list, "authors": list}


def default_config() -> Config:
    return Config(feeds=[feedspec.resolve(spec) for spec in feedspec.DEFAULT_FEEDS])


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default_config()
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


class _ConfigReader:
    """Checks the parsed TOML against what paperread understands, naming the
    line of anything it cannot use."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, key: str, message: str) -> ConfigError:
        line = self._line_of(key)
        where = f"{self.path}, line {line}" if line else str(self.path)
        return ConfigError(f"{where}: {message}")

    def _line_of(self, key: str) -> int | None:
        pattern = re.compile(
            rf"""^\s*(\[\[?\s*)?["']?{re.escape(key)}["']?\s*(=|\]|\.)"""
        )
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number
        return None

    def check_type(self, key: str, value: Any, expected: type | tuple[type, ...]) -> None:
        # bool is an int in Python; a number where a flag is expected (or the
        # reverse) is a mistake worth naming.
        wrong_bool = isinstance(value, bool) != (expected is bool)
        if not isinstance(value, expected) or wrong_bool:
            names = expected.__name__ if isinstance(expected, type) else "/".join(
                t.__name__ for t in expected
            )
            raise self.fail(key, f"'{key}' must be a {_toml_type(names)}, not {value!r}")

    def read(self, data: dict[str, Any]) -> Config:
        for key, value in data.items():
            if key not in _TOP_LEVEL:
                known = ", ".join(sorted(_TOP_LEVEL))
                raise self.fail(key, f"unknown setting '{key}' (known: {known})")
            self.check_type(key, value, _TOP_LEVEL[key])
        config = default_config()
        if "feeds" in data:
            config.feeds = self.read_feeds(data["feeds"])
        if "refresh_interval" in data:
            if data["refresh_interval"] < 0:
                raise self.fail("refresh_interval", "'refresh_interval' (minutes) must be 0 or more")
            config.refresh_interval_minutes = data["refresh_interval"]
        config.theme = data.get("theme")
        config.mark_read_on_highlight = data.get("mark_read_on_highlight", False)
        config.keys = self.read_string_table("keys", data.get("keys", {}))
        config.views = self.read_string_table("views", data.get("views", {}))
        watch = data.get("watch", {})
        for key, value in watch.items():
            if key not in _WATCH_KEYS:
                raise self.fail(key, f"unknown [watch] setting '{key}' (known: authors, keywords)")
            if not all(isinstance(item, str) for item in value):
                raise self.fail(key, f"[watch] '{key}' must be a list of strings")
        config.watch_keywords = list(watch.get("keywords", []))
        config.watch_authors = list(watch.get("authors", []))
        return config

    def read_feeds(self, entries: list[Any]) -> list[FeedSpec]:
        base_dir = self.path.parent
        feeds = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise self.fail("feeds", "each feed is a [[feeds]] table with url = \"...\"")
            for key, value in entry.items():
                if key not in _FEED_KEYS:
                    raise self.fail(key, f"unknown [[feeds]] setting '{key}' (known: name, url)")
                self.check_type(key, value, _FEED_KEYS[key])
            if "url" not in entry:
                raise self.fail("feeds", "a [[feeds]] entry has no url")
            try:
                feeds.append(feedspec.resolve(entry["url"], entry.get("name"), base_dir))
            except FeedSpecError as error:
                raise self.fail("url", str(error)) from error
        return feeds

    def read_string_table(self, section: str, table: dict[str, Any]) -> dict[str, str]:
        for key, value in table.items():
            if not isinstance(value, str):
                raise self.fail(key, f"[{section}] '{key}' must be a string, not {value!r}")
        return dict(table)


def _toml_type(python_name: str) -> str:
    return {
        "list": "list",
        "int": "whole number",
        "str": "string",
        "bool": "true/false",
        "dict": "table",
    }.get(python_name, python_name)
