import pickle

from paperread.merge import merge_paper
from paperread.model import copy_paper
from tests.factories import make_paper

NOW = "2026-04-28T10:00:00Z"
LG = "https://rss.arxiv.org/rss/cs.LG"
HF = "https://huggingface.co/api/daily_papers"
API = "https://export.arxiv.org/api/query?search_query=cat:cs.LG"


def test_first_sighting_is_new_and_stamped() -> None:
    merged, status = merge_paper(None, make_paper(), NOW)
    assert status == "new" and merged.first_seen == NOW


def test_same_paper_from_a_second_feed_lists_both_feeds() -> None:
    old, _ = merge_paper(None, make_paper(feeds=[LG]), "2026-04-27T10:00:00Z")
    hf = make_paper(feeds=[HF], upvotes=12, github_repo="https://github.com/a/b", categories=[])
    merged, status = merge_paper(old, hf, NOW)
    assert merged.feeds == [LG, HF]
    assert merged.upvotes == 12 and merged.github_repo == "https://github.com/a/b"
    assert merged.categories == ["cs.LG"], "an empty field never wipes a known one"
    assert merged.first_seen == old.first_seen
    assert status == "updated"


def test_seen_again_unchanged_is_same() -> None:
    old, _ = merge_paper(None, make_paper(), NOW)
    merged, status = merge_paper(old, make_paper(), NOW)
    assert status == "same" and merged == old


def test_newer_version_replaces_metadata() -> None:
    old, _ = merge_paper(None, make_paper(title="Old title", version=1), NOW)
    newer = make_paper(title="New title", version=2, announce_type="replace", announced="2026-05-02")
    merged, status = merge_paper(old, newer, NOW)
    assert (merged.title, merged.version, merged.announce_type, status) == ("New title", 2, "replace", "updated")


def test_older_version_never_overwrites() -> None:
    old, _ = merge_paper(None, make_paper(title="v3 title", version=3), NOW)
    merged, status = merge_paper(old, make_paper(title="v1 title", version=1), NOW)
    assert merged.title == "v3 title" and merged.version == 3 and status == "same"


def test_a_day_a_feed_states_wins_over_an_estimated_one_in_either_order() -> None:
    estimated = make_paper(announced="2026-04-28", announced_from="v1", announce_type=None, feeds=[API])
    stated = make_paper(announced="2026-04-27", announce_type="new", feeds=[LG])
    for first, second in ((estimated, stated), (stated, estimated)):
        old, _ = merge_paper(None, copy_paper(first), NOW)
        merged, _ = merge_paper(old, copy_paper(second), NOW)
        assert (merged.announced, merged.announced_from, merged.announce_type) == ("2026-04-27", None, "new")
    replaced = make_paper(version=2, announced="2026-05-05", announced_from="v2", announce_type=None)
    merged, _ = merge_paper(stated, replaced, NOW)
    assert (merged.announced, merged.announced_from, merged.announce_type) == ("2026-05-05", "v2", "new")


def test_links_of_every_feed_are_kept_and_a_newer_version_updates_its_own() -> None:
    arxiv = make_paper(
        links={"abs": "https://arxiv.org/abs/2504.00001", "pdf": "https://arxiv.org/pdf/2504.00001v1"}
    )
    hf = make_paper(version=None, feeds=[HF], links={
        "abs": "https://arxiv.org/abs/2504.00001", "pdf": "https://arxiv.org/pdf/2504.00001",
        "project": "https://lab.example.org/project/",
    })
    old, _ = merge_paper(None, arxiv, NOW)
    merged, status = merge_paper(old, hf, NOW)
    assert status == "updated"
    assert merged.links == {**arxiv.links, "project": "https://lab.example.org/project/"}
    v2 = make_paper(version=2, links={**arxiv.links, "pdf": "https://arxiv.org/pdf/2504.00001v2"})
    merged, _ = merge_paper(merged, v2, NOW)
    assert merged.links["pdf"].endswith("v2") and merged.links["project"] == "https://lab.example.org/project/"


def test_hugging_face_counters_always_take_the_latest_value() -> None:
    old, _ = merge_paper(None, make_paper(upvotes=3, num_comments=1), NOW)
    merged, status = merge_paper(old, make_paper(upvotes=40, num_comments=5), NOW)
    assert (merged.upvotes, merged.num_comments, status) == (40, 5, "updated")


def test_a_paper_survives_pickling_and_copying_with_every_field() -> None:
    """Parsed papers cross from the parser processes pickled; merging copies them."""
    paper = make_paper(
        authors=["A. One", "B. Two"], affiliations={"A. One": "Lab"}, upvotes=7, num_comments=2,
        code_links=["https://github.com/a/b"], first_seen=NOW,
    )
    assert pickle.loads(pickle.dumps(paper)) == paper
    copied = copy_paper(paper)
    assert copied == paper and copied is not paper
    copied.title = "Changed"
    assert paper.title != "Changed"
