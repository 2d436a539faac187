"""Opening the paper's page or PDF, copying its link or a BibTeX entry.
Only http and https links are opened or copied: a feed may carry any."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from paperread.bibtex import bibtex_entry
from paperread.links import abs_link, pdf_link
from paperread.text import is_safe_url

if TYPE_CHECKING:
    from textual.app import App

    from paperread.tui.widgets import PaperList


class LinkActions:
    """Mixin of MainScreen: links and the clipboard."""

    app: App[object]
    paper_list: PaperList
    say: Callable[..., None]

    def _open(self, url: str | None, what: str) -> None:
        if url is None:
            self.say(f"this paper has no {what} link", "warning")
        elif not is_safe_url(url):
            self.say(f"not opening {what} link (only http and https): {url}", "error")
        else:
            self.app.open_url(url)

    def action_open_abs(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self._open(abs_link(paper), "page")

    def action_open_pdf(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self._open(pdf_link(paper), "PDF")

    def action_copy_url(self) -> None:
        paper = self.paper_list.highlighted
        if paper is None:
            return
        url = abs_link(paper)
        if url is None:
            self.say("this paper has no page link", "warning")
        elif not is_safe_url(url):
            self.say(f"not copying the page link (only http and https): {url}", "error")
        else:
            self.app.copy_to_clipboard(url)
            self.say(f"copied {url}")

    def action_copy_bibtex(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self.app.copy_to_clipboard(bibtex_entry(paper))
            self.say("copied the BibTeX entry")
