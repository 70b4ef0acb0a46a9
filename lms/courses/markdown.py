"""Lesson Markdown → sanitised HTML. Raw HTML in content is dropped; nothing executable survives."""

from __future__ import annotations

from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str, *, resolve_image: Callable[[str], str] | None = None) -> str:
    """Render CommonMark with tables; images are re-pointed through resolve_image; output sanitised."""
    tokens = _parser.parse(text)
    for token in tokens:
        for child in token.children or []:
            if child.type == "image" and resolve_image is not None:
                child.attrSet("src", resolve_image(str(child.attrGet("src") or "")))
    html = _parser.renderer.render(tokens, _parser.options, {})
    return sanitise_html(html)


def render_inline(text: str) -> str:
    """Inline Markdown (question stems, options): emphasis and code only."""
    return sanitise_html(_parser.renderInline(text))


def sanitise_html(html: str) -> str:
    # Inline styles would be blocked by the Content-Security-Policy anyway, so none are kept.
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
