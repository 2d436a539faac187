"""Setting a scrolling widget's virtual size without a layout pass.

Assigning ``virtual_size`` (a reactive with ``layout=True``) lays the whole
screen out and repaints every line of it: 10-14 ms at 160x48 on this
machine, at each search keystroke (the search box's text grew, the list's
row count changed). Neither widget's box depends on that size, so new
scrollbar bounds and a repaint of the widget are enough; a scrollbar that
appears or goes still lays the screen out (Textual's ``_scroll_update``).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget

from paperread.tui.textual_private import scroll_update


def set_virtual_size(widget: Widget, size: Size) -> None:
    if size != widget.virtual_size:
        widget.set_reactive(Widget.virtual_size, size)
        scroll_update(widget, size)
        widget.refresh()
