"""Text cleaning: control characters, paragraphs, TeX, HTML, links, URL safety."""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from paperread.sources import parse_feed
from paperread.text import (
    clean_abstract,
    clean_title,
    find_code_links,
    is_safe_url,
    latex_to_unicode,
    normalize_paragraphs,
    normalize_whitespace,
    strip_controls,
    strip_html,
)
from paperread.text import controls as controls_module
from paperread.text import tex as tex_module
from paperread.text import tex_converter as converter_module

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"


def _forbidden(char: str) -> bool:
    """The characters strip_controls must remove."""
    code = ord(char)
    return (
        (code < 0x20 and char not in "\t\n")
        or 0x7F <= code <= 0x9F
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or char in "\u200e\u200f\u061c"
        or 0xD800 <= code <= 0xDFFF
    )


def _arxiv_texts(feeds: Path) -> list[tuple[str, str, str]]:
    """(file, element, text) for every title and abstract in the arXiv samples."""
    texts = []
    for path in sorted(feeds.glob("arxiv*")):
        for element in ET.parse(path).getroot().iter():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag in ("title", "summary", "description") and element.text and element.text.strip():
                texts.append((path.name, tag, element.text))
    return texts


def _atom_summaries(path: Path) -> list[str]:
    return [entry.findtext(f"{ATOM}summary") for entry in ET.parse(path).getroot().iter(f"{ATOM}entry")]


# --------------------------------------------------------------------------
# strip_controls


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain text", "plain text"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("crlf\r\nand\rcr", "crlf\nand\ncr"),
        ("nul\x00bel\x07bs\x08vt\x0bff\x0cdel\x7f", "nulbelbsvtffdel"),
        ("c1\x85\x9fend", "c1end"),
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x1b[1;38;5;196mbold\x1b[m", "bold"),
        ("\x9b31mC1 CSI", "C1 CSI"),
        ("click \x1b]8;;https://evil.example/\x07here\x1b]8;;\x07 now", "click here now"),
        ("osc st \x1b]8;;https://e.example\x1b\\link\x1b]8;;\x1b\\", "osc st link"),
        ("clip\x1b]52;c;ZXZpbCBjb21tYW5k\x07board", "clipboard"),
        ("title\x1b]0;pwned\x1b\\ bar", "title bar"),
        ("c1 osc\x9d0;t\x9c!", "c1 osc!"),
        ("c1 dcs\x90q#0\x9c!", "c1 dcs!"),
        ("mojibake \x9eluťoučký \x9fes", "mojibake luťoučký es"),
        ("dcs\x1bPq#0;2;0;0;0\x1b\\ end", "dcs end"),
        ("charset\x1b(B ok", "charset ok"),
        ("save\x1b7restore\x1b8", "saverestore"),
        ("unterminated \x1b]0;title\nnext line", "unterminated \nnext line"),
        ("lone escape\x1b", "lone escape"),
        ("bidi \u202egnp.exe\u202c and \u2066iso\u2069", "bidi gnp.exe and iso"),
        ("marks\u200e\u200f\u061c gone", "marks gone"),
        ("surrogate\ud800 gone", "surrogate gone"),
        ("Cramér ω → ∞, emoji 🙂", "Cramér ω → ∞, emoji 🙂"),
    ],
)
def test_strip_controls(raw: str, expected: str) -> None:
    assert strip_controls(raw) == expected


@given(st.text(st.characters(exclude_categories=())))
def test_strip_controls_leaves_no_forbidden_character(text: str) -> None:
    cleaned = strip_controls(text)
    assert not [char for char in cleaned if _forbidden(char)]
    assert strip_controls(cleaned) == cleaned


_ESCAPE_PIECES = ["\x1b", "[", "]", "31", ";", "m", "8", "\x07", "\\", "P", "text"]
_ESCAPE_PIECES += ["\x9b", "\x9d", "\x9c", "\r", "\n"]


@given(st.lists(st.sampled_from(_ESCAPE_PIECES)))
def test_strip_controls_escape_soup(parts: list[str]) -> None:
    cleaned = strip_controls("".join(parts))
    assert not [char for char in cleaned if _forbidden(char)]


def test_strip_controls_removes_whole_sequences_not_their_parameters() -> None:
    cleaned = strip_controls("a\x1b[38;2;255;0;0mb\x9b1;31mc\x1b]8;id=x;https://e.example\x07d")
    assert cleaned == "abcd"
    assert "[" not in cleaned and "31m" not in cleaned


# --------------------------------------------------------------------------
# Whitespace and paragraphs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a \t b\n\nc  ", "a b c"),
        ("a\u00a0\u2003b", "a b"),
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_normalize_whitespace(raw: str, expected: str) -> None:
    assert normalize_whitespace(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one line  only ", "one line only"),
        ("first\n\nsecond\n \n\n third", "first\n\nsecond\n\nthird"),
        ("crlf para\r\n\r\nnext", "crlf para\n\nnext"),
        # arXiv API today: one paragraph a line, later ones indented
        (
            "First paragraph is long enough to be a whole line of an unwrapped abstract, "
            "certainly more than a hundred characters.\n  Second paragraph.",
            "First paragraph is long enough to be a whole line of an unwrapped abstract, "
            "certainly more than a hundred characters.\n\nSecond paragraph.",
        ),
        # short unwrapped paragraphs that each end a sentence
        (
            "Withdrawn by the authors.\n  See the new version.",
            "Withdrawn by the authors.\n\nSee the new version.",
        ),
        # legacy hard wrap: continuation lines are not indented, a paragraph is
        (
            "  We study the wrapped\nabstract of an old feed.\n  A second paragraph\nstarts indented.\n",
            "We study the wrapped abstract of an old feed.\n\nA second paragraph starts indented.",
        ),
        # re-indented hard wrap: every line has the same indentation
        (
            "A title that wraps over\n    two lines and more\n    lines of text",
            "A title that wraps over two lines and more lines of text",
        ),
    ],
)
def test_normalize_paragraphs(raw: str, expected: str) -> None:
    assert normalize_paragraphs(raw) == expected


def test_paragraphs_of_the_current_arxiv_api(shared_feeds: Path) -> None:
    summaries = _atom_summaries(shared_feeds / "arxiv-api-atom-2026-04-12-all-testing-m100.xml")
    cleaned = [clean_abstract(summary) for summary in summaries]
    with_paragraphs = [text for text in cleaned if "\n\n" in text]
    assert len(with_paragraphs) == 11
    for summary, text in zip(summaries, cleaned):
        assert text.count("\n\n") == summary.strip().count("\n  ")
        for paragraph in text.split("\n\n"):
            assert paragraph == normalize_whitespace(paragraph) and paragraph
    conclusion = next(text for text in cleaned if "Context. Multiple automated" in text)
    assert conclusion.split("\n\n")[-1].startswith("Conclusion. For effectiveness")


def test_hard_wrapped_legacy_abstracts_join_into_one_paragraph(shared_feeds: Path) -> None:
    for name in (
        "arxiv-api-atom-legacy-2016-10-09-au-del_maestro.xml",
        "arxiv-api-atom-legacy-2016-10-09-idlist-1111.2011v2.xml",
    ):
        for summary in _atom_summaries(shared_feeds / name):
            assert summary.strip().count("\n") > 3
            assert clean_abstract(summary) == normalize_whitespace(latex_to_unicode(summary))


def test_arxiv_rss_paragraphs(shared_feeds: Path) -> None:
    root = ET.parse(shared_feeds / "arxiv-rss2-quant-ph-2025-04-28.xml").getroot()
    descriptions = [item.findtext("description") for item in root.iter("item")]
    breaks = sum(clean_abstract(text).count("\n\n") for text in descriptions)
    assert breaks == sum(text.count("\n  ") for text in descriptions) == 4


def test_rdf_paragraphs_come_from_html(shared_feeds: Path) -> None:
    root = ET.parse(shared_feeds / "arxiv-rdf-cs-2018-08-30.rdf").getroot()
    for item in root.iter(f"{RSS1}item"):
        html = item.findtext(f"{RSS1}description")
        paragraphs = [p for p in re.findall(r"<p>(.*?)</p>", html, re.S) if p.strip()]
        assert clean_abstract(strip_html(html)).count("\n\n") == len(paragraphs) - 1


@given(st.lists(st.sampled_from(["a", "b.", " ", "  ", "\n", "\t", "\r", "x" * 120])).map("".join))
def test_paragraphs_keep_every_word(text: str) -> None:
    result = normalize_paragraphs(text)
    assert normalize_whitespace(result) == normalize_whitespace(text)
    assert "\n\n\n" not in result and result == result.strip()
    assert all(paragraph for paragraph in result.split("\n\n") if result)


# --------------------------------------------------------------------------
# latex_to_unicode


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        # the examples from the design notes
        (r"$\mathcal{O}(n^2)$", "𝒪(n²)"),
        (r"\(T_w\)", "T_w"),
        (r"$\ln\ln T$", "ln ln T"),
        (r"improves by 5% over $\alpha$-baselines", "improves by 5% over α-baselines"),
        # accents and letters
        (r"Cram\'er-Rao", "Cramér-Rao"),
        (r'Schr\"odinger', "Schrödinger"),
        (r'{\"o}, \'{e}, \c{c}, \v{s}, \~n, \`a, \^o', "ö, é, ç, š, ñ, à, ô"),
        (r"\=a, \.z, \u{g}, \H{o}, \k{a}, \r{a}", "ā, ż, ğ, ő, ą, å"),
        (r"Stra\ss e, Bj\o rn, M{\o}ller, \aa, \AA", "Straße, Bjørn, Møller, å, Å"),
        (r"\ae, \oe, \l{}, \L, \S 3", "æ, œ, ł, Ł, § 3"),
        (r"na\"{\i}ve R\'{e}nyi", "naïve Rényi"),
        # escapes
        (r"50\% of \$10 \& a\_b \#1 \{x\}", "50% of $10 & a_b #1 {x}"),
        (r"\^{} and \~{}", "^ and ~"),
        # text that only looks like TeX stays as it is
        ("5% better", "5% better"),
        ("50% and 30%", "50% and 30%"),
        ("a_b and x^2", "a_b and x^2"),
        ("costs $800 per sample", "costs $800 per sample"),
        ("from $5 to $10", "from $5 to $10"),
        (r"costs $800 for $n$ samples", "costs $800 for n samples"),
        ("~5 GB at https://host.example/~user/a_b", "~5 GB at https://host.example/~user/a_b"),
        ("{1,2} and {x} \\alpha", "{1,2} and {x} α"),
        # non-breaking spaces in TeX
        (r"Fig.~3 of~$X$ at $-4.9(1)$~dB", "Fig. 3 of X at -4.9(1) dB"),
        # math: Greek, operators, relations, arrows
        (r"$\alpha\beta\Gamma\varepsilon\epsilon\ell\hbar$", "αβΓεϵℓℏ"),
        (r"$a \le b \ge c \neq d \approx e \sim f$", "a ≤ b ≥ c ≠ d ≈ e ∼ f"),
        (r"$x \in A \times B \cdot C$, $n \to \infty$", "x ∈ A × B · C, n → ∞"),
        (r"$\pm \mp \partial \nabla \sum \prod \int \leftarrow \rightarrow$", "± ∓ ∂ ∇ ∑ ∏ ∫ ← →"),
        (r"$\not\in$ and $\not=$", "∉ and ≠"),
        # fonts
        (r"$\mathbb{R}^n$, $\mathbb R$, $\mathbb{1}$", "ℝⁿ, ℝ, 𝟙"),
        (r"$\mathcal{L}$ ${\cal O}(x)$ $\mathfrak{g}$", "ℒ 𝒪(x) 𝔤"),
        (r"$\mathbf{x}$ $\mathrm{d}x$ $\text{GHZ}_3$", "𝐱 dx GHZ₃"),
        (r"\textbf{NP}-complete, \emph{oracle problem}, {\it map}", "NP-complete, oracle problem, map"),
        (r"$\operatorname{argmax}_x f$", "argmaxₓ f"),
        # scripts
        (r"$x_{ij}$ $2^{n-1}$ $\varepsilon^{-2}$ $x^{(k)}$", "xᵢⱼ 2ⁿ⁻¹ ε⁻² x⁽ᵏ⁾"),
        (r"$x_{ab}$ $N_c$ $B_{cd}L$", "x_(ab) N_c B_(cd)L"),
        (r"$T_{max}$ $\lambda_{ph}$ $x^{ij}$", "Tₘₐₓ λₚₕ xⁱʲ"),
        (r"$Q^*_{1/3}$ $90^\circ$ $f'$ $x^\prime$", "Q^*_(1/3) 90° f' x′"),
        # fractions, roots, spacing, sizing
        (r"$\frac{4}{3}$ $\tfrac12$ $\frac{n}{\log n}$ $\frac{a+b}{c}$", "4/3 1/2 n/(log n) (a+b)/c"),
        (r"$\sqrt{n}$ $\sqrt{\log N}$ $\sqrt[3]{x}$", "√n √(log N) ∛x"),
        (r"$16\,384$ $a\quad b$ $a\!b$", "16 384 a b ab"),
        (r"$\left(\frac{a}{b}\right)^{\!2}$ $\bigl(x\bigr)$ $\left.x\right|$", "(a/b)² (x) x|"),
        (r"$\lvert E\rvert$ $\|x\|$ $\{1, \dots, n\}$", "|E| ‖x‖ {1, …, n}"),
        (r"$\lvert  E \rvert$ $\langle x, y\rangle$ $\lVert \alpha \rVert_2$", "|E| ⟨x, y⟩ ‖α‖₂"),
        (r"$a \leq b$ and \lbrace b \rbrace", "a ≤ b and { b }"),  # only math spacing goes
        # delimiters
        (r"\[x^2\] and $$y_1$$ and \(z\)", "x² and y₁ and z"),
        (r"unpaired \( and \]", "unpaired ( and ]"),
        # unknown macros keep their names and arguments
        (r"$\FF_2^n$ $\poly{n}$", "FF₂ⁿ poly(n)"),
        (r"see \foo{bar} and \vspace{2mm}", "see \\foo{bar} and \\vspace{2mm}"),
        (r"C:\Users\name", "C:\\Users\\name"),
        (r"as in \cite{key1,key2}", "as in [key1,key2]"),
        (r"\url{https://github.com/a/b_c}", "https://github.com/a/b_c"),
        (r"\href{https://x.example}{the site}", "the site (https://x.example)"),
        # macro definitions are used, not shown
        (r"$\newcommand{\F}{\mathbb{F}} $For $f:\F_2^n \to \F$", "For f:𝔽₂ⁿ → 𝔽"),
        (r"\def\R{\mathbb{R}}$\R^d$", "ℝᵈ"),
        (r"use \def to define", "use \\def to define"),
        (r"the \left side", "the \\left side"),
    ],
)
def test_latex_to_unicode(tex: str, expected: str) -> None:
    assert latex_to_unicode(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (
            r"\(T_w = i\hbar\bigl(\partial_E + \tfrac12\,\partial_E\ln w(E)\bigr)\)",
            "T_w = iℏ(∂_E + 1/2 ∂_E ln w(E))",
        ),
        (r"\(L^2(\mathbb R,\,w(E)\,dE)\)", "L²(ℝ, w(E) dE)"),
        (r"$f\colon\mathbb R^n\to\mathbb R$, $\mathbf{x}\in\mathbb R^n$", "f:ℝⁿ→ℝ, 𝐱∈ℝⁿ"),
        (r"$M = O(K^2\log{(N/K)}/p^3)$", "M = O(K² log(N/K)/p³)"),
        (r"$\tildeΘ(\sqrt{\log N} \cdot \varepsilon^{-2})$", "Θ̃(√(log N) · ε⁻²)"),
        (r"$\tilde{O}(\varepsilon^{-20})$-query", "Õ(ε⁻²⁰)-query"),
        ("length $ k $ is, of optimal $ q\n    $-ary codes", "length k is, of optimal q-ary codes"),
        (r"$\textit{with emergent creative capabilities}$", "with emergent creative capabilities"),
        (r"$99.51\pm0.03$\% pure", "99.51±0.03% pure"),
        ("$ω$Test", "ωTest"),
        (r"\sigma_{\min} of A", "σ_min of A"),
        (
            r"\[\tilde Θ\left(\frac{\sqrt{n}}{\varepsilon_2^{2}} + \frac{n}{\log n} \cdot \max "
            r"\left\{\frac{\varepsilon_1}{\varepsilon_2^2},"
            r"\left(\frac{\varepsilon_1}{\varepsilon_2^2}\right)^{\!\!2}\right\}\right),\]",
            "Θ̃(√n/ε₂² + n/(log n) · max {ε₁/ε₂²,(ε₁/ε₂²)²}),",
        ),
    ],
)
def test_latex_from_the_feed_samples(tex: str, expected: str) -> None:
    assert latex_to_unicode(tex) == expected


def test_tex_quotes_of_a_real_legacy_api_feed_become_typographic(extra_feeds: Path) -> None:
    body = (extra_feeds / "arxiv-api-legacy-2019-08-10-all-science-m10.xml").read_bytes()
    papers = {paper.id: paper for paper in parse_feed(body, "https://feeds.example.org/api").papers}
    for paper_id in ("0808.0631", "0808.0638", "0808.0639"):
        paper = papers[paper_id]
        assert "“The 2005 Neyman Lecture: Dynamic Indeterminism in Science”" in paper.abstract
        assert paper.abstract.endswith("Science” [arXiv:0808.0620]")
        assert "``The 2005 Neyman Lecture" in paper.raw_abstract
        assert "Science''" in paper.raw_abstract


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("a `single' quote", "a ‘single’ quote"),
        ("``it's done,'' they said", "“it's done,” they said"),
        ("`don't panic' and don't", "‘don't panic’ and don't"),
        ("the authors' `views'", "the authors' ‘views’"),
        (r"``\emph{Wider}'' nets", "“Wider” nets"),
        ("``a\n\nb''", "``a\n\nb''"),
        ("``unpaired and `open", "``unpaired and `open"),
        ("x = '' and `code` here", "x = '' and `code` here"),
        (r"$f''(x)$ is ``curvature''", "f''(x) is “curvature”"),
    ],
)
def test_tex_quotes(tex: str, expected: str) -> None:
    assert latex_to_unicode(tex) == expected


def _fold(text: str) -> str:
    """Letters and digits only, compatibility-decomposed, without accents, case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isalnum()).casefold()


# A macro definition is not text; its body reappears where the macro is used.
_DEFINITION_RE = re.compile(r"\\(?:re)?newcommand\s*\{?\\[A-Za-z]+\}?\s*\{(?:[^{}]|\{[^{}]*\})*\}")
_MACRO_NAME_RE = re.compile(r"\\[A-Za-z]+")


def _missing_words(source: str, converted: str) -> list[str]:
    """Words of ``source`` (TeX macro names aside) not found, in order, in ``converted``."""
    words = re.findall(r"[^\W_]+", _MACRO_NAME_RE.sub(" ", _DEFINITION_RE.sub(" ", source)))
    haystack, position, missing = _fold(converted), 0, []
    for word in words:
        found = haystack.find(_fold(word), position)
        if found < 0:
            missing.append(word)
        else:
            position = found + len(_fold(word))
    return missing


def test_latex_never_loses_words_of_real_titles_and_abstracts(shared_feeds: Path) -> None:
    texts = _arxiv_texts(shared_feeds)
    assert len(texts) > 800
    with_tex = [text for _, _, text in texts if "$" in text or "\\" in text]
    assert len(with_tex) > 80
    losses = {
        f"{name} {tag}: {text[:60]!r}": missing
        for name, tag, text in texts
        if (missing := _missing_words(text, latex_to_unicode(text)))
    }
    assert losses == {}


def test_word_check_detects_a_dropped_tail() -> None:
    missing = _missing_words("improves by 5% over baselines here", "improves by 5")
    assert missing == ["over", "baselines", "here"]


def test_real_samples_keep_dollars_percents_and_convert_accents(shared_feeds: Path) -> None:
    texts = {text for _, _, text in _arxiv_texts(shared_feeds)}
    converted = {text: latex_to_unicode(text) for text in texts}
    dollar = next(text for text in texts if "$800" in text)
    assert "costs over $800 per sample" in converted[dollar]
    percents = [text for text in texts if "%" in text and ("$" in text or "\\" in text)]
    assert len(percents) >= 5
    for text in percents:
        assert converted[text].count("%") == text.count("%")
        for tail in re.findall(r"%\s*(\w+)", text):
            assert tail in converted[text]
    titles = [converted[text] for _, tag, text in _arxiv_texts(shared_feeds) if tag == "title"]
    assert any("SLD Cramér-Rao bounds" in title for title in titles)
    assert any("Optical Schrödinger cat states" in title for title in titles)
    assert any("Remove the ln ln T Term" in title for title in titles)
    assert not [title for title in titles if "\\" in title or "$" in title]


_TEX_PIECES = [
    "\\", "$", "$$", "{", "}", "^", "_", "~", "%", "[", "]", "(", ")", " ", "\n",
    "a", "Z", "1", "é", "#1",
    "\\frac", "\\sqrt", "\\mathbb", "\\mathcal", "\\text", "\\left", "\\right", "\\newcommand", "\\def",
    "\\F", "\\alpha", "\\'", '\\"', "\\c", "\\(", "\\)", "\\[", "\\]", "\\cal", "\\cite", "\\href",
    "\\operatorname", "\\not", "\\tilde", "\\foo", "\\\\", "\\ ", "\\log", "\\ss", "\\i",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TEX_PIECES), max_size=60).map("".join))
def test_latex_never_raises_on_tex_soup(text: str) -> None:
    assert isinstance(latex_to_unicode(text), str)


@given(st.text())
def test_latex_never_raises_on_any_text(text: str) -> None:
    assert isinstance(latex_to_unicode(text), str)


def test_latex_survives_deep_nesting_and_self_reference() -> None:
    deep = "{" * 5000 + "x" + "}" * 5000
    assert "x" in latex_to_unicode(deep)
    assert "x" in latex_to_unicode("\\tilde" * 3000 + "x")
    assert "x" in latex_to_unicode("$" + "\\frac" * 2000 + "x$")
    assert latex_to_unicode(r"\def\a{\a\a}\a done").endswith("done")


@given(st.text(st.sampled_from(list("ab xyZ19$%^_{}~()=+-\n'"))))
def test_latex_without_macros_keeps_every_letter_and_digit(text: str) -> None:
    assert _fold(latex_to_unicode(text)) == _fold(text)


# --------------------------------------------------------------------------
# clean_title / clean_abstract


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  A Luttinger Liquid\n  Core \x1b[31mInside\x1b[0m ", "A Luttinger Liquid Core Inside"),
        (r"$\beta$-Stars or On Extending a Drawing", "β-Stars or On Extending a Drawing"),
        ("Bidi \u202etxt.exe\u202c title", "Bidi txt.exe title"),
    ],
)
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


def test_clean_abstract() -> None:
    raw = (
        "We show $\\mathcal{O}(n^2)$ bounds, 5% better than Cram\\'er.\x1b]52;c;eA==\x07 "
        "This first paragraph is long enough to be a paragraph line of its own in the arXiv API.\n"
        "  Second paragraph with $\\alpha$."
    )
    assert clean_abstract(raw) == (
        "We show 𝒪(n²) bounds, 5% better than Cramér. "
        "This first paragraph is long enough to be a paragraph line of its own in the arXiv API."
        "\n\nSecond paragraph with α."
    )


@given(st.text(st.characters(exclude_categories=())))
def test_clean_output_has_no_control_characters(text: str) -> None:
    title, abstract = clean_title(text), clean_abstract(text)
    assert not [char for char in title if unicodedata.category(char) == "Cc" or _forbidden(char)]
    assert not [
        char for char in abstract if char != "\n" and (unicodedata.category(char) == "Cc" or _forbidden(char))
    ]


# --------------------------------------------------------------------------
# strip_html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>A &amp; B<br>C</p>", "A & B\n\nC"),
        ("<p>one\n   wrapped  line</p><p>two</p>", "one wrapped line\n\ntwo"),
        ("x<script>alert('<p>')</script><style>p { color: red }</style>y", "xy"),
        ('<img src="thumb.png" alt="Paper thumbnail"/>text', "text"),
        ("<ul><li>one</li><li>two</li></ul>tail", "• one\n\n• two\n\ntail"),
        ("<h2>Head</h2><div>body <em>em</em> <a href='u'>link</a></div>", "Head\n\nbody em link"),
        ("<pre>x = 1\n\n  y = 2\n</pre>after", "x = 1\n  y = 2\n\nafter"),
        ("&lt;p&gt; is &quot;escaped&quot; &eacute; &#233; &#x3b1;", '<p> is "escaped" é é α'),
        ("a < b and c &gt; d", "a < b and c > d"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("plain text", "plain text"),
        ("<p></p><br/>", ""),
    ],
)
def test_strip_html(html: str, expected: str) -> None:
    assert strip_html(html) == expected


def test_strip_html_on_feedgen_description(shared_feeds: Path) -> None:
    root = ET.parse(shared_feeds / "hf-papers-rss-feedgen-huangboming-2026-04-30.xml").getroot()
    text = strip_html(next(root.iter("item")).findtext("description"))
    paragraphs = text.split("\n\n")
    assert paragraphs[:2] == ["Authors: Haebin Seong, Li Yin, Haoran Zhang", "Upvotes: 1"]
    assert paragraphs[2].startswith("Summary: AI agents are increasingly deployed")
    assert "<" not in text and "thumbnail" not in text


def test_strip_html_on_a_blog_feed(shared_feeds: Path) -> None:
    root = ET.parse(shared_feeds / "atom-blog-dustri-org-2024-03-10.xml").getroot()
    contents = [entry.findtext(f"{ATOM}content") for entry in root.iter(f"{ATOM}entry")]
    for html in contents:
        text = strip_html(html)
        assert not re.search(r"</?(?:p|a|li|code|span|div)\b", text)
        assert "&amp;" not in text
    first = strip_html(contents[0])
    assert first.startswith("LWN recently published an excellent (subscriber only) article on vale")


@given(st.text(st.characters(exclude_characters="<&")))
def test_strip_html_of_plain_text_is_its_words(text: str) -> None:
    assert normalize_whitespace(strip_html(text)) == normalize_whitespace(text)


_HTML_PIECES = ["<p>", "</p>", "<pre>", "</pre>", "<br/>", "<", ">", "&", ";", "x", " ", "\n"]


@given(st.lists(st.sampled_from(_HTML_PIECES)))
def test_strip_html_takes_any_markup(parts: list[str]) -> None:
    result = strip_html("".join(parts))
    assert result == result.strip("\n") and "\n\n\n" not in result


# --------------------------------------------------------------------------
# find_code_links


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/foo/bar.", ["https://github.com/foo/bar"]),
        ("(see https://github.com/foo/bar), https://github.com/foo/bar", ["https://github.com/foo/bar"]),
        ("https://gitlab.com/grp/proj/-/tree/main;", ["https://gitlab.com/grp/proj/-/tree/main"]),
        ("released at https://github.com/ClawGym.", ["https://github.com/ClawGym"]),
        ("https://github.com/a/b_(c) works", ["https://github.com/a/b_(c)"]),
        (
            "models https://huggingface.co/meta-llama/Llama-3-8B, "
            "data https://huggingface.co/datasets/org/set and demo https://huggingface.co/spaces/org/demo!",
            [
                "https://huggingface.co/meta-llama/Llama-3-8B",
                "https://huggingface.co/datasets/org/set",
                "https://huggingface.co/spaces/org/demo",
            ],
        ),
        ("paper page https://huggingface.co/papers/2401.00001 and https://huggingface.co/org", []),
        (
            "https://bitbucket.org/a/b https://codeberg.org/c",
            ["https://bitbucket.org/a/b", "https://codeberg.org/c"],
        ),
        (
            "https://zenodo.org/records/123. DOI https://doi.org/10.5281/zenodo.456",
            ["https://zenodo.org/records/123", "https://doi.org/10.5281/zenodo.456"],
        ),
        ("https://example.com/github.com/a/b https://github.com/features/copilot", []),
        ("ftp://github.com/a/b and github.com/a/b", []),
        ("https://cdn-thumbnails.huggingface.co/social/papers/1.png https://docs.github.com/en/x", []),
        (
            "https://www.github.com/a/b https://gist.github.com/u/1",
            ["https://www.github.com/a/b", "https://gist.github.com/u/1"],
        ),
        ("<a href=\"https://github.com/x/y\">repo</a>", ["https://github.com/x/y"]),
        ("no links here", []),
    ],
)
def test_find_code_links(text: str, expected: list[str]) -> None:
    assert find_code_links(text) == expected


def test_find_code_links_matches_hugging_face_github_repo(shared_feeds: Path) -> None:
    path = shared_feeds / "hf-daily-papers-api-2026-06-12.json"
    papers = json.loads(path.read_text(encoding="utf-8"))
    checked = 0
    for entry in papers:
        repo = entry["paper"].get("githubRepo")
        summary = entry["paper"]["summary"]
        if repo and repo in summary:
            checked += 1
            assert repo in find_code_links(summary)
    assert checked >= 5


@given(st.text())
def test_found_code_links_are_safe(text: str) -> None:
    assert all(is_safe_url(url) for url in find_code_links(text + " https://github.com/" + text))


# --------------------------------------------------------------------------
# is_safe_url


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://arxiv.org/abs/2401.00001", True),
        ("http://example.com", True),
        ("HTTPS://Example.COM/Path?q=1#frag", True),
        ("https://user@host.example:8443/x", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("file:///etc/passwd", False),
        ("ssh://git@github.com/a/b", False),
        ("mailto:someone@example.com", False),
        ("-https://example.com", False),
        ("--help", False),
        ("https://", False),
        ("http:/example.com", False),
        ("//example.com/x", False),
        ("https://exa mple.com", False),
        (" https://example.com", False),
        ("https://example.com/\n", False),
        ("https://example.com/\x1b]52;c;x\x07", False),
        ("https://example.com/\u202e", False),
        ("https://example.com\\@evil.example", False),
        ("https://[::1", False),
        ("https://example.com:99999/", False),
        ("", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


# --------------------------------------------------------------------------
# Fast paths: each gives what the general code gives


def _general_strip_controls(text: str) -> str:
    return controls_module._CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _general_latex(text: str) -> str:
    """latex_to_unicode with the converter for every text that has TeX."""
    return tex_module._typographic_quotes(_general_tex(text))


def _general_tex(text: str) -> str:
    if "\\" not in text and "$" not in text and "~" not in text:
        return text
    return converter_module._Converter(_tilded(text)).convert()


def _tilded(text: str) -> str:
    """The text with TeX's non-breaking spaces as spaces, as the converter takes it."""
    return tex_module._TILDE_RE.sub(tex_module._tilde_space, text)


def _general_clean_title(raw: str) -> str:
    return " ".join(_general_latex(_general_strip_controls(raw)).split())


def _general_clean_abstract(raw: str) -> str:
    return normalize_paragraphs(_general_latex(_general_strip_controls(raw)))


def test_every_whitespace_character_but_space_is_unprintable() -> None:
    # normalize_whitespace and _is_normal_line rely on it
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    assert " " in spaces and len(spaces) > 20
    assert [char for char in spaces if char.isprintable()] == [" "]


def test_ascii_byte_tables_match_the_character_classes() -> None:
    for code in range(128):
        char = chr(code)
        controls = controls_module._CONTROL_CHAR_RE.match(char) is not None
        assert (code in controls_module._ASCII_CONTROLS) is controls, code
        assert (code in controls_module._ASCII_UNPRINTABLE) is (not char.isprintable()), code


_CONTROL_PIECES = ["a", "word ", "x" * 150, "\t", "\n", "\r", "\r\n", "\x00", "\x1b[31m", "\x1f"]
_CONTROL_PIECES += ["\x7f", "\x9b", "é", "\u202e", " "]
_CONTROL_TEXT = st.lists(st.sampled_from(_CONTROL_PIECES), max_size=12).map("".join)


@given(_CONTROL_TEXT)
def test_strip_controls_fast_check_agrees_with_the_regex(text: str) -> None:
    assert strip_controls(text) == _general_strip_controls(text)


_SPACE_PIECES = ["a", "b.", "y" * 120, " ", "  ", "\t", "\n", "\xa0", "\u2003", "\u3000", "\x1c", "é", "α"]
_SPACE_TEXT = st.lists(st.sampled_from(_SPACE_PIECES), max_size=12).map("".join)


@given(_SPACE_TEXT)
def test_normalize_whitespace_fast_check_agrees_with_split(text: str) -> None:
    assert normalize_whitespace(text) == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "simple", "expected"),
    [
        ("We get $\\mathcal{O}(n \\log n)$ time and $\\alpha = 0.5$.", True, "We get 𝒪(n log n) time and α = 0.5."),
        ("$\\epsilon$-optimal at \\(T_w\\) and $10^{-3}$", True, "ϵ-optimal at T_w and 10⁻³"),
        ("a $\\log$b and $\\operatorname{op}$x", True, "a log b and op x"),  # an operator name before a letter
        ("a $\\log$ b, $\\sin$(x)", True, "a log b, sin(x)"),
        ("$x$ first, last $y$", True, "x first, last y"),
        ("Fig.~3 shows $x$", True, "Fig. 3 shows x"),
        ("$\\tilde{O}(d^2)$ with $\\ell_1$ over $L^2(\\mathbb{R})$", True, "Õ(d²) with ℓ₁ over L²(ℝ)"),
        ("no TeX at all", True, "no TeX at all"),
        ("$5 and $10", False, "$5 and $10"),  # a dollar before a digit is money
        ("$x$5", False, "$x$5"),
        ("costs $800 for $n$", False, "costs $800 for n"),  # unpaired
        ("\\$5 and $x$", False, "$5 and x"),  # escaped dollar
        ("\\\\(x\\\\)", False, " (x )"),
        ("$x$ \\emph{y}", False, "x y"),  # TeX outside math
        ("$x$ a_b", False, "x a_b"),
        ("$\\def\\x{y}\\x$ and $\\newcommand{\\z}{w}\\z$", False, "y and w"),
        ("\\[x\\] display", False, "x display"),
        ("$$x$$ display", False, "x display"),
        ("$x$$y$", False, "$x$$y$"),
        ("\\(a\\)\\(b\\)", False, "ab"),  # spans without a run between them
        ("$\\,$ empty", False, " empty"),
        ("$\\text{a $b$}$", False, "$a b$"),
        ("\\(a $b$ \\)", False, "a b"),
        ("$a \\(b$ c\\)", False, "$a b$ c"),
    ],
)
def test_simple_texts_take_the_fast_path_and_convert_as_expected(text: str, simple: bool, expected: str) -> None:
    assert (tex_module._convert_simple(_tilded(text)) is not None) is simple
    assert latex_to_unicode(text) == expected


_MATH_PIECES = [
    "\\log", "\\ln", "\\alpha", "x", "n", " ", "  ", "^", "_", "{", "}", "2", "-3", "\\sin", "\\,", "\\!",
    "\\mathcal{O}", "\\text{ab}", "\\operatorname{op}", "\\frac{a}{b}", "\\def", "~", "\\left(", "\\right.",
    "\\sqrt[3]{x}", "(", ")", "[", "]", "\\$", "{\\cal O}", "\\hat", "\\hat x", "\\mathbb{R}", "=", "\\leq",
    "\\unknown{a}", "\\displaystyle", "\\\\", "\\(", "\\)", "\\ ", "\\'e", "abc", "\\not=", "\n",
]  # fmt: skip
_RUN_PIECES = ["we", "show", "a", "5", "x", "e.g.", "(see", "it)", "Fig.~3", "~5", "10%", "é", "—", "$5"]
_RUN_PIECES += ["\\", "$", "$$", "\\[", "\\]", "{", "}", "_", "^", "\\emph{x}", "\n", "  ", "\t", "\x1b[1m"]


@st.composite
def _tex_texts(draw: st.DrawFn) -> str:
    """Words and math spans, mostly one space apart, now and then broken TeX."""
    tokens = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            inner = "".join(draw(st.lists(st.sampled_from(_MATH_PIECES), min_size=1, max_size=4)))
            form = draw(st.sampled_from(["$%s$", "\\(%s\\)", "$%s$-optimal", "($%s$)", "$%s$,"]))
            tokens.append(form % inner)
        else:
            tokens.append(draw(st.sampled_from(_RUN_PIECES[:14] if draw(st.integers(0, 5)) else _RUN_PIECES)))
    return draw(st.sampled_from([" ", ""])).join(tokens)


_SIMPLE_MATH = [
    "\\log n", "\\alpha", "x", "n^2", "x_1", "10^{-3}", "\\sin(x)", "\\mathcal{O}(n)", "\\frac{a}{b}", "\\sqrt{n}",
    "\\mathbb{R}", "=", "\\leq", "\\operatorname{op}", "\\lvert E\\rvert", "\\hat x", "\\langle x, y\\rangle", "\\ell",
]  # fmt: skip
_SIMPLE_RUNS = ["we", "show", "a", "5", "e.g.", "(see", "it)", "10%", "é", "—", "Fig.~3", "-optimal", ",", "."]


@st.composite
def _simple_tex_texts(draw: st.DrawFn) -> str:
    """Texts the fast path takes: inline spans of math that converts, with
    a plain run between each two (now and then glued to the span before
    it, unless it starts with a digit: "$x$5" is money)."""
    parts = [draw(st.sampled_from(["", "we "]))]
    for index in range(draw(st.integers(1, 8))):
        if index:
            run = draw(st.sampled_from(_SIMPLE_RUNS))
            glued = not run[0].isdigit() and draw(st.booleans())
            parts.append(("" if glued else " ") + run + " ")
        inner = " ".join(draw(st.lists(st.sampled_from(_SIMPLE_MATH), min_size=1, max_size=4)))
        parts.append(draw(st.sampled_from(["$%s$", "\\(%s\\)"])) % inner)
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(_simple_tex_texts())
def test_latex_fast_path_takes_simple_texts(text: str) -> None:
    assert tex_module._convert_simple(_tilded(text)) is not None


@settings(max_examples=500, deadline=None)
@given(st.one_of(_simple_tex_texts(), _tex_texts()))
def test_latex_fast_path_agrees_with_the_converter(text: str) -> None:
    """Wherever the fast path answers, the converter run over the whole text
    gives the same. Half the texts are simple, so it answers on most; the
    others look for texts it takes but should not."""
    fast = tex_module._convert_simple(_tilded(text))
    assume(fast is not None)
    assert fast == converter_module._Converter(_tilded(text)).convert()


@settings(max_examples=500, deadline=None)
@given(_tex_texts())
def test_a_normal_line_stays_normal_when_the_conversion_says_so(text: str) -> None:
    converted, normal = tex_module._latex_to_unicode(text)
    if normal and controls_module._is_normal_line(text):
        assert converted == " ".join(converted.split())


@settings(max_examples=300, deadline=None)
@given(st.one_of(_tex_texts(), st.lists(st.sampled_from(_TEX_PIECES), max_size=40).map("".join), _CONTROL_TEXT))
def test_clean_title_and_abstract_fast_paths_agree_with_the_general_path(text: str) -> None:
    assert clean_title(text) == _general_clean_title(text)
    assert clean_abstract(text) == _general_clean_abstract(text)


def test_clean_fast_paths_agree_on_the_arxiv_samples(shared_feeds: Path) -> None:
    texts = _arxiv_texts(shared_feeds)
    assert len(texts) > 300
    simple = 0
    for _, _, text in texts:
        assert clean_title(text) == _general_clean_title(text)
        assert clean_abstract(text) == _general_clean_abstract(text)
        simple += ("$" in text) and tex_module._convert_simple(text) is not None
    assert simple >= 10  # the fast path is taken on real abstracts too


def test_code_links_need_a_scheme_separator() -> None:
    assert find_code_links("see github.com/a/b and and/or") == []
    assert find_code_links("Code: HTTPS://GitHub.com/a/b.") == ["HTTPS://GitHub.com/a/b"]
