"""Author strings: the fast paths of split_creator and clean_name give what
the general code gives."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperread.sources import authors
from paperread.sources.authors import clean_name, split_creator
from paperread.text import latex_to_unicode, normalize_whitespace, strip_controls

DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def _general_clean_name(name: str) -> str:
    return normalize_whitespace(latex_to_unicode(strip_controls(name)))


def _general_split_creator(text: str) -> tuple[list[str], dict[str, str]]:
    """split_creator built from the general splitting code only."""
    parts = authors._split_nested(text)
    if "(" not in text:
        pairs = authors._surname_initial_pairs(parts)
        if pairs is not None:
            return [_general_clean_name(name) for name in pairs], {}
    names: list[str] = []
    affiliations: dict[str, str] = {}
    for part in parts:
        name, groups = authors._name_and_groups(part) if "(" in part else (part.replace(")", ""), [])
        name = _general_clean_name(name)
        affiliation = "; ".join(_general_clean_name(group) for group in groups if group.strip())
        if name:
            names.append(name)
            if affiliation:
                affiliations[name] = affiliation
    return names, affiliations


_NAME_PIECES = [
    "Jane Doe", "J. Doe", "DOE", "J.-F.", "N.", "A", "Lu", 'M\\"uller', "Ren\\'e", "Alexander", "Sandra",
    ", ", ",", " and ", "and", " (", ")", "(", "MIT, Cambridge", "Univ. of X", " ", "  ", "\n", "\t",
    "é", "$x$", "\x1b[1m", "~", "\xa0", "\u2003",
]  # fmt: skip
_CREATORS = st.lists(st.sampled_from(_NAME_PIECES), max_size=20).map("".join)


@st.composite
def _flat_creators(draw: st.DrawFn) -> str:
    """Comma-joined names, some with one or more (affiliation, with commas)."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        part = draw(st.sampled_from(["Jane Doe", "J. Lu", "Ravi  Khan", " Mei Patel", "O'Neil", "É. Zola"]))
        for _ in range(draw(st.integers(0, 2))):
            group = draw(st.sampled_from(["MIT, Cambridge", "Dept. of X, Univ. Y, City", "", " ", "A,,B"]))
            part += draw(st.sampled_from([" (", "(", "  ("])) + group + ")" + draw(st.sampled_from(["", " ", " Jr."]))
        parts.append(part)
    return draw(st.sampled_from([", ", ",", " , "])).join(parts)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_CREATORS, _flat_creators()))
def test_split_creator_agrees_with_the_general_code(text: str) -> None:
    assert split_creator(text) == _general_split_creator(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_CREATORS, _flat_creators()))
def test_top_level_split_agrees_with_the_nested_split(text: str) -> None:
    assert authors._split_top_level(text) == authors._split_nested(text)


@given(_flat_creators())
def test_flat_split_agrees_with_the_nested_split(text: str) -> None:
    assert authors._FLAT_PARENS_RE.fullmatch(text)
    assert authors._split_flat(text) == authors._split_nested(text)


@given(st.one_of(_CREATORS, st.text()))
def test_clean_name_agrees_with_the_general_code(name: str) -> None:
    assert clean_name(name) == _general_clean_name(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana Lima, Bo Chen", (["Ana Lima", "Bo Chen"], {})),
        ("Ana Lima and Bo Chen", (["Ana Lima", "Bo Chen"], {})),
        ("Alexander Wu, Sandra Lee", (["Alexander Wu", "Sandra Lee"], {})),
        ("LAPALU, N., Lu, A.", (["N. LAPALU", "A. Lu"], {})),
        ("Ana Lima (MIT, Cambridge), Bo Chen", (["Ana Lima", "Bo Chen"], {"Ana Lima": "MIT, Cambridge"})),
        ("Ana (X) Lima (Y, Z)", (["Ana Lima"], {"Ana Lima": "X; Y, Z"})),
        ("Ana Lima (MIT (CSAIL), Cambridge)", (["Ana Lima"], {"Ana Lima": "MIT (CSAIL), Cambridge"})),
        ("Ana Lima (MIT, Bo Chen", (["Ana Lima"], {"Ana Lima": "MIT, Bo Chen"})),  # truncated
        ("  Ana   Lima ,Ren\\'e Z\\\"urich", (["Ana Lima", "René Zürich"], {})),
    ],
)
def test_split_creator_examples(text: str, expected: tuple[list[str], dict[str, str]]) -> None:
    assert split_creator(text) == expected
    assert _general_split_creator(text) == expected


def test_split_creator_agrees_on_the_real_creators(shared_feeds: Path) -> None:
    creators = [
        element.text
        for path in sorted(shared_feeds.glob("arxiv-rss2-*.xml"))
        for element in ET.parse(path).getroot().iter(DC_CREATOR)
        if element.text
    ]
    assert len(creators) > 50
    assert any("(" in creator for creator in creators)
    for creator in creators:
        assert split_creator(creator) == _general_split_creator(creator)
