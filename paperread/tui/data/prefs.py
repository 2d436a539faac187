"""Small reader preferences remembered between runs (``<data_dir>/ui.json``):
the theme last chosen from the palette (see ``themes``), the sort order, and
the searches saved from the reader (``views``: name -> query).

Nothing here is precious: an unreadable file means no preferences, and the
file is replaced atomically so a crash never leaves half of it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from paperread.store.atomic import write_atomically

UI_FILE = "ui.json"
# Saves come from worker threads too; each one reads, merges and writes.
_SAVE_LOCK = threading.Lock()


def load_ui_state(data_dir: Path) -> dict[str, Any]:
    """The stored preferences; {} when the file is missing or unusable."""
    try:
        data = json.loads((data_dir / UI_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_ui_state(data_dir: Path, **changes: Any) -> None:
    """Merge ``changes`` into the stored preferences; a None value removes
    its key. Raises StorageError when the file cannot be written."""
    with _SAVE_LOCK:
        data = load_ui_state(data_dir)
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        payload = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"
        write_atomically(data_dir / UI_FILE, payload, backup=False)
