from paperread.actions import StateActions, normalise_tags
from paperread.library import ALL, STARRED, UNREAD, Library, View
from paperread.model import PaperState
from tests.factories import make_paper

LG = "https://rss.arxiv.org/rss/cs.LG"
CL = "https://rss.arxiv.org/rss/cs.CL"


class RecordingSink:
    def __init__(self) -> None:
        self.writes: list[dict[str, PaperState]] = []

    def set_many(self, states: dict[str, PaperState]) -> None:
        self.writes.append({key: value.copy() for key, value in states.items()})


def library() -> Library:
    papers = {
        "2504.00001": make_paper("2504.00001", announced="2026-04-27", feeds=[LG], upvotes=5, title="Beta"),
        "2504.00002": make_paper("2504.00002", announced="2026-04-28", feeds=[LG, CL], title="alpha"),
        "2504.00003": make_paper("2504.00003", announced="2026-04-26", feeds=[CL], upvotes=9, title="Gamma",
                                 authors=["Zed Zulu"]),
    }
    states = {"2504.00001": PaperState(read=True, tags=["gnn"]), "2504.00003": PaperState()}
    return Library(papers, states, {LG: "cs.LG", CL: "cs.CL"})


def test_counts_per_view() -> None:
    lib = library()
    assert (lib.count(ALL).unread, lib.count(ALL).total) == (2, 3)
    assert lib.count(UNREAD).total == 2
    assert lib.count(STARRED).total == 0
    assert (lib.count(View("feed", "cs.LG", LG)).unread, lib.count(View("feed", "cs.LG", LG)).total) == (1, 2)
    assert lib.count(View("tag", "gnn", "gnn")).total == 1
    assert [view.key for view in lib.views({"mine": "tag:gnn"})] == [
        "unread", "starred", "all", "saved:tag:gnn", "tag:gnn", f"feed:{LG}", f"feed:{CL}",
    ]


def test_orders() -> None:
    lib = library()
    ids = lambda order: [paper.id for paper in lib.select(order=order)]  # noqa: E731
    assert ids("newest") == ["2504.00002", "2504.00001", "2504.00003"]
    assert ids("oldest") == ["2504.00003", "2504.00001", "2504.00002"]
    assert ids("title") == ["2504.00002", "2504.00001", "2504.00003"]
    assert ids("upvotes") == ["2504.00003", "2504.00001", "2504.00002"]
    assert ids("author") == ["2504.00001", "2504.00002", "2504.00003"]


def test_views_filter() -> None:
    lib = library()
    assert [p.id for p in lib.select(UNREAD)] == ["2504.00002", "2504.00003"]
    assert [p.id for p in lib.select(View("feed", "cs.CL", CL))] == ["2504.00002", "2504.00003"]
    assert [p.id for p in lib.select(ALL, predicate=lambda p: p.upvotes)] == ["2504.00001", "2504.00003"]


def test_actions_update_counts_incrementally_and_undo_in_one_step() -> None:
    lib, sink = library(), RecordingSink()
    actions = StateActions(lib, sink)
    assert actions.toggle_star("2504.00002") is True
    assert lib.count(STARRED).total == 1
    assert actions.set_read(["2504.00002", "2504.00003", "2504.00001"], True) == 2
    assert lib.count(UNREAD).total == 0 and lib.count(View("feed", "cs.CL", CL)).unread == 0
    assert sink.writes[-1].keys() == {"2504.00002", "2504.00003"}
    step = actions.undo()
    assert step is not None and step.description == "mark read"
    assert lib.count(UNREAD).total == 2 and lib.state("2504.00002").starred
    actions.undo()
    assert lib.count(STARRED).total == 0
    assert actions.undo() is None


def test_tags() -> None:
    lib, sink = library(), RecordingSink()
    actions = StateActions(lib, sink)
    actions.set_tags("2504.00002", ["to read", " GNN ", "gnn", ""])
    assert lib.state("2504.00002").tags == ["to read", "GNN"]
    assert lib.tags() == ["gnn", "GNN", "to read"]
    actions.remove_tags(["2504.00002", "2504.00001"], ["gnn"])
    assert lib.state("2504.00001").tags == [] and lib.state("2504.00002").tags == ["to read"]
    assert lib.tags() == ["to read"]
    assert lib.state("2504.00001").tags_at is not None


def test_no_op_changes_are_not_undo_steps() -> None:
    lib, sink = library(), RecordingSink()
    actions = StateActions(lib, sink)
    assert actions.set_read(["2504.00001"], True) == 0
    assert actions.undo_stack == [] and sink.writes == []


def test_add_papers_replaces_and_counts() -> None:
    lib = library()
    lib.add_papers([make_paper("2504.00009", feeds=[CL]), make_paper("2504.00002", feeds=[CL])])
    assert lib.count(ALL).total == 4
    assert lib.count(View("feed", "cs.LG", LG)).total == 1
    assert "paper 2504.00009" in lib.search_text(lib.papers["2504.00009"])


def test_normalise_tags() -> None:
    assert normalise_tags(["a", "A", "  b  c ", ","]) == ["a", "b c"]
