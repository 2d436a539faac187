"""Plain text from the HTML fragments some feeds send (bioRxiv, blogs):
paragraphs kept, tags dropped, entities decoded."""

from __future__ import annotations

from html.parser import HTMLParser

from paperread.text.controls import normalize_whitespace

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
