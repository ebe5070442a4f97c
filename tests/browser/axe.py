"""Run axe-core, vendored for the browser tests only, on a Playwright page."""

from django.conf import settings

# Loaded from the live server's static files by URL: the pages' Content
# Security Policy refuses the inline script Playwright would make of a path.
AXE_URL = "/" + settings.STATIC_URL.lstrip("/") + "vendor/axe-core-4.14.1/axe.min.js"
SEVERE = ("serious", "critical")


def load_axe(page):
    """Add axe-core to the page, once."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)


def severe_violations(page):
    """Return the page's serious and critical violations as readable lines."""
    load_axe(page)
    return page.evaluate(
        """async (severe) => (await axe.run(document)).violations
            .filter(v => severe.includes(v.impact))
            .map(v => v.id + ' (' + v.impact + '): '
                + v.nodes.map(n => n.target.join(' ')).join(', '))
        """,
        list(SEVERE),
    )
