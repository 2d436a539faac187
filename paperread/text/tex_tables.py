"""The tables TeX is converted with: styled alphabets, sub- and
superscripts, Greek, math and text symbols, accents, fonts and wrappers.
Data only; ``tex_converter`` reads them."""

from __future__ import annotations


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
_SCRIPT_CHARS = frozenset(_SUPERSCRIPTS.values()) | frozenset(_SUBSCRIPTS.values())
