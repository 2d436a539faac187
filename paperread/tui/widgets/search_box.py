"""The search box: Textual's ``Input``, without a layout pass per character.

``Input`` sets its virtual size (its text's width, for scrolling) as its
value changes, which lays the screen out; set here first without one, the
same assignment in ``Input`` then changes nothing.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Input

from paperread.tui.widgets.scrolling import set_virtual_size


class SearchBox(Input):
    def _watch_value(self, value: str) -> None:
        set_virtual_size(self, Size(self.content_width, 1))
        super()._watch_value(value)
