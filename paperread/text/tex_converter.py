"""The TeX converter: a small table-driven renderer (``_Converter``) of the
tokens ``tex_tokens`` makes, that never drops words (unknown macros keep
their names and their arguments), with the helpers it renders accents,
scripts, fractions and roots with."""

from __future__ import annotations

import re
import unicodedata

from paperread.text.tex_tables import (
    _ACCENTS,
    _BARE_ACCENTS,
    _CLOSING_DELIMITERS,
    _DEFINERS,
    _FONTS,
    _LETTER_ACCENTS,
    _LETTERS,
    _MATH,
    _OPENING_DELIMITERS,
    _SCRIPT,
    _SCRIPT_CHARS,
    _SIZERS,
    _SUBSCRIPTS,
    _SUPERSCRIPTS,
    _SYMBOLS,
    _TEXT,
    _WORDS,
    _WRAPPERS,
)
from paperread.text.tex_tokens import _tokens

_NEWCOMMAND_PARAMS_RE = re.compile(r"\[\d\](?:\[[^\]]*\])?")
_DEF_PARAMS_RE = re.compile(r"(?:#\d)+")

_MATH_SPACE_RE = re.compile(r"[\s~]+")
_NON_ATOM_RE = re.compile(r"[\s+\-−±∓/·×*=<>,:;|]")

_MAX_DEPTH = 40  # nesting of groups and arguments
_MAX_EXPANSIONS = 100  # uses of \newcommand-defined macros per text
_MAX_DEFINITION_TOKENS = 200  # a longer body is not taken for a definition
_CLOSE = frozenset({"close", "mclose"})
_MATH_STOPS = frozenset({"mclose"})
_NO_STOPS: frozenset[str] = frozenset()


def _accent(base: str, mark: str) -> str:
    """Put ``mark`` on each character of ``base`` (not on spaces or other marks)."""
    chars = []
    for char in base:
        if char in "ıȷ":
            char = "i" if char == "ı" else "j"
        chars.append(char if char.isspace() or unicodedata.combining(char) else char + mark)
    return unicodedata.normalize("NFC", "".join(chars))


def _wrapped(text: str) -> bool:
    """True when ``text`` is one parenthesised group: "(a+b)" but not "(a)+(b)"."""
    if len(text) < 2 or text[0] != "(" or text[-1] != ")":
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and index < len(text) - 1:
            return False
    return True


def _operand(text: str) -> str:
    """A fraction or root operand, parenthesised unless it is one atom."""
    text = text.strip()
    if not _NON_ATOM_RE.search(text) or _wrapped(text):
        return text
    return f"({text})"


def _script(marker: str, arg: str | None) -> str:
    """x^{..} / x_{..}: Unicode script characters when all have one, else ^(..)."""
    if arg is None:
        return marker
    compact = "".join(arg.split())
    if not compact:
        return ""
    table = _SUPERSCRIPTS if marker == "^" else _SUBSCRIPTS
    if all(char in table for char in compact):
        return "".join(table[char] for char in compact)
    if len(compact) == 1:
        return marker + compact
    arg = arg.strip()
    return marker + (arg if _wrapped(arg) else f"({arg})")


class _Converter:
    """One pass over the tokens of one text; groups and arguments recurse."""

    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0
        self.defs: dict[str, list[list]] = {}
        self.expansions = 0
        self.last = ""  # last character written
        self.after_word = False  # last piece written was an operator name

    # -- output ------------------------------------------------------------
    #
    # Operator names need a space from neighbouring letters ("\ln\ln T" is
    # "ln ln T"), so the converter remembers the end of what it wrote. A macro
    # whose output is built from its arguments renders them from a fresh state
    # and is then written as one piece with the state from before them.

    def _emit(
        self, out: list[str], piece: str, word: bool = False, state: tuple[str, bool] | None = None
    ) -> None:
        if state is not None:
            self.last, self.after_word = state
        if not piece:
            return
        if word:
            if self.last.isalnum():
                piece = " " + piece
        elif self.after_word and piece[0].isalnum() and piece[0] not in _SCRIPT_CHARS:
            piece = " " + piece
        self.after_word = word
        self.last = piece[-1]
        out.append(piece)

    def _append(self, out: list[str], piece: str) -> None:
        """Write a piece whose parts were already written through _emit."""
        if piece:
            self.last = piece[-1]
            out.append(piece)

    def _fresh(self) -> tuple[str, bool]:
        """Start rendering arguments; returns the state to write their result with."""
        state = (self.last, self.after_word)
        self.last, self.after_word = "", False
        return state

    # -- rendering ---------------------------------------------------------

    def convert(self) -> str:
        return self._render(_TEXT, _NO_STOPS)

    def _render(self, mode: int, stops: frozenset[str]) -> str:
        out: list[str] = []
        toks = self.toks
        self.depth += 1
        try:
            while self.i < len(toks):
                kind, value, _ = toks[self.i]
                if kind in stops:
                    break
                self.i += 1
                if kind == "text":
                    self._emit(out, self._math_text(value) if mode == _MATH else value)
                elif kind == "cs":
                    self._control(out, value, mode)
                elif kind == "script" and mode == _MATH:
                    state = self._fresh()
                    self._emit(out, _script(value, self._arg(_MATH)), state=state)
                elif kind == "open" and self.depth < _MAX_DEPTH:
                    if self.i < len(toks) and toks[self.i][0] == "close":  # "\ss{}"
                        self.i += 1
                    elif mode == _MATH or self._starts_with_macro():
                        self._append(out, self._group(mode))
                    else:  # literal braces around converted content
                        self._emit(out, "{")
                        self._append(out, self._render(mode, _CLOSE))
                        if self.i < len(toks) and toks[self.i][0] == "close":
                            self.i += 1
                            self._emit(out, "}")
                elif kind == "mopen" and self.depth < _MAX_DEPTH:
                    inner = self._render(_MATH, _MATH_STOPS)
                    if self.i < len(toks) and toks[self.i][0] == "mclose":
                        self.i += 1
                    self._append(out, _MATH_SPACE_RE.sub(" ", inner).strip())
                else:  # text-mode ^ and _, stray braces and delimiters
                    self._emit(out, value[-1] if kind == "mclose" else value)
        finally:
            self.depth -= 1
        return "".join(out)

    def _math_text(self, value: str) -> str:
        """A run of text in math: spaces as one, none before a closing delimiter."""
        value = _MATH_SPACE_RE.sub(" ", value)
        following = self.toks[self.i] if self.i < len(self.toks) else None
        if following is not None and following[0] == "cs" and following[1][1:] in _CLOSING_DELIMITERS:
            return value.rstrip()
        return value

    def _group(self, mode: int) -> str:
        """The rest of a group whose ``{`` was consumed; consumes its ``}``."""
        inner = self._render(mode, _CLOSE)
        if self.i < len(self.toks) and self.toks[self.i][0] == "close":
            self.i += 1
        return inner

    def _arg(self, mode: int) -> str | None:
        """The next macro argument: a group, one macro, or one character."""
        if self.depth >= _MAX_DEPTH:
            return None
        toks = self.toks
        while self.i < len(toks):
            kind, value, pos = toks[self.i]
            if kind == "text":
                value = value.lstrip()
                if not value:
                    self.i += 1
                    continue
                if len(value) > 1:
                    toks[self.i] = ["text", value[1:], pos]
                else:
                    self.i += 1
                return " " if mode == _MATH and value[0] == "~" else value[0]
            if kind == "open":
                self.i += 1
                self.depth += 1
                try:
                    return self._group(mode)
                finally:
                    self.depth -= 1
            if kind == "cs":
                self.i += 1
                out: list[str] = []
                self.depth += 1
                try:
                    self._control(out, value, mode)
                finally:
                    self.depth -= 1
                return "".join(out)
            return None
        return None

    def _starts_with_macro(self) -> bool:
        r"""Whether the group just opened starts with a macro: ``{\it x}``, ``M{\o}ller``.

        Only such text-mode braces are TeX grouping and vanish; others, as in
        "{1,2}" or code, are kept.
        """
        index = self._skip_spaces(self.i)
        return index < len(self.toks) and self.toks[index][0] == "cs"

    def _peek_text(self) -> str:
        if self.i < len(self.toks) and self.toks[self.i][0] == "text":
            return self.toks[self.i][1]
        return ""

    def _drop_text_prefix(self, count: int) -> None:
        tok = self.toks[self.i]
        if len(tok[1]) > count:
            tok[1] = tok[1][count:]
        else:
            self.i += 1

    def _control(self, out: list[str], value: str, mode: int) -> None:
        name = value[1:]
        if not name:
            self._emit(out, "\\")
            return
        if name in self.defs and self.expansions < _MAX_EXPANSIONS:
            self.expansions += 1
            self.toks[self.i : self.i] = [list(tok) for tok in self.defs[name]]
            return
        symbol = _SYMBOLS.get(name)
        if symbol is not None:
            self._emit(out, symbol)
            # A letter ("Stra\ss e") or a declaration ("{\it x}") takes the
            # space that ends its name, as TeX does.
            following = self._peek_text()
            if following[:1] == " " and (
                (name in _LETTERS and following[1:2].isalpha()) or (not symbol and name.isalpha())
            ):
                self._drop_text_prefix(1)
            elif mode == _MATH and name in _OPENING_DELIMITERS and following[:1].isspace():
                self._drop_text_prefix(len(following) - len(following.lstrip()))
            return
        if name in _WORDS:
            self._emit(out, name, word=True)
            return
        if name == "operatorname":
            if self._peek_text()[:1] == "*":
                self._drop_text_prefix(1)
            state = self._fresh()
            arg = (self._arg(_MATH) or "").strip()
            self._emit(out, arg, word=True, state=state)
            return
        mark = _ACCENTS.get(name)
        if mark is not None and not (mode == _MATH and name in _LETTER_ACCENTS):
            state = self._fresh()
            base = self._arg(mode)
            piece = _accent(base, mark) if base else _BARE_ACCENTS.get(name, "")
            self._emit(out, piece, state=state)
            return
        if name == "cal":  # {\cal O}: a font switch for the rest of the group
            self._append(out, "".join(_SCRIPT.get(c, c) for c in self._render(mode, _CLOSE)))
            return
        font = _FONTS.get(name)
        if font is not None:
            table, arg_mode = font
            state = self._fresh()
            arg = self._arg(mode if arg_mode is None else arg_mode) or ""
            self._emit(out, "".join(table.get(c, c) for c in arg) if table else arg, state=state)
            return
        wrapper = _WRAPPERS.get(name)
        if wrapper is not None:
            state = self._fresh()
            arg = (self._arg(_TEXT) or "").strip()
            self._emit(out, wrapper[0] + arg + wrapper[1], state=state)
            return
        if name in _SIZERS and mode == _MATH:
            if self._peek_text()[:1] == ".":
                self._drop_text_prefix(1)
            return
        if name in _DEFINERS and self._define(name):
            return
        handler = _HANDLERS.get(name)
        if handler is not None:
            state = self._fresh()
            self._emit(out, handler(self, name, mode), state=state)
            return
        self._unknown(out, value, mode)

    def _unknown(self, out: list[str], value: str, mode: int) -> None:
        """Keep an unknown macro and its braced arguments readable, never drop them."""
        if mode == _MATH:
            self._emit(out, value[1:], word=value[1:].isalpha())
            left, right = "(", ")"
        else:
            self._emit(out, value)
            left, right = "{", "}"
        while self.i < len(self.toks) and self.toks[self.i][0] == "open" and self.depth < _MAX_DEPTH:
            self.i += 1
            state = self._fresh()
            self._emit(out, left + self._group(mode) + right, state=state)

    # -- macros with their own rules: each returns its output ----------------

    def _frac(self, name: str, mode: int) -> str:
        numerator, denominator = self._arg(mode) or "", self._arg(mode) or ""
        return f"{_operand(numerator)}/{_operand(denominator)}"

    def _binom(self, name: str, mode: int) -> str:
        top, bottom = self._arg(mode) or "", self._arg(mode) or ""
        return f"C({top.strip()},{bottom.strip()})"

    def _sqrt(self, name: str, mode: int) -> str:
        sign = "√"
        following = self._peek_text()
        close = following.find("]") if following.startswith("[") else -1
        if close > 0:
            index = following[1:close].strip()
            self._drop_text_prefix(close + 1)
            sign = {"2": "√", "3": "∛", "4": "∜"}.get(index) or _script("^", index) + "√"
        return sign + _operand(self._arg(mode) or "")

    def _not(self, name: str, mode: int) -> str:
        return unicodedata.normalize("NFC", (self._arg(mode) or "") + "\u0338")

    def _scriptsize(self, name: str, mode: int) -> str:
        return _script("^" if name == "textsuperscript" else "_", self._arg(_TEXT))

    def _href(self, name: str, mode: int) -> str:
        url, label = (self._arg(_TEXT) or "").strip(), (self._arg(_TEXT) or "").strip()
        return f"{label} ({url})" if label else url

    def _define(self, name: str) -> bool:
        r"""Take a definition ``\newcommand{\x}{body}`` or ``\def\x{body}`` if one follows.

        A definition is not text and produces nothing; a parameterless one is
        expanded where it is used, one with parameters leaves its uses as
        unknown macros. Returns False, consuming nothing, when what follows
        is not a well-formed definition.
        """
        toks = self.toks
        index = self._skip_spaces(self.i)
        if index < len(toks) and toks[index][0] == "cs":
            macro, index = toks[index][1][1:], index + 1
        elif [tok[0] for tok in toks[index : index + 3]] == ["open", "cs", "close"]:
            macro, index = toks[index + 1][1][1:], index + 3
        else:
            return False
        index = self._skip_spaces(index)
        params = index < len(toks) and toks[index][0] == "text"
        if params:
            spec_re = _DEF_PARAMS_RE if name == "def" else _NEWCOMMAND_PARAMS_RE
            if not spec_re.fullmatch(toks[index][1].strip()):
                return False
            index = self._skip_spaces(index + 1)
        if index >= len(toks) or toks[index][0] != "open":
            return False
        depth = 0
        for end in range(index, min(len(toks), index + _MAX_DEFINITION_TOKENS)):
            depth += (toks[end][0] == "open") - (toks[end][0] == "close")
            if depth == 0:
                if not params:
                    self.defs[macro] = toks[index + 1 : end]
                self.i = end + 1
                return True
        return False

    def _skip_spaces(self, index: int) -> int:
        while index < len(self.toks) and self.toks[index][0] == "text" and self.toks[index][1].isspace():
            index += 1
        return index


_HANDLERS = {
    "frac": _Converter._frac, "dfrac": _Converter._frac, "tfrac": _Converter._frac,
    "cfrac": _Converter._frac, "binom": _Converter._binom, "sqrt": _Converter._sqrt,
    "not": _Converter._not,
    "textsuperscript": _Converter._scriptsize, "textsubscript": _Converter._scriptsize,
    "href": _Converter._href,
}  # fmt: skip
