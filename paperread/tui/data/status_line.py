"""The line under the title: the view, its counts, the search, the order,
and what is still loading."""

from __future__ import annotations

from dataclasses import dataclass

from paperread.library import Count
from paperread.tui.data.labels import SORT_LABELS


@dataclass(frozen=True, slots=True)
class StatusLine:
    view_label: str
    count: Count
    query: str  # the search box's text, stripped ("" without a search)
    listed: int  # papers listed
    sort_order: str
    loading: str = ""  # e.g. "loading abstracts 40%"
    readonly: bool = False

    def text(self) -> str:
        parts = [self.view_label, f"{self.count.unread} unread / {self.count.total}"]
        if self.query:
            found = f"{self.listed}, in the abstracts loaded so far" if self.loading else str(self.listed)
            parts.append(f"search: {self.query} ({found})")
        parts.append(SORT_LABELS[self.sort_order])
        if self.loading:
            parts.append(self.loading)
        if self.readonly:
            parts.append("read-only")
        return " · ".join(parts)
