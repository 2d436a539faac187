"""The help screen: every key and what it does, as currently bound."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class HelpRow:
    """One line of help: where the key works, the keys, what they do."""

    group: str
    keys: str
    description: str


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, rows: Sequence[HelpRow]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Content("Keys"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(self.render_rows(), id="help-keys")
            yield Static(Content("Escape, q or ? closes this help."), id="help-footer")

    def render_rows(self) -> Content:
        width = max((cell_len(row.keys) for row in self.rows), default=0) + 2
        lines: list[Content] = []
        group = None
        for row in self.rows:
            if row.group != group:
                if group is not None:
                    lines.append(Content(""))
                group = row.group
                lines.append(Content.styled(group, "bold $accent"))
            keys = Content.styled(row.keys, "bold $text-primary")
            padding = Content(" " * (width - cell_len(row.keys)))
            lines.append(Content("  ") + keys + padding + Content(row.description))
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
