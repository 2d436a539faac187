"""Opening the paper's page, PDF, DOI or code link, copying its link or a
BibTeX entry. Only http and https links are opened or copied: a feed may
carry any.

A link goes to the config's ``opener`` or the platform's (``opener.py``) in
a worker thread, which waits a moment to see it fail; what happened is
said in one line. Copied text goes to the terminal (OSC 52, which no
terminal confirms) and to a clipboard tool when there is one
(``clipboard.py``); the message names which, and shows the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work

from paperread.bibtex import bibtex_entry
from paperread.clipboard import copy_with_tool
from paperread.links import abs_link, code_links, doi_link, pdf_link
from paperread.opener import open_url
from paperread.text import is_safe_url

if TYPE_CHECKING:
    from textual.app import App

    from paperread.session import Session
    from paperread.tui.widgets import PaperList

# How long a message stays that the user may want to read or select text
# from: a failure with the link in it, or text no clipboard tool took.
LONG_NOTICE_SECONDS = 15.0


class LinkActions:
    """Mixin of MainScreen: links and the clipboard."""

    app: App[object]
    session: Session
    paper_list: PaperList
    say: Callable[..., None]

    def _open(self, url: str | None, what: str, note: str = "") -> None:
        if url is None:
            self.say(f"this paper has no {what} link", "warning")
        elif not is_safe_url(url):
            self.say(f"not opening {what} link (only http and https): {url}", "error")
        else:
            self._open_with_opener(url, note)

    @work(thread=True, group="open", description="open a link")
    def _open_with_opener(self, url: str, note: str) -> None:
        config = self.session.config
        opened = open_url(url, config.opener, config.path)
        # say() only posts a message: safe from this thread
        if opened.ok:
            self.say(opened.message + note)
        else:
            self.say(opened.message, "error", timeout=LONG_NOTICE_SECONDS)

    def action_open_abs(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self._open(abs_link(paper), "page")

    def action_open_pdf(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self._open(pdf_link(paper), "PDF")

    def action_open_doi(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            self._open(doi_link(paper), "DOI")

    def action_open_code(self) -> None:
        """The first code link the abstract pane shows (else the project
        page), naming it when there are more."""
        paper = self.paper_list.highlighted
        if paper is None:
            return
        found = code_links(paper)
        links = [(label, url) for label, url in found if is_safe_url(url)]
        if not links:  # none, or only unsafe ones: say so
            label, first = found[0] if found else ("code", None)
            self._open(first, label)
            return
        label, url = links[0]
        note = f" ({label} link 1 of {len(links)}; the abstract pane lists them)" if len(links) > 1 else ""
        self._open(url, label, note)

    def _copy(self, text: str, shown: str) -> None:
        self.app.copy_to_clipboard(text)  # OSC 52, and app.clipboard
        self._copy_with_tool(text, shown)

    @work(thread=True, group="copy", description="copy with a clipboard tool")
    def _copy_with_tool(self, text: str, shown: str) -> None:
        tool = copy_with_tool(text)
        if tool is not None:
            self.say(f"copied with {tool}: {shown}")
        else:
            self.say(
                f"sent to the terminal's clipboard (OSC 52; not every terminal takes it): {shown}",
                timeout=LONG_NOTICE_SECONDS,
            )

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
            self._copy(url, url)

    def action_copy_bibtex(self) -> None:
        paper = self.paper_list.highlighted
        if paper is not None:
            entry = bibtex_entry(paper)
            lines = entry.strip().splitlines()
            more = f" … ({len(lines)} lines)" if len(lines) > 1 else ""
            self._copy(entry, f"the BibTeX entry {lines[0] if lines else ''}{more}")
