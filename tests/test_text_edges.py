"""Edges of the text cleaner that test_text.py's tables pass over: nested
elements that hide their text or keep its lines, and empty list items."""

from __future__ import annotations

import pytest

from paperread.text import find_code_links, normalize_paragraphs, strip_html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # a hidden element inside another: the text after the inner one stays hidden
        ("<head><title>T</title>meta text</head><p>body</p>", "body"),
        ("<noscript><style>p {}</style>no script</noscript>shown", "shown"),
        # preformatted text keeps its spacing only inside <pre>
        ("<pre>x  = 1\n  y = 2</pre><p>after   the   code</p>", "x  = 1\n  y = 2\n\nafter the code"),
        ("<pre>a  b</pre>tail   text", "a  b\n\ntail text"),
        # a <pre> inside a <pre>: the outer one still keeps its lines after the inner ends
        ("<pre>one<pre>two</pre>three   3\n  four</pre>five   5", "one\n\ntwo\n\nthree   3\n  four\n\nfive 5"),
        # an empty list item leaves no stray bullet
        ("<ul><li></li><li> </li><li>one</li></ul>", "• one"),
    ],
)
def test_strip_html_nesting_and_empty_items(html: str, expected: str) -> None:
    assert strip_html(html) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://huggingface.co/datasets/owner/name", ["https://huggingface.co/datasets/owner/name"]),
        ("https://huggingface.co/datasets/owner", []),
        ("https://huggingface.co/spaces/owner", []),
        ("https://huggingface.co/owner/model", ["https://huggingface.co/owner/model"]),
    ],
)
def test_hugging_face_data_sets_and_spaces_need_an_owner_and_a_name(text: str, expected: list[str]) -> None:
    assert find_code_links(text) == expected


LONG = "a line of a hard-wrapped abstract that runs on well past one hundred characters, as no wrapped line does"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a CR LF is one line break, not a blank line
        ("wrapped\r\nline", "wrapped line"),
        # the lines before the last end sentences only in part: one wrapped paragraph
        ("First line ends here.\nsecond does not\nthird", "First line ends here. second does not third"),
        # short lines, one long line among two: not "most are short", so each is a paragraph
        (f"{LONG}\nshort line\nlast", f"{LONG}\n\nshort line\n\nlast"),
        # the long lines are not the first: still each line a paragraph
        (f"short one\n{LONG}\n{LONG}\nlast", f"short one\n\n{LONG}\n\n{LONG}\n\nlast"),
    ],
)
def test_paragraph_rules_at_their_edges(text: str, expected: str) -> None:
    assert normalize_paragraphs(text) == expected
