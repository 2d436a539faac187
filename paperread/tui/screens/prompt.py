"""A one-line question: a name for a saved search, a file to export to."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the text entered (Enter) or None (Escape). The title,
    detail and hint are plain text (they may quote queries or paths)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        detail: str = "",
        hint: str = "Enter accepts, Escape cancels.",
    ) -> None:
        super().__init__()
        self.prompt_title = title
        self.value = value
        self.placeholder = placeholder
        self.detail = detail
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog", classes="dialog"):
            yield Static(Content(self.prompt_title), id="prompt-title")
            if self.detail:
                yield Static(Content(self.detail), id="prompt-detail")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input", select_on_focus=False)
            yield Static(Content(self.hint), id="prompt-hint")

    def on_mount(self) -> None:
        prompt_input = self.query_one("#prompt-input", Input)
        prompt_input.action_end()
        prompt_input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
