"""Draw an ego map as SVG for pages, print and the PDF report.

Partners are coloured by sector and ties by collaboration level, as on the
staff map; the organization itself sits in the middle with a dark ring.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from network.colours import UNKNOWN_COLOUR as NO_SECTOR
from network.colours import sector_colours

LEVEL_STYLES = {
    "communication": ("#b7c1cc", 1.0),
    "coordination": ("#6f8499", 2.0),
    "collaboration": ("#1d3a55", 3.4),
}


def legend(nodes):
    """Return [(sector, colour)] for the sectors present among the nodes."""
    colours = sector_colours()
    present = {n["sector"] for n in nodes if n["ring"]}
    return [(s, colours.get(s, NO_SECTOR)) for s in colours if s in present]


def level_legend():
    return [
        (_("Communication"), *LEVEL_STYLES["communication"]),
        (_("Coordination"), *LEVEL_STYLES["coordination"]),
        (_("Collaboration"), *LEVEL_STYLES["collaboration"]),
    ]


def _scaled(nodes, width, height, margin_x, margin_y):
    span = max([max(abs(n["x"]), abs(n["y"])) for n in nodes] + [1.0])
    scale = min(width / 2 - margin_x, height / 2 - margin_y) / span
    return {
        n["id"]: (width / 2 + n["x"] * scale, height / 2 + n["y"] * scale)
        for n in nodes
    }


def ego_svg(ego, width=720, height=540, labels=True):
    """Return the ego map as a safe SVG string."""
    colours = sector_colours()
    margin_x = 190 if labels else 24
    points = _scaled(ego.nodes, width, height, margin_x, 36)
    size = width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="edn-ego-svg" overflow="visible" '
        f'aria-labelledby="ego-title">',
        f'<title id="ego-title">{escape(_("Map of our partners"))}</title>',
    ]
    for tie in sorted(ego.ties, key=lambda t: t["level"] == "collaboration"):
        x1, y1 = points[tie["source"]]
        x2, y2 = points[tie["target"]]
        colour, width = LEVEL_STYLES.get(tie["level"], LEVEL_STYLES["communication"])
        dash = "" if tie["confirmed"] else ' stroke-dasharray="5 4"'
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}" stroke-width="{width}"{dash} '
            f'stroke-linecap="round" opacity="0.85"/>'
        )
    show_labels = labels and sum(1 for n in ego.nodes if n["ring"] == 1) <= 28
    for node in sorted(ego.nodes, key=lambda n: -n["ring"]):
        x, y = points[node["id"]]
        colour = colours.get(node["sector"], NO_SECTOR)
        radius = {0: 13, 1: 8, 2: 5}[node["ring"]]
        ring = ' stroke="#1d2a3a" stroke-width="3"' if node["ring"] == 0 else ""
        ring = ring or ' stroke="#fff" stroke-width="1.5"'
        raw = node["label"]
        label = escape(raw)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}"{ring}>'
            f"<title>{label}</title></circle>"
        )
        if show_labels and node["ring"] < 2:
            anchor = (
                "middle"
                if abs(x - size / 2) < 30
                else ("start" if x > size / 2 else "end")
            )
            dx = 0 if anchor == "middle" else (12 if anchor == "start" else -12)
            dy = 30 if node["ring"] == 0 else (4 if anchor != "middle" else -12)
            text = escape(raw if len(raw) <= 34 else raw[:32] + "…")
            parts.append(
                f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" '
                f'font-size="{12 if node["ring"] else 13}" '
                f'font-weight="{700 if node["ring"] == 0 else 400}" '
                f'fill="#1d2a3a" paint-order="stroke" stroke="#fff" '
                f'stroke-width="3">{text}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
