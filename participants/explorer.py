"""The shared explorer's table and summaries, read from the viewer's map.

The map payload (participants.shared_map) already holds only what the
viewer may see: ties from visible reports, labels, and measures where they
may be shown. The table, its sorting and the sector summary are filters of
that payload.
"""

import logging
from statistics import mean

from participants.visibility import MIN_GROUP, suppressed

logger = logging.getLogger(__name__)

MEASURES = ("betweenness", "closeness", "pagerank", "core", "position")
SORTS = ("label", "sector", "partners", "betweenness", "closeness", "pagerank")


def snapshot_rows(snapshot):
    """Return {organization id: metrics row} of a snapshot, roster only."""
    if snapshot is None:
        return {}
    rows = snapshot.metrics.filter(organization__isnull=False).values(
        "organization_id", "x", "y", "brokerage", "extras", *MEASURES
    )
    return {row["organization_id"]: row for row in rows}


def measures_shown(snapshot):
    """Return whether whole-network measures rest on enough organizations."""
    return snapshot is not None and not suppressed(snapshot.responses_count)


def table_nodes(nodes, own_ids=()):
    """Return the map's organizations as rows of the explorer's table.

    `nodes` come from the viewer's map payload (participants.shared_map),
    so the table shows exactly what the map does.
    """
    own = {str(pk) for pk in own_ids}
    return [
        {
            "label": node["name"],
            "sector": node["sector"],
            "partners": node.get("degree") or 0,
            "betweenness": node.get("betweenness"),
            "closeness": node.get("closeness"),
            "pagerank": node.get("pagerank"),
            "named": not str(node["id"]).startswith("a"),
            "own": str(node["id"]) in own,
        }
        for node in nodes
    ]


def table_rows(nodes, *, query="", sector="", sort="label"):
    """Return the table's rows filtered and sorted."""
    query = query.strip().casefold()
    rows = [
        node
        for node in nodes
        if (not query or query in node["label"].casefold())
        and (not sector or node["sector"] == sector)
    ]
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "label", False

    def order(node):
        value = node.get(key)
        if isinstance(value, str):
            return (value is None, value.casefold())
        return (value is None, -(value or 0) if descending else value or 0)

    rows.sort(key=order)
    if descending and key in ("label", "sector"):
        rows.reverse()
    return rows


def sector_summary(nodes):
    """Return organizations and mean partners per sector, small groups hidden."""
    groups = {}
    for node in nodes:
        groups.setdefault(node["sector"] or "", []).append(node["partners"])
    summary = []
    for sector, partners in sorted(groups.items()):
        hidden = suppressed(len(partners))
        summary.append(
            {
                "sector": sector,
                "organizations": None if hidden else len(partners),
                "mean_partners": None if hidden else round(mean(partners), 1),
            }
        )
    return summary, MIN_GROUP
