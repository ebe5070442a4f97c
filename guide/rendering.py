"""Turn text people wrote into safe HTML: Markdown, then a strict sanitizer."""

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote",
    "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Return sanitized HTML for Markdown text; raw HTML never survives."""
    html = markdown.markdown(text or "", output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    # Safe: nh3 kept only the tags, attributes and URL schemes listed above.
    return mark_safe(cleaned)
