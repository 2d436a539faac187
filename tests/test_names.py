"""Surnames, as the list shows and sorts the first author."""

from __future__ import annotations

import pytest

from paperread.names import surname
from paperread.tui.rendering import short_authors


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ada Lovelace", "Lovelace"),
        ("Lovelace, A.", "Lovelace"),
        ("Martin Luther King Jr.", "King"),
        ("Martin Luther King, Jr.", "King"),
        ("Jean-Luc Picard III", "Picard"),
        ("Cher", "Cher"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_the_surname_of_a_name_as_feeds_write_it(name: str, expected: str) -> None:
    assert surname(name) == expected


@pytest.mark.parametrize(
    ("authors", "width", "expected"),
    [
        (["Pritam Nirmal"], 20, "Nirmal"),
        (["Pritam Nirmal", "John Smith"], 20, "Nirmal, Smith"),
        (["Pritam Nirmal", "John Smith"], 10, "Ni… et al."),
        (["Pritam Nirmal", "John Smith", "Ada Lovelace"], 20, "Nirmal et al."),
        ([], 20, ""),
    ],
)
def test_the_list_names_the_authors_by_surname(authors: list[str], width: int, expected: str) -> None:
    assert short_authors(authors, width) == expected
