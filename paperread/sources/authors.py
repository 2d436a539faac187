"""Author lists from the ways feeds write them.

arXiv RSS 2.0 puts every author in one comma-joined ``dc:creator`` and adds
affiliations in parentheses that contain commas themselves, so commas split
names only outside parentheses. bioRxiv writes ``SURNAME, I., Other, J.-F.``:
a comma inside every name, recognised by the initials after it. The old arXiv
RDF feed writes escaped HTML anchors, one per author.
"""

from __future__ import annotations

import html
import re

from paperread.text import latex_to_unicode, normalize_whitespace, strip_controls

# "N.", "R. J.", "P.-L.", "J.-F." or a lone "Y": initials as bioRxiv writes them
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.[\s-]*)+$|^[A-Z]$")
_TAG_RE = re.compile(r"<[^>]*>")
_PAREN_RE = re.compile(r"[()]")
_SEPARATOR_RE = re.compile(r"[(),]|\s+and\s+")
# Balanced parentheses, none inside another
_FLAT_PARENS_RE = re.compile(r"[^()]*(?:\([^()]*\)[^()]*)*")
# Printable ASCII words without "$", backslash and "~", one space apart.
_PLAIN_NAME_RE = re.compile(r"[!-#%-\[\]-}]+(?: [!-#%-\[\]-}]+)*")


def clean_name(name: str) -> str:
    """Display form of one name: controls gone, TeX accents converted."""
    # Safe: whitespace around plain text is all the steps below would remove.
    core = name.strip()
    if _PLAIN_NAME_RE.fullmatch(core):
        return core
    return normalize_whitespace(latex_to_unicode(strip_controls(name)))


def _split_top_level(text: str) -> list[str]:
    """Split on commas and on the word "and" outside parentheses."""
    if "(" not in text and ")" not in text:
        # Without parentheses every separator is outside them, and without
        # "and" every separator is a comma.
        pieces = text.split(",") if "and" not in text else _SEPARATOR_RE.split(text)
        return [piece for piece in map(str.strip, pieces) if piece]
    if "and" not in text and _FLAT_PARENS_RE.fullmatch(text):
        return _split_flat(text)
    return _split_nested(text)


def _split_flat(text: str) -> list[str]:
    """``_split_nested`` for a text without "and" whose parentheses balance
    and do not nest: every separator is then a comma outside the groups, so
    the text between groups is split on commas and each group stays in the
    part it ends."""
    segments = text.split("(")
    parts = segments[0].split(",")
    for segment in segments[1:]:
        group, after = segment.split(")", 1)
        pieces = after.split(",")
        parts[-1] += f"({group}){pieces[0]}"
        parts.extend(pieces[1:])
    return [piece for piece in map(str.strip, parts) if piece]


def _split_nested(text: str) -> list[str]:
    """Split on commas and "and" outside parentheses, for any text (a
    truncated feed may leave a parenthesis open or close one too many)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for match in _SEPARATOR_RE.finditer(text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return [piece for piece in (part.strip() for part in parts) if piece]


def _name_and_affiliation(part: str) -> tuple[str, str | None]:
    """``"Jane Doe (MIT, Cambridge)"`` -> ``("Jane Doe", "MIT, Cambridge")``.

    An unclosed parenthesis (a truncated feed) still ends the name there.
    """
    if "(" not in part:
        return clean_name(part.replace(")", "")), None
    opening = part.find("(")
    closing = part.find(")", opening)
    if closing > 0 and part.count("(") == 1 and part.count(")") == 1:
        # one group, as _name_and_groups would find it
        name, groups = part[:opening] + part[closing + 1 :], [part[opening + 1 : closing]]
    else:
        name, groups = _name_and_groups(part)
    affiliations = [clean_name(group) for group in groups if group.strip()]
    return clean_name(name), "; ".join(affiliations) or None


def _name_and_groups(part: str) -> tuple[str, list[str]]:
    """The text outside the top-level parentheses of ``part``, and the text
    inside each of them."""
    name_pieces: list[str] = []
    groups: list[str] = []
    depth = 0
    start = 0
    for match in _PAREN_RE.finditer(part):
        if match.group() == "(":
            if depth == 0:
                name_pieces.append(part[start : match.start()])
                start = match.end()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                groups.append(part[start : match.start()])
                start = match.end()
    (groups if depth > 0 else name_pieces).append(part[start:])
    return "".join(name_pieces), groups


def _is_initials(text: str) -> bool:
    return bool(_INITIALS_RE.match(text.strip()))


def _surname_initial_pairs(parts: list[str]) -> list[str] | None:
    """Join ``["LAPALU", "N.", "Lu", "A."]`` into ``["N. LAPALU", "A. Lu"]``,
    or None when the parts do not alternate surname, initials."""
    if len(parts) < 2 or len(parts) % 2 or not _is_initials(parts[1]):
        return None
    surnames, initials = parts[0::2], parts[1::2]
    if not all(_is_initials(part) for part in initials):
        return None
    if any(_is_initials(part) for part in surnames):
        return None
    return [f"{given} {surname}" for surname, given in zip(surnames, initials)]


def split_creator(text: str) -> tuple[list[str], dict[str, str]]:
    """Names and ``name -> affiliation`` from one joined author string."""
    parts = _split_top_level(text)
    if "(" not in text:
        pairs = _surname_initial_pairs(parts)
        if pairs is not None:
            return [clean_name(name) for name in pairs], {}
        if ")" not in text:  # no affiliations: each part is one name
            if _PLAIN_NAME_RE.fullmatch(text):  # safe: then every stripped part is plain too
                return parts, {}
            return [name for name in map(clean_name, parts) if name], {}
    names: list[str] = []
    affiliations: dict[str, str] = {}
    for part in parts:
        name, affiliation = _name_and_affiliation(part)
        if not name:
            continue
        names.append(name)
        if affiliation:
            affiliations[name] = affiliation
    return names, affiliations


def html_to_text(fragment: str) -> str:
    """Text of a small HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(_TAG_RE.sub("", fragment))


def split_html_creator(fragment: str) -> tuple[list[str], dict[str, str]]:
    """Authors from the RDF feed's ``<a href=...>Name</a>, <a ...>`` list."""
    return split_creator(html_to_text(fragment))


def names_from_list(names: list[str]) -> list[str]:
    """Clean a list that already has one name per entry, dropping blanks."""
    return [name for name in (clean_name(raw) for raw in names) if name]
