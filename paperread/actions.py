"""Changes to user state (read, starred, tags, not interested) as undoable steps.

Every change goes to the in-memory library at once and to the state store,
which writes it behind (the caller decides when to flush). Each call is one
undo step, however many papers it touched, so "mark all read" undoes in one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from paperread.library import Library
from paperread.model import PaperState, utc_now

UNDO_DEPTH = 100


class StateSink(Protocol):
    def set_many(self, states: dict[str, PaperState]) -> None: ...


@dataclass(slots=True)
class UndoStep:
    description: str
    before: dict[str, PaperState] = field(default_factory=dict)


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively, first spelling wins) tags."""
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = " ".join(tag.split()).strip(",")
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return list(seen.values())


class StateActions:
    def __init__(self, library: Library, sink: StateSink) -> None:
        self.library = library
        self.sink = sink
        self.undo_stack: list[UndoStep] = []

    def _apply(
        self, ids: Iterable[str], change: Callable[[PaperState], PaperState], description: str
    ) -> int:
        before: dict[str, PaperState] = {}
        after: dict[str, PaperState] = {}
        for paper_id in dict.fromkeys(ids):
            old = self.library.state(paper_id)
            new = change(old.copy())
            if new != old:
                before[paper_id] = old
                after[paper_id] = new
        if not after:
            return 0
        for paper_id, state in after.items():
            self.library.set_state(paper_id, state)
        self.sink.set_many(after)
        self.undo_stack.append(UndoStep(description, before))
        del self.undo_stack[:-UNDO_DEPTH]
        return len(after)

    def _set_flag(self, ids: Iterable[str], flag: str, value: bool, description: str) -> int:
        """Set ``flag`` (``read``, ``starred`` or ``dismissed``) of papers to
        ``value``, with the time in its own field (``read_at``, ...)."""
        stamp = f"{flag}_at"

        def change(state: PaperState) -> PaperState:
            if getattr(state, flag) != value:
                setattr(state, flag, value)
                setattr(state, stamp, utc_now())
            return state

        return self._apply(ids, change, description)

    def _toggle(self, paper_id: str, flag: str, set_flag: Callable[[Iterable[str], bool], int]) -> bool:
        value = not getattr(self.library.state(paper_id), flag)
        set_flag([paper_id], value)
        return value

    def set_read(self, ids: Iterable[str], read: bool) -> int:
        return self._set_flag(ids, "read", read, "mark read" if read else "mark unread")

    def toggle_read(self, paper_id: str) -> bool:
        """Flip one paper's read flag; returns the new value."""
        return self._toggle(paper_id, "read", self.set_read)

    def set_starred(self, ids: Iterable[str], starred: bool) -> int:
        return self._set_flag(ids, "starred", starred, "star" if starred else "unstar")

    def toggle_star(self, paper_id: str) -> bool:
        return self._toggle(paper_id, "starred", self.set_starred)

    def set_dismissed(self, ids: Iterable[str], dismissed: bool) -> int:
        """Mark papers "not interested" (or take the mark back)."""
        description = "not interested" if dismissed else "interested again"
        return self._set_flag(ids, "dismissed", dismissed, description)

    def toggle_dismissed(self, paper_id: str) -> bool:
        return self._toggle(paper_id, "dismissed", self.set_dismissed)

    def set_tags(self, paper_id: str, tags: Iterable[str]) -> int:
        wanted = normalise_tags(tags)

        def change(state: PaperState) -> PaperState:
            if state.tags != wanted:
                state.tags, state.tags_at = wanted, utc_now()
            return state

        return self._apply([paper_id], change, "edit tags")

    def add_tags(self, ids: Iterable[str], tags: Iterable[str]) -> int:
        extra = normalise_tags(tags)

        def change(state: PaperState) -> PaperState:
            merged = normalise_tags([*state.tags, *extra])
            if merged != state.tags:
                state.tags, state.tags_at = merged, utc_now()
            return state

        return self._apply(ids, change, "tag")

    def remove_tags(self, ids: Iterable[str], tags: Iterable[str]) -> int:
        unwanted = {tag.casefold() for tag in normalise_tags(tags)}

        def change(state: PaperState) -> PaperState:
            kept = [tag for tag in state.tags if tag.casefold() not in unwanted]
            if kept != state.tags:
                state.tags, state.tags_at = kept, utc_now()
            return state

        return self._apply(ids, change, "untag")

    def undo(self) -> UndoStep | None:
        """Put back the states from before the last step; None when there is
        nothing to undo."""
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        for paper_id, state in step.before.items():
            self.library.set_state(paper_id, state)
        self.sink.set_many(step.before)
        return step
