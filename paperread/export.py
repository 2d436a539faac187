"""Papers out into the world: BibTeX, Markdown, CSV and JSON.

Used by ``paperread export`` and by the reader's export of the current view.
Every format takes the papers in the order given.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from paperread.bibtex import bibtex_entries
from paperread.library import paper_day
from paperread.links import abs_link, paper_doi
from paperread.model import Paper, PaperState
from paperread.store.atomic import write_atomically
from paperread.text import is_safe_url

FORMATS = ("bibtex", "markdown", "csv", "json")
CSV_COLUMNS = (
    "id", "title", "authors", "published", "categories", "url", "doi", "tags", "starred", "read",
)  # fmt: skip
LIST_SEPARATOR = "; "

# Backslash-escaped in Markdown text: everything that could start emphasis,
# code, a link, an HTML tag, an entity, a table cell, strikethrough or math;
# and at the start of a line what could start a list, heading or rule.
_MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>&|~$])")
_MARKDOWN_LINE_START_RE = re.compile(r"^(?:([-+=#])|([0-9]+)([.)]))")
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def paper_record(paper: Paper, state: PaperState) -> dict[str, object]:
    """The JSON object for one paper: every stored field plus the state
    (the objects of ``paperread list --json``)."""
    record = paper.to_dict()
    record.update(read=state.read, starred=state.starred, tags=list(state.tags), dismissed=state.dismissed)
    return record


def _state(states: Mapping[str, PaperState], paper: Paper) -> PaperState:
    return states.get(paper.id) or PaperState()


def to_json(papers: Sequence[Paper], states: Mapping[str, PaperState]) -> str:
    records = [paper_record(paper, _state(states, paper)) for paper in papers]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _csv_cell(text: str) -> str:
    """Feed text as a cell no spreadsheet evaluates: a leading formula
    character gets an apostrophe in front, which spreadsheets hide."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(papers: Sequence[Paper], states: Mapping[str, PaperState]) -> str:
    """A header row, then one row per paper; lists are joined with "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for paper in papers:
        state = _state(states, paper)
        row = [
            paper.id,
            paper.title,
            LIST_SEPARATOR.join(paper.authors),
            paper.published or "",
            LIST_SEPARATOR.join(paper.categories),
            abs_link(paper) or "",
            paper_doi(paper) or "",
            LIST_SEPARATOR.join(state.tags),
            "true" if state.starred else "false",
            "true" if state.read else "false",
        ]
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def markdown_text(text: str) -> str:
    """``text`` on one line with Markdown's special characters escaped."""
    return _MARKDOWN_SPECIAL_RE.sub(r"\\\1", " ".join(text.split()))


def _line_start(text: str) -> str:
    """``text`` escaped so that, at the start of a line, it stays plain text."""
    match = _MARKDOWN_LINE_START_RE.match(text)
    if match is None:
        return text
    if match.group(1):
        return "\\" + text
    return f"{match.group(2)}\\{text[match.end(2):]}"


def _markdown_code(text: str) -> str:
    """An inline code span that holds ``text`` whatever backticks it has."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(
    papers: Sequence[Paper],
    states: Mapping[str, PaperState],
    feed_names: Mapping[str, str] | None = None,
) -> str:
    """A list: the title linked to the paper's page, then a line with the
    authors, id, day, tags and the feeds that carried it."""
    names = feed_names or {}
    lines: list[str] = []
    for paper in papers:
        title = markdown_text(paper.title) or markdown_text(paper.id)
        url = abs_link(paper)
        if url and is_safe_url(url) and "<" not in url and ">" not in url:
            lines.append(f"- [{title}](<{url}>)")
        else:
            lines.append(f"- {_line_start(title)}")
        details = [markdown_text(", ".join(paper.authors))] if paper.authors else []
        details.append(_markdown_code(paper.id))
        day = paper_day(paper)
        if day:
            details.append(markdown_text(day))
        tags = _state(states, paper).tags
        if tags:
            details.append("tags: " + ", ".join(markdown_text(tag) for tag in tags))
        feeds = [names.get(feed_url, feed_url) for feed_url in paper.feeds]
        if feeds:
            details.append("from: " + ", ".join(markdown_text(feed) for feed in feeds))
        lines.append("  " + _line_start(" · ".join(details)))
    return "".join(line + "\n" for line in lines)


_WRITERS: dict[str, Callable[..., str]] = {
    "bibtex": lambda papers, states, names: bibtex_entries(papers),
    "markdown": to_markdown,
    "csv": lambda papers, states, names: to_csv(papers, states),
    "json": lambda papers, states, names: to_json(papers, states),
}


def export_papers(
    papers: Sequence[Paper],
    states: Mapping[str, PaperState],
    fmt: str,
    feed_names: Mapping[str, str] | None = None,
) -> str:
    """``papers`` as the text of a file in format ``fmt`` (one of
    :data:`FORMATS`); ``states`` maps ids to the user's state (missing means
    untouched) and ``feed_names`` feed URLs to display names."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    return writer(papers, states, feed_names or {})


def write_file(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) through a temporary file and a
    rename, so that the file is whole or untouched; raises StorageError."""
    write_atomically(path, text.encode("utf-8"), backup=False)
