"""Exporting the papers listed: ask for a file (and whether to replace it),
then write it in a worker thread, with the full records and their state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from paperread.export import export_papers, write_file
from paperread.model import Paper, PaperState
from paperread.store.errors import StoreError
from paperread.tui.data.labels import FORMAT_NAMES, default_export_path, plural
from paperread.tui.messages import ExportFinished, ExportView
from paperread.tui.screens import ConfirmScreen, PromptScreen

if TYPE_CHECKING:
    from textual.app import App

    from paperread.session import Session
    from paperread.tui.widgets import PaperList


class ExportActions:
    """Mixin of MainScreen: the export flow and its worker."""

    app: App[object]
    session: Session
    paper_list: PaperList
    post_message: Callable[..., bool]
    say: Callable[..., None]
    listing_text: Callable[[int], str]

    def on_export_view(self, message: ExportView) -> None:
        self.export_view(message.fmt)

    @work(group="modal", description="export the list")
    async def export_view(self, fmt: str) -> None:
        """Ask for a file, then write the papers listed to it in ``fmt``."""
        papers = list(self.paper_list.papers)
        if not papers:
            self.say("no papers in this view to export", "warning")
            return
        answer = await self.app.push_screen_wait(
            PromptScreen(
                f"Export {self.listing_text(len(papers))} as {FORMAT_NAMES[fmt]} to",
                value=default_export_path(fmt),
                hint="Enter writes the file, Escape cancels.",
            )
        )
        if answer is None or not answer.strip():
            return
        path = Path(answer.strip()).expanduser().absolute()
        if path.is_dir():
            self.say(f"{path} is a folder; give a file name", "error")
            return
        if path.exists() and not await self.app.push_screen_wait(ConfirmScreen(f"{path} exists. Replace it?")):
            return
        library = self.session.library
        self._export_worker(papers, library.states(), dict(library.feed_names), fmt, path)

    @work(thread=True, group="export", description="export papers")
    def _export_worker(
        self,
        papers: list[Paper],
        states: dict[str, PaperState],
        feed_names: dict[str, str],
        fmt: str,
        path: Path,
    ) -> None:
        try:
            papers = self.session.full_papers(papers)
            write_file(path, export_papers(papers, states, fmt, feed_names))
        except StoreError as error:
            self.post_message(ExportFinished(path, 0, str(error)))
        else:
            self.post_message(ExportFinished(path, len(papers)))

    def on_export_finished(self, message: ExportFinished) -> None:
        if message.error is not None:
            self.say(f"export failed: {message.error}", "error", timeout=15)
        else:
            self.say(f"exported {plural(message.count)} to {message.path}")
