"""BibTeX ``@misc`` entries for papers, in the shape arXiv's own export uses.

Titles and abstracts are display text (TeX already turned into Unicode), so
every character TeX treats specially is escaped: the entry compiles and shows
the title as the reader shows it. BibTeX and biber count every brace when they
look for the end of a field, escaped or not, so only braces that pair up are
written as ``\\{`` ``\\}``; a lone one becomes ``\\textbraceleft{}`` or
``\\textbraceright{}``. Character pairs that TeX fonts join into one glyph
(``--`` would print as an en dash) are kept apart with ``{}``. URLs and DOIs go
in verbatim fields, with the few characters that could break the entry
percent-encoded.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from paperread.links import abs_link, arxiv_id, paper_doi
from paperread.model import Paper

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LONE_BRACE = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in [*_SPECIAL, "{", "}"]))
# pairs that TeX fonts turn into one glyph ("--" an en dash, "``" a quote)
_LIGATURE_RE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)|(?<=<)(?=<)"
                          r"|(?<=>)(?=>)|(?<=,)(?=,)")
_AND_RE = re.compile(r"\band\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(\d{4})")
_STOP_WORDS = frozenset({"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "towards"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# letters that Unicode does not decompose into an ASCII letter plus accents
_ASCII_LETTERS = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
    "Þ": "TH", "ı": "i",
})  # fmt: skip


def _paired_braces(text: str) -> set[int]:
    """Offsets of the braces in ``text`` that open and close a group."""
    paired: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    return paired


def escape(text: str) -> str:
    """``text`` with TeX's special characters escaped and whitespace folded."""
    text = " ".join(text.split())
    paired = _paired_braces(text) if "{" in text or "}" in text else set()

    def replace(match: re.Match[str]) -> str:
        char = match.group(0)
        if char in _LONE_BRACE:
            return "\\" + char if match.start() in paired else _LONE_BRACE[char]
        return _SPECIAL[char]

    return _LIGATURE_RE.sub("{}", _SPECIAL_RE.sub(replace, text))


def _verbatim(text: str) -> str:
    """For url/doi fields, which are read verbatim: braces (which could end
    the field early), backslashes and whitespace are percent-encoded, as a
    URL would have them."""
    return re.sub(r"[{}\\\s]", lambda match: f"%{ord(match.group(0)):02X}", text.strip())


def _author(name: str) -> str:
    # "and" inside a name would split it into two authors, and more than two
    # commas make no "Last, Jr, First" name; braces keep either one name.
    escaped = escape(name)
    if _AND_RE.search(escaped) or escaped.count(",") > 2:
        return f"{{{escaped}}}"
    return escaped


def _ascii(text: str) -> str:
    """``text`` in lower-case ASCII: accents dropped, other letters spelt out
    where they have a usual spelling ("ß" -> "ss"), anything else removed."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    return folded.encode("ascii", "ignore").decode().lower()


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _ascii(text))


def _surname(name: str) -> str:
    """The family name of "Given Family", "Family, Given" or "Given Family Jr."."""
    if "," in name:
        return name.split(",", 1)[0]
    words = name.split()
    while len(words) > 1 and _ascii_word(words[-1]) in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def _year(paper: Paper) -> str | None:
    for value in (paper.published, paper.announced, paper.updated, paper.first_seen):
        match = _YEAR_RE.match(value or "")
        if match:
            return match.group(1)
    return None


def citation_key(paper: Paper) -> str:
    """``surname + year + first significant title word``, ASCII only, e.g.
    ``vaswani2017attention``; falls back to the id when nothing is left."""
    surname = _ascii_word(_surname(paper.authors[0])) if paper.authors else ""
    words = re.findall(r"[a-z0-9]+", _ascii(paper.title))
    first_word = next((word for word in words if word not in _STOP_WORDS), "")
    key = f"{surname}{_year(paper) or ''}{first_word}"
    return key or _ascii_word(paper.id) or "paper"


def _letters(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa, ... (bijective base 26)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def citation_keys(papers: Sequence[Paper]) -> list[str]:
    """One key per paper (in the order given), unique across ``papers``.

    Papers sharing a :func:`citation_key` are ordered by id (so, for arXiv,
    by submission): the first keeps the plain key, the next ones get ``a``,
    ``b``, ... appended. The keys therefore do not depend on the order of
    ``papers``, and a paper keeps its key when later papers join the set.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for index, paper in enumerate(papers):
        groups[citation_key(paper)].append(index)
    keys = [""] * len(papers)
    taken = set(groups)
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda index: papers[index].id)
        keys[members[0]] = base
        suffix = 0
        for index in members[1:]:
            suffix += 1
            while f"{base}{_letters(suffix)}" in taken:
                suffix += 1
            keys[index] = f"{base}{_letters(suffix)}"
            taken.add(keys[index])
    return keys


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """The ``@misc`` entry for ``paper``, ending with a newline; ``key``
    defaults to :func:`citation_key`."""
    fields: list[tuple[str, str]] = [("title", escape(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(_author(name) for name in paper.authors)))
    year = _year(paper)
    if year:
        fields.append(("year", year))
    base = arxiv_id(paper)
    if base:
        fields.append(("eprint", base))
        fields.append(("archivePrefix", "arXiv"))
        primary = paper.primary_category or (paper.categories[0] if paper.categories else None)
        if primary:
            fields.append(("primaryClass", escape(primary)))
    doi = paper_doi(paper)
    url = abs_link(paper)
    if url:
        fields.append(("url", _verbatim(url)))
    if doi:
        fields.append(("doi", _verbatim(doi)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key or citation_key(paper)},\n{body}}}\n"


def bibtex_entries(papers: Sequence[Paper]) -> str:
    """A ``.bib`` file's text: one entry per paper, with unique keys."""
    keys = citation_keys(papers)
    return "\n".join(bibtex_entry(paper, key) for paper, key in zip(papers, keys))
