"""The colours of the maps, the same on every page, export and report."""

from organizations.models import Sector

# A calm palette whose colours stay apart for most kinds of colour vision and
# carry dark text labels beside them on white.
PALETTE = (
    "#0b6e69",
    "#d9822b",
    "#4c6fb5",
    "#b5475f",
    "#6a8f3a",
    "#8a63b8",
    "#c9a227",
    "#3d9bc1",
    "#a0522d",
    "#5f7d8c",
    "#d46fa4",
    "#2f8f5b",
)
UNKNOWN_COLOUR = "#9aa3ad"
ALONE_COLOUR = "#b9c0c8"
POSITION_COLOURS = {
    "broker": "#d9822b",
    "well_connected": "#0b6e69",
    "connected": "#4c6fb5",
    "peripheral": "#8895a5",
    "isolate": "#c4c9d0",
}
# Width in pixels and colour of a tie at each collaboration level.
LEVEL_STYLES = (
    ("#c0c8d2", 0.6),
    ("#8a9aac", 1.3),
    ("#2f4b66", 2.4),
)


def cycled(rank):
    """Return the palette's colour for the item ranked `rank`."""
    return PALETTE[rank % len(PALETTE)]


def sector_colours():
    """Return {sector name: colour}, the same on every map, page and report.

    Colours follow the sectors' order in the admin, so a sector keeps its
    colour from round to round whichever sectors a round happens to have.
    """
    names = Sector.objects.order_by("order", "name").values_list("name", flat=True)
    return {name: cycled(i) for i, name in enumerate(names)}
