"""The abstract pane: everything known about one paper, then its abstract.

Every piece of feed text goes through ``Content`` built from plain strings
with explicit styles, never through markup. Links are shown as plain text
and only when they are http(s).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from paperread.arxiv_ids import parse_arxiv_id
from paperread.links import standard_links
from paperread.model import Paper, PaperState
from paperread.text import is_safe_url
from paperread.tui.rendering import (
    WATCHED_MARK,
    format_date,
    format_tags,
    highlight,
    one_line,
    paragraphs,
    term_pattern,
)

EMPTY_TEXT = "No paper selected"
LOADING_TEXT = "Reading the abstract…"
_SEP = " · "
_LABEL = ".abstract-pane--label"
_DIM = ".abstract-pane--dim"
_HIGHLIGHT = ".abstract-pane--highlight"


class AbstractPane(VerticalScroll, can_focus=True, inherit_bindings=False):
    """Details and abstract of the highlighted paper; scrolls. It has no keys
    of its own: the list's keys move the list from here too, and the main
    screen's J/K, Ctrl+D/Ctrl+U (and PgDn/PgUp here) scroll it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "abstract-pane--label",
        "abstract-pane--dim",
        "abstract-pane--highlight",
        "abstract-pane--star",
        "abstract-pane--tags",
        "abstract-pane--watched",
        "abstract-pane--raw",
    }

    DEFAULT_CSS = """
    AbstractPane {
        padding: 0 1;
        & > Static { width: 1fr; }
        & > .pane-title { text-style: bold; color: $text-primary; margin: 1 0 1 0; }
        & > .pane-authors { margin-bottom: 1; }
        & > .pane-details { margin-bottom: 1; }
        & > .pane-links { margin-bottom: 1; }
        & > .pane-abstract-heading { text-style: bold; }
        & > .pane-empty { color: $text-muted; text-style: dim; }
        & > .abstract-pane--label { color: $text-muted; }
        & > .abstract-pane--dim { color: $text-muted; text-style: dim; }
        & > .abstract-pane--highlight { background: $warning 40%; text-style: bold; }
        & > .abstract-pane--star { color: $warning; }
        & > .abstract-pane--tags { color: $accent; }
        & > .abstract-pane--watched { color: $text-error; }
        & > .abstract-pane--raw { color: $warning; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._title = Static(classes="pane-title")
        self._authors = Static(classes="pane-authors")
        self._details = Static(classes="pane-details")
        self._links = Static(classes="pane-links")
        self._abstract_heading = Static(classes="pane-abstract-heading")
        self._abstract = Static(classes="pane-abstract")
        self._empty = Static(Content(EMPTY_TEXT), classes="pane-empty")
        self._parts = (
            self._title,
            self._authors,
            self._details,
            self._links,
            self._abstract_heading,
            self._abstract,
        )
        self._paper: Paper | None = None
        self._raw = False
        self._pattern: re.Pattern[str] | None = None
        self._feed_names: Mapping[str, str] = {}
        self._why: str | None = None
        self._show_parts(False)

    def compose(self) -> ComposeResult:
        yield self._empty
        yield from self._parts

    @property
    def paper(self) -> Paper | None:
        """The paper shown, if any."""
        return self._paper

    @property
    def raw(self) -> bool:
        """Whether the raw (unconverted) title and abstract are shown."""
        return self._raw

    def show_paper(
        self,
        paper: Paper | None,
        state: PaperState,
        feed_names: Mapping[str, str],
        raw: bool = False,
        highlight_terms: Sequence[str] = (),
        watched: bool = False,
        abstract_pending: bool = False,
        why: str | None = None,
    ) -> None:
        """Show ``paper`` (None: a dim "No paper selected"). ``feed_names``
        maps feed URLs to display names; ``highlight_terms`` (search terms,
        the watch list's matches) are marked case-insensitively in the title,
        authors, comment and abstract; ``watched`` notes the watch list's mark.
        ``abstract_pending`` says that the abstract is still being read (the
        paper is a summary without it); ``why`` is where For you ranks it
        and why."""
        changed = paper is None or self._paper is None or paper.id != self._paper.id
        self._paper = paper
        self._raw = raw
        self._feed_names = feed_names
        self._why = why
        if paper is None:
            self._show_parts(False)
        else:
            pattern = self._pattern = term_pattern(highlight_terms)
            # the same paper again (other highlights, its abstract read): the
            # parts mostly keep their heights, and then need no layout pass
            update = _update if changed else _update_in_place
            update(self._title, self._title_content(paper, raw, pattern))
            update(self._authors, self._authors_content(paper, pattern))
            update(self._details, self._details_content(paper, state, feed_names, pattern, watched, why))
            links = _links(paper)
            update(self._links, _labelled_lines(links))
            heading = Content.assemble("Abstract", ("  raw", ".abstract-pane--raw") if raw else "")
            update(self._abstract_heading, heading)
            if abstract_pending:
                update(self._abstract, Content.styled(LOADING_TEXT, _DIM))
            else:
                update(self._abstract, self._abstract_content(paper, raw, pattern))
            self._show_parts(True)
            self._links.display = bool(links)
        if changed:
            self.scroll_home(animate=False, immediate=True)

    def show_state(self, state: PaperState, watched: bool = False) -> None:
        """Show a new ``state`` of the paper shown: only the details change,
        so a star or a read mark repaints one part, not the whole pane."""
        paper = self._paper
        if paper is None:
            return
        details = self._details_content(paper, state, self._feed_names, self._pattern, watched, self._why)
        _update_in_place(self._details, details)

    # -- parts -----------------------------------------------------------------
    def _show_parts(self, shown: bool) -> None:
        self._empty.display = not shown
        for part in self._parts:
            part.display = shown

    @staticmethod
    def _title_content(paper: Paper, raw: bool, pattern: re.Pattern[str] | None) -> Content:
        title = one_line(paper.raw_title or paper.title) if raw else one_line(paper.title)
        return highlight(Content(title or paper.id), pattern, _HIGHLIGHT)

    @staticmethod
    def _authors_content(paper: Paper, pattern: re.Pattern[str] | None) -> Content:
        parts: list[Content] = []
        for author in paper.authors:
            name = highlight(Content(one_line(author)), pattern, _HIGHLIGHT)
            affiliation = one_line(paper.affiliations.get(author, ""))
            if affiliation:
                name = Content.assemble(name, (f" ({affiliation})", _DIM))
            parts.append(name)
        if not parts:
            return Content.styled("Authors not given", _DIM)
        return Content(", ").join(parts)

    @staticmethod
    def _details_content(
        paper: Paper,
        state: PaperState,
        feed_names: Mapping[str, str],
        pattern: re.Pattern[str] | None,
        watched: bool,
        why: str | None = None,
    ) -> Content:
        lines: list[Content] = [_id_line(paper)]
        dates = [
            ("announced", _announced(paper)),
            ("published", format_date(paper.published)),
            ("updated", format_date(paper.updated)),
        ]
        dated = [Content.assemble((f"{label} ", _LABEL), value) for label, value in dates if value]
        if dated:
            lines.append(Content(_SEP).join(dated))
        notes = (
            ("Comment", paper.comment),
            ("Journal ref", paper.journal_ref),
            ("DOI", paper.doi),
            ("MSC classes", ", ".join(paper.msc_classes)),
            ("ACM classes", ", ".join(paper.acm_classes)),
        )
        for label, value in notes:
            if value and one_line(value):
                text = highlight(Content(one_line(value)), pattern, _HIGHLIGHT)
                lines.append(Content.assemble((f"{label}: ", _LABEL), text))
        hugging_face = _hugging_face(paper)
        if hugging_face:
            lines.append(Content.assemble(("Hugging Face: ", _LABEL), hugging_face))
        lines.append(Content.assemble(("State: ", _LABEL), _state_content(state, watched)))
        if why:
            lines.append(Content.assemble(("For you: ", _LABEL), one_line(why)))
        if paper.feeds:
            names = ", ".join(one_line(feed_names.get(url, url)) for url in paper.feeds)
            lines.append(Content.assemble(("Feeds: ", _LABEL), names))
        return Content("\n").join(lines)

    @staticmethod
    def _abstract_content(paper: Paper, raw: bool, pattern: re.Pattern[str] | None) -> Content:
        text = (paper.raw_abstract or paper.abstract) if raw else paper.abstract
        blocks = paragraphs(text)
        if not blocks:
            return Content.styled("No abstract", _DIM)
        return Content("\n\n").join(highlight(Content(block), pattern, _HIGHLIGHT) for block in blocks)


def _update(static: Static, content: Content) -> None:
    static.update(content)


def _update_in_place(static: Static, content: Content) -> None:
    """Update ``static``, laying the screen out again only when the new
    content needs another number of lines (a layout pass repaints every
    widget; a state change usually keeps the height)."""
    size = static.content_size
    same_height = size.width > 0 and content.get_height(static.styles, size.width) == size.height
    static.update(content, layout=not same_height)


def _id_line(paper: Paper) -> Content:
    """``arXiv:ID vN · primary · other categories`` (or the plain id)."""
    arxiv = parse_arxiv_id(paper.id)
    if arxiv is not None:
        version = f"v{paper.version}" if paper.version else ""
        ident = f"arXiv:{arxiv.base}{version}"
    else:
        ident = one_line(paper.id)
    parts: list[Content | str] = [Content.styled(ident, "bold")]
    primary = paper.primary_category or (paper.categories[0] if paper.categories else None)
    if primary:
        parts.append(Content.styled(one_line(primary), "bold"))
    others = [one_line(category) for category in paper.categories if category != primary]
    if others:
        parts.append(Content.styled(", ".join(others), _DIM))
    return Content(_SEP).join(parts)


def _announced(paper: Paper) -> str:
    """The announcement day, and what it was estimated from where no feed
    stated it."""
    day = format_date(paper.announced)
    if day and paper.announced_from:
        return f"{day} (estimated from the {one_line(paper.announced_from)} date)"
    return day


def _hugging_face(paper: Paper) -> str:
    parts = []
    if paper.upvotes is not None:
        parts.append(f"▲ {paper.upvotes}")
    if paper.num_comments is not None:
        parts.append(f"{paper.num_comments} comment{'' if paper.num_comments == 1 else 's'}")
    return _SEP.join(parts)


def _state_content(state: PaperState, watched: bool) -> Content:
    parts: list[Content | str] = ["read" if state.read else "unread"]
    if state.starred:
        parts.append(Content.styled("★ starred", ".abstract-pane--star"))
    if state.dismissed:
        parts.append("× not interested")
    if watched:
        parts.append(Content.styled(f"{WATCHED_MARK} watched", ".abstract-pane--watched"))
    tags = format_tags(state.tags)
    if tags:
        parts.append(Content.styled(tags, ".abstract-pane--tags"))
    return Content(_SEP).join(parts)


def _links(paper: Paper) -> list[tuple[str, str]]:
    """(label, url) pairs, http(s) only, without duplicates."""
    candidates: list[tuple[str, str | None]] = list(standard_links(paper).items())
    candidates += [
        ("source", paper.links.get("source")),
        ("project", paper.links.get("project")),
    ]
    candidates += [("code", url) for url in paper.code_links]
    if paper.github_repo:
        candidates.append(("code", paper.github_repo))
    seen: set[str] = set()
    links: list[tuple[str, str]] = []
    for label, url in candidates:
        url = one_line(url or "")
        if url and url not in seen and is_safe_url(url):
            seen.add(url)
            links.append((label, url))
    return links


def _labelled_lines(pairs: Sequence[tuple[str, str]]) -> Content:
    width = max((len(label) for label, _ in pairs), default=0)

    def lines() -> Iterator[Content]:
        for label, value in pairs:
            yield Content.assemble((label.ljust(width) + "  ", _LABEL), value)

    return Content("\n").join(lines())
