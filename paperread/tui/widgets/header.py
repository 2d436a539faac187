"""The header: Textual's own, with a title line that changes without a
layout pass.

The sub-title carries the view's unread count, so marking a paper read
changes it. The stock title ``Static`` lays out the whole screen on every
update, a few milliseconds at each keypress; its text never wraps (one line,
full width), so its size cannot change and a repaint is enough.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class _Title(HeaderTitle):
    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        super().update(content, layout=layout)


class ReaderHeader(Header):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield _Title() if isinstance(widget, HeaderTitle) else widget
