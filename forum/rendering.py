"""Posts are written in Markdown and stored twice: as written, and as sanitised HTML rendered
once when saved. nh3 (the ammonia sanitiser, an HTML5 parser) keeps only the tags and
attributes below: no script, no event handlers, no style, no images, no ``javascript:`` or
``data:`` links, and every link gets ``rel="nofollow noopener"``."""

import re

import markdown
import nh3

TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "del",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"
# Markdown's top-level headings would break the page's heading order: they become level 3+.
_HEADING = re.compile(r"^(#{1,2})(?=\s)", re.MULTILINE)


def render_markdown(source: str) -> str:
    source = _HEADING.sub("###", source)
    html = markdown.markdown(source, extensions=["fenced_code", "sane_lists"], output_format="html")
    return sanitise(html)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def quote(source: str, author_name: str) -> str:
    """A post's text as a Markdown quotation, to start a reply with."""
    lines = source.strip().splitlines() or [""]
    return f"{author_name} wrote:\n\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"
