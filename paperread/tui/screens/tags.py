"""The tag editor: one paper's tags, comma separated, with completion of
the tag being typed from the tags already in the library."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static


def split_tags(text: str) -> list[str]:
    """The comma-separated parts of ``text``, trimmed, empty ones dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


class TagSuggester(Suggester):
    """Completes the last comma-separated part of the value from ``tags``,
    ignoring case and skipping tags the value already names."""

    def __init__(self, tags: Sequence[str]) -> None:
        # Case is handled here, so the suggestion keeps the typed prefix as
        # typed and the tag's own spelling after it.
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        stem = last.lstrip()
        if not stem:
            return None
        taken = {tag.casefold() for tag in split_tags(head)}
        folded = stem.casefold()
        for tag in self.tags:
            candidate = tag.casefold()
            if candidate.startswith(folded) and candidate != folded and candidate not in taken:
                return value + tag[len(stem):]
        return None


class TagsScreen(ModalScreen[list[str] | None]):
    """Dismisses with the edited tags (Enter) or None (Escape). ``title``
    names what is tagged (a paper's title, or "12 papers in Unread")."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(
        self, title: str, tags: Sequence[str], known_tags: Sequence[str], heading: str = "Tags for"
    ) -> None:
        super().__init__()
        self.heading = heading
        self.paper_title = title
        self.tags = list(tags)
        self.known_tags = list(known_tags)

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-dialog", classes="dialog"):
            yield Static(Content(self.heading), id="tags-heading")
            yield Static(Content(self.paper_title), id="tags-paper")
            yield Input(
                value=", ".join(self.tags),
                placeholder="tag, another tag",
                suggester=TagSuggester(self.known_tags),
                id="tags-input",
                select_on_focus=False,
            )
            yield Static(
                Content("Comma separated. → completes, Enter saves, Escape cancels."),
                id="tags-hint",
            )

    def on_mount(self) -> None:
        tags_input = self.query_one("#tags-input", Input)
        if tags_input.value:
            tags_input.value += ", "
        tags_input.action_end()
        tags_input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(split_tags(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
