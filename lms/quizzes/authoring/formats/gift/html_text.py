"""HTML question text (as Moodle exports it) turned into the Markdown the platform stores."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _HtmlToText(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"})
    _MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self._MARKS:
            self.parts.append(self._MARKS[tag])
        elif tag == "a":
            self.links.append(attributes.get("href"))
            self.parts.append("[" if attributes.get("href") else "")
        elif tag == "img" and attributes.get("src"):
            self.parts.append(f"![{attributes.get('alt') or ''}]({attributes['src']})")
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._MARKS:
            self.parts.append(self._MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            self.parts.append(f"]({href})" if href else "")
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Readable Markdown-ish text of an HTML fragment: tags dropped, entities decoded, <br> and blocks as
    line breaks, <b>/<i> as ``**``/``*``, links and images in Markdown syntax."""
    parser = _HtmlToText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()




