"""Contributors' Markdown to safe HTML.

Markdown lets raw HTML through, so its output is cleaned with nh3 (the Ammonia
allow-list sanitiser): no script, style, iframe, form, event handler or
``javascript:`` URL survives, and links get ``rel="nofollow ugc noopener"``.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "h2", "h3", "h4", "code", "pre", "hr", "abbr", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML; headings start at h2 (the page owns h1)."""
    html = _markdown.reset().convert(text)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    ).strip()
