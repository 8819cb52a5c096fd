"""The homework book's rich text: sanitised when it is written, so every page can show it as it is.

A small set of tags for what teachers write (paragraphs, emphasis, lists, headings, tables, links);
no script, no style, no event handler, no image (pictures go as attachments, so no page loads a
third-party address), links only to http(s) and mail addresses, opened without handing over the page.
"""

from __future__ import annotations

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "code", "pre",
    "ul", "ol", "li", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "a", "span",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_LENGTH = 50_000


def sanitise(html: str) -> str:
    """The text with only the allowed markup left; plain text comes back escaped."""
    return nh3.clean(
        html[:MAX_LENGTH],
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain(html: str) -> str:
    """The text without any markup (PDF summaries, notifications)."""
    return nh3.clean(html, tags=set()).strip()
