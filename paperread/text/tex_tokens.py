"""The TeX converter's tokens: a text cut into control sequences, dollars,
braces, script markers and runs of text, with the delimiters of math paired.
A ``$``/``$$`` without a plausible partner stays a literal dollar."""

from __future__ import annotations

import re

_TOKEN_RE = re.compile(
    r"(?P<cs>\\(?:[A-Za-z]+|[\s\S])?)"
    r"|(?P<dollar>\$\$?)"
    r"|(?P<open>\{)"
    r"|(?P<close>\})"
    r"|(?P<script>[\^_])"
    r"|(?P<text>[^\\{}$^_]+)"
)
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")
_PROSE_WORD_RE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")


def _tokens(text: str) -> list[list]:
    """The tokens of ``text``, each ``[kind, text, position]`` (a list: the
    converter rewrites them as it goes); the delimiters of math are of kind
    ``mopen`` and ``mclose``."""
    toks = [[m.lastgroup, m.group(), m.start()] for m in _TOKEN_RE.finditer(text)]
    _pair_dollars(toks, text)
    _pair_brackets(toks)
    return toks


def _balanced(content: str) -> bool:
    """Braces balance (TeX requires it); () and [] balance together ("[0,1)")."""
    unescaped = content.replace("\\{", "").replace("\\}", "")
    if unescaped.count("{") != unescaped.count("}"):
        return False
    opened = content.count("(") + content.count("[")
    return opened == content.count(")") + content.count("]")


def _pair_dollars(toks: list[list], text: str) -> None:
    """Decide which ``$``/``$$`` delimit math; the others stay literal dollars.

    A candidate pair is the next delimiter of the same kind. It is math unless
    the closing ``$`` is followed by a digit ("$5 and $10"), the content spans
    paragraphs or has unbalanced brackets (code such as "$a){if($b"), or
    it has words of three letters and either a space next to a delimiter
    ("costs $800 for $n$") or more than 40 characters and no macro.
    """
    dollars = [tok for tok in toks if tok[0] == "dollar"]
    index = 0
    while index < len(dollars) - 1:
        opening, closing = dollars[index], dollars[index + 1]
        if opening[1] == closing[1] and _is_math(text, opening, closing):
            opening[0], closing[0] = "mopen", "mclose"
            index += 2
        else:
            index += 1


def _is_math(text: str, opening: list, closing: list) -> bool:
    end = closing[2] + len(closing[1])
    content = text[opening[2] + len(opening[1]) : closing[2]]
    if not content.strip() or _BLANK_LINE_RE.search(content) or not _balanced(content):
        return False
    if closing[1] == "$" and text[end : end + 1].isdigit():
        return False
    if _PROSE_WORD_RE.search(content) is None:
        return True
    tight = not content[0].isspace() and not content[-1].isspace()
    return tight and (len(content) <= 40 or "\\" in content)


def _pair_brackets(toks: list[list]) -> None:
    """Pair ``\\(`` with ``\\)`` and ``\\[`` with ``\\]``."""
    pending: dict[str, list] = {}
    for tok in toks:
        if tok[0] != "cs":
            continue
        if tok[1] in ("\\(", "\\[") and tok[1] not in pending:
            pending[tok[1]] = tok
        elif tok[1] in ("\\)", "\\]"):
            opening = pending.pop("\\(" if tok[1] == "\\)" else "\\[", None)
            if opening is not None:
                opening[0], tok[0] = "mopen", "mclose"
