"""Run axe-core, vendored for the browser tests only, on a Playwright page."""

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR, "static/vendor/axe-core-4.14.1/axe.min.js")
SEVERE = ("serious", "critical")


def severe_violations(page):
    """Return the page's serious and critical violations as readable lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (severe) => (await axe.run(document)).violations
            .filter(v => severe.includes(v.impact))
            .map(v => v.id + ' (' + v.impact + '): '
                + v.nodes.map(n => n.target.join(' ')).join(', '))
        """,
        list(SEVERE),
    )
