"""A fixed library for the reader's tests: papers with fixed dates, saved
through the real store, opened as a real Session."""

from __future__ import annotations

from pathlib import Path

from paperread.model import Paper, PaperState
from paperread.session import Session, open_session
from paperread.store import open_library_store

LG = "https://rss.arxiv.org/rss/cs.LG"
HF = "https://huggingface.co/api/daily_papers"
HOSTILE_TITLE = "[bold]Array[int][/bold] [@click=app.quit]x[/]"


def paper(paper_id: str, title: str, day: str, **fields: object) -> Paper:
    values: dict[str, object] = {
        "authors": ["Ada Lovelace", "Alan Turing"],
        "abstract": f"The abstract of {title}.",
        "raw_abstract": f"The abstract of {title}.",
        "version": 1,
        "categories": ["cs.LG"],
        "primary_category": "cs.LG",
        "announce_type": "new",
        "announced": day,
        "published": f"{day}T00:00:00Z",
        "first_seen": f"{day}T04:00:00Z",
        "feeds": [LG],
        "links": {"abs": f"https://arxiv.org/abs/{paper_id}", "pdf": f"https://arxiv.org/pdf/{paper_id}v1"},
    }
    values.update(fields)
    return Paper(id=paper_id, title=title, raw_title=title, **values)  # type: ignore[arg-type]


def sample_papers() -> list[Paper]:
    """Eight papers over three days, newest first when sorted."""
    return [
        paper(
            "2604.20001", "Sparse Graph Transformers in O(n log n) Time", "2026-04-28",
            authors=["Ada Lovelace", "Alan Turing", "Grace Hopper"],
            abstract="We propose a graph transformer whose attention costs 𝒪(n²) only in the worst case. "
            "It improves accuracy by 5% over Cramér-style baselines.",
            raw_abstract=r"We propose a graph transformer whose attention costs $\mathcal{O}(n^2)$ only in "
            r"the worst case. It improves accuracy by 5% over Cram\'er-style baselines.",
            categories=["cs.LG", "cs.AI"], comment="12 pages, 3 figures",
        ),
        paper(
            "2604.20002", "Calibrated Uncertainty for Protein Language Models", "2026-04-28",
            authors=["Rosalind Franklin", "Barbara McClintock"], announce_type="replace", version=2,
            categories=["cs.LG", "q-bio.BM"], doi="10.1000/example.2026.1",
            journal_ref="Journal of Examples 12 (2026) 1-10",
        ),
        paper(
            "2604.20003", "A Survey of Retrieval-Augmented Generation", "2026-04-28",
            authors=["Claude Shannon"], announce_type="cross", categories=["cs.CL", "cs.LG"],
            feeds=[LG, HF], upvotes=42, num_comments=3,
        ),
        paper("2604.10004", "Diffusion Models for Weather Forecasting", "2026-04-27",
              authors=["Edward Lorenz", "John von Neumann"]),
        paper("2604.10005", "Graph Neural Networks Meet Physics", "2026-04-27",
              authors=["Emmy Noether"], categories=["cs.LG", "physics.comp-ph"]),
        paper("2604.10006", "Scaling Laws for Sparse Mixtures of Experts", "2026-04-27",
              authors=["Kurt Gödel", "Alonzo Church", "Haskell Curry"], feeds=[HF], upvotes=7),
        paper("2604.00007", "Tokenizer-Free Language Modelling", "2026-04-26",
              authors=["Noam Chomsky"], categories=["cs.CL"]),
        paper("2604.00008", "Benchmarks That Do Not Leak", "2026-04-26",
              authors=["Barbara Liskov", "Frances Allen"]),
    ]


def sample_states() -> dict[str, PaperState]:
    return {
        "2604.10005": PaperState(starred=True, tags=["gnn", "to-read"]),
        "2604.00008": PaperState(read=True, tags=["benchmarks"]),
    }


def write_config(path: Path, feeds: list[tuple[str, str]], extra: str = "") -> Path:
    lines = [extra.strip(), ""] if extra.strip() else []
    for url, name in feeds:
        lines += ["[[feeds]]", f'url = "{url}"', f'name = "{name}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def build_session(
    data_dir: Path,
    config_dir: Path,
    papers: list[Paper] | None = None,
    states: dict[str, PaperState] | None = None,
    feeds: list[tuple[str, str]] | None = None,
    extra_config: str = "refresh_interval = 0",
    offline: bool = False,
    readonly: bool = False,
    fast: bool = False,
) -> Session:
    """Store ``papers`` and ``states`` in ``data_dir`` and open a session on
    them with a config naming ``feeds`` (default: the two sample feeds);
    ``fast`` opens it as the reader does (papers without their abstracts)."""
    store = open_library_store(data_dir)
    store.cache.save(sample_papers() if papers is None else papers)
    store.state.set_many(sample_states() if states is None else states)
    store.close()
    config = write_config(config_dir / "config.toml", feeds or [(LG, "cs.LG"), (HF, "HF daily")], extra_config)
    return open_session(data_dir, config, offline=offline, readonly=readonly, fast=fast)


def stored_states(data_dir: Path) -> dict[str, PaperState]:
    """The user state as a fresh, read-only store reads it from disk."""
    store = open_library_store(data_dir, readonly=True)
    try:
        return store.state.all()
    finally:
        store.close()
