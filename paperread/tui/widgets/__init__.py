"""The reader's widgets, one a module."""

from paperread.tui.widgets.abstract_pane import AbstractPane
from paperread.tui.widgets.header import ReaderHeader
from paperread.tui.widgets.paper_list import PaperList
from paperread.tui.widgets.search_box import SearchBox
from paperread.tui.widgets.sidebar import Sidebar

__all__ = ["AbstractPane", "PaperList", "ReaderHeader", "SearchBox", "Sidebar"]
