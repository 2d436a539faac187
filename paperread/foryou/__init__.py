"""For you: papers ranked by a model learned on this machine from the
reader's stars, tags, reads and dismissals (see ranking.py for the stages).

Importing this package loads no numpy: the names below load their modules
on first use, so the reader can import it at start and do the work in a
worker thread::

    from paperread import foryou

    store = foryou.VectorStore(data_dir / "foryou")
    vectors = store.sync(papers)  # vectorises only new or changed papers
    ranking = foryou.rank(papers, states, vectors, watchlist=watchlist)
    ranking.stage, ranking.description, ranking.order, ranking.scores
    str(ranking.why(paper_id))  # "bandit, regret; like ★ <title>"
    ranking.unsure  # the papers the model is least sure of
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ranking import LEARN_FROM, Ranking, Why, rank
    from .store import Vectors, VectorStore

_WHERE = {
    "rank": "ranking",
    "Ranking": "ranking",
    "Why": "ranking",
    "LEARN_FROM": "ranking",
    "Vectors": "store",
    "VectorStore": "store",
}

__all__ = ["LEARN_FROM", "Ranking", "VectorStore", "Vectors", "Why", "rank"]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
