"""Plain-text helpers shared by the reader's widgets.

Feed text is never markup: everything here takes and returns plain strings
(or builds ``Content`` from plain strings with explicit spans), so a title such
as ``[bold]Array[int][/bold]`` is shown as exactly those characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.style import Style

from paperread.names import surname
from paperread.text import normalize_paragraphs, normalize_whitespace, strip_controls

ELLIPSIS = "…"
WATCHED_MARK = "◆"  # a paper the watch list matches, in the list and the abstract pane

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

# announce type -> (badge text, component class suffix)
_BADGES = {
    "new": ("new", "new"),
    "cross": ("cross", "cross"),
    "replace": ("repl", "replace"),
    "replace-cross": ("repl-x", "replace"),
}
BADGE_WIDTH = max(len(text) for text, _ in _BADGES.values())


def one_line(text: str) -> str:
    """Text safe for a single terminal row: no control characters, no line
    breaks, runs of whitespace collapsed."""
    return normalize_whitespace(strip_controls(text))


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in an ellipsis when cut.

    Measured in terminal cells, so wide (CJK) characters count twice."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``fit`` then pad with spaces to exactly ``width`` cells."""
    text = fit(text, width)
    filler = " " * (width - cell_len(text))
    return filler + text if right else text + filler


def format_day(day: str | None) -> str:
    """``2026-04-28`` (or a full ISO timestamp) as ``Apr 28``; '' if unparsable."""
    match = _DAY_RE.match(day or "")
    if not match:
        return ""
    month = int(match.group(2))
    if not 1 <= month <= 12:
        return ""
    return f"{_MONTHS[month - 1]} {match.group(3)}"


def format_day_header(day: str | None, count: int) -> str:
    """The heading of one day in the list: ``Mon 27 Apr 2026 · 123 papers``.

    Names are fixed English, not the locale's, like the rest of the reader;
    a day that is not a date is "Undated"."""
    papers = f"{count} paper{'' if count == 1 else 's'}"
    match = _DAY_RE.match(day or "")
    try:
        when = date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None
    except ValueError:
        when = None
    if when is None:
        return f"Undated · {papers}"
    return f"{_WEEKDAYS[when.weekday()]} {when.day:02d} {_MONTHS[when.month - 1]} {when.year} · {papers}"


def format_date(moment: str | None) -> str:
    """The ``YYYY-MM-DD`` part of an ISO date or timestamp; '' if there is none."""
    match = _DAY_RE.match(moment or "")
    return match.group(0) if match else ""


def short_authors(authors: Sequence[str], width: int) -> str:
    """The authors by surname in ``width`` cells: "Nirmal", "Nirmal, Smith",
    "Nirmal et al." (the list sorts by the first author's surname too).

    The name is shortened before the "et al." so the hint that there are more
    authors survives truncation."""
    names = [one_line(surname(author)) or one_line(author) for author in authors[:3]]
    if not names:
        return ""
    if len(names) == 1:
        return fit(names[0], width)
    if len(names) == 2 and cell_len(pair := f"{names[0]}, {names[1]}") <= width:
        return pair
    suffix = " et al."
    if width <= len(suffix) + 1:
        return fit(f"{names[0]}{suffix}", width)
    return fit(names[0], width - len(suffix)) + suffix


def upvotes_badge(upvotes: int | None) -> str:
    """Hugging Face upvotes in at most ``BADGE_WIDTH`` cells: "▲12", "▲2315", "▲12k"."""
    if upvotes is None:
        return ""
    if upvotes < 10_000:
        return f"▲{upvotes}"
    return f"▲{upvotes // 1000}k"


def badge(announce_type: str | None) -> tuple[str, str]:
    """The list badge for an announce type: (text, component class suffix).

    Unknown or missing types give ('', '')."""
    return _BADGES.get(announce_type or "", ("", ""))


def format_tags(tags: Iterable[str]) -> str:
    return " ".join(f"#{one_line(tag)}" for tag in tags if one_line(tag))


def count_label(unread: int, total: int) -> str:
    return f"{unread}/{total}"


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an abstract (clean or raw), whitespace normalised,
    by the feed conventions ``normalize_paragraphs`` knows."""
    return [part for part in normalize_paragraphs(strip_controls(text)).split("\n\n") if part]


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``terms`` literally (longest
    first, so "neural network" wins over "neural"); None when no term is usable."""
    cleaned = {one_line(term) for term in terms}
    cleaned.discard("")
    if not cleaned:
        return None
    alternatives = sorted(cleaned, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in alternatives), re.IGNORECASE)


def highlight(content: Content, pattern: re.Pattern[str] | None, style: Style | str) -> Content:
    """``content`` with every match of ``pattern`` styled (no-op without one)."""
    if pattern is None:
        return content
    return content.highlight_regex(pattern, style=style)
