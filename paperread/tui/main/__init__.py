"""The reader's main screen (see ``screen.py``)."""

from paperread.tui.main.screen import NARROW_WIDTH, VERY_NARROW_WIDTH, MainScreen

__all__ = ["NARROW_WIDTH", "VERY_NARROW_WIDTH", "MainScreen"]
