"""Edges of the text cleaner that test_text.py's tables pass over: nested
elements that hide their text or keep its lines, and empty list items."""

from __future__ import annotations

import pytest

from paperread.text import strip_html


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
