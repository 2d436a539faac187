"""The keys that change a paper's state: read, star, tags, the bulk
versions over the papers listed (asking first above ``CONFIRM_OVER``), and
undo. Changes go through ``session.actions`` (memory at once; the app's
flush timer writes them) and show everywhere through ``state_changed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import work

from paperread.model import Paper
from paperread.tui.data.labels import plural
from paperread.tui.messages import StarAll, TagAll
from paperread.tui.rendering import format_tags
from paperread.tui.screens import ConfirmScreen, TagsScreen

if TYPE_CHECKING:
    from textual.app import App

    from paperread.library import View
    from paperread.query import Query
    from paperread.session import Session
    from paperread.tui.widgets import PaperList

CONFIRM_OVER = 20  # "mark all read" and "star all" ask first above this many papers


class StateKeys:
    """Mixin of MainScreen: read, star, tags, bulk actions, undo."""

    app: App[object]
    session: Session
    paper_list: PaperList
    current_view: View
    search_query: Query | None
    say: Callable[..., None]
    state_changed: Callable[[Iterable[str]], None]

    def _writable(self, doing: str) -> bool:
        """Whether the library takes changes; if not, say so."""
        if self.session.readonly:
            self.say(f"read-only: cannot {doing}; the library is open elsewhere or not writable", "warning")
            return False
        return True

    def _target(self, doing: str) -> Paper | None:
        """The highlighted paper, or None (with a notice) when there is none
        or the library is read-only."""
        if not self._writable(doing):
            return None
        paper = self.paper_list.highlighted
        if paper is None:
            self.say("no paper here", "warning")
        return paper

    def _listed(self, doing: str) -> list[Paper] | None:
        """The papers listed (the view with the search applied), or None
        (with a notice) when there are none or the library is read-only."""
        if not self._writable(doing):
            return None
        papers = list(self.paper_list.papers)
        if not papers:
            self.say("no papers in this view", "warning")
            return None
        return papers

    def listing_text(self, count: int) -> str:
        """What a bulk action covers, e.g. "12 papers in Unread matching graph"."""
        text = f"{plural(count)} in {self.current_view.label}"
        if self.search_query is not None:
            text += f" matching {self.search_query.text}"
        return text

    async def _confirmed(self, count: int, question: str) -> bool:
        """Whether to go on with a bulk change of ``count`` papers: asks
        ``question`` above ``CONFIRM_OVER``."""
        return count <= CONFIRM_OVER or bool(await self.app.push_screen_wait(ConfirmScreen(question)))

    def action_toggle_read(self) -> None:
        paper = self._target("change read state")
        if paper is not None:
            self.session.actions.toggle_read(paper.id)
            self.state_changed([paper.id])

    def action_toggle_star(self) -> None:
        paper = self._target("star")
        if paper is not None:
            self.session.actions.toggle_star(paper.id)
            self.state_changed([paper.id])

    def action_triage(self) -> None:
        paper = self._target("mark read")
        if paper is None:
            return
        if self.session.actions.set_read([paper.id], True):
            self.state_changed([paper.id])
        self.paper_list.move_to_unread(1)

    @work(group="modal", description="edit tags")
    async def action_edit_tags(self) -> None:
        paper = self._target("edit tags")
        if paper is None:
            return
        library = self.session.library
        tags = await self.app.push_screen_wait(TagsScreen(paper.title, library.state(paper.id).tags, library.tags()))
        if tags is not None and self.session.actions.set_tags(paper.id, tags):
            self.state_changed([paper.id])

    @work(group="modal", description="mark all read")
    async def action_mark_all_read(self) -> None:
        if self._target("mark read") is None:
            return
        library = self.session.library
        ids = [paper.id for paper in self.paper_list.papers if not library.state(paper.id).read]
        if not ids:
            self.say("nothing unread here")
            return
        if not await self._confirmed(len(ids), f"Mark {len(ids)} papers in {self.current_view.label} read?"):
            return
        changed = self.session.actions.set_read(ids, True)
        self.state_changed(ids)
        self.say(f"marked {plural(changed)} read (u undoes)")

    @work(group="modal", description="star all")
    async def action_star_all(self) -> None:
        papers = self._listed("star")
        if papers is None:
            return
        library = self.session.library
        ids = [paper.id for paper in papers if not library.state(paper.id).starred]
        if not ids:
            self.say("every paper here is starred already")
            return
        if not await self._confirmed(len(ids), f"Star {self.listing_text(len(ids))}?"):
            return
        changed = self.session.actions.set_starred(ids, True)
        self.state_changed(ids)
        self.say(f"starred {plural(changed)} (u undoes)")

    @work(group="modal", description="tag all")
    async def action_tag_all(self) -> None:
        papers = self._listed("tag")
        if papers is None:
            return
        ids = [paper.id for paper in papers]
        screen = TagsScreen(self.listing_text(len(ids)), [], self.session.library.tags(), heading="Add tags to")
        tags = await self.app.push_screen_wait(screen)
        if not tags:
            return
        changed = self.session.actions.add_tags(ids, tags)
        self.state_changed(ids)
        self.say(f"tagged {plural(changed)} {format_tags(tags)} (u undoes)")

    def on_star_all(self, message: StarAll) -> None:
        self.action_star_all()

    def on_tag_all(self, message: TagAll) -> None:
        self.action_tag_all()

    def action_undo(self) -> None:
        if self.session.readonly:
            self.say("read-only: nothing to undo", "warning")
            return
        step = self.session.actions.undo()
        if step is None:
            self.say("nothing to undo")
            return
        self.say(f"undone: {step.description} ({plural(len(step.before))})")
        self.state_changed(step.before)
