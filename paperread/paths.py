"""Where paperread keeps its files: data under the platform data directory
(``$XDG_DATA_HOME/paperread`` on Linux), config under the config directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("paperread", appauthor=False))


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir("paperread", appauthor=False)) / "config.toml"
