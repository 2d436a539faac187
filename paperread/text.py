"""Text cleaning for feed text: control characters, whitespace, TeX, HTML, links.

Titles and abstracts arrive as TeX-flavoured plain text (arXiv, Hugging Face)
or as HTML fragments (bioRxiv, blogs, feedgen). Every function here is pure.
The common case (no TeX, no control characters) costs a few linear scans; TeX
is converted by a small table-driven tokenizer and renderer that never drops
words: unknown macros keep their names and their arguments.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

__all__ = [
    "clean_abstract",
    "clean_title",
    "find_code_links",
    "is_safe_url",
    "latex_to_unicode",
    "normalize_paragraphs",
    "normalize_whitespace",
    "strip_controls",
    "strip_html",
]

# --------------------------------------------------------------------------
# Control characters and terminal escape sequences

# C0 except tab and newline, DEL, C1, the bidi marks, embeddings, overrides and
# isolates, and lone surrogates (they cannot be encoded for output).
_CONTROL_CHARS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CONTROL_CHAR_RE = re.compile(f"[{_CONTROL_CHARS}]")
# Escape sequences are matched first so that their parameter bytes go with
# them: CSI (ESC [ or C1 CSI) parameters, intermediates and final byte; string
# sequences (OSC, DCS, SOS, PM, APC; C1 OSC and DCS) up to BEL or ST, or,
# unterminated, up to the next control character; other ESC sequences (ESC 7,
# ESC ( B). The other C1 characters go alone: in mis-decoded cp1252 text they
# stand for letters such as ž and Ÿ, and the text after them is kept.
_CONTROL_RE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d])[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
    f"|[{_CONTROL_CHARS}]"
)


# The ASCII characters of _CONTROL_CHARS, and those str.isprintable rejects
# (the same and tab and newline). On ASCII text longer than _BYTE_SCAN_LENGTH
# they are looked for by mapping them to a non-ASCII byte in its bytes, several
# times faster than str.isprintable or a regex search.
_ASCII_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
_ASCII_UNPRINTABLE = bytes([*range(0x20), 0x7F])
_CONTROLS_TO_HIGH = bytes.maketrans(_ASCII_CONTROLS, b"\x80" * len(_ASCII_CONTROLS))
_UNPRINTABLE_TO_HIGH = bytes.maketrans(_ASCII_UNPRINTABLE, b"\x80" * len(_ASCII_UNPRINTABLE))
_BYTE_SCAN_LENGTH = 100


def strip_controls(text: str) -> str:
    """Remove control characters and whole escape sequences; CR/CRLF become LF."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > _BYTE_SCAN_LENGTH and text.isascii():
        if text.encode("ascii").translate(_CONTROLS_TO_HIGH).isascii():
            return text
    elif text.isprintable() or not _CONTROL_CHAR_RE.search(text):
        return text
    return _CONTROL_RE.sub("", text)


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    if _is_normal_line(text):
        return text
    return " ".join(text.split())


def short_line(text: str, limit: int = 200) -> str:
    """``text`` as one short line for a message (an error a feed or a server
    gave): controls removed, whitespace collapsed, at most ``limit``
    characters."""
    text = normalize_whitespace(strip_controls(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_normal_line(text: str) -> bool:
    """Whether ``text`` is printable, with no two spaces together and none at
    the ends: then it has no control characters or line breaks, and
    ``normalize_whitespace`` leaves it as it is (every whitespace character
    but the space is unprintable)."""
    if len(text) > _BYTE_SCAN_LENGTH and text.isascii():
        printable = text.encode("ascii").translate(_UNPRINTABLE_TO_HIGH).isascii()
    else:
        printable = text.isprintable()
    return printable and "  " not in text and text[:1] != " " and text[-1:] != " "


# --------------------------------------------------------------------------
# Paragraphs

_SENTENCE_END_RE = re.compile(r"[.!?:][\"')\]]*\s*$")
# Hard-wrapped abstracts (arXiv's legacy API, RSS 1.0) wrap near 80 columns.
_WRAP_WIDTH = 100


def normalize_paragraphs(text: str) -> str:
    """Collapse whitespace inside paragraphs; separate paragraphs by one blank line.

    A blank line always separates paragraphs. A single newline follows arXiv's
    convention, where a paragraph starts on an indented line:

    * lines indented more than the other continuation lines start paragraphs
      (hard-wrapped text whose wrapped lines are not indented);
    * when every continuation line has the same indentation, the lines are
      one wrapped paragraph if most are short and they do not all end a
      sentence (hard-wrapped or re-indented text), else each line is a
      paragraph (the current arXiv API and RSS put a paragraph on one line).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        return normalize_whitespace(text)
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line and not line.isspace():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs = [normalize_whitespace(paragraph) for block in blocks for paragraph in _split_block(block)]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _split_block(lines: list[str]) -> list[str]:
    """Split the lines between two blank lines into paragraphs (see normalize_paragraphs)."""
    if len(lines) <= 1:
        return lines
    indents = [len(line) - len(line.lstrip()) for line in lines[1:]]
    base = min(indents)
    if base != max(indents):
        starts = [indent > base for indent in indents]
    else:
        long_lines = sum(len(line.strip()) > _WRAP_WIDTH for line in lines[:-1])
        wrapped = 2 * long_lines < len(lines) - 1 and not all(
            _SENTENCE_END_RE.search(line) for line in lines[:-1]
        )
        starts = [not wrapped] * len(indents)
    paragraphs = [lines[0]]
    for line, start in zip(lines[1:], starts):
        if start:
            paragraphs.append(line)
        else:
            paragraphs[-1] += " " + line
    return paragraphs


# --------------------------------------------------------------------------
# TeX -> Unicode tables


def _alphabet(upper: int, lower: int | None, digits: int | None = None, **holes: str) -> dict[str, str]:
    """A styled alphabet from Unicode's Mathematical Alphanumeric Symbols block.

    ``holes`` are letters whose styled form lives in the Letterlike Symbols block.
    """
    table = {chr(65 + n): chr(upper + n) for n in range(26)}
    if lower is not None:
        table.update({chr(97 + n): chr(lower + n) for n in range(26)})
    if digits is not None:
        table.update({chr(48 + n): chr(digits + n) for n in range(10)})
    table.update(holes)
    return table


_BLACKBOARD = _alphabet(
    0x1D538, 0x1D552, 0x1D7D8, C="ℂ", H="ℍ", N="ℕ", P="ℙ", Q="ℚ", R="ℝ", Z="ℤ"
)
_SCRIPT = _alphabet(
    0x1D49C, 0x1D4B6, None,
    B="ℬ", E="ℰ", F="ℱ", H="ℋ", I="ℐ", L="ℒ", M="ℳ", R="ℛ", e="ℯ", g="ℊ", o="ℴ",
)
_FRAKTUR = _alphabet(0x1D504, 0x1D51E, None, C="ℭ", H="ℌ", I="ℑ", R="ℜ", Z="ℨ")
_BOLD = _alphabet(0x1D400, 0x1D41A, 0x1D7CE)

_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχ′∘⊤",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡ′°ᵀ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
    "iota": "ι", "kappa": "κ", "varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ",
    "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "digamma": "ϝ",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "varGamma": "Γ", "varDelta": "Δ", "varTheta": "Θ", "varLambda": "Λ", "varXi": "Ξ",
    "varPi": "Π", "varSigma": "Σ", "varUpsilon": "Υ", "varPhi": "Φ", "varPsi": "Ψ",
    "varOmega": "Ω",
}  # fmt: skip

_MATH_SYMBOLS = {
    # relations
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "leqslant": "⩽", "geqslant": "⩾",
    "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "cong": "≅",
    "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "lesssim": "≲", "gtrsim": "≳",
    "asymp": "≍", "doteq": "≐", "prec": "≺", "succ": "≻", "preceq": "⪯", "succeq": "⪰",
    "subset": "⊂", "subseteq": "⊆", "subsetneq": "⊊", "supset": "⊃", "supseteq": "⊇",
    "in": "∈", "notin": "∉", "ni": "∋", "perp": "⊥", "parallel": "∥", "mid": "∣",
    "nmid": "∤", "vdash": "⊢", "models": "⊨", "coloneqq": "≔",
    # operators
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "circ": "∘",
    "ast": "∗", "star": "⋆", "bullet": "•", "oplus": "⊕", "otimes": "⊗", "odot": "⊙",
    "ominus": "⊖", "cup": "∪", "cap": "∩", "setminus": "∖", "wedge": "∧", "land": "∧",
    "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬", "bigcup": "⋃", "bigcap": "⋂",
    "bigoplus": "⨁", "bigotimes": "⨂", "bigvee": "⋁", "bigwedge": "⋀", "sqcup": "⊔",
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "partial": "∂", "nabla": "∇", "infty": "∞", "emptyset": "∅",
    "varnothing": "∅", "forall": "∀", "exists": "∃", "nexists": "∄", "aleph": "ℵ",
    "beth": "ℶ", "hbar": "ℏ", "hslash": "ℏ", "ell": "ℓ", "Re": "ℜ", "Im": "ℑ",
    "wp": "℘", "angle": "∠", "triangle": "△", "square": "□", "Box": "□",
    "diamond": "⋄", "dagger": "†", "ddagger": "‡", "top": "⊤", "bot": "⊥",
    "prime": "′", "surd": "√", "colon": ":", "vert": "|", "lvert": "|", "rvert": "|",
    "Vert": "‖", "lVert": "‖", "rVert": "‖", "|": "‖", "langle": "⟨", "rangle": "⟩",
    "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "lbrace": "{",
    "rbrace": "}", "lbrack": "[", "rbrack": "]", "backslash": "\\",
    "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
    # arrows
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←",
    "leftrightarrow": "↔", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔",
    "iff": "⟺", "implies": "⟹", "impliedby": "⟸", "mapsto": "↦",
    "longrightarrow": "⟶", "longleftarrow": "⟵", "longleftrightarrow": "⟷",
    "Longrightarrow": "⟹", "Longleftarrow": "⟸", "Longleftrightarrow": "⟺",
    "longmapsto": "⟼", "uparrow": "↑", "downarrow": "↓", "updownarrow": "↕",
    "Uparrow": "⇑", "Downarrow": "⇓", "hookrightarrow": "↪", "hookleftarrow": "↩",
    "nearrow": "↗", "searrow": "↘", "leadsto": "⇝", "rightharpoonup": "⇀",
    "rightleftharpoons": "⇌",
}  # fmt: skip

_TEXT_SYMBOLS = {
    # escaped characters
    "%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}",
    # spacing; "\\" is a line break, which an abstract reads as a space
    ",": " ", ";": " ", ":": " ", ">": " ", "!": "", " ": " ", "\t": " ", "\n": " ",
    "\\": " ", "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ",
    "medspace": " ", "thickspace": " ", "negthinspace": "", "newline": " ",
    "/": "", "-": "", "@": "", "(": "(", ")": ")", "[": "[", "]": "]",
    # letters and text symbols
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ",
    "AE": "Æ", "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
    "S": "§", "copyright": "©", "pounds": "£", "euro": "€",
    "textdegree": "°", "degree": "°", "checkmark": "✓", "textendash": "–",
    "textemdash": "—", "textbullet": "•", "textasciitilde": "~",
    "textasciicircum": "^", "textbackslash": "\\", "textbar": "|", "textless": "<",
    "textgreater": ">", "textregistered": "®", "texttrademark": "™",
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2ε",
    # declarations and sizes that only change the look
    "it": "", "em": "", "bf": "", "rm": "", "sl": "", "sc": "", "tt": "", "sf": "",
    "itshape": "", "bfseries": "", "scshape": "", "upshape": "", "normalfont": "",
    "tiny": "", "scriptsize": "", "footnotesize": "", "small": "", "normalsize": "",
    "large": "", "Large": "", "LARGE": "", "huge": "", "Huge": "", "noindent": "",
    "displaystyle": "", "textstyle": "", "scriptstyle": "", "scriptscriptstyle": "",
    "limits": "", "nolimits": "", "strut": "", "mathstrut": "", "nonumber": "",
    "notag": "", "centering": "", "middle": "", "relax": "", "protect": "",
}  # fmt: skip

_SYMBOLS = {**_GREEK, **_MATH_SYMBOLS, **_TEXT_SYMBOLS}

# Letter macros swallow the space that ends their name ("Stra\ss e").
_LETTERS = frozenset({"ss", "o", "O", "aa", "AA", "ae", "AE", "oe", "OE", "l", "L", "i", "j"})

# In math, where TeX ignores spaces, nothing stands between a delimiter and
# what it encloses: "\lvert E \rvert" is "|E|", not "| E |".
_OPENING_DELIMITERS = frozenset({"lvert", "lVert", "langle", "lceil", "lfloor", "lbrace", "lbrack"})
_CLOSING_DELIMITERS = frozenset({"rvert", "rVert", "rangle", "rceil", "rfloor", "rbrace", "rbrack"})

# Upright operator names, written as words with a space from their neighbours.
_WORDS = frozenset(
    "log ln lg exp sin cos tan sec csc cot sinh cosh tanh coth arcsin arccos arctan "
    "max min sup inf lim liminf limsup det dim ker deg gcd lcm Pr arg hom mod bmod "
    "argmax argmin tr Tr rank diag sgn".split()
)

# \left, \right and the \big family are dropped; "\left." also loses its dot.
_SIZERS = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr "
    "bigm Bigm biggm Biggm".split()
)

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303",
    "bar": "\u0304", "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307",
    "ddot": "\u0308", "check": "\u030c", "breve": "\u0306", "acute": "\u0301",
    "grave": "\u0300", "mathring": "\u030a",
}  # fmt: skip
# Text accents named by a letter; in math these names are the user's own
# macros (often \d for an upright d) and stay unknown.
_LETTER_ACCENTS = frozenset("uvHckrd")
# An accent on an empty group is the accent itself ("\^{}" is a caret).
_BARE_ACCENTS = {"^": "^", "~": "~", "'": "´", "`": "`", '"': "¨"}

_TEXT, _MATH = 0, 1

# name -> (character map or None, mode of the argument or None for the current mode)
_FONTS: dict[str, tuple[dict[str, str] | None, int | None]] = {
    "mathbb": (_BLACKBOARD, _MATH), "Bbb": (_BLACKBOARD, _MATH), "mathcal": (_SCRIPT, _MATH),
    "mathscr": (_SCRIPT, _MATH), "mathfrak": (_FRAKTUR, _MATH),
    "mathbf": (_BOLD, _MATH), "boldsymbol": (_BOLD, _MATH), "bm": (_BOLD, _MATH),
    "mathrm": (None, _MATH), "mathit": (None, _MATH), "mathsf": (None, _MATH),
    "mathtt": (None, _MATH), "mathnormal": (None, _MATH), "mathop": (None, _MATH),
    "ensuremath": (None, _MATH), "underline": (None, None),
    "text": (None, _TEXT), "textrm": (None, _TEXT), "textit": (None, _TEXT),
    "textbf": (None, _TEXT), "texttt": (None, _TEXT), "textsf": (None, _TEXT),
    "textsc": (None, _TEXT), "textsl": (None, _TEXT), "textup": (None, _TEXT),
    "textmd": (None, _TEXT), "textnormal": (None, _TEXT), "emph": (None, _TEXT),
    "mbox": (None, _TEXT), "hbox": (None, _TEXT), "fbox": (None, _TEXT),
    "url": (None, _TEXT), "nolinkurl": (None, _TEXT), "ref": (None, _TEXT),
    "autoref": (None, _TEXT), "cref": (None, _TEXT), "Cref": (None, _TEXT),
}  # fmt: skip

# name -> text around the argument, which is kept
_WRAPPERS = {
    "cite": ("[", "]"), "citep": ("[", "]"), "citet": ("[", "]"), "citealp": ("[", "]"),
    "eqref": ("(", ")"), "footnote": (" (", ")"), "pmod": (" (mod ", ")"),
}  # fmt: skip

_DEFINERS = frozenset({"newcommand", "renewcommand", "providecommand", "def"})
_NEWCOMMAND_PARAMS_RE = re.compile(r"\[\d\](?:\[[^\]]*\])?")
_DEF_PARAMS_RE = re.compile(r"(?:#\d)+")

_TOKEN_RE = re.compile(
    r"(?P<cs>\\(?:[A-Za-z]+|[\s\S])?)"
    r"|(?P<dollar>\$\$?)"
    r"|(?P<open>\{)"
    r"|(?P<close>\})"
    r"|(?P<script>[\^_])"
    r"|(?P<text>[^\\{}$^_]+)"
)
_SCRIPT_CHARS = frozenset(_SUPERSCRIPTS.values()) | frozenset(_SUBSCRIPTS.values())
# "~" is a TeX non-breaking space only between two non-space characters
# ("Fig.~3", "$x$~dB"); "~5 GB" and "https://host/~user" keep theirs.
_TILDE_RE = re.compile(r"https?://\S+|(?<=[^\s/\\])~(?=[^\s~/])")
_MATH_SPACE_RE = re.compile(r"[\s~]+")
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")
# TeX quotes: ``double'' and `single', each opening mark paired with the
# first closing one after it. A single closing mark is not followed by a
# letter, so the apostrophe of "don't" inside stays one.
_DOUBLE_QUOTE_RE = re.compile(r"``(?=\S)((?:(?!``|'').)*?\S)''", re.DOTALL)
_SINGLE_QUOTE_RE = re.compile(r"(?<![\w`])`(?=[^\s`'])([^`]*?[^\s`])'(?![\w'])")
_PROSE_WORD_RE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")
_NON_ATOM_RE = re.compile(r"[\s+\-−±∓/·×*=<>,:;|]")

_MAX_DEPTH = 40  # nesting of groups and arguments
_MAX_EXPANSIONS = 100  # uses of \newcommand-defined macros per text
_MAX_DEFINITION_TOKENS = 200  # a longer body is not taken for a definition
_CLOSE = frozenset({"close", "mclose"})
_MATH_STOPS = frozenset({"mclose"})
_NO_STOPS: frozenset[str] = frozenset()


def latex_to_unicode(text: str) -> str:
    """Readable Unicode from the TeX in a title, abstract or author name.

    Accents, math (``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]``) with Greek,
    symbols, fonts, fractions, roots and sub/superscripts are converted. Words
    are never dropped: ``%`` is a literal percent, a ``$`` without a plausible
    partner is a literal dollar, unknown macros keep their name (without the
    backslash in math) and their arguments.
    """
    return _latex_to_unicode(text)[0]


def _latex_to_unicode(text: str) -> tuple[str, bool]:
    """``latex_to_unicode(text)``, and True when the result is a normal line
    (see ``_is_normal_line``) if ``text`` is one: when the text has no TeX or
    is simple (see ``_convert_simple``)."""
    converted, normal = _convert_tex(text)
    if "`" in converted:  # typographic quotes keep a normal line normal
        converted = _typographic_quotes(converted)
    return converted, normal


def _convert_tex(text: str) -> tuple[str, bool]:
    """``_latex_to_unicode`` but for the quotes."""
    if "\\" not in text and "$" not in text and "~" not in text:
        return text, True
    if "~" in text:  # a replaced "~" has a non-space on either side
        text = _TILDE_RE.sub(_tilde_space, text)
    simple = _convert_simple(text)
    if simple is not None:
        return simple, True
    return _Converter(text).convert(), False


def _typographic_quotes(text: str) -> str:
    """TeX's ``double'' and `single' quotes as “double” and ‘single’; a
    pair is left as it is when a blank line (a new paragraph) lies between."""
    text = _DOUBLE_QUOTE_RE.sub(lambda match: _quoted(match, "“", "”"), text)
    return _SINGLE_QUOTE_RE.sub(lambda match: _quoted(match, "‘", "’"), text)


def _quoted(match: re.Match[str], opening: str, closing: str) -> str:
    inner = match.group(1)
    if _BLANK_LINE_RE.search(inner):
        return match.group()
    return f"{opening}{inner}{closing}"


def _tilde_space(match: re.Match[str]) -> str:
    return " " if match.group() == "~" else match.group()


def _convert_simple(text: str) -> str | None:
    """``_Converter(text).convert()`` for a simple text, else None.

    A simple text has TeX only in inline math spans (``$..$``, ``\\(..\\)``)
    that pair in order, convert to something, and are separated by non-empty
    plain runs: no TeX outside them, no escaped, doubled or unpaired
    delimiters, no display math, no definitions. The converter writes such a
    text's runs unchanged and renders each span without reading past its
    closing delimiter; what it wrote before a span can only add a leading
    space, which the span's strip removes, and a span only passes on whether
    it ended in an operator name. So a span converted alone gives the same
    result, and short spans (often repeated: "$n$", "$\\alpha$") are
    converted once and cached. A converted span has single inner spaces only, and a space is
    added only between a span and a letter or digit, so the result of a
    normal line (see ``_is_normal_line``) is a normal line.
    """
    # Single characters are searched for: they are found much faster than
    # "\\(" or "$$". Doubled dollars need no check: they make an empty span
    # or an empty run between two spans, and both are refused below.
    marks = _positions(text, "$")
    for backslash in _positions(text, "\\"):
        follower = text[backslash + 1 : backslash + 2]
        if follower == "(" or follower == ")":
            marks.append(backslash)
        elif follower == "[" or follower == "]":
            return None
    marks.sort()
    if len(marks) % 2:
        return None
    out: list[str] = []
    after_word = False
    end = 0
    for index in range(0, len(marks), 2):
        start, close = marks[index], marks[index + 1]
        if "\\" in (text[start - 1 : start], text[close - 1 : close]):
            return None  # a delimiter after a backslash may be escaped
        if text[start] == "$":
            # _is_math looks at the span's content and at the character after it
            if text[close] != "$" or text[close + 1 : close + 2].isdigit():
                return None
            span_end = close + 1
        elif text[start + 1] == "(" and text[close : close + 2] == "\\)":
            span_end = close + 2
        else:
            return None
        run = text[end:start]
        if (index and not run) or _has_tex(run):
            return None
        span = text[start:span_end]
        if "\\def" in span or "command" in span:
            return None
        convert = _convert_short_span if len(span) <= _SHORT_SPAN else _convert_span
        piece, after_word_next, is_math = convert(span)
        if not is_math or not piece:
            return None
        if run:
            if after_word and run[0].isalnum() and run[0] not in _SCRIPT_CHARS:
                out.append(" ")
            out.append(run)
        out.append(piece)
        after_word = after_word_next
        end = span_end
    run = text[end:]
    if _has_tex(run):
        return None
    if run and after_word and run[0].isalnum() and run[0] not in _SCRIPT_CHARS:
        out.append(" ")
    out.append(run)
    return "".join(out)


def _has_tex(run: str) -> bool:
    """Whether a run between math spans has a character the tokenizer treats
    specially (dollars are all span delimiters already)."""
    return "\\" in run or "{" in run or "}" in run or "^" in run or "_" in run


def _positions(text: str, char: str) -> list[int]:
    """The indexes of ``char`` in ``text``."""
    found = []
    index = text.find(char)
    while index >= 0:
        found.append(index)
        index = text.find(char, index + 1)
    return found


def _convert_span(span: str) -> tuple[str, bool, bool]:
    """One math span converted alone: the text, whether it ended in an operator
    name, and whether its delimiters were taken for math."""
    converter = _Converter(span)
    is_math = converter.toks[0][0] == "mopen"
    return converter.convert(), converter.after_word, is_math


# Short spans are the ones that repeat; only they are cached, which keeps the
# cache small whatever a feed sends.
_SHORT_SPAN = 80
_convert_short_span = lru_cache(maxsize=4096)(_convert_span)


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


def _balanced(content: str) -> bool:
    """Braces balance (TeX requires it); () and [] balance together ("[0,1)")."""
    unescaped = content.replace("\\{", "").replace("\\}", "")
    if unescaped.count("{") != unescaped.count("}"):
        return False
    opened = content.count("(") + content.count("[")
    return opened == content.count(")") + content.count("]")


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
        self.toks = [[m.lastgroup, m.group(), m.start()] for m in _TOKEN_RE.finditer(text)]
        self.i = 0
        self.depth = 0
        self.defs: dict[str, list[list]] = {}
        self.expansions = 0
        self.last = ""  # last character written
        self.after_word = False  # last piece written was an operator name
        self._pair_dollars(text)
        self._pair_brackets()

    # -- set-up ------------------------------------------------------------

    def _pair_dollars(self, text: str) -> None:
        """Decide which ``$``/``$$`` delimit math; the others stay literal dollars.

        A candidate pair is the next delimiter of the same kind. It is math unless
        the closing ``$`` is followed by a digit ("$5 and $10"), the content spans
        paragraphs or has unbalanced brackets (code such as "$a){if($b"), or
        it has words of three letters and either a space next to a delimiter
        ("costs $800 for $n$") or more than 40 characters and no macro.
        """
        dollars = [tok for tok in self.toks if tok[0] == "dollar"]
        index = 0
        while index < len(dollars) - 1:
            opening, closing = dollars[index], dollars[index + 1]
            if opening[1] == closing[1] and self._is_math(text, opening, closing):
                opening[0], closing[0] = "mopen", "mclose"
                index += 2
            else:
                index += 1

    @staticmethod
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

    def _pair_brackets(self) -> None:
        """Pair ``\\(`` with ``\\)`` and ``\\[`` with ``\\]``."""
        pending: dict[str, list] = {}
        for tok in self.toks:
            if tok[0] != "cs":
                continue
            if tok[1] in ("\\(", "\\[") and tok[1] not in pending:
                pending[tok[1]] = tok
            elif tok[1] in ("\\)", "\\]"):
                opening = pending.pop("\\(" if tok[1] == "\\)" else "\\[", None)
                if opening is not None:
                    opening[0], tok[0] = "mopen", "mclose"

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


# --------------------------------------------------------------------------
# Titles and abstracts


def clean_title(raw: str) -> str:
    """A title as one line of readable Unicode."""
    if _is_normal_line(raw):
        # Safe: a normal line has no controls to strip, and the conversion
        # says when its result is a normal line too, which needs no work.
        converted, normal = _latex_to_unicode(raw)
        return converted if normal else normalize_whitespace(converted)
    return normalize_whitespace(latex_to_unicode(strip_controls(raw)))


def clean_abstract(raw: str) -> str:
    """An abstract as readable Unicode paragraphs separated by blank lines."""
    if "\n" not in raw and _is_normal_line(raw):  # safe: as in clean_title
        converted, normal = _latex_to_unicode(raw)
        return converted if normal else normalize_paragraphs(converted)
    return normalize_paragraphs(latex_to_unicode(strip_controls(raw)))


# --------------------------------------------------------------------------
# HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})


class _TextExtractor(HTMLParser):
    """Collects text paragraphs; block elements end one, <pre> keeps its non-blank lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.parts: list[str] = []
        self.skipping = 0
        self.pre = 0
        self.bulleted = False  # the paragraph began with the bullet of an <li>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.flush()
            if tag == "pre":
                self.pre += 1
            elif tag == "li":
                self.parts.append("• ")
                self.bulleted = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def flush(self) -> None:
        text = "".join(self.parts)
        bulleted, self.parts, self.bulleted = self.bulleted, [], False
        if bulleted and not text[2:].strip():
            return  # an empty list item (a "•" of the feed's own text stays)
        if self.pre:
            text = "\n".join(line.rstrip() for line in text.split("\n") if line.strip())
        else:
            text = normalize_whitespace(text)
        if text.strip():
            self.paragraphs.append(text)


def strip_html(text: str) -> str:
    """Plain text of an HTML fragment, paragraphs separated by blank lines.

    Tags go, entities are decoded, block elements and <br> end paragraphs,
    <li> items get a bullet, <script>/<style> contents and images are dropped.
    """
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.paragraphs)


# --------------------------------------------------------------------------
# Links

# Characters that never belong in a URL we hand on: spaces, controls, bidi and
# zero-width marks, surrogates, and backslashes (some browsers read them as /).
_NOT_URL_CHARS = (
    r"\s\x00-\x1f\x7f-\x9f\\\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
)
_URL_RE = re.compile(rf"https?://[^<>\"'`{{}}|^{_NOT_URL_CHARS}]+", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?*'\""
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_FORGE_HOSTS = frozenset({"github.com", "gist.github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
# Site pages of the code forges, which are not an owner or a repository.
_FORGE_RESERVED = frozenset(
    "about collections customer-stories enterprise explore features join login "
    "marketplace pricing readme search security settings site sponsors topics trending".split()
)
# Hub sections of huggingface.co that are not a model, data set or space.
_HF_RESERVED = frozenset(
    "papers blog docs learn join login settings pricing models collections "
    "organizations posts tasks api chat enterprise search notifications".split()
)


def find_code_links(text: str) -> list[str]:
    """http(s) links to code, models, data sets and archives, in order, deduplicated.

    Hosts: GitHub, GitLab, Bitbucket, Codeberg (owners and repositories),
    Hugging Face models, datasets and spaces, Zenodo (with 10.5281/zenodo DOIs).
    """
    found: list[str] = []
    # Safe: every _URL_RE match contains "://" (looked for after the much
    # faster search for one character).
    if "/" not in text or "://" not in text:
        return found
    for match in _URL_RE.finditer(text):
        url = _trim_url(match.group())
        if url not in found and _is_code_url(url):
            found.append(url)
    return found


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end."""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCT:
            url = url[:-1]
        elif last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def _is_code_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    segments = [segment for segment in parts.path.split("/") if segment]
    host = host.removeprefix("www.")
    if host in _FORGE_HOSTS:
        return bool(segments) and segments[0].lower() not in _FORGE_RESERVED
    if host in ("huggingface.co", "hf.co"):
        if segments[:1] in (["datasets"], ["spaces"]):
            return len(segments) >= 3
        return len(segments) >= 2 and segments[0] not in _HF_RESERVED
    if host == "zenodo.org":
        return bool(segments)
    if host in ("doi.org", "dx.doi.org"):
        return segments[:1] == ["10.5281"] and len(segments) > 1 and segments[1].lower().startswith("zenodo.")
    return False


_UNSAFE_URL_CHAR_RE = re.compile(f"[{_NOT_URL_CHARS}]")


def is_safe_url(url: str) -> bool:
    """True only for an http(s) URL with a host and no spaces or control characters.

    Guards what is handed to a browser: no ``javascript:``, ``file:`` or other
    schemes, nothing that could be read as a command-line option.
    """
    if not url or url.startswith("-") or _UNSAFE_URL_CHAR_RE.search(url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
