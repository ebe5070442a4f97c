"""Template filters for text people wrote in the guide and the exchange."""

from django import template

from guide.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown as sanitized HTML."""
    return render_markdown(text)


@register.filter
def figure(value, kind):
    """Format a network figure: a count, a share as a percentage, a length."""
    if value is None:
        return "—"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "share":
        return f"{value * 100:.1f}\u00a0%"
    return f"{value:.2f}"


@register.filter
def signed_figure(value, kind):
    """Format a change in a figure with its sign."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if kind == "share":
        return f"{sign}{abs(value) * 100:.1f}\u00a0pts"
    return f"{sign}{figure(abs(value), kind)}"
